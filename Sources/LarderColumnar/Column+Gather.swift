// Gather from several columns: one output column picking rows out of many sources, without
// concatenating them first (joins collect matches per file and put them in spine order).

/// Which source row lands at each output row of a ``Column/gather(_:plan:)``, grouped by
/// source once so that several columns can be gathered with the same plan.
public struct GatherPlan: Sendable {
    /// Output rows.
    public let count: Int
    let rows: [Int32]
    /// Output positions grouped by source: those of source `p` are `positions[starts[p] ..< starts[p + 1]]`.
    let starts: [Int]
    let positions: [Int]
    /// Whether every output row has a source row.
    public var isComplete: Bool { positions.count == count }

    /// Output row `k` is row `rows[k]` of source `pieces[k]`; a negative piece gives a null row.
    /// - Parameter sourceRowCounts: the row count of each source.
    /// - Throws: ``ColumnarError`` `.lengthMismatch` if `pieces` and `rows` differ in length,
    ///   `.outOfRange` for a piece or row that does not exist.
    public init(pieces: [Int32], rows: [Int32], sourceRowCounts: [Int]) throws {
        guard pieces.count == rows.count else {
            throw ColumnarError(.lengthMismatch, "\(pieces.count) pieces for \(rows.count) rows")
        }
        var starts = [Int](repeating: 0, count: sourceRowCounts.count + 1)
        for k in pieces.indices where pieces[k] >= 0 {
            let p = Int(pieces[k]), r = Int(rows[k])
            guard p < sourceRowCounts.count, r >= 0, r < sourceRowCounts[p] else {
                throw ColumnarError(.outOfRange, "gather position \(k) asks for row \(r) of source \(p)")
            }
            starts[p + 1] += 1
        }
        for i in 0 ..< sourceRowCounts.count { starts[i + 1] += starts[i] }
        var positions = [Int](repeating: 0, count: starts[sourceRowCounts.count])
        var fill = starts
        for k in pieces.indices where pieces[k] >= 0 {
            positions[fill[Int(pieces[k])]] = k
            fill[Int(pieces[k])] += 1
        }
        self.count = pieces.count
        self.rows = rows
        self.starts = starts
        self.positions = positions
    }
}

extension Column {
    /// Row `k` of the result is row `rows[k]` of `sources[pieces[k]]`; a negative piece gives
    /// a null row. Equal to concatenating `sources` and taking, without the concatenated copy.
    ///
    /// ```swift
    /// try Column.gather([.int64([1, 2]), .int64([3])], pieces: [1, -1, 0], rows: [0, 0, 1])  // [3, null, 2]
    /// ```
    /// - Throws: ``ColumnarError`` `.typeMismatch` if the sources differ in type,
    ///   `.lengthMismatch` if there are no sources or `pieces` and `rows` differ in length,
    ///   `.outOfRange` for a piece or row that does not exist.
    public static func gather(_ sources: [Column], pieces: [Int32], rows: [Int32]) throws -> Column {
        try gather(sources, plan: GatherPlan(pieces: pieces, rows: rows, sourceRowCounts: sources.map(\.count)))
    }

    /// The rows `plan` picks out of `sources` (which must have the row counts the plan was
    /// made for).
    /// - Throws: ``ColumnarError`` `.typeMismatch` if the sources differ in type,
    ///   `.lengthMismatch` if there are no sources or not as many as the plan's.
    public static func gather(_ sources: [Column], plan: GatherPlan) throws -> Column {
        guard let first = sources.first else { throw ColumnarError(.lengthMismatch, "no columns to gather from") }
        guard sources.count + 1 == plan.starts.count else {
            throw ColumnarError(.lengthMismatch, "\(sources.count) sources for a plan over \(plan.starts.count - 1)")
        }
        for (position, column) in sources.enumerated() where column.type != first.type {
            throw ColumnarError(.typeMismatch, "column \(position) is \(column.type) but column 0 is \(first.type)")
        }
        let count = plan.count, starts = plan.starts, positions = plan.positions, rows = plan.rows
        let validity: Bitmap?
        if plan.isComplete && sources.allSatisfy({ $0.validity == nil }) {
            validity = nil
        } else {
            var bytes = [UInt8](repeating: 0, count: (count + 7) / 8)
            bytes.withUnsafeMutableBufferPointer { out in
                for p in sources.indices {
                    if let v = sources[p].validity {
                        v.bytes.withUnsafeBufferPointer { bits in
                            for i in starts[p] ..< starts[p + 1] {
                                let k = positions[i], r = Int(rows[k])
                                if bits[r >> 3] & (1 << UInt8(r & 7)) != 0 { out[k >> 3] |= 1 << UInt8(k & 7) }
                            }
                        }
                    } else {
                        for i in starts[p] ..< starts[p + 1] {
                            let k = positions[i]
                            out[k >> 3] |= 1 << UInt8(k & 7)
                        }
                    }
                }
            }
            validity = Bitmap(bytes: bytes, count: count).asValidity
        }
        func fixed<T>(_ values: [[T]], zero: T) -> [T] {
            var out = [T](repeating: zero, count: count)
            out.withUnsafeMutableBufferPointer { o in
                for p in values.indices {
                    values[p].withUnsafeBufferPointer { src in
                        for i in starts[p] ..< starts[p + 1] {
                            let k = positions[i]
                            o[k] = src[Int(rows[k])]
                        }
                    }
                }
            }
            return out
        }
        let storage: ColumnStorage
        switch first.storage {
        case .int32: storage = .int32(fixed(sources.map { if case .int32(let v) = $0.storage { v } else { [] } }, zero: 0))
        case .int64: storage = .int64(fixed(sources.map { if case .int64(let v) = $0.storage { v } else { [] } }, zero: 0))
        case .float32: storage = .float32(fixed(sources.map { if case .float32(let v) = $0.storage { v } else { [] } }, zero: 0))
        case .float64: storage = .float64(fixed(sources.map { if case .float64(let v) = $0.storage { v } else { [] } }, zero: 0))
        case .bool: storage = .bool(fixed(sources.map { if case .bool(let v) = $0.storage { v } else { [] } }, zero: false))
        case .bytes:
            let parts: [(offsets: [Int], data: [UInt8])] = sources.map {
                if case .bytes(let o, let d) = $0.storage { (o, d) } else { ([0], []) }
            }
            var offsets = [Int](repeating: 0, count: count + 1)
            for p in parts.indices {
                parts[p].offsets.withUnsafeBufferPointer { o in
                    for i in starts[p] ..< starts[p + 1] {
                        let k = positions[i], r = Int(rows[k])
                        offsets[k + 1] = o[r + 1] - o[r]
                    }
                }
            }
            for k in 0 ..< count { offsets[k + 1] += offsets[k] }
            var data = [UInt8](repeating: 0, count: offsets[count])
            data.withUnsafeMutableBufferPointer { out in
                guard let to = out.baseAddress else { return }
                for p in parts.indices {
                    parts[p].offsets.withUnsafeBufferPointer { o in
                        parts[p].data.withUnsafeBufferPointer { src in
                            guard let from = src.baseAddress else { return }
                            for i in starts[p] ..< starts[p + 1] {
                                let k = positions[i], r = Int(rows[k])
                                (to + offsets[k]).update(from: from + o[r], count: o[r + 1] - o[r])
                            }
                        }
                    }
                }
            }
            storage = .bytes(offsets: offsets, data: data)
        case .vector(let dimension, _):
            let values: [[Float]] = sources.map { if case .vector(_, let v) = $0.storage { v } else { [] } }
            var out = [Float](repeating: 0, count: count * dimension)
            out.withUnsafeMutableBufferPointer { o in
                guard let to = o.baseAddress, dimension > 0 else { return }
                for p in values.indices {
                    values[p].withUnsafeBufferPointer { src in
                        guard let from = src.baseAddress else { return }
                        for i in starts[p] ..< starts[p + 1] {
                            let k = positions[i]
                            (to + k * dimension).update(from: from + Int(rows[k]) * dimension, count: dimension)
                        }
                    }
                }
            }
            storage = .vector(dimension: dimension, values: out)
        }
        return Column(unchecked: first.type, storage: storage, validity: validity)
    }
}
