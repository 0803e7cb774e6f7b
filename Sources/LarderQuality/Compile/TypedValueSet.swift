import LarderColumnar

/// A `value_set` converted to the column's physical values, so membership is a hash lookup
/// on raw buffers. Each element keeps its JSON form (for results) and its key, or nil when no
/// value of the column can equal it (2.5 for an integer column, null): such elements never
/// match, but still count for "contain set" and "equal set".
struct TypedValueSet: Sendable {
    /// A value as the scan sees it: integer-like values (in the column's unit: days for
    /// dates, microseconds for timestamps) and bools (0 / 1) as bits, floats as canonical
    /// bits (see ``FloatKey``), strings and binary as bytes.
    enum Key: Hashable, Sendable {
        case fixed(UInt64)
        case bytes([UInt8])
    }

    var elements: [(value: QualityJSON, key: Key?)] = []
    var keys: Set<Key> = []

    private mutating func add(_ value: QualityJSON, _ key: Key?) {
        elements.append((value, key))
        if let key { keys.insert(key) }
    }

    /// The fixed-width keys (for integer, float, bool, date and timestamp columns).
    var fixedKeys: [UInt64] { keys.compactMap { if case .fixed(let k) = $0 { k } else { nil } } }

    func contains(bytes: [UInt8]) -> Bool { keys.contains(.bytes(bytes)) }

    /// Converts `values` for a column of `type`.
    /// - Throws: `.typeMismatch` for an element of a kind the column can never hold (a number
    ///   for a string column), `.invalidKwargs` for a date or time string that does not parse.
    static func make(_ values: [QualityJSON], for type: DataType, kwarg: String,
                     _ fail: (QualityError.Code, String) -> QualityError) throws(QualityError) -> TypedValueSet {
        var set = TypedValueSet()
        func mismatch(_ v: QualityJSON) -> QualityError {
            fail(.typeMismatch, "\(kwarg) holds \(v.jsonText()) (\(v.kindName)), which a \(type) column cannot hold")
        }
        for v in values {
            if v == .null { set.add(v, nil); continue }
            switch type {
            case .int32, .int64:
                switch v {
                case .int(let i): set.add(v, .fixed(UInt64(bitPattern: i)))
                case .double(let d):
                    if d.isFinite, d.rounded() == d, let i = Int64(exactly: d) { set.add(v, .fixed(UInt64(bitPattern: i))) } else { set.add(v, nil) }
                default: throw mismatch(v)
                }
            case .float32, .float64:
                guard let d = v.numberValue else { throw mismatch(v) }
                if d.isNaN || (type == .float32 && Double(Float(d)) != d) { set.add(v, nil) } else { set.add(v, .fixed(FloatKey.bits(d))) }
            case .bool:
                guard case .bool(let b) = v else { throw mismatch(v) }
                set.add(v, .fixed(b ? 1 : 0))
            case .string, .binary:
                guard let s = v.stringValue else { throw mismatch(v) }
                set.add(v, .bytes(Array(s.utf8)))
            case .timestamp, .date:
                guard let s = v.stringValue else {
                    throw fail(.typeMismatch, "\(kwarg) holds \(v.jsonText()); give \(type) values as ISO 8601 strings")
                }
                guard let micros = Timestamp.parseISO8601(s) else {
                    throw fail(.invalidKwargs, "\(kwarg) holds \"\(s)\", which is not an ISO 8601 date or time")
                }
                if type == .date {
                    set.add(v, micros % Timestamp.microsPerDay == 0 ? .fixed(UInt64(bitPattern: micros / Timestamp.microsPerDay)) : nil)
                } else {
                    set.add(v, .fixed(UInt64(bitPattern: micros)))
                }
            case .vector:
                throw fail(.typeMismatch, "value sets do not apply to vector columns")
            }
        }
        return set
    }
}

/// Canonical bits of a double for hashing and equality: `-0.0` as `0.0`.
enum FloatKey {
    @inline(__always)
    static func bits(_ d: Double) -> UInt64 { d == 0 ? 0 : d.bitPattern }

    @inline(__always)
    static func value(_ bits: UInt64) -> Double { Double(bitPattern: bits) }
}
