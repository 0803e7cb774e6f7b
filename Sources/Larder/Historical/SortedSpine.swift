import LarderColumnar

/// A spine chunk's rows for one set of key columns, sorted by (key codes, time): the side the
/// as-of merge walks. Rows with a null key or a null time are left out (they match nothing).
struct SortedSpine: Sendable {
    /// The coding of each key column (a bytes dictionary is the spine's own).
    let codings: [KeyCode]
    /// Per key column, the codes in sorted order.
    let keys: [[Int64]]
    /// Spine times in sorted order.
    let times: [Int64]
    /// The chunk row of each sorted position.
    let rows: [Int32]

    var count: Int { times.count }

    /// Sorts the rows of `keyColumns` and `time` (columns of one spine chunk).
    init(keyColumns: [Column], time: Column) throws {
        let codings = keyColumns.map(KeyCode.forSpine)
        var valid = time.validity ?? Bitmap(count: time.count, value: true)
        var codes: [[Int64]] = []
        for (coding, column) in zip(codings, keyColumns) {
            let (c, validity) = coding.codes(of: column)
            if let validity { valid = valid & validity }
            codes.append(c)
        }
        guard let rawTimes = time.int64Values else {
            throw DatabaseError(.invalidInput, "the spine's time column is not a timestamp")
        }
        let kept: [Int]? = valid.allSet ? nil : (0 ..< time.count).filter { valid[$0] }
        func pick(_ values: [Int64]) -> [Int64] { kept.map { $0.map { values[$0] } } ?? values }
        var fields: [Field] = []
        var columns: [Column] = []
        for (i, c) in codes.enumerated() {
            fields.append(Field("k\(i)", .int64, nullable: false))
            columns.append(.int64(pick(c)))
        }
        fields.append(Field("t", .int64, nullable: false))
        columns.append(.int64(pick(rawTimes)))
        let batch = try RecordBatch(schema: try Schema(fields), columns: columns)
        let order = try batch.sortIndices(by: (0 ..< columns.count).map { SortKey(column: $0) })
        self.codings = codings
        self.keys = (0 ..< codes.count).map { i in
            let v = batch.columns[i].int64Values ?? []
            return order.map { v[$0] }
        }
        let t = batch.columns[codes.count].int64Values ?? []
        self.times = order.map { t[$0] }
        self.rows = order.map { Int32(truncatingIfNeeded: kept?[$0] ?? $0) }
    }

    /// The first sorted position whose key is not less than `key` (a full tuple of codes).
    func lowerBound(_ key: [Int64]) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if compareKey(at: mid, key) < 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first sorted position whose key is greater than `key`.
    func upperBound(_ key: [Int64]) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if compareKey(at: mid, key) <= 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Whether some spine key's first column lies in `lower ... upper`.
    func hasFirstKey(in lower: Int64, _ upper: Int64) -> Bool {
        guard let first = keys.first, lower <= upper else { return false }
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if first[mid] < lower { low = mid + 1 } else { high = mid }
        }
        return low < count && first[low] <= upper
    }

    /// Compares the key at sorted position `p` with `key`: -1, 0 or 1.
    func compareKey(at p: Int, _ key: [Int64]) -> Int {
        for c in 0 ..< keys.count {
            let a = keys[c][p], b = key[c]
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    /// The smallest and greatest spine time.
    var timeRange: (min: Int64, max: Int64)? {
        guard let first = times.first else { return nil }
        var lo = first, hi = first
        for t in times { lo = Swift.min(lo, t); hi = Swift.max(hi, t) }
        return (lo, hi)
    }
}
