/// A key the profiler counts: hashable for the exact table, and with a deterministic 64-bit
/// hash for the HyperLogLog sketch.
protocol ProfileKey: Hashable, Sendable {
    var profileHash: UInt64 { get }
}

extension UInt64: ProfileKey {
    var profileHash: UInt64 { ProfileHash.mix(self) }
}

/// A string value as its UTF-8 bytes: compared byte for byte, so canonically equivalent but
/// differently encoded strings ("é" and "e" + U+0301) stay distinct, as they are in Parquet,
/// pandas and Great Expectations (Swift's `String` equality would merge them).
struct ProfileBytes: ProfileKey {
    let bytes: [UInt8]
    var profileHash: UInt64 { ProfileHash.bytes(bytes) }
    var text: String { String(decoding: bytes, as: UTF8.self) }
    static func < (a: ProfileBytes, b: ProfileBytes) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}

extension Bool: ProfileKey {
    var profileHash: UInt64 { ProfileHash.mix(self ? 1 : 0) }
}

/// Value counts of one column, exact until the column holds more than `limit` distinct values.
///
/// - **Exact** (`sketch == nil`): `counts` holds every distinct value and its count.
/// - **Approximate**: the distinct count comes from a ``ProfileHyperLogLog`` of every value
///   seen, and `counts` becomes a Misra–Gries summary (Misra and Gries, 1982; merged as in
///   Agarwal et al., "Mergeable Summaries", 2012): it may grow to `2 × limit` keys, then every
///   count is lowered by the `(limit + 1)`-th largest one and keys at zero are dropped. A
///   reported count is then a lower bound, short by at most `total / (limit + 1)`, and every
///   value more frequent than that bound is kept. Without `keepsSummary` (numeric columns,
///   whose top values are reported only while exact) the counts are dropped instead, and only
///   the sketch is updated.
struct ProfileFrequencies<Key: ProfileKey>: Sendable {
    let limit: Int
    let keepsSummary: Bool
    private(set) var counts: [Key: Int] = [:]
    private(set) var sketch: ProfileHyperLogLog?
    /// The number of values added (nulls and NaN are never added).
    private(set) var total = 0

    init(limit: Int, keepsSummary: Bool = true) {
        self.limit = max(limit, 1)
        self.keepsSummary = keepsSummary
    }

    var isExact: Bool { sketch == nil }

    /// The number of distinct values: exact, or the sketch's estimate (at least `limit + 1`,
    /// since the switch happened only once the exact set held more).
    var distinctCount: Int {
        guard let sketch else { return counts.count }
        return max(sketch.estimate, limit + 1)
    }

    /// Adds `count` occurrences of `key`.
    mutating func add(_ key: Key, count: Int = 1) {
        total += count
        if var sketch {
            self.sketch = nil
            sketch.add(hash: key.profileHash)
            self.sketch = sketch
            guard keepsSummary else { return }
            counts[key, default: 0] += count
            if counts.count > 2 * limit { prune() }
        } else {
            counts[key, default: 0] += count
            if counts.count > limit { switchToApproximate() }
        }
    }

    mutating func merge(_ other: ProfileFrequencies<Key>) {
        total += other.total
        if isExact, other.isExact {
            counts.merge(other.counts, uniquingKeysWith: +)
            if counts.count > limit { switchToApproximate() }
            return
        }
        var mine = sketch ?? Self.sketch(of: counts.keys)
        mine.merge(other.sketch ?? Self.sketch(of: other.counts.keys))
        counts.merge(other.counts, uniquingKeysWith: +)
        sketch = mine
        prune()
    }

    /// The `k` most frequent values, most frequent first; ties in key order by `order`.
    func top(_ k: Int, by order: (Key, Key) -> Bool) -> [(key: Key, count: Int)] {
        counts.sorted { a, b in a.value != b.value ? a.value > b.value : order(a.key, b.key) }
            .prefix(max(k, 0))
            .map { (key: $0.key, count: $0.value) }
    }

    private mutating func switchToApproximate() {
        sketch = Self.sketch(of: counts.keys)
        prune()
    }

    /// Lowers every count by the `(limit + 1)`-th largest and drops the keys left at zero,
    /// keeping at most `limit` keys.
    private mutating func prune() {
        guard keepsSummary else {
            counts = [:]
            return
        }
        guard counts.count > limit else { return }
        var values = Array(counts.values)
        values.sort(by: >)
        let cut = values[limit]
        var kept: [Key: Int] = [:]
        kept.reserveCapacity(limit)
        for (key, count) in counts where count > cut { kept[key] = count - cut }
        counts = kept
    }

    private static func sketch(of keys: some Sequence<Key>) -> ProfileHyperLogLog {
        var s = ProfileHyperLogLog()
        for key in keys { s.add(hash: key.profileHash) }
        return s
    }
}
