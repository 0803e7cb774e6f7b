// Row hashing: deterministic 64-bit hashes of one or more columns, for hash joins, grouping
// and partitioning.
//
// The hash of a row depends only on its values (never on the row's position or batch), and is
// the same in every process run and on every platform (no per-process random seed as in
// Swift's `Hasher`). It is not designed to resist deliberately colliding inputs.
//
// Value rules, chosen so that values equal under sorting hash equal:
// - every integer type (int32, int64, date, timestamp) hashes its value widened to Int64, so
//   an int32 5 and an int64 5 hash alike;
// - floats hash their value widened to Double, with -0.0 hashed as 0.0 and every NaN hashed as
//   one canonical NaN (so the hash is not the raw bit pattern);
// - string and binary hash their bytes; bool hashes 0 or 1;
// - null hashes to one fixed value whatever the column type.

extension RecordBatch {
    /// One 64-bit hash per row, combining the values of `columns` in that order.
    ///
    /// ```swift
    /// let keys = batch.hashRows(columns: [0, 1])   // hash of (user_id, item_id)
    /// ```
    /// - Parameters:
    ///   - columns: Column positions; each must be in `0 ..< columns.count` (a programming
    ///     error otherwise).
    ///   - seed: Changes every hash; use different seeds for independent hash functions.
    public func hashRows(columns positions: [Int], seed: UInt64 = 0) -> [UInt64] {
        var hashes = [UInt64](repeating: RowHash.initial(seed), count: rowCount)
        hashes.withUnsafeMutableBufferPointer { h in
            for position in positions { columns[position].combineHashes(into: h) }
        }
        return hashes
    }
}

extension Column {
    /// One 64-bit hash per row; equal to `RecordBatch.hashRows(columns:seed:)` over a batch
    /// holding just this column.
    public func hashRows(seed: UInt64 = 0) -> [UInt64] {
        var hashes = [UInt64](repeating: RowHash.initial(seed), count: count)
        hashes.withUnsafeMutableBufferPointer { combineHashes(into: $0) }
        return hashes
    }

    /// Folds the hash of each row's value into `hashes[row]`.
    func combineHashes(into hashes: UnsafeMutableBufferPointer<UInt64>) {
        switch storage {
        case .int32(let v): combineFixed(v, hashes) { UInt64(bitPattern: Int64($0)) }
        case .int64(let v): combineFixed(v, hashes) { UInt64(bitPattern: $0) }
        case .float32(let v): combineFixed(v, hashes) { RowHash.normalizedBits(Double($0)) }
        case .float64(let v): combineFixed(v, hashes) { RowHash.normalizedBits($0) }
        case .bool(let v): combineFixed(v, hashes) { $0 ? 1 : 0 }
        case .bytes(let offsets, let data):
            offsets.withUnsafeBufferPointer { off in
                data.withUnsafeBytes { bytes in
                    combineRows(hashes) { i in
                        RowHash.bytes(bytes.baseAddress, from: off[i], count: off[i + 1] - off[i])
                    }
                }
            }
        case .vector(let d, let values):
            values.withUnsafeBufferPointer { v in
                combineRows(hashes) { i in
                    var h = RowHash.vectorSeed
                    for k in i * d ..< (i + 1) * d {
                        h = RowHash.combine(h, RowHash.normalizedBits(Double(v[k])))
                    }
                    return h
                }
            }
        }
    }

    @inline(__always)
    private func combineFixed<T>(_ values: [T], _ hashes: UnsafeMutableBufferPointer<UInt64>, _ bits: (T) -> UInt64) {
        values.withUnsafeBufferPointer { v in combineRows(hashes) { bits(v[$0]) } }
    }

    /// Runs the combine loop, with a branch on validity only when the column has nulls.
    @inline(__always)
    private func combineRows(_ hashes: UnsafeMutableBufferPointer<UInt64>, _ valueHash: (Int) -> UInt64) {
        let n = Swift.min(count, hashes.count)
        if let validity {
            validity.bytes.withUnsafeBufferPointer { bits in
                for i in 0 ..< n {
                    let v = readBit(bits, i) ? valueHash(i) : RowHash.null
                    hashes[i] = RowHash.combine(hashes[i], v)
                }
            }
        } else {
            for i in 0 ..< n { hashes[i] = RowHash.combine(hashes[i], valueHash(i)) }
        }
    }
}

/// The hash functions behind ``RecordBatch/hashRows(columns:seed:)``, written for Larder.
/// Constants are fractional parts of square roots of primes (as in SHA-2) and of the golden
/// ratio: arbitrary odd numbers with well-spread bits.
enum RowHash {
    static let null: UInt64 = 0x510E_527F_ADE6_82D1
    static let vectorSeed: UInt64 = 0x9B05_688C_2B3E_6C1F
    static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let k1: UInt64 = 0x6A09_E667_F3BC_C909
    static let k2: UInt64 = 0xBB67_AE85_84CA_A73B
    static let k3: UInt64 = 0x3C6E_F372_FE94_F82B
    static let k4: UInt64 = 0xA54F_F53A_5F1D_36F1

    /// The starting state of a row hash for `seed`.
    @inline(__always)
    static func initial(_ seed: UInt64) -> UInt64 { mix(seed ^ k4) }

    /// A bijective 64-bit finalizer (xor-shift / multiply rounds).
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// Folds value hash `v` into running state `h`; order-dependent.
    @inline(__always)
    static func combine(_ h: UInt64, _ v: UInt64) -> UInt64 {
        mix(((h &<< 29) | (h &>> 35)) &* k0 ^ v)
    }

    /// The bits of `x` with -0.0 folded into 0.0 and every NaN into one NaN.
    @inline(__always)
    static func normalizedBits(_ x: Double) -> UInt64 {
        if x == 0 { return 0 }
        if x.isNaN { return Double.nan.bitPattern }
        return x.bitPattern
    }

    /// The 128-bit product of `a` and `b`, folded to 64 bits.
    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let p = a.multipliedFullWidth(by: b)
        return p.high ^ p.low
    }

    @inline(__always)
    private static func load64(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func load32(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    /// Hashes `count` bytes at `base + start`: 16 bytes per multiply-fold step, with
    /// overlapping loads for the tail so that no byte-at-a-time loop is needed.
    static func bytes(_ base: UnsafeRawPointer?, from start: Int, count n: Int, seed: UInt64 = 0) -> UInt64 {
        var h = seed ^ k1 ^ (UInt64(truncatingIfNeeded: n) &* k0)
        var a: UInt64 = 0
        var b: UInt64 = 0
        if n > 0, let base {
            let p = base + start
            if n <= 16 {
                if n >= 8 {
                    a = load64(p, 0)
                    b = load64(p, n - 8)
                } else if n >= 4 {
                    a = load32(p, 0)
                    b = load32(p, n - 4)
                } else {
                    let first = UInt64(p.load(fromByteOffset: 0, as: UInt8.self))
                    let middle = UInt64(p.load(fromByteOffset: n &>> 1, as: UInt8.self))
                    let last = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
                    a = first &<< 16 | middle &<< 8 | last
                }
            } else {
                var i = 0
                while n - i > 16 {
                    h = fold(load64(p, i) ^ k2 ^ h, load64(p, i + 8) ^ k3) ^ h
                    i += 16
                }
                a = load64(p, n - 16)
                b = load64(p, n - 8)
            }
        }
        h = fold(a ^ k2 ^ h, b ^ k3 ^ UInt64(truncatingIfNeeded: n))
        return mix(h ^ k4)
    }
}
