import Foundation

/// The router's random numbers: xoshiro256** (Blackman and Vigna), seeded through SplitMix64,
/// with the Beta draws Thompson sampling needs. Written from the published algorithms; its
/// state is four words, saved in snapshots so a restarted router continues the same stream.
struct BanditRandom: RandomNumberGenerator, Sendable, Hashable {
    private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator seeded with `seed` (the same seed gives the same stream).
    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// A generator continuing from saved `words` (four, not all zero).
    init?(words: [UInt64]) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        state = (words[0], words[1], words[2], words[3])
    }

    var words: [UInt64] { [state.0, state.1, state.2, state.3] }

    static func == (a: BanditRandom, b: BanditRandom) -> Bool { a.words == b.words }
    func hash(into hasher: inout Hasher) { hasher.combine(words) }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in the open interval (0, 1): safe to take the logarithm of.
    mutating func unit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal draw (Box–Muller, one of the pair).
    mutating func normal() -> Double {
        let u = unit(), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// A Gamma(shape, 1) draw: Marsaglia and Tsang's squeeze method for shape ≥ 1, boosted
    /// by `U^(1/shape)` below 1.
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            return gamma(shape: shape + 1) * pow(unit(), 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal()
            let base = 1 + c * x
            guard base > 0 else { continue }
            let v = base * base * base
            let u = unit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(alpha, beta) draw, as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).
    mutating func beta(_ alpha: Double, _ beta: Double) -> Double {
        let x = gamma(shape: alpha), y = gamma(shape: beta)
        let sum = x + y
        return sum > 0 ? x / sum : 0.5
    }
}
