import LarderColumnar

/// The shape of one feature view's online rows: the entity key columns, the feature (value)
/// columns, and the names of the two timestamp columns that input batches carry.
///
/// The schema is stored in every online file, and its ``hash`` in the header and in `CURRENT`,
/// so a reader never interprets a file with the wrong layout.
///
/// ```swift
/// let schema = try OnlineSchema(
///     keys: [Field("user_id", .int64)],
///     values: [Field("visits_7d", .int32), Field("embedding", .vector(dimension: 16))])
/// ```
public struct OnlineSchema: Hashable, Sendable, CustomStringConvertible {
    /// The entity key columns, in key order. Keys are never null.
    public let keys: [Field]
    /// The feature columns, in the order ``OnlineRow`` indexes them.
    public let values: [Field]
    /// The name of the event-time column in input batches (timestamp or int64 µs, not null).
    public let eventTimestampColumn: String
    /// The name of the created (ingestion) time column in input batches. A batch without it
    /// gives every row a created time of 0.
    public let createdTimestampColumn: String

    /// Creates a schema.
    /// - Throws: ``OnlineStoreError`` `.invalidArgument` when there is no key column, a key
    ///   column is not int64, int32 or string, a vector has a non-positive dimension, or two
    ///   columns (keys, values and timestamp columns together) share a name.
    public init(keys: [Field], values: [Field],
                eventTimestampColumn: String = "event_ts",
                createdTimestampColumn: String = "created_ts") throws {
        guard !keys.isEmpty else {
            throw OnlineStoreError(.invalidArgument, "an online schema needs at least one key column")
        }
        var seen = Set<String>()
        for name in keys.map(\.name) + values.map(\.name) + [eventTimestampColumn, createdTimestampColumn] {
            guard seen.insert(name).inserted else {
                throw OnlineStoreError(.invalidArgument, "column name '\(name)' is used twice in the online schema")
            }
        }
        for key in keys {
            switch key.type {
            case .int64, .int32, .string: break
            default:
                throw OnlineStoreError(.invalidArgument, "key column '\(key.name)' is \(key.type); online keys must be int64, int32 or string")
            }
        }
        for field in values {
            if case .vector(let d) = field.type, d <= 0 || d > Int(UInt32.max) {
                throw OnlineStoreError(.invalidArgument, "vector column '\(field.name)' has dimension \(d); it must be positive")
            }
        }
        self.keys = keys.map { Field($0.name, $0.type, nullable: false) }
        self.values = values
        self.eventTimestampColumn = eventTimestampColumn
        self.createdTimestampColumn = createdTimestampColumn
    }

    /// The position of value column `name` (the index ``OnlineRow`` accessors take), if any.
    public func valueIndex(named name: String) -> Int? {
        values.firstIndex { $0.name == name }
    }

    /// A stable 64-bit hash of the schema (XXH64 of its encoding in the file's schema
    /// section): equal for equal schemas, across processes and releases.
    public var hash: UInt64 { XXHash64.hash(encoded()) }

    public var description: String {
        "keys (" + keys.map(\.description).joined(separator: ", ") + ") values ("
            + values.map(\.description).joined(separator: ", ") + ")"
    }
}

// MARK: - Key shape

extension OnlineSchema {
    /// The shape of the key, which picks the lookup fast path.
    enum KeyShape: Sendable, Equatable {
        case int64
        case int32
        case string
        case composite
    }

    var keyShape: KeyShape {
        guard keys.count == 1 else { return .composite }
        switch keys[0].type {
        case .int64: return .int64
        case .int32: return .int32
        default: return .string
        }
    }

    /// The width of the canonical key when every key column is fixed-width (ints), else nil.
    var fixedKeyWidth: Int? {
        var width = 0
        for key in keys {
            switch key.type {
            case .int64: width += 8
            case .int32: width += 4
            default: return nil
            }
        }
        return width
    }
}

// MARK: - Encoding (the file's schema section)

extension OnlineSchema {
    /// The schema section's bytes: counts, then each field as type code, nullability,
    /// dimension and name, then the two timestamp column names. See docs/online-format.md.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(UInt32(keys.count))
        out.appendLittleEndian(UInt32(values.count))
        for field in keys + values {
            out.append(field.type.onlineCode)
            out.append(field.isNullable ? 1 : 0)
            if case .vector(let d) = field.type { out.appendLittleEndian(UInt32(d)) } else { out.appendLittleEndian(UInt32(0)) }
            out.appendName(field.name)
        }
        out.appendName(eventTimestampColumn)
        out.appendName(createdTimestampColumn)
        return out
    }

    /// Decodes a schema section.
    /// - Throws: ``OnlineStoreError`` `.corrupt` naming `path` when the bytes do not decode.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> OnlineSchema {
        var reader = ByteReader(bytes: bytes)
        func fail() -> OnlineStoreError { .corrupt("the schema section does not decode", path: path) }
        guard let keyCount = reader.uint32(), let valueCount = reader.uint32(),
              keyCount > 0, Int(keyCount) + Int(valueCount) <= bytes.count else { throw fail() }
        var fields: [Field] = []
        for _ in 0 ..< Int(keyCount) + Int(valueCount) {
            guard let code = reader.uint8(), let nullable = reader.uint8(), let dimension = reader.uint32(),
                  let name = reader.name(), let type = DataType(onlineCode: code, dimension: Int(dimension)) else {
                throw fail()
            }
            fields.append(Field(name, type, nullable: nullable != 0))
        }
        guard let event = reader.name(), let created = reader.name(), reader.isAtEnd else { throw fail() }
        do {
            return try OnlineSchema(keys: Array(fields[..<Int(keyCount)]), values: Array(fields[Int(keyCount)...]),
                                    eventTimestampColumn: event, createdTimestampColumn: created)
        } catch {
            throw fail()
        }
    }
}

extension DataType {
    /// The type's code in an online file's schema section.
    var onlineCode: UInt8 {
        switch self {
        case .int32: 1
        case .int64: 2
        case .float32: 3
        case .float64: 4
        case .bool: 5
        case .string: 6
        case .binary: 7
        case .timestamp: 8
        case .date: 9
        case .vector: 10
        }
    }

    init?(onlineCode: UInt8, dimension: Int) {
        switch onlineCode {
        case 1: self = .int32
        case 2: self = .int64
        case 3: self = .float32
        case 4: self = .float64
        case 5: self = .bool
        case 6: self = .string
        case 7: self = .binary
        case 8: self = .timestamp
        case 9: self = .date
        case 10 where dimension > 0: self = .vector(dimension: dimension)
        default: return nil
        }
    }
}

// MARK: - Little-endian helpers

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendName(_ name: String) {
        let utf8 = Array(name.utf8.prefix(Int(UInt16.max)))
        appendLittleEndian(UInt16(utf8.count))
        append(contentsOf: utf8)
    }
}

/// Reads little-endian integers and names from a buffer, returning nil past its end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard position + size <= bytes.count, let base = bytes.baseAddress else { return nil }
        defer { position += size }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    mutating func uint8() -> UInt8? { integer(UInt8.self) }
    mutating func uint32() -> UInt32? { integer(UInt32.self) }

    mutating func name() -> String? {
        guard let length = integer(UInt16.self), position + Int(length) <= bytes.count else { return nil }
        defer { position += Int(length) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position ..< position + Int(length)]), as: UTF8.self)
    }
}
