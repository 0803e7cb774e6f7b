/// The element types of numeric column buffers, with what the kernels need of each.
protocol ScanValue: Comparable {
    static var isFloating: Bool { get }
    /// The value as an integer (integer types only).
    var int64: Int64 { get }
    var double: Double { get }
    var isNaNValue: Bool { get }
    /// Equal values have equal keys: integers as their bits, floats as canonical bits.
    var fixedKey: UInt64 { get }
    var sortKey: SortKey { get }
}

extension Int32: ScanValue {
    static var isFloating: Bool { false }
    var int64: Int64 { Int64(self) }
    var double: Double { Double(self) }
    var isNaNValue: Bool { false }
    var fixedKey: UInt64 { UInt64(bitPattern: Int64(self)) }
    var sortKey: SortKey { .int(Int64(self)) }
}

extension Int64: ScanValue {
    static var isFloating: Bool { false }
    var int64: Int64 { self }
    var double: Double { Double(self) }
    var isNaNValue: Bool { false }
    var fixedKey: UInt64 { UInt64(bitPattern: self) }
    var sortKey: SortKey { .int(self) }
}

extension Float: ScanValue {
    static var isFloating: Bool { true }
    var int64: Int64 { Int64(self) }
    var double: Double { Double(self) }
    var isNaNValue: Bool { isNaN }
    var fixedKey: UInt64 { FloatKey.bits(Double(self)) }
    var sortKey: SortKey { .double(Double(self)) }
}

extension Double: ScanValue {
    static var isFloating: Bool { true }
    var int64: Int64 { Int64(self) }
    var double: Double { self }
    var isNaNValue: Bool { isNaN }
    var fixedKey: UInt64 { FloatKey.bits(self) }
    var sortKey: SortKey { .double(self) }
}

/// Reads a validity bitmap (nil: every row valid).
struct ValidityBits {
    let bytes: UnsafePointer<UInt8>?

    @inline(__always)
    func has(_ i: Int) -> Bool {
        guard let bytes else { return true }
        return (bytes[i &>> 3] &>> UInt8(truncatingIfNeeded: i & 7)) & 1 != 0
    }
}

/// Counts unexpected rows and keeps the first `limit` of them.
struct UnexpectedRows {
    var count = 0
    var rows: [Int] = []
    let limit: Int

    init(limit: Int) { self.limit = limit }

    @inline(__always)
    mutating func add(_ row: Int) {
        count += 1
        if rows.count < limit { rows.append(row) }
    }
}
