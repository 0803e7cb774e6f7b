/// The physical buffers of a column. One case per layout; several ``DataType``s share one
/// (`timestamp` uses `.int64`, `date` uses `.int32`, `string` and `binary` use `.bytes`).
///
/// Values at null positions are present in the buffer with an unspecified (normally zero)
/// value, as in Arrow, so buffers can be processed without branching on validity.
public enum ColumnStorage: Hashable, Sendable {
    case int32([Int32])
    case int64([Int64])
    case float32([Float])
    case float64([Double])
    case bool([Bool])
    /// Variable-length values: value `i` is `data[offsets[i] ..< offsets[i + 1]]`;
    /// `offsets.count == count + 1` and `offsets[0] == 0`.
    case bytes(offsets: [Int], data: [UInt8])
    /// `dimension` floats per row, row-major; `values.count == count * dimension`.
    case vector(dimension: Int, values: [Float])

    /// The number of rows the buffers hold.
    public var count: Int {
        switch self {
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .bool(let v): v.count
        case .bytes(let offsets, _): max(offsets.count - 1, 0)
        case .vector(let d, let v): d > 0 ? v.count / d : 0
        }
    }
}

/// One column of a ``RecordBatch``: a type, typed buffers, and optional validity.
public struct Column: Hashable, Sendable {
    public let type: DataType
    public let storage: ColumnStorage
    /// Validity bitmap; `nil` means no value is null.
    public let validity: Bitmap?

    /// Creates a column from buffers, checking that they fit the type and each other.
    /// - Throws: ``ColumnarError`` (`.typeMismatch`, `.lengthMismatch`, `.outOfRange`) when
    ///   the storage layout does not match `type`, offsets are not monotonic, or the validity
    ///   bitmap has a different length.
    public init(type: DataType, storage: ColumnStorage, validity: Bitmap? = nil) throws {
        switch (type, storage) {
        case (.int32, .int32), (.date, .int32), (.int64, .int64), (.timestamp, .int64),
             (.float32, .float32), (.float64, .float64), (.bool, .bool),
             (.string, .bytes), (.binary, .bytes):
            break
        case (.vector(let d), .vector(let sd, let values)):
            guard d == sd, d > 0, values.count % d == 0 else {
                throw ColumnarError(.lengthMismatch, "vector buffer of \(values.count) floats does not hold whole rows of dimension \(d)")
            }
        default:
            throw ColumnarError(.typeMismatch, "storage \(storage.layoutName) cannot hold \(type)")
        }
        if case .bytes(let offsets, let data) = storage {
            guard let first = offsets.first, first == 0 else {
                throw ColumnarError(.outOfRange, "offsets must start at 0")
            }
            var previous = 0
            for o in offsets {
                guard o >= previous else { throw ColumnarError(.outOfRange, "offsets must not decrease") }
                previous = o
            }
            guard previous == data.count else {
                throw ColumnarError(.outOfRange, "last offset \(previous) does not match \(data.count) data bytes")
            }
        }
        if let validity, validity.count != storage.count {
            throw ColumnarError(.lengthMismatch, "validity has \(validity.count) bits for \(storage.count) values")
        }
        self.type = type
        self.storage = storage
        self.validity = (validity?.allSet ?? true) ? nil : validity
    }

    /// Creates a column without checks; for kernels that build storage known to be valid.
    @usableFromInline
    init(unchecked type: DataType, storage: ColumnStorage, validity: Bitmap?) {
        self.type = type
        self.storage = storage
        self.validity = validity
    }

    /// The number of rows.
    public var count: Int { storage.count }

    /// The number of null values.
    public var nullCount: Int { validity.map { $0.count - $0.setCount } ?? 0 }

    /// Whether row `i` holds a value.
    @inlinable
    public func isValid(_ i: Int) -> Bool { validity?[i] ?? true }

    /// The value at row `i` as a ``Value`` (slow path: for tests, tools and row-wise code).
    public subscript(i: Int) -> Value {
        guard isValid(i) else { return .null }
        switch storage {
        case .int32(let v): return type == .date ? .date(v[i]) : .int32(v[i])
        case .int64(let v): return type == .timestamp ? .timestamp(v[i]) : .int64(v[i])
        case .float32(let v): return .float32(v[i])
        case .float64(let v): return .float64(v[i])
        case .bool(let v): return .bool(v[i])
        case .bytes(let offsets, let data):
            let bytes = Array(data[offsets[i] ..< offsets[i + 1]])
            return type == .string ? .string(String(decoding: bytes, as: UTF8.self)) : .binary(bytes)
        case .vector(let d, let values): return .vector(Array(values[i * d ..< (i + 1) * d]))
        }
    }

    /// All values as ``Value``s (slow path).
    public var values: [Value] { (0 ..< count).map { self[$0] } }
}

extension ColumnStorage {
    var layoutName: String {
        switch self {
        case .int32: "int32"
        case .int64: "int64"
        case .float32: "float32"
        case .float64: "float64"
        case .bool: "bool"
        case .bytes: "bytes"
        case .vector: "vector"
        }
    }
}

// Typed accessors for hot paths.
extension Column {
    /// The `Int64` buffer of an int64 or timestamp column.
    public var int64Values: [Int64]? { if case .int64(let v) = storage { v } else { nil } }
    /// The `Int32` buffer of an int32 or date column.
    public var int32Values: [Int32]? { if case .int32(let v) = storage { v } else { nil } }
    /// The `Double` buffer of a float64 column.
    public var float64Values: [Double]? { if case .float64(let v) = storage { v } else { nil } }
    /// The `Float` buffer of a float32 column.
    public var float32Values: [Float]? { if case .float32(let v) = storage { v } else { nil } }
    /// The `Bool` buffer of a bool column.
    public var boolValues: [Bool]? { if case .bool(let v) = storage { v } else { nil } }
}

extension Column {
    /// A non-null int64 column.
    public static func int64(_ values: [Int64], validity: Bitmap? = nil) -> Column {
        Column(unchecked: .int64, storage: .int64(values), validity: validity)
    }
    /// A timestamp column (microseconds since the epoch, UTC).
    public static func timestamp(_ micros: [Int64], validity: Bitmap? = nil) -> Column {
        Column(unchecked: .timestamp, storage: .int64(micros), validity: validity)
    }
    public static func int32(_ values: [Int32], validity: Bitmap? = nil) -> Column {
        Column(unchecked: .int32, storage: .int32(values), validity: validity)
    }
    public static func float64(_ values: [Double], validity: Bitmap? = nil) -> Column {
        Column(unchecked: .float64, storage: .float64(values), validity: validity)
    }
    public static func float32(_ values: [Float], validity: Bitmap? = nil) -> Column {
        Column(unchecked: .float32, storage: .float32(values), validity: validity)
    }
    public static func bool(_ values: [Bool], validity: Bitmap? = nil) -> Column {
        Column(unchecked: .bool, storage: .bool(values), validity: validity)
    }
    /// A string column from Swift strings; `nil` entries are nulls.
    public static func string(_ values: [String?]) -> Column {
        var builder = ColumnBuilder(type: .string, capacity: values.count)
        for v in values { if let v { builder.append(string: v) } else { builder.appendNull() } }
        return builder.finish()
    }
}
