/// A KLL quantile sketch (Karnin, Lang and Liberty, 2016), written for Larder.
///
/// Level `h` holds items that each stand for `2^h` input values. When a level reaches its
/// capacity (`k × (2/3)^depth`, at least 8, where depth counts levels above it), it is sorted
/// and every other item (starting at a pseudo-random offset 0 or 1) moves up one level; an odd
/// item out stays. Total weight always equals the number of values added, and two sketches
/// merge by concatenating levels and compacting again. The coin is a fixed-seed generator, so a
/// profile is the same on every run.
struct ProfileKLL: Sendable {
    static let defaultK = 256
    /// The smallest capacity of a level (as in Apache DataSketches' KLL), so the low levels
    /// are not compacted on every other value once the sketch is deep.
    static let minimumCapacity = 8

    let k: Int
    private var levels: [[Double]] = [[]]
    /// `capacities[h]` for the current number of levels.
    private var capacities: [Int]
    private var coin: UInt64 = 0x243F_6A88_85A3_08D3

    init(k: Int = ProfileKLL.defaultK) {
        self.k = max(k, 8)
        capacities = Self.capacities(k: max(k, 8), levels: 1)
    }

    /// A sketch of `values`.
    init(_ values: [Double], k: Int = ProfileKLL.defaultK) {
        self.init(k: k)
        add(contentsOf: values)
    }

    mutating func add(_ value: Double) {
        levels[0].append(value)
        if levels[0].count >= capacities[0] { compact() }
    }

    /// Adds many values, one at a time: level 0 stays small, so each compaction sorts a few
    /// items (sorting a whole batch at once cost more than the rest of the profile).
    mutating func add(contentsOf values: [Double]) {
        for v in values { add(v) }
    }

    mutating func merge(_ other: ProfileKLL) {
        while levels.count < other.levels.count { levels.append([]) }
        for (h, items) in other.levels.enumerated() { levels[h].append(contentsOf: items) }
        capacities = Self.capacities(k: k, levels: levels.count)
        coin ^= other.coin
        compact()
    }

    /// The items sorted by value, with their weights.
    func sorted() -> ProfileSortedValues {
        var pairs: [(Double, Int)] = []
        pairs.reserveCapacity(levels.reduce(0) { $0 + $1.count })
        for (h, items) in levels.enumerated() {
            for v in items { pairs.append((v, 1 << h)) }
        }
        pairs.sort { $0.0 < $1.0 }
        return ProfileSortedValues(values: pairs.map(\.0), weights: pairs.map(\.1), isExact: false)
    }

    /// Capacities `k × (2/3)^depth`, at least ``minimumCapacity``, where depth counts the
    /// levels above.
    private static func capacities(k: Int, levels: Int) -> [Int] {
        (0 ..< levels).map { h in
            var c = Double(k)
            for _ in 0 ..< levels - 1 - h { c *= 2.0 / 3.0 }
            return max(minimumCapacity, Int(c.rounded(.up)))
        }
    }

    /// Compacts full levels, lowest first, until none is at or over capacity. Works in place:
    /// the level is sorted where it is and the promoted items are appended to the next one.
    private mutating func compact() {
        var h = 0
        while h < levels.count {
            let count = levels[h].count
            guard count >= capacities[h] else {
                h += 1
                continue
            }
            levels[h].sort()
            let even = count - count % 2
            let addedLevel = h + 1 == levels.count
            if addedLevel { levels.append([]) }
            var i = nextCoin() ? 1 : 0
            while i < even {
                levels[h + 1].append(levels[h][i])
                i += 2
            }
            // The odd item out (the largest) stays on this level.
            if even < count {
                levels[h][0] = levels[h][count - 1]
                levels[h].removeLast(count - 1)
            } else {
                levels[h].removeAll(keepingCapacity: true)
            }
            if addedLevel {
                // A new top level lowers every capacity below it: look again from the bottom.
                capacities = Self.capacities(k: k, levels: levels.count)
                h = 0
            } else {
                h += 1
            }
        }
    }

    private mutating func nextCoin() -> Bool {
        coin = ProfileHash.mix(coin)
        return coin & 1 == 1
    }
}
