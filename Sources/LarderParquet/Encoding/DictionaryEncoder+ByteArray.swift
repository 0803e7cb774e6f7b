// Dictionary building for BYTE_ARRAY columns. Entries live in one growing byte buffer plus
// offsets (the `ColumnStorage.bytes` layout); the table stores each entry's 64-bit hash, so a
// probe compares bytes only when the hashes agree. No allocation per value.

/// A fast 64-bit hash of a byte range (8-byte words, multiply-xorshift mixing). Not
/// cryptographic and not stable across versions: for in-memory tables only.
enum ByteRangeHash {
    private static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let k1: UInt64 = 0xBF58_476D_1CE4_E5B9
    private static let k2: UInt64 = 0x94D0_49BB_1331_11EB

    @inline(__always)
    private static func load(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Hashes `count` bytes at `p` (`p` may be nil when `count` is 0).
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer?, count: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: count) &* k0
        guard let p, count > 0 else { return h ^ (h >> 31) }
        var i = 0
        while i + 8 <= count {
            h = (h ^ load(p, i)) &* k1
            h ^= h >> 29
            i += 8
        }
        if i < count {
            var tail: UInt64
            if count >= 8 {
                tail = load(p, count - 8)  // overlaps bytes already mixed; still deterministic
            } else if count >= 4 {
                let lo = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
                let hi = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
                tail = lo | hi << 32
            } else {
                let a = UInt64(p.load(fromByteOffset: 0, as: UInt8.self))
                let b = UInt64(p.load(fromByteOffset: count >> 1, as: UInt8.self))
                let c = UInt64(p.load(fromByteOffset: count - 1, as: UInt8.self))
                tail = a | b << 8 | c << 16
            }
            h = (h ^ tail) &* k2
        }
        h ^= h >> 32
        h = h &* k1
        return h ^ (h >> 29)
    }

    /// Whether `count` bytes at `a` and `b` are equal.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }
}

/// Builds a dictionary over byte arrays (BYTE_ARRAY strings and binaries) while producing the
/// index of each present value. Entry `i` is `entryData[entryOffsets[i] ..< entryOffsets[i + 1]]`.
final class ByteArrayDictionaryEncoder {
    /// Entry boundaries; `entryOffsets.count == dictionaryCount + 1`, starting at 0.
    private(set) var entryOffsets: [Int] = [0]
    /// The entries' bytes back to back, in first-seen order.
    private(set) var entryData: [UInt8] = []
    let limits: DictionaryLimits
    /// The size of the dictionary page body (PLAIN: 4-byte length + bytes per entry).
    private(set) var plainEncodedByteCount = 0
    /// Present values encoded so far.
    private(set) var valueCount = 0
    /// False once a limit was exceeded; the encoder then refuses further input.
    private(set) var isViable = true
    private let table = DictionarySlotTable()

    init(limits: DictionaryLimits = DictionaryLimits()) { self.limits = limits }

    /// The number of distinct entries.
    var dictionaryCount: Int { entryOffsets.count - 1 }

    /// The bit width of indices into the current dictionary (at least 1).
    var indexBitWidth: Int { max(1, RLEHybridEncoder.bitWidth(forMaxValue: UInt64(max(dictionaryCount - 1, 0)))) }

    /// Appends the index of every present value to `indices`, adding unseen values to the
    /// dictionary. Value `i` is `data[offsets[i] ..< offsets[i + 1]]` for `i` in
    /// `0 ..< offsets.count - 1`; with `validity`, only values whose bit is set are encoded.
    ///
    /// Returns false, leaving `indices` as it was and the encoder no longer viable, when the
    /// dictionary would exceed `limits`. Can be called repeatedly to feed a chunk in pieces.
    /// - Throws: `ParquetError(.invalidArgument)` when the offsets decrease or leave `data`.
    func encode(offsets: UnsafeBufferPointer<Int>, data: UnsafeRawBufferPointer, validity: ValidityBitsView?,
                indices: inout [UInt32]) throws -> Bool {
        guard isViable else { return false }
        let n = max(offsets.count - 1, 0)
        var previous = n > 0 ? offsets[0] : 0
        guard previous >= 0 else { throw ParquetError(.invalidArgument, "negative first offset \(previous)") }
        for i in 0 ..< n {
            let next = offsets[i + 1]
            guard next >= previous, next <= data.count else {
                throw ParquetError(.invalidArgument, "offset \(i + 1) = \(next) is out of order or past \(data.count) data bytes")
            }
            previous = next
        }
        let start = indices.count
        indices.reserveCapacity(start + n)
        // Chunks as in FixedWidthDictionaryEncoder.encode.
        var chunkStart = 0
        while chunkStart < n {
            let m = min(DictionarySlotTable.chunkSize, n - chunkStart)
            let chunkValidity = validity.map { ValidityBitsView($0.bytes, bitOffset: $0.bitOffset + chunkStart) }
            let present = chunkValidity.map { $0.setCount(m) } ?? m
            let first = indices.count
            indices.append(contentsOf: repeatElement(0, count: present))
            let chunkOffsets = UnsafeBufferPointer(rebasing: offsets[chunkStart ... chunkStart + m])
            let ok = present == 0 || indices.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return true }
                return encodeLoop(offsets: chunkOffsets, data: data.baseAddress, count: m,
                                  validity: chunkValidity, out: base + first)
            }
            if !ok {
                indices.removeSubrange(start...)
                isViable = false
                entryOffsets = [0]
                entryData = []
                plainEncodedByteCount = 0
                return false
            }
            chunkStart += m
        }
        return true
    }

    private func encodeLoop(offsets: UnsafeBufferPointer<Int>, data: UnsafeRawPointer?, count n: Int,
                            validity: ValidityBitsView?, out: UnsafeMutablePointer<UInt32>) -> Bool {
        let maxEntries = min(limits.maxEntries, Int(UInt32.max) - 1)
        let maxBytes = limits.maxDictionaryBytes
        let earlyAt = limits.earlyCheckAfter > 0 && valueCount < limits.earlyCheckAfter ? limits.earlyCheckAfter : -1
        let earlyLimit = limits.earlyDistinctLimit
        // Move the entry buffers into locals so appends do not go through the class.
        var eOffsets = entryOffsets, eData = entryData
        entryOffsets = []
        entryData = []
        var plainBytes = plainEncodedByteCount
        var seen = valueCount
        defer {
            entryOffsets = eOffsets
            entryData = eData
            plainEncodedByteCount = plainBytes
            valueCount = seen
        }
        var slots = table.slots
        var mask = table.capacity - 1
        var shift = table.shift
        var o = 0
        for i in 0 ..< n {
            if let validity, !validity[i] { continue }
            let lo = offsets[i], length = offsets[i + 1] - lo
            let p = data.map { $0 + lo }
            let h = ByteRangeHash.hash(p, count: length)
            var s = Int(truncatingIfNeeded: h >> shift)
            var index: UInt32
            while true {
                let slot = slots[s]
                if slot.entryPlusOne == 0 {
                    let entries = eOffsets.count - 1
                    guard entries < maxEntries, plainBytes + 4 + length <= maxBytes else { return false }
                    if length > 0, let p { eData.append(contentsOf: UnsafeRawBufferPointer(start: p, count: length)) }
                    eOffsets.append(eData.count)
                    plainBytes += 4 + length
                    index = UInt32(entries)
                    slots[s] = DictionarySlot(key: h, entryPlusOne: index + 1)
                    if (entries + 1) * 2 > mask + 1 {
                        table.grow(hash: { $0 })
                        slots = table.slots
                        mask = table.capacity - 1
                        shift = table.shift
                    }
                    break
                }
                if slot.key == h {
                    let e = Int(slot.entryPlusOne - 1)
                    let eLo = eOffsets[e], eLength = eOffsets[e + 1] - eLo
                    if eLength == length {
                        let same = length == 0 || eData.withUnsafeBytes { d in
                            guard let d = d.baseAddress, let p else { return false }
                            return ByteRangeHash.equal(d + eLo, p, count: length)
                        }
                        if same {
                            index = slot.entryPlusOne - 1
                            break
                        }
                    }
                }
                s = (s + 1) & mask
            }
            out[o] = index
            o += 1
            seen += 1
            if seen == earlyAt && eOffsets.count - 1 > earlyLimit { return false }
        }
        return true
    }
}

extension ByteArrayDictionaryEncoder {
    /// Dictionary-encodes one byte-array column's present values in one call.
    /// - Returns: the index of each present value and the dictionary (offsets + data, first-seen
    ///   order), or nil when `limits` are exceeded (write the column PLAIN instead).
    /// - Throws: `ParquetError(.invalidArgument)` for offsets that decrease or leave `data`.
    static func encode(offsets: UnsafeBufferPointer<Int>, data: UnsafeRawBufferPointer, validity: ValidityBitsView? = nil,
                       limits: DictionaryLimits = DictionaryLimits()) throws -> (indices: [UInt32], offsets: [Int], data: [UInt8])? {
        let encoder = ByteArrayDictionaryEncoder(limits: limits)
        var indices: [UInt32] = []
        guard try encoder.encode(offsets: offsets, data: data, validity: validity, indices: &indices) else { return nil }
        return (indices, encoder.entryOffsets, encoder.entryData)
    }
}
