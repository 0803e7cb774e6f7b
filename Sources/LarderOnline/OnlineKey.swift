import LarderColumnar

/// An entity key in its canonical byte encoding, for stores with composite keys (single-column
/// keys have allocation-free lookups: ``OnlineStore/lookup(_:)-(Int64)`` and its siblings).
///
/// The encoding concatenates the key columns in schema order: int64 as 8 bytes and int32 as 4
/// bytes, little-endian two's complement; a string as its UTF-8 bytes, preceded by its length
/// as a little-endian `UInt32` unless it is the last key column. Equal keys have equal bytes.
///
/// ```swift
/// let key = try OnlineKey([.int64(42), .string("de")], schema: store.schema)
/// let row = store.lookup(key)
/// ```
public struct OnlineKey: Hashable, Sendable {
    /// The canonical encoding.
    public let bytes: [UInt8]

    /// Encodes `values`, one per key column of `schema`, in order.
    /// - Throws: ``OnlineStoreError`` `.invalidArgument` when the count or a value's type does
    ///   not match the key columns (int32 keys accept `.int32`, int64 keys `.int64`, string
    ///   keys `.string`), or a value is null.
    public init(_ values: [Value], schema: OnlineSchema) throws {
        guard values.count == schema.keys.count else {
            throw OnlineStoreError(.invalidArgument, "the key has \(values.count) values but the schema has \(schema.keys.count) key columns")
        }
        var out: [UInt8] = []
        for (index, (value, field)) in zip(values, schema.keys).enumerated() {
            let isLast = index == schema.keys.count - 1
            switch (field.type, value) {
            case (.int64, .int64(let v)): out.appendLittleEndian(v)
            case (.int32, .int32(let v)): out.appendLittleEndian(v)
            case (.string, .string(let s)):
                let utf8 = Array(s.utf8)
                if !isLast { out.appendLittleEndian(UInt32(truncatingIfNeeded: utf8.count)) }
                out.append(contentsOf: utf8)
            default:
                throw OnlineStoreError(.invalidArgument, "key column '\(field.name)' is \(field.type) but the key holds \(value)")
            }
        }
        bytes = out
    }

    /// The key's values, one per key column of `schema` (slow path: decodes and allocates).
    public func values(schema: OnlineSchema) -> [Value] {
        bytes.withUnsafeBytes { Self.values(of: $0, schema: schema) }
    }

    /// Wraps bytes already in canonical form (decoded from a file).
    init(canonical bytes: [UInt8]) { self.bytes = bytes }

    /// The key's hash: XXH64 of the canonical bytes.
    var hash: UInt64 { XXHash64.hash(bytes) }
}

extension OnlineKey {
    /// Decodes canonical key bytes into one ``Value`` per key column (slow path).
    static func values(of bytes: UnsafeRawBufferPointer, schema: OnlineSchema) -> [Value] {
        var result: [Value] = []
        var position = 0
        for (index, field) in schema.keys.enumerated() {
            let isLast = index == schema.keys.count - 1
            switch field.type {
            case .int64:
                guard position + 8 <= bytes.count else { return result }
                result.append(.int64(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: Int64.self))))
                position += 8
            case .int32:
                guard position + 4 <= bytes.count else { return result }
                result.append(.int32(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: Int32.self))))
                position += 4
            default:
                var length = bytes.count - position
                if !isLast {
                    guard position + 4 <= bytes.count else { return result }
                    length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                    position += 4
                }
                guard length >= 0, position + length <= bytes.count else { return result }
                result.append(.string(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position ..< position + length]), as: UTF8.self)))
                position += length
            }
        }
        return result
    }
}
