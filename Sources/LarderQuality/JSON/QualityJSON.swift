/// A JSON value, as expectation kwargs, observed values and results use it.
///
/// Integers and doubles are kept apart (`1` is `.int(1)`, `1.0` is `.double(1.0)`), as Python
/// and Great Expectations keep them apart; ``numberValue`` reads either as a `Double`.
/// Non-finite doubles are written as `null`, as Great Expectations writes NaN. Through
/// `Codable`, an integral double (`1.0`) comes back from `JSONDecoder` as `.int(1)`; use
/// ``jsonText(pretty:)`` and ``init(parsing:)`` to keep the two apart.
///
/// ```swift
/// let kwargs: [String: QualityJSON] = ["column": "visits_7d", "min_value": 0, "max_value": 1000]
/// ```
public enum QualityJSON: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([QualityJSON])
    case object([String: QualityJSON])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([QualityJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: QualityJSON].self)) }
    }

    /// Encodes the value as plain JSON (not as a tagged enum).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Whether the value is `null`.
    public var isNull: Bool { self == .null }

    /// The value of an `.int` or `.double`, as a `Double`.
    public var numberValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The string of a `.string`.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }

    /// The elements of an `.array`.
    public var arrayValue: [QualityJSON]? { if case .array(let a) = self { a } else { nil } }

    /// The members of an `.object`.
    public var objectValue: [String: QualityJSON]? { if case .object(let o) = self { o } else { nil } }

    /// The member `key` of an `.object`, else nil.
    public subscript(key: String) -> QualityJSON? { objectValue?[key] }

    /// A short name of the JSON kind, for error messages ("string", "array", ...).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension QualityJSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: QualityJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, QualityJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension QualityJSON: Comparable {
    /// An order for sorting mixed values deterministically: null, then booleans, then numbers
    /// (ints and doubles by value), then strings (by Unicode code point, as Python orders
    /// them), then arrays (element by element), then objects (by their JSON text).
    public static func < (a: QualityJSON, b: QualityJSON) -> Bool {
        let ra = a.rank, rb = b.rank
        if ra != rb { return ra < rb }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return !x && y
        case (.int(let x), .int(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.array(let x), .array(let y)): return x.lexicographicallyPrecedes(y)
        case (.object, .object): return a.jsonText() < b.jsonText()
        default:
            let x = a.numberValue ?? 0, y = b.numberValue ?? 0
            if x != y { return x < y }
            return ra == 2 && { if case .int = a { true } else { false } }() && { if case .double = b { true } else { false } }()
        }
    }

    private var rank: Int {
        switch self {
        case .null: 0
        case .bool: 1
        case .int, .double: 2
        case .string: 3
        case .array: 4
        case .object: 5
        }
    }
}
