/// Count, sum, min, max, mean and sum of squared deviations of a numeric column's present
/// values: enough for min / max / mean / sum / standard deviation, and mergeable (Chan et
/// al.'s pairwise update for the squared deviations). Constant size.
struct Moments: Sendable, Codable, Equatable {
    var count = 0
    /// Exact sum of an integer-like column.
    var intSum: Int128 = 0
    /// Sum of a float column, with a Neumaier compensation term.
    var sum = 0.0
    var compensation = 0.0
    var min: SortKey?
    var max: SortKey?
    /// Mean and sum of squared deviations from it, for the standard deviation.
    var mean = 0.0
    var m2 = 0.0

    mutating func merge(_ o: Moments) {
        guard o.count > 0 else { return }
        guard count > 0 else { self = o; return }
        let n = Double(count), m = Double(o.count)
        let delta = o.mean - mean
        m2 += o.m2 + delta * delta * n * m / (n + m)
        mean += delta * m / (n + m)
        count += o.count
        intSum += o.intSum
        add(o.sum)
        compensation += o.compensation
        if let omin = o.min { min = min.map { Swift.min($0, omin) } ?? omin }
        if let omax = o.max { max = max.map { Swift.max($0, omax) } ?? omax }
    }

    /// Neumaier's compensated addition into `sum`.
    @inline(__always)
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }

    /// The float sum, compensated.
    var floatSum: Double { sum + compensation }

    // Doubles are encoded as bit patterns: sums and deviations may be infinite or NaN.
    private enum Keys: String, CodingKey { case count, intSum, sum, compensation, min, max, mean, m2 }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        count = try c.decode(Int.self, forKey: .count)
        intSum = try c.decode(Int128.self, forKey: .intSum)
        sum = Double(bitPattern: try c.decode(UInt64.self, forKey: .sum))
        compensation = Double(bitPattern: try c.decode(UInt64.self, forKey: .compensation))
        min = try c.decodeIfPresent(SortKey.self, forKey: .min)
        max = try c.decodeIfPresent(SortKey.self, forKey: .max)
        mean = Double(bitPattern: try c.decode(UInt64.self, forKey: .mean))
        m2 = Double(bitPattern: try c.decode(UInt64.self, forKey: .m2))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(count, forKey: .count)
        try c.encode(intSum, forKey: .intSum)
        try c.encode(sum.bitPattern, forKey: .sum)
        try c.encode(compensation.bitPattern, forKey: .compensation)
        try c.encodeIfPresent(min, forKey: .min)
        try c.encodeIfPresent(max, forKey: .max)
        try c.encode(mean.bitPattern, forKey: .mean)
        try c.encode(m2.bitPattern, forKey: .m2)
    }
}

/// A value of an ordered column: integer-like columns compare as `Int64`, float columns as
/// `Double` (NaN never stored: it counts as missing).
enum SortKey: Sendable, Codable, Comparable, Hashable {
    case int(Int64)
    case double(Double)

    private enum Keys: String, CodingKey { case int, doubleBits }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let i = try c.decodeIfPresent(Int64.self, forKey: .int) { self = .int(i) } else {
            self = .double(Double(bitPattern: try c.decode(UInt64.self, forKey: .doubleBits)))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .int(let i): try c.encode(i, forKey: .int)
        case .double(let d): try c.encode(d.bitPattern, forKey: .doubleBits)
        }
    }

    static func < (a: SortKey, b: SortKey) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.double(let x), .double(let y)): x < y
        case (.int(let x), .double(let y)): Double(x) < y
        case (.double(let x), .int(let y)): x < Double(y)
        }
    }
}

/// Counts per distinct present value of a column, sorted by key so two are merged in one
/// linear pass. Grows with the number of distinct values.
enum ValueCounts: Sendable, Codable, Equatable {
    /// Integer-like columns (the value), floats (canonical bits), bools (0 / 1).
    case fixed(keys: [UInt64], counts: [Int])
    /// String and binary columns: the bytes.
    case bytes(keys: [[UInt8]], counts: [Int])

    static let emptyFixed = ValueCounts.fixed(keys: [], counts: [])

    var distinctCount: Int {
        switch self {
        case .fixed(let k, _): k.count
        case .bytes(let k, _): k.count
        }
    }

    mutating func merge(_ other: ValueCounts) {
        switch (self, other) {
        case (.fixed(let a, let ca), .fixed(let b, let cb)):
            let (k, c) = Self.mergeSorted(a, ca, b, cb, less: { $0 < $1 })
            self = .fixed(keys: k, counts: c)
        case (.bytes(let a, let ca), .bytes(let b, let cb)):
            let (k, c) = Self.mergeSorted(a, ca, b, cb, less: { $0.lexicographicallyPrecedes($1) })
            self = .bytes(keys: k, counts: c)
        case (.fixed(let a, _), .bytes) where a.isEmpty: self = other
        default: break
        }
    }

    private static func mergeSorted<K: Equatable>(_ a: [K], _ ca: [Int], _ b: [K], _ cb: [Int],
                                                  less: (K, K) -> Bool) -> ([K], [Int]) {
        if b.isEmpty { return (a, ca) }
        if a.isEmpty { return (b, cb) }
        var keys: [K] = [], counts: [Int] = []
        keys.reserveCapacity(a.count + b.count)
        counts.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && less(a[i], b[j])) {
                keys.append(a[i]); counts.append(ca[i]); i += 1
            } else if i == a.count || less(b[j], a[i]) {
                keys.append(b[j]); counts.append(cb[j]); j += 1
            } else {
                keys.append(a[i]); counts.append(ca[i] + cb[j]); i += 1; j += 1
            }
        }
        return (keys, counts)
    }
}
