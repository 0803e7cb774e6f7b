import Foundation

/// A HyperLogLog distinct-count estimator (Flajolet, Fusy, Gandouet and Meunier, 2007) over
/// 64-bit hashes, with 2^14 one-byte registers (16 KB; standard error about 0.8%).
///
/// The profiler switches a column to this sketch once its exact distinct set outgrows
/// ``ProfileOptions/exactDistinctLimit``. Two sketches merge by taking the larger register,
/// so a merged sketch equals the sketch of the concatenated input. With 64-bit hashes no
/// large-range correction is needed; small cardinalities use linear counting, as in the paper.
struct ProfileHyperLogLog: Hashable, Sendable {
    static let precision = 14
    static let registerCount = 1 << precision

    private(set) var registers: [UInt8]

    init() {
        registers = [UInt8](repeating: 0, count: Self.registerCount)
    }

    /// Adds one hashed value. The hash must be well mixed (every bit equally likely).
    mutating func add(hash: UInt64) {
        let index = Int(hash >> UInt64(64 - Self.precision))
        let rest = hash << UInt64(Self.precision)
        // Rank of the first set bit in the remaining 50 bits, 1-based; 51 when all are zero.
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - Self.precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// Merges `other` into this sketch (register-wise maximum).
    mutating func merge(_ other: ProfileHyperLogLog) {
        for i in 0 ..< Self.registerCount where other.registers[i] > registers[i] {
            registers[i] = other.registers[i]
        }
    }

    /// The estimated number of distinct hashes added.
    var estimate: Int {
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m, zeros > 0 {
            return Int((m * log(m / Double(zeros))).rounded())
        }
        return Int(raw.rounded())
    }
}

/// Deterministic 64-bit hashes for the profiler's sketches: the same in every process, unlike
/// Swift's seeded `Hasher`, so a profile is reproducible run to run.
enum ProfileHash {
    /// A bijective finalizer (xor-shift / multiply rounds, SplitMix64's constants).
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// The hash of a byte string: eight bytes per multiply step, then the finalizer.
    static func bytes(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { Self.bytes($0) }
    }

    /// The hash of a byte string: eight bytes per multiply step, then the finalizer.
    static func bytes(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x6A09_E667_F3BC_C909 ^ UInt64(truncatingIfNeeded: bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = (h ^ mix(word)) &* 0xBB67_AE85_84CA_A73B
            i += 8
        }
        if i < bytes.count {
            var word: UInt64 = 0
            for k in i ..< bytes.count { word |= UInt64(bytes[k]) << UInt64((k - i) * 8) }
            h = (h ^ mix(word)) &* 0xBB67_AE85_84CA_A73B
        }
        return mix(h)
    }
}
