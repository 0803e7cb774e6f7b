/// Deterministic randomness for the synthetic marketplace: a SplitMix64 generator and
/// Walker/Vose alias tables. Nothing here reads the clock or the system's random source, and
/// nothing calls transcendental math functions, so the same seed gives the same bytes on every
/// machine.

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state advanced by a Weyl constant and
/// mixed by a finalizer. Fast and good enough for synthetic data; not for cryptography.
struct SplitMix64: Sendable {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An independent stream for `(seed, stream, index)`: the three are mixed so that nearby
    /// indices give unrelated states (used to give every generated chunk its own generator).
    init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
        var s = Self.mix(seed &+ 0x632B_E59B_D9B4_E019)
        s = Self.mix(s ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        s = Self.mix(s ^ (index &* 0xD1B5_4A32_D192_ED03))
        state = s
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform integer in `0 ..< bound` (multiply-shift; `bound` must be positive and below
    /// 2^32, where the bias is far below anything synthetic data can show).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(truncatingIfNeeded: bound)) >> 32)
    }

    /// A uniform `Int64` in `0 ..< bound` for bounds of any size.
    @inline(__always)
    mutating func below64(_ bound: Int64) -> Int64 {
        Int64(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(truncatingIfNeeded: bound)).high)
    }

    /// A uniform `Double` in `[0, 1)`.
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A bell-shaped value in `[-1, 1]` with mean 0 (the mean of three uniforms, rescaled).
    @inline(__always)
    mutating func bell() -> Double {
        (unit() + unit() + unit()) * (2.0 / 3.0) - 1
    }

    /// Shuffles `values` (Fisher-Yates).
    mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, below(i + 1))
        }
    }
}

/// Samples an index in proportion to fixed non-negative weights in O(1) (Vose's alias method).
struct AliasTable: Sendable {
    private var probability: [Double]
    private var alias: [Int32]

    /// The number of outcomes.
    var count: Int { probability.count }

    /// A table over `weights`; they need not sum to one. All-zero weights sample uniformly.
    init(weights: [Double]) {
        let n = weights.count
        probability = Array(repeating: 1, count: n)
        alias = Array(repeating: 0, count: n)
        guard n > 0 else { return }
        let total = weights.reduce(0, +)
        guard total > 0 else {
            for i in 0 ..< n { alias[i] = Int32(i) }
            return
        }
        var scaled = weights.map { $0 * Double(n) / total }
        var small: [Int] = []
        var large: [Int] = []
        for i in 0 ..< n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.popLast() {
            probability[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        // Leftovers are 1 up to rounding.
        for i in large + small {
            probability[i] = 1
            alias[i] = Int32(i)
        }
    }

    /// An index drawn in proportion to the weights. The table must not be empty.
    @inline(__always)
    func sample(_ rng: inout SplitMix64) -> Int {
        let r = rng.next()
        let i = Int(truncatingIfNeeded: ((r >> 32) &* UInt64(truncatingIfNeeded: probability.count)) >> 32)
        let u = Double(r & 0xFFFF_FFFF) * 0x1p-32
        return u < probability[i] ? i : Int(alias[i])
    }
}
