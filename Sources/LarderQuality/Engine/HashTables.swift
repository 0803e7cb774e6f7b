/// Small open-addressing hash tables for the scan's hot loops: fixed-width keys (integers,
/// float bits) and byte strings, with dense ids so per-distinct work (a regex, a set lookup)
/// runs once per distinct value. Not designed to resist deliberately colliding keys.

/// Hash mixing (SplitMix64's finalizer).
enum Mix {
    @inline(__always)
    static func fmix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    static func combine(_ h: UInt64, _ w: UInt64) -> UInt64 {
        fmix(h ^ w)
    }
}

/// Maps `UInt64` keys to dense ids 0, 1, 2, ... in first-seen order.
struct FixedKeyTable {
    private(set) var keys: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        keys.reserveCapacity(capacity)
    }

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        self.init(capacity: keys.underestimatedCount)
        for k in keys { _ = id(of: k) }
    }

    var count: Int { keys.count }

    /// The id of `key`, adding it when absent.
    @inline(__always)
    mutating func id(of key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: Mix.fmix(key)) & mask
        while true {
            let s = slots[i]
            if s < 0 {
                let id = keys.count
                slots[i] = Int32(id)
                keys.append(key)
                if keys.count * 2 > slots.count { grow() }
                return id
            }
            if keys[Int(s)] == key { return Int(s) }
            i = (i + 1) & mask
        }
    }

    /// Whether `key` is in the table.
    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        var i = Int(truncatingIfNeeded: Mix.fmix(key)) & mask
        while true {
            let s = slots[i]
            if s < 0 { return false }
            if keys[Int(s)] == key { return true }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (id, key) in keys.enumerated() {
            var i = Int(truncatingIfNeeded: Mix.fmix(key)) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

/// Interns byte strings of one column stretch: each row gets the id of its distinct value.
/// A distinct value is stored as its first occurrence (offset and length into the column's
/// bytes) plus its first 16 bytes as two words, so short strings compare without `memcmp`.
struct ByteInterner {
    private(set) var offsets: [Int] = []
    private(set) var lengths: [Int] = []
    private(set) var counts: [Int] = []
    private var hashes: [UInt64] = []
    private var heads: [(UInt64, UInt64)] = []
    private var slots: [Int32]
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 64)
        mask = 63
    }

    var count: Int { offsets.count }

    /// The id of the bytes `data[offset ..< offset + length]`.
    @inline(__always)
    mutating func intern(_ data: UnsafeRawBufferPointer, offset: Int, length: Int) -> Int32 {
        let (w0, w1) = ByteWords.head(data, offset, length)
        var h = Mix.combine(UInt64(truncatingIfNeeded: length) &* 0x100_0000_01B3, w0)
        h = Mix.combine(h, w1)
        if length > 16 { h = ByteWords.hashTail(data, offset + 16, length - 16, h) }
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s < 0 { return insert(at: i, h, w0, w1, offset, length) }
            let id = Int(s)
            if hashes[id] == h, lengths[id] == length, heads[id].0 == w0, heads[id].1 == w1,
               length <= 16 || ByteWords.equalTails(data, offsets[id] + 16, offset + 16, length - 16) {
                counts[id] += 1
                return s
            }
            i = (i + 1) & mask
        }
    }

    private mutating func insert(at slot: Int, _ h: UInt64, _ w0: UInt64, _ w1: UInt64, _ offset: Int, _ length: Int) -> Int32 {
        let id = Int32(offsets.count)
        slots[slot] = id
        offsets.append(offset)
        lengths.append(length)
        counts.append(1)
        hashes.append(h)
        heads.append((w0, w1))
        if offsets.count * 2 > slots.count {
            let size = slots.count * 2
            slots = [Int32](repeating: -1, count: size)
            mask = size - 1
            for (k, hk) in hashes.enumerated() {
                var j = Int(truncatingIfNeeded: hk) & mask
                while slots[j] >= 0 { j = (j + 1) & mask }
                slots[j] = Int32(k)
            }
        }
        return id
    }
}

/// Word-at-a-time reads of byte strings.
enum ByteWords {
    /// The first 16 bytes at `offset` (zero past `length`), as two little-endian words.
    @inline(__always)
    static func head(_ data: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> (UInt64, UInt64) {
        if length >= 16 {
            return (UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                    UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
        }
        if offset + 16 <= data.count {
            let a = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let b = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            if length >= 8 {
                let keep = length - 8
                return (a, keep == 0 ? 0 : b & (UInt64.max >> (64 - 8 * keep)))
            }
            return (length == 0 ? 0 : a & (UInt64.max >> (64 - 8 * length)), 0)
        }
        var w0: UInt64 = 0, w1: UInt64 = 0
        for k in 0 ..< length {
            let byte = UInt64(data[offset + k])
            if k < 8 { w0 |= byte << (8 * UInt64(k)) } else { w1 |= byte << (8 * UInt64(k - 8)) }
        }
        return (w0, w1)
    }

    /// Folds the bytes `data[offset ..< offset + length]` into `h`.
    static func hashTail(_ data: UnsafeRawBufferPointer, _ offset: Int, _ length: Int, _ seed: UInt64) -> UInt64 {
        var h = seed
        var k = 0
        while k + 8 <= length {
            h = Mix.combine(h, UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset + k, as: UInt64.self)))
            k += 8
        }
        if k < length {
            var w: UInt64 = 0
            for j in 0 ..< length - k { w |= UInt64(data[offset + k + j]) << (8 * UInt64(j)) }
            h = Mix.combine(h, w)
        }
        return h
    }

    /// Whether two byte runs of `length` bytes are equal.
    @inline(__always)
    static func equalTails(_ data: UnsafeRawBufferPointer, _ a: Int, _ b: Int, _ length: Int) -> Bool {
        guard let base = data.baseAddress else { return length == 0 }
        return memcmp(base + a, base + b, length) == 0
    }

    /// Hash of a whole byte string (same as the interner's).
    @inline(__always)
    static func hash(_ data: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> UInt64 {
        let (w0, w1) = head(data, offset, length)
        var h = Mix.combine(UInt64(truncatingIfNeeded: length) &* 0x100_0000_01B3, w0)
        h = Mix.combine(h, w1)
        if length > 16 { h = hashTail(data, offset + 16, length - 16, h) }
        return h
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
