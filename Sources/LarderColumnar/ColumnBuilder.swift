/// Builds a ``Column`` one value at a time. Typed `append` methods are the fast path;
/// ``append(_:)`` takes a ``Value`` and checks its type.
public struct ColumnBuilder: Sendable {
    public let type: DataType
    private var storage: Storage
    private var validity: Bitmap
    private var hasNull = false

    private enum Storage: Sendable {
        case int32([Int32]), int64([Int64]), float32([Float]), float64([Double]), bool([Bool])
        case bytes(offsets: [Int], data: [UInt8])
        case vector(dimension: Int, values: [Float])
    }

    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        validity = Bitmap(count: 0, value: false)
        validity.reserveCapacity(capacity)
        switch type {
        case .int32, .date: var a = [Int32](); a.reserveCapacity(capacity); storage = .int32(a)
        case .int64, .timestamp: var a = [Int64](); a.reserveCapacity(capacity); storage = .int64(a)
        case .float32: var a = [Float](); a.reserveCapacity(capacity); storage = .float32(a)
        case .float64: var a = [Double](); a.reserveCapacity(capacity); storage = .float64(a)
        case .bool: var a = [Bool](); a.reserveCapacity(capacity); storage = .bool(a)
        case .string, .binary:
            var o = [0]; o.reserveCapacity(capacity + 1); storage = .bytes(offsets: o, data: [])
        case .vector(let d):
            var a = [Float](); a.reserveCapacity(capacity * d); storage = .vector(dimension: d, values: a)
        }
    }

    /// The number of values appended so far.
    public var count: Int { validity.count }

    public mutating func appendNull() {
        hasNull = true
        validity.append(false)
        switch storage {
        case .int32(var a): a.append(0); storage = .int32(a)
        case .int64(var a): a.append(0); storage = .int64(a)
        case .float32(var a): a.append(0); storage = .float32(a)
        case .float64(var a): a.append(0); storage = .float64(a)
        case .bool(var a): a.append(false); storage = .bool(a)
        case .bytes(var o, let d): o.append(d.count); storage = .bytes(offsets: o, data: d)
        case .vector(let dim, var v): v.append(contentsOf: repeatElement(0, count: dim)); storage = .vector(dimension: dim, values: v)
        }
    }

    public mutating func append(int32 value: Int32) {
        guard case .int32(var a) = storage else { preconditionFailure("append(int32:) on \(type) builder") }
        storage = .int32([]); a.append(value); storage = .int32(a); validity.append(true)
    }

    public mutating func append(int64 value: Int64) {
        guard case .int64(var a) = storage else { preconditionFailure("append(int64:) on \(type) builder") }
        storage = .int64([]); a.append(value); storage = .int64(a); validity.append(true)
    }

    public mutating func append(float32 value: Float) {
        guard case .float32(var a) = storage else { preconditionFailure("append(float32:) on \(type) builder") }
        storage = .float32([]); a.append(value); storage = .float32(a); validity.append(true)
    }

    public mutating func append(float64 value: Double) {
        guard case .float64(var a) = storage else { preconditionFailure("append(float64:) on \(type) builder") }
        storage = .float64([]); a.append(value); storage = .float64(a); validity.append(true)
    }

    public mutating func append(bool value: Bool) {
        guard case .bool(var a) = storage else { preconditionFailure("append(bool:) on \(type) builder") }
        storage = .bool([]); a.append(value); storage = .bool(a); validity.append(true)
    }

    public mutating func append<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard case .bytes(var o, var d) = storage else { preconditionFailure("append(bytes:) on \(type) builder") }
        storage = .bytes(offsets: [], data: [])
        d.append(contentsOf: bytes); o.append(d.count)
        storage = .bytes(offsets: o, data: d); validity.append(true)
    }

    public mutating func append(string value: String) {
        var s = value
        s.withUTF8 { append(bytes: $0) }
    }

    /// Appends one vector row.
    /// - Throws: ``ColumnarError`` `.lengthMismatch` if `values.count` is not the dimension.
    public mutating func append(vector values: some Collection<Float>) throws {
        guard case .vector(let dim, var v) = storage else { preconditionFailure("append(vector:) on \(type) builder") }
        guard values.count == dim else {
            throw ColumnarError(.lengthMismatch, "vector of \(values.count) values for dimension \(dim)")
        }
        storage = .vector(dimension: dim, values: [])
        v.append(contentsOf: values)
        storage = .vector(dimension: dim, values: v); validity.append(true)
    }

    /// Appends a ``Value``, checking it against the builder's type.
    /// - Throws: ``ColumnarError`` `.typeMismatch` when the value has another type.
    public mutating func append(_ value: Value) throws {
        switch (value, type) {
        case (.null, _): appendNull()
        case (.int32(let v), .int32), (.date(let v), .date): append(int32: v)
        case (.int64(let v), .int64), (.timestamp(let v), .timestamp): append(int64: v)
        case (.float32(let v), .float32): append(float32: v)
        case (.float64(let v), .float64): append(float64: v)
        case (.bool(let v), .bool): append(bool: v)
        case (.string(let v), .string): append(string: v)
        case (.binary(let v), .binary): append(bytes: v)
        case (.vector(let v), .vector): try append(vector: v)
        default: throw ColumnarError(.typeMismatch, "value \(value) does not fit a \(type) column")
        }
    }

    /// Returns the built column and resets the builder.
    public mutating func finish() -> Column {
        let s: ColumnStorage
        switch storage {
        case .int32(let a): s = .int32(a)
        case .int64(let a): s = .int64(a)
        case .float32(let a): s = .float32(a)
        case .float64(let a): s = .float64(a)
        case .bool(let a): s = .bool(a)
        case .bytes(let o, let d): s = .bytes(offsets: o, data: d)
        case .vector(let dim, let v): s = .vector(dimension: dim, values: v)
        }
        let column = Column(unchecked: type, storage: s, validity: hasNull ? validity : nil)
        self = ColumnBuilder(type: type)
        return column
    }
}
