import LarderColumnar

/// One row group of a view's table as the merge reads it: key codes, event and created
/// times, sorted by (keys, event, created). Rows with a null key or event time are dropped;
/// a null created time sorts first (as the table's writer sorts nulls), and in available-at
/// mode counts as not yet available (an unknown ingestion time cannot be shown to precede ts).
struct JoinRun: Sendable {
    var keys: [[Int64]]
    var events: [Int64]
    var created: [Int64]
    /// Rows whose created time is null (nil: none is).
    var createdUnknown: [Bool]?
    /// The row group's row of each sorted row; nil when the rows were already in order.
    var origin: [Int32]?

    var count: Int { events.count }

    init(keyColumns: [Column], codings: [KeyCode], event: Column, created: Column?) throws {
        var valid = event.validity
        var keys: [[Int64]] = []
        for (coding, column) in zip(codings, keyColumns) {
            let (codes, validity) = coding.codes(of: column)
            if let validity { valid = valid.map { $0 & validity } ?? validity }
            keys.append(codes)
        }
        guard let events = event.int64Values else {
            throw DatabaseError(.io, "an event-time column is not a timestamp")
        }
        var createdTimes = created?.int64Values ?? [Int64](repeating: .min, count: events.count)
        var unknown: [Bool]?
        if let validity = created?.validity, !validity.allSet {
            unknown = (0 ..< createdTimes.count).map { !validity[$0] }
            for i in 0 ..< createdTimes.count where !validity[i] { createdTimes[i] = .min }
        }
        self.keys = keys
        self.events = events
        self.created = createdTimes
        self.createdUnknown = unknown
        self.origin = nil
        if let valid, !valid.allSet {
            let kept = (0 ..< events.count).filter { valid[$0] }
            self.keys = keys.map { k in kept.map { k[$0] } }
            self.events = kept.map { events[$0] }
            self.created = kept.map { createdTimes[$0] }
            self.createdUnknown = unknown.map { u in kept.map { u[$0] } }
            self.origin = kept.map { Int32(truncatingIfNeeded: $0) }
        }
        if !isSorted { try sort() }
    }

    private var isSorted: Bool {
        guard count > 1 else { return true }
        if keys.count == 1 {
            // The common case, on raw buffers: one key column.
            return keys[0].withUnsafeBufferPointer { k in
                events.withUnsafeBufferPointer { e in
                    created.withUnsafeBufferPointer { c in
                        for i in 1 ..< k.count {
                            if k[i - 1] != k[i] { if k[i - 1] > k[i] { return false } else { continue } }
                            if e[i - 1] != e[i] { if e[i - 1] > e[i] { return false } else { continue } }
                            if c[i - 1] > c[i] { return false }
                        }
                        return true
                    }
                }
            }
        }
        for i in 1 ..< count where compareRows(i - 1, i) > 0 { return false }
        return true
    }

    private func compareRows(_ a: Int, _ b: Int) -> Int {
        for k in keys where k[a] != k[b] { return k[a] < k[b] ? -1 : 1 }
        if events[a] != events[b] { return events[a] < events[b] ? -1 : 1 }
        if created[a] != created[b] { return created[a] < created[b] ? -1 : 1 }
        return 0
    }

    /// Files from other writers need not be sorted: sort stably, so equal rows keep file order.
    private mutating func sort() throws {
        let columns = keys.map { Column.int64($0) } + [.int64(events), .int64(created)]
        let batch = try RecordBatch(schema: try Schema(columns.indices.map { Field("c\($0)", .int64, nullable: false) }), columns: columns)
        let order = try batch.sortIndices(by: columns.indices.map { SortKey(column: $0) })
        let origin = self.origin
        keys = keys.map { k in order.map { k[$0] } }
        events = order.map { events[$0] }
        created = order.map { created[$0] }
        createdUnknown = createdUnknown.map { u in order.map { u[$0] } }
        self.origin = order.map { origin?[$0] ?? Int32(truncatingIfNeeded: $0) }
    }
}

/// Per sorted spine position, the best row found so far: greatest (event, created, run, row).
struct Winners: Sendable {
    var events: [Int64]
    var created: [Int64]
    /// The run (rank order of the table's row groups) of the winner; -1: none yet.
    var runs: [Int32]
    /// The winner's row in its row group.
    var rows: [Int32]

    init(count: Int) {
        events = [Int64](repeating: 0, count: count)
        created = [Int64](repeating: 0, count: count)
        runs = [Int32](repeating: -1, count: count)
        rows = [Int32](repeating: 0, count: count)
    }

    var matched: Int { runs.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
}

/// How the key of a run's row compares with a spine position's.
private protocol MergeKeys {
    func compare(row: Int, spine p: Int) -> Int
}

private struct OneKey: MergeKeys {
    let table: UnsafeBufferPointer<Int64>
    let spine: UnsafeBufferPointer<Int64>
    @inline(__always) func compare(row: Int, spine p: Int) -> Int {
        let a = table[row], b = spine[p]
        return a < b ? -1 : (a == b ? 0 : 1)
    }
}

private struct ManyKeys: MergeKeys {
    let table: [[Int64]]
    let spine: [[Int64]]
    @inline(__always) func compare(row: Int, spine p: Int) -> Int {
        for c in 0 ..< table.count {
            let a = table[c][row], b = spine[c][p]
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }
}

extension Winners {
    /// Offers every spine row its best candidate in `run` (rank `rank` among the table's runs).
    ///
    /// Only spine positions whose key lies between the run's first and last key are visited.
    /// The run is walked with the spine in one merge pass, or, when the spine's share is small
    /// (a few rows against a large run), searched by binary search per spine row.
    mutating func merge(_ run: JoinRun, rank: Int32, spine: SortedSpine, ttl: Int64?, availableAt: Bool) {
        guard run.count > 0, spine.count > 0 else { return }
        let first = run.keys.map { $0[0] }, last = run.keys.map { $0[run.count - 1] }
        let range = spine.lowerBound(first) ..< spine.upperBound(last)
        guard !range.isEmpty else { return }
        let binary = range.count * (Int.bitWidth - run.count.leadingZeroBitCount) * 4 < run.count
        if run.keys.count == 1 {
            run.keys[0].withUnsafeBufferPointer { t in
                spine.keys[0].withUnsafeBufferPointer { s in
                    mergeRange(OneKey(table: t, spine: s), run: run, rank: rank, spine: spine, range: range,
                               binary: binary, ttl: ttl, availableAt: availableAt)
                }
            }
        } else {
            mergeRange(ManyKeys(table: run.keys, spine: spine.keys), run: run, rank: rank, spine: spine, range: range,
                       binary: binary, ttl: ttl, availableAt: availableAt)
        }
    }

    private mutating func mergeRange<K: MergeKeys>(_ keys: K, run: JoinRun, rank: Int32, spine: SortedSpine,
                                                   range: Range<Int>, binary: Bool, ttl: Int64?, availableAt: Bool) {
        let n = run.count
        run.events.withUnsafeBufferPointer { events in
            run.created.withUnsafeBufferPointer { created in
                spine.times.withUnsafeBufferPointer { times in
                    var j = 0
                    for p in range {
                        let t = times[p]
                        // j: the first run row after (key, t), i.e. past every candidate.
                        if binary {
                            var low = j, high = n
                            while low < high {
                                let mid = (low + high) / 2
                                let c = keys.compare(row: mid, spine: p)
                                if c < 0 || (c == 0 && events[mid] <= t) { low = mid + 1 } else { high = mid }
                            }
                            j = low
                        } else {
                            while j < n {
                                let c = keys.compare(row: j, spine: p)
                                guard c < 0 || (c == 0 && events[j] <= t) else { break }
                                j += 1
                            }
                        }
                        var c = j - 1
                        guard c >= 0, keys.compare(row: c, spine: p) == 0 else { continue }
                        let lower = windowStart(t, ttl: ttl)
                        guard events[c] >= lower else { continue }
                        if availableAt {
                            // Rows are in (event, created) order: step back to the last one
                            // created by t, still within the key and the ttl window.
                            while c >= 0 && (created[c] > t || run.createdUnknown?[c] == true) {
                                c -= 1
                                if c < 0 || keys.compare(row: c, spine: p) != 0 || events[c] < lower { c = -1 }
                            }
                            guard c >= 0 else { continue }
                        }
                        let row = run.origin?[c] ?? Int32(truncatingIfNeeded: c)
                        if runs[p] < 0 || (events[c], created[c], rank, row) > (self.events[p], self.created[p], runs[p], rows[p]) {
                            self.events[p] = events[c]
                            self.created[p] = created[c]
                            runs[p] = rank
                            rows[p] = row
                        }
                    }
                }
            }
        }
    }
}
