/// A packed bit vector, least-significant bit first within each byte (Arrow's and Parquet's
/// order). Used for validity: bit set = value present.
public struct Bitmap: Hashable, Sendable {
    /// Packed bits; `bytes.count == (count + 7) / 8`. Bits past `count` are zero.
    public private(set) var bytes: [UInt8]
    public private(set) var count: Int

    /// A bitmap of `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        precondition(count >= 0)
        self.count = count
        self.bytes = [UInt8](repeating: value ? 0xFF : 0, count: (count + 7) / 8)
        if value { clearTail() }
    }

    /// A bitmap from booleans.
    public init<S: Sequence>(_ bits: S) where S.Element == Bool {
        self.init(count: 0, value: false)
        for bit in bits { append(bit) }
    }

    /// Wraps packed bytes; extra trailing bits are cleared.
    public init(bytes: [UInt8], count: Int) {
        precondition(count >= 0 && bytes.count >= (count + 7) / 8)
        self.bytes = Array(bytes.prefix((count + 7) / 8))
        self.count = count
        clearTail()
    }

    private mutating func clearTail() {
        let rem = count & 7
        if rem != 0 { bytes[bytes.count - 1] &= UInt8((1 << rem) - 1) }
    }

    public subscript(index: Int) -> Bool {
        get { (bytes[index >> 3] >> UInt8(index & 7)) & 1 == 1 }
        set {
            let mask = UInt8(1) << UInt8(index & 7)
            if newValue { bytes[index >> 3] |= mask } else { bytes[index >> 3] &= ~mask }
        }
    }

    public mutating func append(_ bit: Bool) {
        if count & 7 == 0 { bytes.append(0) }
        if bit { bytes[count >> 3] |= UInt8(1) << UInt8(count & 7) }
        count += 1
    }

    /// Appends the first `count` bits of `source` (packed LSB first).
    public mutating func append(bits source: [UInt8], count n: Int) {
        precondition(n >= 0 && source.count >= (n + 7) / 8)
        guard n > 0 else { return }
        let shift = count & 7
        if shift == 0 {
            bytes.append(contentsOf: source[0 ..< (n + 7) / 8])
        } else {
            bytes.reserveCapacity((count + n + 7) / 8)
            for k in 0 ..< (n + 7) / 8 {
                let b = source[k]
                bytes[bytes.count - 1] |= b << UInt8(shift)
                bytes.append(b >> UInt8(8 - shift))
            }
        }
        count += n
        bytes.removeLast(bytes.count - (count + 7) / 8)
        clearTail()
    }

    public mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity((n + 7) / 8) }

    /// The number of set bits.
    public var setCount: Int {
        var total = 0
        for b in bytes { total += b.nonzeroBitCount }
        return total
    }

    /// Whether every bit is set.
    public var allSet: Bool { setCount == count }
}

// Internal helpers for kernels.
extension Bitmap {
    /// Wraps packed bytes without copying; the caller guarantees `bytes.count == (count + 7) / 8`
    /// and that bits past `count` are zero.
    init(uncheckedBytes bytes: [UInt8], count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// Builds a bitmap of `count` bits, eight at a time, from `bit(i)`.
    @inline(__always)
    static func build(count: Int, _ bit: (Int) -> Bool) -> Bitmap {
        let byteCount = (count + 7) / 8
        let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
            var i = 0
            var k = 0
            while i + 8 <= count {
                var b: UInt8 = 0
                for j in 0 ..< 8 where bit(i + j) { b |= UInt8(1) << UInt8(j) }
                out.initializeElement(at: k, to: b)
                i += 8
                k += 1
            }
            if i < count {
                var b: UInt8 = 0
                for j in 0 ..< (count - i) where bit(i + j) { b |= UInt8(1) << UInt8(j) }
                out.initializeElement(at: k, to: b)
            }
            initialized = byteCount
        }
        return Bitmap(uncheckedBytes: bytes, count: count)
    }

    /// `self` as a validity bitmap: `nil` when every bit is set.
    var asValidity: Bitmap? { allSet ? nil : self }
}

/// Reads bit `i` of packed LSB-first bytes.
@inline(__always)
func readBit(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
    (bytes[i &>> 3] &>> UInt8(truncatingIfNeeded: i & 7)) & 1 != 0
}
