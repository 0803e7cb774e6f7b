// Compare a column with a scalar, test membership, and test for nulls. Each returns a
// ``Bitmap`` mask for `Column.filter(_:)`; a null row is never selected.

/// A comparison operator for ``Column/compare(_:_:)``.
public enum CompareOp: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="

    /// The operator written as a symbol (`==`, `!=`, `<`, `<=`, `>`, `>=`); `=` and `<>` are
    /// accepted too, as in SQL.
    public init?(symbol: String) {
        switch symbol {
        case "=": self = .equal
        case "<>": self = .notEqual
        default: self.init(rawValue: symbol)
        }
    }

    /// The operator's symbol.
    public var description: String { rawValue }
}

extension Column {
    /// A mask of the rows where `row op scalar` holds. Null rows, and every row when `scalar`
    /// is `.null`, are false (SQL semantics).
    ///
    /// ```swift
    /// let adults = try ages.compare(.greaterOrEqual, .int64(18))
    /// let rows = try batch.filter(adults)
    /// ```
    /// Integer literals widen: an int32, int64, date or timestamp column accepts an `.int32`
    /// or `.int64` scalar as well as a scalar of its own type, and a float column accepts any
    /// integer or float scalar (compared as `Double`). Floats follow IEEE 754: a NaN row or
    /// scalar makes every operator false except `!=`, and `-0.0 == 0.0`. Strings and binary
    /// compare by bytes (UTF-8 order), bools as `false < true`. Vectors support only `==` and
    /// `!=` (element-wise).
    /// - Throws: ``ColumnarError`` `.typeMismatch` when the scalar's type does not fit the
    ///   column (a string scalar for an int column, a float scalar for an int column, an
    ///   ordering operator on vectors, a vector of another dimension).
    public func compare(_ op: CompareOp, _ scalar: Value) throws -> Bitmap {
        guard let s = try comparand(scalar) else { return Bitmap(count: count, value: false) }
        let mask: Bitmap
        switch (storage, s) {
        case (.int64(let v), .int(let x)):
            mask = v.withUnsafeBufferPointer { compareMask($0, op, x) { $0 } }
        case (.int32(let v), .int(let x)):
            if let x32 = Int32(exactly: x) {
                mask = v.withUnsafeBufferPointer { compareMask($0, op, x32) { $0 } }
            } else {
                // Every Int32 lies on the same side of x.
                let rowsAreLess = x > 0
                let holds: Bool
                switch op {
                case .equal: holds = false
                case .notEqual: holds = true
                case .less, .lessOrEqual: holds = rowsAreLess
                case .greater, .greaterOrEqual: holds = !rowsAreLess
                }
                mask = Bitmap(count: count, value: holds)
            }
        case (.float64(let v), .float(let x)):
            mask = v.withUnsafeBufferPointer { compareMask($0, op, x) { $0 } }
        case (.float32(let v), .float(let x)):
            mask = v.withUnsafeBufferPointer { compareMask($0, op, x) { Double($0) } }
        case (.bool(let v), .bool(let x)):
            mask = v.withUnsafeBufferPointer { compareMask($0, op, x ? 1 : 0) { UInt8($0 ? 1 : 0) } }
        case (.bytes(let offsets, let data), .bytes(let x)):
            mask = compareBytesMask(offsets: offsets, data: data, op, x)
        case (.vector(let d, let values), .vector(let x)):
            guard op == .equal || op == .notEqual else {
                throw ColumnarError(.typeMismatch, "vectors support only == and !=, not \(op)")
            }
            let equal = values.withUnsafeBufferPointer { v in
                Bitmap.build(count: count) { i in
                    for k in 0 ..< d where v[i * d + k] != x[k] { return false }
                    return true
                }
            }
            mask = op == .equal ? equal : ~equal
        default:
            throw ColumnarError(.typeMismatch, "cannot compare a \(type) column with \(scalar)")
        }
        return maskingNulls(mask)
    }

    /// A mask of the null rows.
    public func isNull() -> Bitmap {
        validity.map { ~$0 } ?? Bitmap(count: count, value: false)
    }

    /// A mask of the non-null rows.
    public func isNotNull() -> Bitmap {
        validity ?? Bitmap(count: count, value: true)
    }

    /// A mask of the rows whose value is one of `values` (SQL `IN`). Null rows are false.
    ///
    /// ```swift
    /// let forgotten = users.isIn([.int64(17), .int64(42)])
    /// ```
    /// Values follow the typing rules of ``compare(_:_:)``; values of another type never match
    /// (nor does `.null`). Floats match by IEEE equality, so NaN never matches and `-0.0`
    /// matches `0.0`.
    public func isIn(_ values: Set<Value>) -> Bitmap {
        var ints: [UInt64] = []
        var byteValues: [[UInt8]] = []
        var vectors: [[Float]] = []
        var bools: (no: Bool, yes: Bool) = (false, false)
        for value in values {
            switch try? comparand(value) {
            case .int(let x): ints.append(UInt64(bitPattern: x))
            case .float(let x): if !x.isNaN { ints.append(RowHash.normalizedBits(x)) }
            case .bool(let x): if x { bools.yes = true } else { bools.no = true }
            case .bytes(let x): byteValues.append(x)
            case .vector(let x): vectors.append(x)
            case nil: break
            }
        }
        let mask: Bitmap
        switch storage {
        case .int64(let v): mask = membership(v, ints) { UInt64(bitPattern: $0) }
        case .int32(let v): mask = membership(v, ints) { UInt64(bitPattern: Int64($0)) }
        case .float64(let v): mask = membership(v, ints) { RowHash.normalizedBits($0) }
        case .float32(let v): mask = membership(v, ints) { RowHash.normalizedBits(Double($0)) }
        case .bool(let v):
            mask = v.withUnsafeBufferPointer { b in Bitmap.build(count: count) { b[$0] ? bools.yes : bools.no } }
        case .bytes(let offsets, let data):
            mask = bytesMembership(offsets: offsets, data: data, byteValues)
        case .vector(let d, let v):
            mask = v.withUnsafeBufferPointer { v in
                Bitmap.build(count: count) { i in
                    vectors.contains { x in (0 ..< d).allSatisfy { v[i * d + $0] == x[$0] } }
                }
            }
        }
        return maskingNulls(mask)
    }

    /// `mask` with the null rows cleared.
    func maskingNulls(_ mask: Bitmap) -> Bitmap {
        guard let validity else { return mask }
        return mask & validity
    }

    /// The scalar coerced to this column's comparison domain; `nil` for `.null`.
    private func comparand(_ value: Value) throws -> Comparand? {
        switch (type, value) {
        case (_, .null): return nil
        case (.int32, .int32(let x)), (.int64, .int32(let x)), (.date, .int32(let x)),
             (.timestamp, .int32(let x)), (.date, .date(let x)):
            return .int(Int64(x))
        case (.int32, .int64(let x)), (.int64, .int64(let x)), (.date, .int64(let x)),
             (.timestamp, .int64(let x)), (.timestamp, .timestamp(let x)):
            return .int(x)
        case (.float32, .float32(let x)), (.float64, .float32(let x)): return .float(Double(x))
        case (.float32, .float64(let x)), (.float64, .float64(let x)): return .float(x)
        case (.float32, .int32(let x)), (.float64, .int32(let x)): return .float(Double(x))
        case (.float32, .int64(let x)), (.float64, .int64(let x)): return .float(Double(x))
        case (.bool, .bool(let x)): return .bool(x)
        case (.string, .string(let x)): return .bytes(Array(x.utf8))
        case (.binary, .binary(let x)): return .bytes(x)
        case (.vector(let d), .vector(let x)):
            guard x.count == d else {
                throw ColumnarError(.typeMismatch, "a vector of \(x.count) values cannot match a \(type) column")
            }
            return .vector(x)
        default:
            throw ColumnarError(.typeMismatch, "cannot compare a \(type) column with \(value)")
        }
    }
}

/// A scalar converted to the representation a column compares in.
private enum Comparand {
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case bytes([UInt8])
    case vector([Float])
}

@inline(__always)
private func compareMask<T, K: Comparable>(_ v: UnsafeBufferPointer<T>, _ op: CompareOp, _ x: K, _ key: (T) -> K) -> Bitmap {
    switch op {
    case .equal: Bitmap.build(count: v.count) { key(v[$0]) == x }
    case .notEqual: Bitmap.build(count: v.count) { key(v[$0]) != x }
    case .less: Bitmap.build(count: v.count) { key(v[$0]) < x }
    case .lessOrEqual: Bitmap.build(count: v.count) { key(v[$0]) <= x }
    case .greater: Bitmap.build(count: v.count) { key(v[$0]) > x }
    case .greaterOrEqual: Bitmap.build(count: v.count) { key(v[$0]) >= x }
    }
}

private func compareBytesMask(offsets: [Int], data: [UInt8], _ op: CompareOp, _ x: [UInt8]) -> Bitmap {
    offsets.withUnsafeBufferPointer { off in
        data.withUnsafeBytes { d in
            x.withUnsafeBytes { s in
                let n = off.count - 1
                let holds: (Int) -> Bool
                switch op {
                case .equal: holds = { $0 == 0 }
                case .notEqual: holds = { $0 != 0 }
                case .less: holds = { $0 < 0 }
                case .lessOrEqual: holds = { $0 <= 0 }
                case .greater: holds = { $0 > 0 }
                case .greaterOrEqual: holds = { $0 >= 0 }
                }
                if op == .equal || op == .notEqual {
                    let want = op == .equal
                    return Bitmap.build(count: n) { i in
                        let length = off[i + 1] - off[i]
                        guard length == s.count else { return !want }
                        return (compareBytes(d.baseAddress, off[i], length, s.baseAddress, 0, s.count) == 0) == want
                    }
                }
                return Bitmap.build(count: n) { i in
                    holds(compareBytes(d.baseAddress, off[i], off[i + 1] - off[i], s.baseAddress, 0, s.count))
                }
            }
        }
    }
}

/// Lexicographic comparison of two byte ranges (unsigned bytes; a proper prefix sorts first):
/// negative, zero or positive. Compares eight bytes at a time.
@inline(__always)
func compareBytes(_ a: UnsafeRawPointer?, _ aStart: Int, _ aCount: Int,
                  _ b: UnsafeRawPointer?, _ bStart: Int, _ bCount: Int) -> Int {
    let common = min(aCount, bCount)
    if common > 0, let a, let b {
        let p = a + aStart
        let q = b + bStart
        var i = 0
        while i + 8 <= common {
            let x = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let y = UInt64(bigEndian: q.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            i += 8
        }
        while i < common {
            let x = p.load(fromByteOffset: i, as: UInt8.self)
            let y = q.load(fromByteOffset: i, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
    }
    return aCount == bCount ? 0 : (aCount < bCount ? -1 : 1)
}

/// An open-addressing set of 64-bit keys, each with a small payload (an index into a side
/// table); duplicate keys are allowed and all are visited on lookup.
struct ProbeTable {
    private var keys: [UInt64]
    private var payloads: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        payloads = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    mutating func insert(_ key: UInt64, payload: Int32) {
        var i = Int(truncatingIfNeeded: RowHash.mix(key)) & mask
        while payloads[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        payloads[i] = payload
    }

    /// Whether some entry has `key` and a payload for which `match` holds.
    @inline(__always)
    func contains(_ key: UInt64, where match: (Int32) -> Bool) -> Bool {
        var i = Int(truncatingIfNeeded: RowHash.mix(key)) & mask
        while payloads[i] >= 0 {
            if keys[i] == key && match(payloads[i]) { return true }
            i = (i + 1) & mask
        }
        return false
    }
}

private func membership<T>(_ values: [T], _ keys: [UInt64], _ key: (T) -> UInt64) -> Bitmap {
    guard !keys.isEmpty else { return Bitmap(count: values.count, value: false) }
    var table = ProbeTable(capacity: keys.count)
    for k in keys { table.insert(k, payload: 0) }
    return values.withUnsafeBufferPointer { v in
        Bitmap.build(count: v.count) { i in table.contains(key(v[i])) { _ in true } }
    }
}

private func bytesMembership(offsets: [Int], data: [UInt8], _ candidates: [[UInt8]]) -> Bitmap {
    let n = offsets.count - 1
    guard !candidates.isEmpty else { return Bitmap(count: n, value: false) }
    var table = ProbeTable(capacity: candidates.count)
    for (index, c) in candidates.enumerated() {
        let h = c.withUnsafeBytes { RowHash.bytes($0.baseAddress, from: 0, count: $0.count) }
        table.insert(h, payload: Int32(truncatingIfNeeded: index))
    }
    return offsets.withUnsafeBufferPointer { off in
        data.withUnsafeBytes { d in
            Bitmap.build(count: n) { i in
                let start = off[i]
                let length = off[i + 1] - start
                let h = RowHash.bytes(d.baseAddress, from: start, count: length)
                return table.contains(h) { index in
                    candidates[Int(index)].withUnsafeBytes { c in
                        compareBytes(d.baseAddress, start, length, c.baseAddress, 0, c.count) == 0
                    }
                }
            }
        }
    }
}

// MARK: Combining masks

extension Bitmap {
    /// Bits set in both masks (AND). Both must have the same count (a programming error
    /// otherwise).
    public static func & (lhs: Bitmap, rhs: Bitmap) -> Bitmap {
        precondition(lhs.count == rhs.count, "combining masks of \(lhs.count) and \(rhs.count) bits")
        return Bitmap(uncheckedBytes: zip(lhs.bytes, rhs.bytes).map { $0 & $1 }, count: lhs.count)
    }

    /// Bits set in either mask (OR). Both must have the same count (a programming error
    /// otherwise).
    public static func | (lhs: Bitmap, rhs: Bitmap) -> Bitmap {
        precondition(lhs.count == rhs.count, "combining masks of \(lhs.count) and \(rhs.count) bits")
        return Bitmap(uncheckedBytes: zip(lhs.bytes, rhs.bytes).map { $0 | $1 }, count: lhs.count)
    }

    /// Every bit flipped (NOT).
    public static prefix func ~ (mask: Bitmap) -> Bitmap {
        var bytes = mask.bytes.map { ~$0 }
        let rem = mask.count & 7
        if rem != 0 { bytes[bytes.count - 1] &= UInt8((1 << rem) - 1) }
        return Bitmap(uncheckedBytes: bytes, count: mask.count)
    }
}
