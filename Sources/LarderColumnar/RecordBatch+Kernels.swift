import Dispatch
import Synchronization

// Row-selection kernels over whole batches: each applies the column kernel to every column.

extension RecordBatch {
    /// The rows whose bit in `mask` is set, in order.
    /// - Throws: ``ColumnarError`` `.lengthMismatch` if `mask.count != rowCount`.
    public func filter(_ mask: Bitmap) throws -> RecordBatch {
        guard mask.count == rowCount else {
            throw ColumnarError(.lengthMismatch, "filter mask has \(mask.count) bits for \(rowCount) rows")
        }
        let selected = mask.setCount
        if selected == rowCount { return self }
        let filtered = mask.bytes.withUnsafeBufferPointer { bits in
            columns.map { $0.filterUnchecked(bits, selected: selected) }
        }
        return RecordBatch(unchecked: schema, columns: filtered, rowCount: columns.isEmpty ? 0 : selected)
    }

    /// The rows where `mask` is true, in order.
    /// - Throws: ``ColumnarError`` `.lengthMismatch` if `mask.count != rowCount`.
    public func filter(_ mask: [Bool]) throws -> RecordBatch {
        try filter(Bitmap(bools: mask))
    }

    /// The rows at `indices`, in that order (a gather).
    /// - Throws: ``ColumnarError`` `.outOfRange` for an index outside `0 ..< rowCount`.
    public func take(_ indices: [Int]) throws -> RecordBatch {
        for (position, i) in indices.enumerated() where i < 0 || i >= rowCount {
            throw ColumnarError(.outOfRange, "take index \(i) at position \(position) is outside 0..<\(rowCount)")
        }
        return indices.withUnsafeBufferPointer { takeUnchecked($0) }
    }

    /// The rows at `indices`, where an entry equal to `sentinel` yields a row of nulls (for
    /// joins: the spine row had no match). Fields that receive nulls become nullable.
    ///
    /// ```swift
    /// let matched = try features.take(matchIndex, nullFor: -1)
    /// ```
    /// - Throws: ``ColumnarError`` `.outOfRange` for an index other than `sentinel` outside
    ///   `0 ..< rowCount`.
    public func take(_ indices: [Int], nullFor sentinel: Int) throws -> RecordBatch {
        for (position, i) in indices.enumerated() where (i < 0 || i >= rowCount) && i != sentinel {
            throw ColumnarError(.outOfRange, "take index \(i) at position \(position) is outside 0..<\(rowCount)")
        }
        func gather(_ idx: UnsafeBufferPointer<Int>) -> [Column] {
            // Large gathers run one column per task on every core, as in takeUnchecked.
            guard columns.count > 1, idx.count >= 1 << 16 else {
                return columns.map { $0.takeUnchecked(idx, nullForOutOfRange: true) }
            }
            let taken = ParallelColumns(count: columns.count)
            let columns = self.columns
            let shared = SharedIndices(idx)
            DispatchQueue.concurrentPerform(iterations: columns.count) { c in
                taken.set(c, columns[c].takeUnchecked(shared.buffer, nullForOutOfRange: true))
            }
            return taken.values
        }
        // An out-of-range sentinel already reads as "null"; one inside the range is rewritten.
        let taken = sentinel < 0 || sentinel >= rowCount
            ? indices.withUnsafeBufferPointer(gather)
            : indices.map { $0 == sentinel ? -1 : $0 }.withUnsafeBufferPointer(gather)
        return RecordBatch(unchecked: nullableWhereNeeded(taken), columns: taken, rowCount: taken.isEmpty ? 0 : indices.count)
    }

    /// The rows at `indices` (in range), without checks.
    func takeUnchecked(_ indices: UnsafeBufferPointer<Int>) -> RecordBatch {
        // Large gathers run one column per task on every core; each column is independent.
        guard columns.count > 1, indices.count >= 1 << 16 else {
            let taken = columns.map { $0.takeUnchecked(indices, nullForOutOfRange: false) }
            return RecordBatch(unchecked: schema, columns: taken, rowCount: taken.isEmpty ? 0 : indices.count)
        }
        let taken = ParallelColumns(count: columns.count)
        let columns = self.columns
        let shared = SharedIndices(indices)
        DispatchQueue.concurrentPerform(iterations: columns.count) { c in
            taken.set(c, columns[c].takeUnchecked(shared.buffer, nullForOutOfRange: false))
        }
        return RecordBatch(unchecked: schema, columns: taken.values, rowCount: indices.count)
    }

    /// Rows `range`, copied; the range is clamped to `0 ..< rowCount`.
    public func slice(_ range: Range<Int>) -> RecordBatch {
        let lower = min(max(range.lowerBound, 0), rowCount)
        let upper = min(max(range.upperBound, lower), rowCount)
        let sliced = columns.map { $0.slice(lower ..< upper) }
        return RecordBatch(unchecked: schema, columns: sliced, rowCount: upper - lower)
    }

    /// The rows of `batches`, one batch after another.
    ///
    /// The batches must have the same column names and types in the same order. A field is
    /// nullable in the result if it is nullable in any batch; metadata comes from the first.
    /// - Throws: ``ColumnarError`` `.typeMismatch` when the schemas differ,
    ///   `.lengthMismatch` when `batches` is empty (use ``RecordBatch/empty(_:)``).
    public static func concatenate(_ batches: [RecordBatch]) throws -> RecordBatch {
        guard let first = batches.first else {
            throw ColumnarError(.lengthMismatch, "no batches to concatenate; pass at least one")
        }
        if batches.count == 1 { return first }
        var fields = first.schema.fields
        for (position, batch) in batches.enumerated().dropFirst() {
            let other = batch.schema.fields
            guard other.count == fields.count,
                  zip(other, fields).allSatisfy({ $0.name == $1.name && $0.type == $1.type }) else {
                throw ColumnarError(.typeMismatch, "batch \(position) has schema \(batch.schema), batch 0 has \(first.schema)")
            }
            for k in fields.indices where other[k].isNullable { fields[k].isNullable = true }
        }
        var columns: [Column] = []
        columns.reserveCapacity(fields.count)
        for k in fields.indices {
            columns.append(try Column.concatenate(batches.map { $0.columns[k] }))
        }
        let schema = try Schema(fields, metadata: first.schema.metadata)
        return RecordBatch(unchecked: schema, columns: columns, rowCount: batches.reduce(0) { $0 + $1.rowCount })
    }

    /// The batch with `column` added as the last column, described by `field`.
    /// - Throws: ``ColumnarError`` `.invalidSchema` if the name is taken, `.typeMismatch` if
    ///   `field.type` differs from the column's or a non-nullable field receives nulls,
    ///   `.lengthMismatch` if the column's length differs from ``rowCount`` (unless the batch
    ///   has no columns yet).
    public func appending(column: Column, field: Field) throws -> RecordBatch {
        let schema = try Schema(self.schema.fields + [field], metadata: self.schema.metadata)
        return try RecordBatch(schema: schema, columns: columns + [column])
    }

    private func nullableWhereNeeded(_ taken: [Column]) -> Schema {
        var fields = schema.fields
        var changed = false
        for k in fields.indices where !fields[k].isNullable && taken[k].validity != nil {
            fields[k].isNullable = true
            changed = true
        }
        guard changed else { return schema }
        // Same names as before, so the schema stays valid.
        return (try? Schema(fields, metadata: schema.metadata)) ?? schema
    }
}

/// Columns produced by parallel tasks, one slot per task.
final class ParallelColumns: Sendable {
    private let slots: Mutex<[Column?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ column: Column) { slots.withLock { $0[i] = column } }
    var values: [Column] { slots.withLock { $0.compactMap { $0 } } }
}

/// Read-only indices shared by the tasks of one parallel gather; the caller keeps the buffer
/// alive until `concurrentPerform` returns.
struct SharedIndices: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Int>
    init(_ buffer: UnsafeBufferPointer<Int>) { self.buffer = buffer }
}
