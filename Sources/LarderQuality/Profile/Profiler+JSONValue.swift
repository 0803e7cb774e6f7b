extension Profiler {
    /// A JSON value with ordered object keys, written as pretty text: enough to write suites
    /// in a stable, readable layout (name first, then expectations; `column` first in kwargs).
    enum JSONValue: Sendable {
        case string(String)
        case int(Int64)
        case double(Double)
        case bool(Bool)
        case array([JSONValue])
        case object([(String, JSONValue)])

        /// The value as JSON text, indented by two spaces per level. Non-finite doubles (which
        /// callers avoid) are written as `null`, since JSON has no spelling for them.
        func text(indent: Int = 0) -> String {
            let pad = String(repeating: "  ", count: indent + 1)
            let close = String(repeating: "  ", count: indent)
            switch self {
            case .string(let s): return Self.quoted(s)
            case .int(let v): return "\(v)"
            case .double(let v): return v.isFinite ? "\(v)" : "null"
            case .bool(let v): return v ? "true" : "false"
            case .array(let items):
                if items.isEmpty { return "[]" }
                // Arrays of scalars stay on one line (value sets, column lists).
                if items.allSatisfy(\.isScalar) {
                    return "[" + items.map { $0.text() }.joined(separator: ", ") + "]"
                }
                return "[\n" + items.map { pad + $0.text(indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "]"
            case .object(let members):
                if members.isEmpty { return "{}" }
                return "{\n" + members.map { pad + Self.quoted($0.0) + ": " + $0.1.text(indent: indent + 1) }
                    .joined(separator: ",\n") + "\n" + close + "}"
            }
        }

        private var isScalar: Bool {
            switch self {
            case .array, .object: false
            default: true
            }
        }

        /// `s` as a JSON string: quotes, backslashes and control characters escaped; other
        /// characters, non-ASCII included, as they are (JSON text is UTF-8).
        static func quoted(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F
                    || scalar.value == 0x2028 || scalar.value == 0x2029:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
    }
}
