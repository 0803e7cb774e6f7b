/// A KLL quantile sketch (Karnin, Lang and Liberty, 2016), written for Larder.
///
/// Level `h` holds items that each stand for `2^h` input values. When a level reaches its
/// capacity (`k × (2/3)^depth`, at least 2, where depth counts levels above it), it is sorted
/// and every other item (starting at a pseudo-random offset 0 or 1) moves up one level; an odd
/// item out stays. Total weight always equals the number of values added, and two sketches
/// merge by concatenating levels and compacting again. The coin is a fixed-seed generator, so a
/// profile is the same on every run.
struct ProfileKLL: Sendable {
    static let defaultK = 256

    let k: Int
    private var levels: [[Double]] = [[]]
    private var coin: UInt64 = 0x243F_6A88_85A3_08D3

    init(k: Int = ProfileKLL.defaultK) {
        self.k = max(k, 8)
    }

    /// A sketch of `values`.
    init(_ values: [Double], k: Int = ProfileKLL.defaultK) {
        self.init(k: k)
        for v in values { add(v) }
    }

    mutating func add(_ value: Double) {
        levels[0].append(value)
        if levels[0].count >= capacity(level: 0) { compact() }
    }

    mutating func merge(_ other: ProfileKLL) {
        while levels.count < other.levels.count { levels.append([]) }
        for (h, items) in other.levels.enumerated() { levels[h].append(contentsOf: items) }
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

    private func capacity(level h: Int) -> Int {
        let depth = levels.count - 1 - h
        var c = Double(k)
        for _ in 0 ..< depth { c *= 2.0 / 3.0 }
        return max(2, Int(c.rounded(.up)))
    }

    /// Compacts full levels, lowest first, until none is over capacity.
    private mutating func compact() {
        var h = 0
        while h < levels.count {
            if levels[h].count >= capacity(level: h) {
                if h + 1 == levels.count { levels.append([]) }
                var items = levels[h]
                levels[h] = []
                items.sort()
                if items.count % 2 == 1 { levels[h].append(items.removeLast()) }
                let offset = nextCoin() ? 1 : 0
                var promoted: [Double] = []
                promoted.reserveCapacity(items.count / 2)
                var i = offset
                while i < items.count {
                    promoted.append(items[i])
                    i += 2
                }
                levels[h + 1].append(contentsOf: promoted)
                // A new top level lowers every capacity below it: look again from the bottom.
                h = 0
                continue
            }
            h += 1
        }
    }

    private mutating func nextCoin() -> Bool {
        coin = ProfileHash.mix(coin)
        return coin & 1 == 1
    }
}
