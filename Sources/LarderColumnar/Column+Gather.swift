// Gather from several columns: one output column picking rows out of many sources, without
// concatenating them first (joins collect matches per file and put them in spine order).

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
        guard let first = sources.first else { throw ColumnarError(.lengthMismatch, "no columns to gather from") }
        guard pieces.count == rows.count else {
            throw ColumnarError(.lengthMismatch, "\(pieces.count) pieces for \(rows.count) rows")
        }
        for (position, column) in sources.enumerated() where column.type != first.type {
            throw ColumnarError(.typeMismatch, "column \(position) is \(column.type) but column 0 is \(first.type)")
        }
        for k in pieces.indices where pieces[k] >= 0 {
            let p = Int(pieces[k]), r = Int(rows[k])
            guard p < sources.count, r >= 0, r < sources[p].count else {
                throw ColumnarError(.outOfRange, "gather position \(k) asks for row \(r) of source \(p)")
            }
        }
        let count = pieces.count
        let validity = Bitmap.build(count: count) { k in
            let p = Int(pieces[k])
            return p >= 0 && sources[p].isValid(Int(rows[k]))
        }.asValidity
        func fixed<T>(_ values: [[T]], zero: T) -> [T] {
            [T](unsafeUninitializedCapacity: count) { out, initialized in
                for k in 0 ..< count {
                    let p = Int(pieces[k])
                    out.initializeElement(at: k, to: p < 0 ? zero : values[p][Int(rows[k])])
                }
                initialized = count
            }
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
            for k in 0 ..< count where pieces[k] >= 0 {
                let (o, _) = parts[Int(pieces[k])], r = Int(rows[k])
                offsets[k + 1] = o[r + 1] - o[r]
            }
            for k in 0 ..< count { offsets[k + 1] += offsets[k] }
            var data = [UInt8](repeating: 0, count: offsets[count])
            data.withUnsafeMutableBufferPointer { out in
                for k in 0 ..< count where pieces[k] >= 0 {
                    let (o, d) = parts[Int(pieces[k])], r = Int(rows[k])
                    let length = o[r + 1] - o[r]
                    guard length > 0, let to = out.baseAddress else { continue }
                    d.withUnsafeBufferPointer { src in
                        if let from = src.baseAddress { (to + offsets[k]).update(from: from + o[r], count: length) }
                    }
                }
            }
            storage = .bytes(offsets: offsets, data: data)
        case .vector(let dimension, _):
            let values: [[Float]] = sources.map { if case .vector(_, let v) = $0.storage { v } else { [] } }
            var out = [Float](repeating: 0, count: count * dimension)
            for k in 0 ..< count where pieces[k] >= 0 {
                let source = values[Int(pieces[k])], r = Int(rows[k])
                for d in 0 ..< dimension { out[k * dimension + d] = source[r * dimension + d] }
            }
            storage = .vector(dimension: dimension, values: out)
        }
        return Column(unchecked: first.type, storage: storage, validity: validity)
    }
}
