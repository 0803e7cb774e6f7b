/// A sparse matrix in compressed rows: row `r` holds columns `columns[start[r] ..< start[r + 1]]`
/// (ascending) with `values` beside them.
struct SparseRows: Sendable, Hashable {
    var start: [Int]
    var columns: [Int32]
    var values: [Float]

    var rowCount: Int { start.count - 1 }
    var nonZeroCount: Int { columns.count }

    @inline(__always)
    func range(_ row: Int) -> Range<Int> { start[row] ..< start[row + 1] }

    /// The matrix of `rows` rows summing `value` over each (row, column) of the triples.
    init(rows: Int, triples rowOf: [Int32], _ columnOf: [Int32], values: [Float]) {
        var counts = [Int](repeating: 0, count: rows + 1)
        for r in rowOf { counts[Int(r) + 1] += 1 }
        for r in 0 ..< rows { counts[r + 1] += counts[r] }
        var fill = counts
        var cols = [Int32](repeating: 0, count: rowOf.count)
        var vals = [Float](repeating: 0, count: rowOf.count)
        for k in rowOf.indices {
            let r = Int(rowOf[k])
            cols[fill[r]] = columnOf[k]
            vals[fill[r]] = values[k]
            fill[r] += 1
        }
        // Sort each row by column and merge duplicates.
        var start = [Int](repeating: 0, count: rows + 1)
        var outCols: [Int32] = [], outVals: [Float] = []
        outCols.reserveCapacity(cols.count)
        outVals.reserveCapacity(cols.count)
        for r in 0 ..< rows {
            let entries = (counts[r] ..< counts[r + 1]).map { (cols[$0], vals[$0]) }.sorted { $0.0 < $1.0 }
            for (c, v) in entries {
                if outCols.count > start[r], outCols[outCols.count - 1] == c {
                    outVals[outVals.count - 1] += v
                } else {
                    outCols.append(c)
                    outVals.append(v)
                }
            }
            start[r + 1] = outCols.count
        }
        self.start = start
        self.columns = outCols
        self.values = outVals
    }

    init(start: [Int], columns: [Int32], values: [Float]) {
        self.start = start
        self.columns = columns
        self.values = values
    }

    /// The transpose, with `columnCount` rows.
    func transposed(columnCount: Int) -> SparseRows {
        var counts = [Int](repeating: 0, count: columnCount + 1)
        for c in columns { counts[Int(c) + 1] += 1 }
        for c in 0 ..< columnCount { counts[c + 1] += counts[c] }
        var fill = counts
        var cols = [Int32](repeating: 0, count: columns.count)
        var vals = [Float](repeating: 0, count: columns.count)
        for r in 0 ..< rowCount {
            for k in range(r) {
                let c = Int(columns[k])
                cols[fill[c]] = Int32(r)
                vals[fill[c]] = values[k]
                fill[c] += 1
            }
        }
        return SparseRows(start: counts, columns: cols, values: vals)
    }
}
