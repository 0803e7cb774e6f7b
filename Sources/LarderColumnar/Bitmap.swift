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
