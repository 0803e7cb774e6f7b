import LarderColumnar

/// Reads one expectation's kwargs, turning every problem into a ``QualityError`` that names
/// the expectation and the kwarg.
struct KwargReader {
    let expectation: Expectation
    let index: Int
    let kind: ExpectationKind
    let schema: Schema

    init(_ expectation: Expectation, index: Int, kind: ExpectationKind, schema: Schema) throws(QualityError) {
        self.expectation = expectation
        self.index = index
        self.kind = kind
        self.schema = schema
        try checkNames()
    }

    func error(_ code: QualityError.Code, _ message: String) -> QualityError {
        QualityError(code, message, expectationIndex: index, expectationType: expectation.type)
    }

    private var kwargs: [String: QualityJSON] { expectation.kwargs }

    /// Refuses kwargs the type does not know, and row filters Larder does not support.
    private func checkNames() throws(QualityError) {
        for key in kwargs.keys.sorted() {
            if kind.kwargs.contains(key) || ExpectationKind.ignoredKwargs.contains(key) { continue }
            if ExpectationKind.unsupportedKwargs.contains(key) {
                if kwargs[key] == .null { continue }
                throw error(.invalidKwargs, "\(key) is not supported: Larder validates whole tables; filter the data before validating")
            }
            let known = kind.kwargs.sorted().joined(separator: ", ")
            throw error(.invalidKwargs, "unknown kwarg '\(key)'; \(expectation.type) takes \(known)")
        }
    }

    /// The kwarg, treating JSON null as absent.
    func value(_ key: String) -> QualityJSON? {
        guard let v = kwargs[key], v != .null else { return nil }
        return v
    }

    func required(_ key: String) throws(QualityError) -> QualityJSON {
        guard let v = value(key) else { throw error(.invalidKwargs, "missing kwarg '\(key)'") }
        return v
    }

    func string(_ key: String) throws(QualityError) -> String {
        let v = try required(key)
        guard let s = v.stringValue else { throw error(.invalidKwargs, "\(key) must be a string, not \(v.kindName)") }
        return s
    }

    func bool(_ key: String, default fallback: Bool = false) throws(QualityError) -> Bool {
        guard let v = value(key) else { return fallback }
        guard case .bool(let b) = v else { throw error(.invalidKwargs, "\(key) must be true or false, not \(v.kindName)") }
        return b
    }

    /// An optional number kwarg.
    func number(_ key: String) throws(QualityError) -> QualityJSON? {
        guard let v = value(key) else { return nil }
        guard v.numberValue != nil, !(v.numberValue ?? 0).isNaN else {
            throw error(.invalidKwargs, "\(key) must be a number, not \(v.kindName)")
        }
        return v
    }

    /// A required integer kwarg (an integral double such as `3.0` is accepted).
    func integer(_ key: String) throws(QualityError) -> Int64 {
        let v = try required(key)
        switch v {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9e18: return Int64(d)
        default: throw error(.invalidKwargs, "\(key) must be an integer, not \(v.jsonText())")
        }
    }

    func array(_ key: String) throws(QualityError) -> [QualityJSON]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw error(.invalidKwargs, "\(key) must be an array, not \(v.kindName)") }
        return a
    }

    func stringList(_ key: String) throws(QualityError) -> [String]? {
        guard let a = try array(key) else { return nil }
        var out: [String] = []
        for v in a {
            guard let s = v.stringValue else { throw error(.invalidKwargs, "\(key) must hold strings, not \(v.kindName)") }
            out.append(s)
        }
        return out
    }

    /// GE's `mostly`: a number in [0, 1], default 1.
    func mostly() throws(QualityError) -> Double {
        guard let v = try number("mostly") else { return 1 }
        let m = v.numberValue ?? 1
        guard m >= 0 && m <= 1 else { throw error(.invalidKwargs, "mostly must be between 0 and 1, not \(v.jsonText())") }
        return m
    }

    /// The column named by `key`, as (position, field).
    func column(_ key: String = "column") throws(QualityError) -> (Int, Field) {
        let name = try string(key)
        return try resolve(name)
    }

    func resolve(_ name: String) throws(QualityError) -> (Int, Field) {
        guard let i = schema.index(of: name) else {
            throw error(.unknownColumn, "unknown column '\(name)'; the schema has \(schema.names.joined(separator: ", "))")
        }
        return (i, schema.fields[i])
    }

    /// `min_value` / `max_value` (+ `strict_*` when the type has them) for a statistic. For
    /// date and timestamp columns (`temporal`), bounds are ISO 8601 strings, returned as
    /// `.int` microseconds; otherwise numbers.
    /// - Throws: for a bound of the wrong kind, or min > max.
    func bounds(temporal: Bool = false, requireOne: Bool = false) throws(QualityError) -> NumericBounds {
        var b = NumericBounds()
        b.min = try bound("min_value", temporal: temporal)
        b.max = try bound("max_value", temporal: temporal)
        b.strictMin = try bool("strict_min")
        b.strictMax = try bool("strict_max")
        if requireOne && b.min == nil && b.max == nil {
            throw error(.invalidKwargs, "min_value and max_value cannot both be null")
        }
        if let lo = b.min, let hi = b.max, let c = NumberOrder.compare(lo, hi), c > 0 {
            throw error(.invalidKwargs, "min_value \(try displayBound("min_value")) is greater than max_value \(try displayBound("max_value"))")
        }
        return b
    }

    private func displayBound(_ key: String) throws(QualityError) -> String { value(key)?.jsonText() ?? "null" }

    func bound(_ key: String, temporal: Bool) throws(QualityError) -> QualityJSON? {
        guard let v = value(key) else { return nil }
        return try Self.parseBound(v, temporal: temporal) { code, message in error(code, "\(key) \(message)") }
    }

    /// A bound value: a number, or for temporal columns an ISO 8601 string as microseconds.
    static func parseBound(_ v: QualityJSON, temporal: Bool,
                           _ fail: (QualityError.Code, String) -> QualityError) throws(QualityError) -> QualityJSON {
        if temporal {
            guard let s = v.stringValue else {
                throw fail(.typeMismatch, "must be an ISO 8601 date or time string for a date or timestamp column, not \(v.jsonText())")
            }
            guard let micros = Timestamp.parseISO8601(s) else {
                throw fail(.invalidKwargs, "\"\(s)\" is not an ISO 8601 date or time")
            }
            return .int(micros)
        }
        guard let d = v.numberValue else {
            throw fail(.typeMismatch, "must be a number, not \(v.jsonText())")
        }
        guard !d.isNaN else { throw fail(.invalidKwargs, "must not be NaN") }
        return v
    }
}
