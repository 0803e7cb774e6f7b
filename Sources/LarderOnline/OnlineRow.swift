import LarderColumnar

/// One row found by a lookup: typed access to its values, read straight from the mapped file.
///
/// A row keeps its file mapped while it exists (it holds a reference to it), so it stays valid
/// after a ``OnlineStore/refresh()`` or a publish that unlinks the file. Value accessors take
/// the value column's index in ``OnlineSchema/values`` (see ``OnlineSchema/valueIndex(named:)``)
/// and return nil for a null. Calling an accessor of the wrong type is a programming error and
/// traps, as an out-of-range array index does.
///
/// ```swift
/// if let row = store.lookup(Int64(42)) {
///     let visits = row.int32(0)          // Int32?
///     row.vector(2)?.withUnsafeBufferPointer { scores in model.score(scores) }
/// }
/// ```
public struct OnlineRow: @unchecked Sendable {
    // @unchecked: the pointer points into `table`'s immutable mapping, which `table` keeps alive.
    let table: MappedTable
    let pointer: UnsafeRawPointer

    init(table: MappedTable, pointer: UnsafeRawPointer) {
        self.table = table
        self.pointer = pointer
    }

    /// The schema the row follows.
    public var schema: OnlineSchema { table.schema }

    /// The row's event time, microseconds since the epoch, UTC.
    public var eventTimestamp: Int64 { pointer.int64(at: RowLayout.eventOffset) }

    /// The row's created (ingestion) time, microseconds since the epoch, UTC.
    public var createdTimestamp: Int64 { pointer.int64(at: RowLayout.createdOffset) }

    /// The entity key, one value per key column (slow path: decodes and allocates).
    public var key: [Value] { OnlineKey.values(of: table.keyBytes(pointer), schema: table.schema) }

    /// Whether value column `column` is null.
    @inline(__always)
    public func isNull(_ column: Int) -> Bool {
        precondition(column >= 0 && column < table.layout.slots.count, "value column \(column) is out of range")
        return pointer.byte(at: RowLayout.validityOffset &+ (column &>> 3)) & (1 << UInt8(column & 7)) == 0
    }

    @inline(__always)
    private func slot(_ column: Int, _ kind: RowLayout.Kind, _ name: StaticString) -> Int? {
        let slot = table.layout.slots[column]
        precondition(slot.kind == kind, "value column \(column) is \(table.schema.values[column].type), not \(name)")
        return isNull(column) ? nil : slot.offset
    }

    /// The value of an int32 or date column (days since the epoch for dates).
    public func int32(_ column: Int) -> Int32? { slot(column, .int32, "int32").map { pointer.int32(at: $0) } }

    /// The value of an int64 or timestamp column (microseconds since the epoch for timestamps).
    public func int64(_ column: Int) -> Int64? { slot(column, .int64, "int64").map { pointer.int64(at: $0) } }

    /// The value of a float32 column.
    public func float32(_ column: Int) -> Float? {
        slot(column, .float32, "float32").map { Float(bitPattern: pointer.uint32(at: $0)) }
    }

    /// The value of a float64 column.
    public func float64(_ column: Int) -> Double? {
        slot(column, .float64, "float64").map { Double(bitPattern: pointer.uint64(at: $0)) }
    }

    /// The value of a bool column.
    public func bool(_ column: Int) -> Bool? { slot(column, .bool, "bool").map { pointer.byte(at: $0) != 0 } }

    /// The value of a timestamp column, microseconds since the epoch (same as ``int64(_:)``).
    public func timestamp(_ column: Int) -> Int64? { int64(column) }

    /// The value of a date column, days since the epoch (same as ``int32(_:)``).
    public func date(_ column: Int) -> Int32? { int32(column) }

    /// Calls `body` with the bytes of a string or binary column without copying them, or with
    /// nil for a null. The buffer must not escape `body`.
    public func withBytes<R>(_ column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard let offset = slot(column, .bytes, "string or binary") else { return try body(nil) }
        let length = Int(pointer.uint32(at: offset))
        if length <= RowLayout.inlineBytesCapacity {
            return try body(UnsafeRawBufferPointer(start: pointer + (offset &+ 4), count: length))
        }
        return try body(table.heapBytes(offset: pointer.uint64(at: offset &+ RowLayout.bytesHeapOffset), length: length))
    }

    /// The value of a string column (copied into a `String`).
    public func string(_ column: Int) -> String? {
        withBytes(column) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The value of a binary column (copied into an array).
    public func binary(_ column: Int) -> [UInt8]? { withBytes(column) { $0.map { Array($0) } } }

    /// The value of a vector column, as a view of the mapped floats (no copy, no allocation).
    /// Nil for a null, or for a damaged reference that points outside the file's heap.
    public func vector(_ column: Int) -> OnlineVector? {
        let slot = table.layout.slots[column]
        guard case .vector(let dimension, let inline) = slot.kind else {
            preconditionFailure("value column \(column) is \(table.schema.values[column].type), not a vector")
        }
        guard !isNull(column) else { return nil }
        let bytes = inline ? UnsafeRawBufferPointer(start: pointer + slot.offset, count: dimension &* 4)
            : table.heapBytes(offset: pointer.uint64(at: slot.offset), length: dimension &* 4)
        guard bytes.count == dimension &* 4, let base = bytes.baseAddress,
              Int(bitPattern: base) & 3 == 0 else { return nil }
        return OnlineVector(table: table, base: base.bindMemory(to: Float.self, capacity: dimension), count: dimension)
    }

    /// The value of column `column` as a ``Value`` (slow path: tests, tools).
    public func value(_ column: Int) -> Value {
        guard !isNull(column) else { return .null }
        switch table.schema.values[column].type {
        case .int32: return int32(column).map(Value.int32) ?? .null
        case .date: return int32(column).map(Value.date) ?? .null
        case .int64: return int64(column).map(Value.int64) ?? .null
        case .timestamp: return int64(column).map(Value.timestamp) ?? .null
        case .float32: return float32(column).map(Value.float32) ?? .null
        case .float64: return float64(column).map(Value.float64) ?? .null
        case .bool: return bool(column).map(Value.bool) ?? .null
        case .string: return string(column).map(Value.string) ?? .null
        case .binary: return binary(column).map(Value.binary) ?? .null
        case .vector: return vector(column).map { Value.vector(Array($0)) } ?? .null
        }
    }

    /// Every value column as a ``Value`` (slow path).
    public var values: [Value] { (0 ..< table.layout.slots.count).map(value) }
}

/// A vector value in a mapped file: a collection of `Float`s read in place.
///
/// Like ``OnlineRow``, it keeps the file mapped while it exists.
public struct OnlineVector: RandomAccessCollection, @unchecked Sendable {
    // @unchecked: `base` points into `table`'s immutable mapping, which `table` keeps alive.
    let table: MappedTable
    let base: UnsafePointer<Float>
    /// The vector's dimension.
    public let count: Int

    init(table: MappedTable, base: UnsafePointer<Float>, count: Int) {
        self.table = table
        self.base = base
        self.count = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Float {
        precondition(position >= 0 && position < count, "vector index \(position) is out of range 0..<\(count)")
        return base[position]
    }

    /// Calls `body` with the floats in place. The buffer must not escape `body`.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(table) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }
}
