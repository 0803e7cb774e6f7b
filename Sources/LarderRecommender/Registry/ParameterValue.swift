import Foundation

/// A JSON value: a model's training parameters are a JSON object of these.
///
/// Integers and other numbers are kept apart so `64` round-trips as an integer; as in JSON, an
/// integer equals the number with the same value (`.integer(3) == .number(3.0)`), because a
/// whole `Double` is written without a fraction and reads back as an integer. Numbers must be
/// finite (JSON has no NaN); ``ModelRegistry/register(name:kind:parameters:metrics:lineage:artifacts:code:)``
/// refuses others, naming the parameter.
///
/// ```swift
/// let parameters: [String: ParameterValue] = ["factors": 64, "regularization": 0.01, "solver": "cg"]
/// ```
public enum ParameterValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([ParameterValue])
    case object([String: ParameterValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .integer(i)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)  // before Double: a decoder that reads "NaN" as a number must not
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let a = try? c.decode([ParameterValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: ParameterValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value as a Double, for integers and other numbers.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    /// The value as an Int, for integers (and numbers with no fractional part).
    public var intValue: Int? {
        switch self {
        case .integer(let i): Int(exactly: i)
        case .number(let d): Int(exactly: d)
        default: nil
        }
    }

    /// The value as a String, for strings.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as a Bool, for booleans.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The path (`a.b[2]`) of the first non-finite number inside, if any.
    func firstNonFinite(at path: String) -> String? {
        switch self {
        case .number(let d): return d.isFinite ? nil : path
        case .array(let a):
            for (i, v) in a.enumerated() { if let p = v.firstNonFinite(at: "\(path)[\(i)]") { return p } }
            return nil
        case .object(let o):
            for k in o.keys.sorted() { if let p = o[k]?.firstNonFinite(at: "\(path).\(k)") { return p } }
            return nil
        default: return nil
        }
    }
}

extension ParameterValue {
    public static func == (a: ParameterValue, b: ParameterValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.integer, .number), (.number, .integer), (.number, .number): a.doubleValue == b.doubleValue && a.exactInteger == b.exactInteger
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .integer, .number:
            if let i = exactInteger { hasher.combine(2); hasher.combine(i) } else { hasher.combine(3); hasher.combine(doubleValue) }
        case .string(let s): hasher.combine(4); hasher.combine(s)
        case .array(let a): hasher.combine(5); hasher.combine(a)
        case .object(let o): hasher.combine(6); hasher.combine(o)
        }
    }

    /// The integer a number equals exactly, if any.
    private var exactInteger: Int64? {
        switch self {
        case .integer(let i): i
        case .number(let d): Int64(exactly: d)
        default: nil
        }
    }
}

extension ParameterValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: ParameterValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, ParameterValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension ParameterValue {
    /// The JSON form of any Encodable value (e.g. a model's parameter struct), to store in a
    /// manifest.
    /// - Throws: ``ModelRegistryError/Code/invalidInput`` when it does not encode to JSON
    ///   (e.g. a non-finite number).
    public init(encoding value: some Encodable) throws {
        do {
            let data = try JSONEncoder().encode(value)
            self = try JSONDecoder().decode(ParameterValue.self, from: data)
        } catch {
            throw ModelRegistryError(.invalidInput, "the value does not encode as JSON", underlying: error)
        }
    }

    /// Decodes this JSON value as `type` (e.g. the parameter struct it was made from).
    /// - Throws: ``ModelRegistryError/Code/invalidInput`` naming the type when it does not match.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(self))
        } catch {
            throw ModelRegistryError(.invalidInput, "the stored value is not a \(T.self)", underlying: error)
        }
    }

    /// The members of an object, or nil for other values.
    public var objectValue: [String: ParameterValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}
