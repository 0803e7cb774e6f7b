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

/// The distinct byte strings of one column stretch and each row's id among them.
///
/// Interning is one tight loop over raw buffers: a row's first 16 bytes are read as two
/// words (strings up to 16 bytes, the usual categorical values, are compared as words
/// without `memcmp`), hashed, and looked up in an open-addressing table of the distinct
/// values seen so far, which for a categorical column stays in L1.
struct InternedBytes {
    /// Per row of the stretch, the id of its value; -1 for null rows.
    var ids: [Int32]
    /// Per distinct value: where its first occurrence starts in the column's bytes, its length
    /// and how many rows hold it.
    var offsets: [Int]
    var lengths: [Int]
    var counts: [Int]

    var count: Int { offsets.count }

    init(offsets off: UnsafeBufferPointer<Int>, data: UnsafeRawBufferPointer, bits: ValidityBits, range: Range<Int>) {
        var table = InternTable()
        defer { table.deallocate() }
        let base = range.lowerBound
        let rowIDs = [Int32](unsafeUninitializedCapacity: range.count) { out, initialized in
            for i in range {
                guard bits.has(i) else { out[i - base] = -1; continue }
                out[i - base] = table.intern(data, off[i], off[i + 1] - off[i])
            }
            initialized = range.count
        }
        let (starts, sizes) = table.distinct()
        var counts = [Int](repeating: 0, count: starts.count)
        counts.withUnsafeMutableBufferPointer { c in
            rowIDs.withUnsafeBufferPointer { ids in
                for id in ids where id >= 0 { c[Int(id)] += 1 }
            }
        }
        ids = rowIDs
        offsets = starts
        lengths = sizes
        self.counts = counts
    }
}

/// The open-addressing table behind ``InternedBytes``, in manually managed memory (no
/// copy-on-write checks in the loop), kept at most a quarter full so that a lookup almost
/// always ends at its first slot. Freed by `deallocate()`.
private struct InternTable {
    private struct Entry {
        var hash: UInt64
        var w0: UInt64
        var w1: UInt64
        var start: Int
        var length: Int
    }

    private var slots: UnsafeMutablePointer<Int32>
    private var shift: UInt64
    private var mask: Int
    private var entries: UnsafeMutablePointer<Entry>
    private var count = 0
    private var capacity: Int

    init() {
        capacity = 64
        mask = 255
        shift = 64 - 8
        slots = .allocate(capacity: 256)
        slots.initialize(repeating: -1, count: 256)
        entries = .allocate(capacity: capacity)
    }

    func deallocate() {
        slots.deallocate()
        entries.deallocate()
    }

    func distinct() -> ([Int], [Int]) {
        let e = UnsafeBufferPointer(start: entries, count: count)
        return (e.map(\.start), e.map(\.length))
    }

    @inline(__always)
    mutating func intern(_ data: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> Int32 {
        let (a, b) = ByteWords.head(data, offset, length)
        var h = (a ^ (b &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
        if length > 16 { h = ByteWords.hashTail(data, offset + 16, length - 16, h) &* 0x9E37_79B9_7F4A_7C15 }
        var i = Int(truncatingIfNeeded: h >> shift)
        while true {
            let s = slots[i]
            if s < 0 { return insert(i, h, a, b, offset, length) }
            let e = entries[Int(s)]
            if e.hash == h && e.w0 == a && e.w1 == b && e.length == length
                && (length <= 16 || ByteWords.equalTails(data, e.start + 16, offset + 16, length - 16)) {
                return s
            }
            i = (i + 1) & mask
        }
    }

    private mutating func insert(_ slot: Int, _ h: UInt64, _ a: UInt64, _ b: UInt64, _ offset: Int, _ length: Int) -> Int32 {
        if count == capacity {
            let grown = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = grown
            capacity *= 2
        }
        let id = count
        (entries + id).initialize(to: Entry(hash: h, w0: a, w1: b, start: offset, length: length))
        count += 1
        slots[slot] = Int32(id)
        if count * 4 > mask + 1 { rehash() }
        return Int32(id)
    }

    private mutating func rehash() {
        let size = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        mask = size - 1
        shift -= 1
        for e in 0 ..< count {
            var i = Int(truncatingIfNeeded: entries[e].hash >> shift)
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(e)
        }
    }
}

/// Word-at-a-time reads of byte strings.
enum ByteWords {
    /// The first 16 bytes at `offset` (zero past `length`), as two little-endian words.
    /// Branch-free when 16 bytes can be read (masks come from shifts, which give 0 at 64).
    @inline(__always)
    static func head(_ data: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> (UInt64, UInt64) {
        if offset + 16 <= data.count {
            let a = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let b = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            let la = UInt64(truncatingIfNeeded: min(length, 8)) * 8
            let lb = UInt64(truncatingIfNeeded: min(max(length - 8, 0), 8)) * 8
            return (a & ~(UInt64.max << la), b & ~(UInt64.max << lb))
        }
        var w0: UInt64 = 0, w1: UInt64 = 0
        for k in 0 ..< min(length, 16) {
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
