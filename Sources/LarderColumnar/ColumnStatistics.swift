/// Minimum, maximum and null count of a column, as Parquet and the Delta log record them.
///
/// Floats ignore NaN (a column of only NaN has no min/max); per the Parquet spec a zero minimum
/// is written as -0.0 and a zero maximum as +0.0. Strings and binary compare by unsigned bytes.
/// Vectors carry only the null count.
public struct ColumnStatistics: Hashable, Sendable {
    public var nullCount: Int
    public var min: Value?
    public var max: Value?

    public init(nullCount: Int, min: Value?, max: Value?) {
        self.nullCount = nullCount
        self.min = min
        self.max = max
    }

    /// Computes the statistics of `column`.
    public init(_ column: Column) {
        self.init(column, rows: 0 ..< column.count)
    }

    /// Computes the statistics of rows `rows` of `column`.
    public init(_ column: Column, rows: Range<Int>) {
        let validity = column.validity
        nullCount = validity.map { v in rows.reduce(0) { $0 + (v[$1] ? 0 : 1) } } ?? 0
        min = nil
        max = nil
        switch column.storage {
        case .int32(let v):
            if let (lo, hi) = Self.range(v, validity, rows) {
                let wrap: (Int32) -> Value = column.type == .date ? { .date($0) } : { .int32($0) }
                (min, max) = (wrap(lo), wrap(hi))
            }
        case .int64(let v):
            if let (lo, hi) = Self.range(v, validity, rows) {
                let wrap: (Int64) -> Value = column.type == .timestamp ? { .timestamp($0) } : { .int64($0) }
                (min, max) = (wrap(lo), wrap(hi))
            }
        case .float32(let v):
            if let (lo, hi) = Self.floatRange(v, validity, rows) {
                (min, max) = (.float32(lo == 0 ? -0.0 : lo), .float32(hi == 0 ? 0.0 : hi))
            }
        case .float64(let v):
            if let (lo, hi) = Self.floatRange(v, validity, rows) {
                (min, max) = (.float64(lo == 0 ? -0.0 : lo), .float64(hi == 0 ? 0.0 : hi))
            }
        case .bool(let v):
            var sawFalse = false, sawTrue = false
            for i in rows where validity?[i] ?? true {
                if v[i] { sawTrue = true } else { sawFalse = true }
            }
            if sawFalse || sawTrue { (min, max) = (.bool(!sawFalse), .bool(sawTrue)) }
        case .bytes(let offsets, let data):
            if let (lo, hi) = Self.bytesRange(offsets, data, validity, rows) {
                if column.type == .string {
                    (min, max) = (.string(String(decoding: lo, as: UTF8.self)), .string(String(decoding: hi, as: UTF8.self)))
                } else {
                    (min, max) = (.binary(lo), .binary(hi))
                }
            }
        case .vector:
            break
        }
    }

    private static func range<T: FixedWidthInteger>(_ v: [T], _ validity: Bitmap?, _ rows: Range<Int>) -> (T, T)? {
        v.withUnsafeBufferPointer { p -> (T, T)? in
            var lo = T.max, hi = T.min, any = false
            if let validity {
                for i in rows where validity[i] {
                    let x = p[i]; lo = Swift.min(lo, x); hi = Swift.max(hi, x); any = true
                }
            } else {
                for x in UnsafeBufferPointer(rebasing: p[rows]) { lo = Swift.min(lo, x); hi = Swift.max(hi, x) }
                any = !rows.isEmpty
            }
            return any ? (lo, hi) : nil
        }
    }

    private static func floatRange<T: BinaryFloatingPoint>(_ v: [T], _ validity: Bitmap?, _ rows: Range<Int>) -> (T, T)? {
        v.withUnsafeBufferPointer { p -> (T, T)? in
            var lo = T.infinity, hi = -T.infinity, any = false
            for i in rows where validity?[i] ?? true {
                let x = p[i]
                if x.isNaN { continue }
                if x < lo { lo = x }
                if x > hi { hi = x }
                any = true
            }
            return any ? (lo, hi) : nil
        }
    }

    private static func bytesRange(_ offsets: [Int], _ data: [UInt8], _ validity: Bitmap?, _ rows: Range<Int>) -> ([UInt8], [UInt8])? {
        data.withUnsafeBufferPointer { d -> ([UInt8], [UInt8])? in
            var loRange: Range<Int>?
            var hiRange: Range<Int>?
            func less(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                let n = Swift.min(a.count, b.count)
                for k in 0 ..< n {
                    let x = d[a.lowerBound + k], y = d[b.lowerBound + k]
                    if x != y { return x < y }
                }
                return a.count < b.count
            }
            for i in rows where validity?[i] ?? true {
                let r = offsets[i] ..< offsets[i + 1]
                if loRange.map({ less(r, $0) }) ?? true { loRange = r }
                if hiRange.map({ less($0, r) }) ?? true { hiRange = r }
            }
            guard let loRange, let hiRange else { return nil }
            return (Array(d[loRange]), Array(d[hiRange]))
        }
    }
}

extension ColumnStatistics {
    /// Statistics of the concatenation of two columns of the same type.
    public func merged(with other: ColumnStatistics) -> ColumnStatistics {
        func pick(_ a: Value?, _ b: Value?, _ wantLess: Bool) -> Value? {
            guard let a else { return b }
            guard let b else { return a }
            guard let less = a.statisticsLess(than: b) else { return nil }
            return less == wantLess ? a : b
        }
        return ColumnStatistics(nullCount: nullCount + other.nullCount,
                                min: pick(min, other.min, true), max: pick(max, other.max, false))
    }
}

extension Value {
    /// Order used by statistics: numeric, bool false < true, bytes unsigned lexicographic.
    /// Nil when the two values are of different kinds.
    public func statisticsLess(than other: Value) -> Bool? {
        switch (self, other) {
        case let (.int32(a), .int32(b)), let (.date(a), .date(b)): return a < b
        case let (.int64(a), .int64(b)), let (.timestamp(a), .timestamp(b)): return a < b
        case let (.float32(a), .float32(b)): return a < b
        case let (.float64(a), .float64(b)): return a < b
        case let (.bool(a), .bool(b)): return !a && b
        case let (.string(a), .string(b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        case let (.binary(a), .binary(b)): return a.lexicographicallyPrecedes(b)
        default: return nil
        }
    }

}
