// Dictionary building for RLE_DICTIONARY column chunks (Encodings.md, "Dictionary Encoding"):
// each distinct value gets an index in first-seen order; the data pages store the indices with
// the RLE/bit-packing hybrid and the dictionary page stores the values PLAIN.
//
// The table is open addressing with linear probing over one unsafe allocation, at most half
// full, doubling when it fills. Fixed-width keys are hashed and compared by bit pattern, so NaN
// payloads and -0.0 are distinct entries that round-trip exactly.

/// When a dictionary stops paying for itself; the writer then falls back to PLAIN.
struct DictionaryLimits: Sendable, Hashable {
    /// Give up once the dictionary's PLAIN encoding would exceed this many bytes.
    var maxDictionaryBytes: Int = 1 << 20
    /// Give up once the dictionary would hold more entries than this.
    var maxEntries: Int = 1 << 20
    /// After this many present values (0 disables the check), give up if more than
    /// `maxEarlyDistinctRatio` of them were distinct: the column is close to unique and would
    /// only hit the byte limit later, after more wasted work.
    var earlyCheckAfter: Int = 65_536
    /// The distinct fraction tolerated at `earlyCheckAfter` values.
    var maxEarlyDistinctRatio: Double = 0.75

    init(maxDictionaryBytes: Int = 1 << 20, maxEntries: Int = 1 << 20,
         earlyCheckAfter: Int = 65_536, maxEarlyDistinctRatio: Double = 0.75) {
        self.maxDictionaryBytes = maxDictionaryBytes
        self.maxEntries = maxEntries
        self.earlyCheckAfter = earlyCheckAfter
        self.maxEarlyDistinctRatio = maxEarlyDistinctRatio
    }

    /// The entry count above which the early check gives up.
    var earlyDistinctLimit: Int { Int(Double(earlyCheckAfter) * maxEarlyDistinctRatio) }
}

/// A fixed-width value a dictionary can key on by bit pattern.
protocol DictionaryKey: PlainFixedWidth {
    /// The value's bits, zero-extended to 64.
    var dictionaryBits: UInt64 { get }
}

extension Int32: DictionaryKey { var dictionaryBits: UInt64 { UInt64(UInt32(bitPattern: self)) } }
extension UInt32: DictionaryKey { var dictionaryBits: UInt64 { UInt64(self) } }
extension Int64: DictionaryKey { var dictionaryBits: UInt64 { UInt64(bitPattern: self) } }
extension UInt64: DictionaryKey { var dictionaryBits: UInt64 { self } }
extension Float: DictionaryKey { var dictionaryBits: UInt64 { UInt64(bitPattern) } }
extension Double: DictionaryKey { var dictionaryBits: UInt64 { bitPattern } }

/// One slot of an open-addressing table: a key (or a byte-array hash) and `index + 1`
/// (0 marks an empty slot).
struct DictionarySlot {
    var key: UInt64
    var entryPlusOne: UInt32
}

/// The slot array shared by both dictionary encoders: a power-of-two capacity, owned memory.
final class DictionarySlotTable {
    private(set) var slots: UnsafeMutablePointer<DictionarySlot>
    private(set) var capacity: Int
    /// `64 - log2(capacity)`: the hash's top bits pick the home slot.
    private(set) var shift: UInt64

    init(capacity: Int = 1024) {
        let c = max(16, 1 << (64 - (capacity - 1).leadingZeroBitCount))
        slots = .allocate(capacity: c)
        slots.initialize(repeating: DictionarySlot(key: 0, entryPlusOne: 0), count: c)
        self.capacity = c
        shift = UInt64(c.leadingZeroBitCount + 1)
    }

    deinit { slots.deallocate() }

    /// Values per chunk when an encoder walks its input (indices grow chunk by chunk).
    static let chunkSize = 1 << 16

    /// Fibonacci hashing of a fixed-width key.
    @inline(__always)
    static func mix(_ key: UInt64) -> UInt64 { key &* 0x9E37_79B9_7F4A_7C15 }

    /// Doubles the capacity, re-inserting every slot by `hash(slot.key)`.
    func grow(hash: (UInt64) -> UInt64) {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        shift -= 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: DictionarySlot(key: 0, entryPlusOne: 0), count: capacity)
        let mask = capacity - 1
        for i in 0 ..< oldCapacity where old[i].entryPlusOne != 0 {
            var s = Int(truncatingIfNeeded: hash(old[i].key) >> shift)
            while slots[s].entryPlusOne != 0 { s = (s + 1) & mask }
            slots[s] = old[i]
        }
        old.deallocate()
    }
}

/// Builds a dictionary over fixed-width values (INT32, INT64, FLOAT, DOUBLE) while producing
/// the index of each present value.
///
/// ```swift
/// let encoder = FixedWidthDictionaryEncoder<Int64>(limits: DictionaryLimits())
/// var indices: [UInt32] = []
/// if values.withUnsafeBufferPointer({ encoder.encode($0, validity: nil, indices: &indices) }) {
///     // dictionary page: PLAIN of encoder.dictionary; data pages: RLE of indices
/// }
/// ```
final class FixedWidthDictionaryEncoder<T: DictionaryKey> {
    /// The distinct values in first-seen order; entry `i` has index `i`.
    private(set) var dictionary: [T] = []
    let limits: DictionaryLimits
    /// Present values encoded so far.
    private(set) var valueCount = 0
    /// False once a limit was exceeded; the encoder then refuses further input.
    private(set) var isViable = true
    private let table = DictionarySlotTable()

    init(limits: DictionaryLimits = DictionaryLimits()) { self.limits = limits }

    /// The size of the dictionary page body (PLAIN) in bytes.
    var plainEncodedByteCount: Int { dictionary.count * MemoryLayout<T>.stride }

    /// The bit width of indices into the current dictionary (at least 1, as writers commonly do).
    var indexBitWidth: Int { max(1, RLEHybridEncoder.bitWidth(forMaxValue: UInt64(max(dictionary.count - 1, 0)))) }

    /// Appends the index of every present value of `values` (all of them when `validity` is
    /// nil) to `indices`, adding unseen values to the dictionary.
    ///
    /// Returns false, leaving `indices` as it was and the encoder no longer viable, when the
    /// dictionary would exceed `limits`; the caller then writes the column PLAIN. Can be called
    /// repeatedly to feed a column chunk in pieces.
    func encode(_ values: UnsafeBufferPointer<T>, validity: ValidityBitsView?, indices: inout [UInt32]) -> Bool {
        guard isViable else { return false }
        guard let src = values.baseAddress else { return true }
        let start = indices.count
        indices.reserveCapacity(start + values.count)
        // Work in chunks so the index buffer grows while it is hot in cache, and giving up
        // early does not first allocate indices for the whole column.
        var chunkStart = 0
        while chunkStart < values.count {
            let n = min(DictionarySlotTable.chunkSize, values.count - chunkStart)
            let chunkValidity = validity.map { ValidityBitsView($0.bytes, bitOffset: $0.bitOffset + chunkStart) }
            let present = chunkValidity.map { $0.setCount(n) } ?? n
            let first = indices.count
            indices.append(contentsOf: repeatElement(0, count: present))
            let ok = present == 0 || indices.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return true }
                return encodeLoop(src + chunkStart, count: n, validity: chunkValidity, out: base + first)
            }
            if !ok {
                indices.removeSubrange(start...)
                isViable = false
                dictionary = []
                return false
            }
            chunkStart += n
        }
        return true
    }

    private func encodeLoop(_ src: UnsafePointer<T>, count n: Int, validity: ValidityBitsView?,
                            out: UnsafeMutablePointer<UInt32>) -> Bool {
        let maxEntries = min(limits.maxEntries, limits.maxDictionaryBytes / MemoryLayout<T>.stride, Int(UInt32.max) - 1)
        let earlyAt = limits.earlyCheckAfter > 0 && valueCount < limits.earlyCheckAfter ? limits.earlyCheckAfter : -1
        let earlyLimit = limits.earlyDistinctLimit
        var slots = table.slots
        var mask = table.capacity - 1
        var shift = table.shift
        // Move the dictionary into a local so appends do not go through the class.
        var dict = dictionary
        dictionary = []
        var entries = dict.count
        var seen = valueCount
        var o = 0
        var lastKey: UInt64 = 0
        var lastIndex: UInt32 = .max
        defer {
            dictionary = dict
            valueCount = seen
        }
        for i in 0 ..< n {
            if let validity, !validity[i] { continue }
            let value = src[i]
            let key = value.dictionaryBits
            if key == lastKey && lastIndex != .max {
                out[o] = lastIndex
            } else {
                var s = Int(truncatingIfNeeded: DictionarySlotTable.mix(key) >> shift)
                while true {
                    let slot = slots[s]
                    if slot.entryPlusOne == 0 {
                        guard entries < maxEntries else { return false }
                        slots[s] = DictionarySlot(key: key, entryPlusOne: UInt32(entries + 1))
                        dict.append(value)
                        lastIndex = UInt32(entries)
                        entries += 1
                        if entries * 2 > mask + 1 {
                            table.grow(hash: DictionarySlotTable.mix)
                            slots = table.slots
                            mask = table.capacity - 1
                            shift = table.shift
                        }
                        break
                    }
                    if slot.key == key {
                        lastIndex = slot.entryPlusOne - 1
                        break
                    }
                    s = (s + 1) & mask
                }
                lastKey = key
                out[o] = lastIndex
            }
            o += 1
            seen += 1
            if seen == earlyAt && entries > earlyLimit { return false }
        }
        return true
    }
}

extension FixedWidthDictionaryEncoder {
    /// Dictionary-encodes one column's present values in one call.
    /// - Returns: the index of each present value and the dictionary in first-seen order, or nil
    ///   when `limits` are exceeded (write the column PLAIN instead).
    static func encode(_ values: UnsafeBufferPointer<T>, validity: ValidityBitsView? = nil,
                       limits: DictionaryLimits = DictionaryLimits()) -> (indices: [UInt32], dictionary: [T])? {
        let encoder = FixedWidthDictionaryEncoder(limits: limits)
        var indices: [UInt32] = []
        guard encoder.encode(values, validity: validity, indices: &indices) else { return nil }
        return (indices, encoder.dictionary)
    }
}
