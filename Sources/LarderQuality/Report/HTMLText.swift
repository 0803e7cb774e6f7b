import Foundation

/// HTML being built: markup the report writes itself goes in with ``raw(_:)``, anything that
/// comes from data goes in with ``text(_:)``, which escapes it.
struct HTMLText: Sendable {
    private(set) var output = ""

    /// Appends markup written by the report itself (never data).
    mutating func raw(_ markup: String) {
        output += markup
    }

    /// Appends `value` as text: safe in element content and in quoted attribute values.
    mutating func text(_ value: String) {
        output += Self.escape(value)
    }

    /// `value` with `&`, `<`, `>`, `"` and `'` replaced by character references, and control
    /// characters (other than tab, newline and carriage return) shown as their Unicode
    /// "control picture" (U+2400 + code), so NUL or ESC in data is visible, not raw.
    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20:
                out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
            case _ where scalar.value == 0x7F: out += "\u{2421}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An `id` for a column's section: `column-` and the name's UTF-8 bytes in hex, so any
    /// name (spaces, quotes, non-ASCII) makes a valid, unique fragment.
    static func anchor(_ column: String) -> String {
        "column-" + column.utf8.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// A number for people: integers without a fraction, others with up to six significant
    /// digits; NaN and infinities spelled out.
    static func number(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "−∞" : "∞" }
        if x == x.rounded(), abs(x) < 1e15 { return "\(Int64(x))" }
        return String(format: "%.6g", x)
    }

    /// `12.5%`, with two decimals at most.
    static func percent(_ x: Double) -> String {
        guard x.isFinite else { return number(x) + "%" }
        var text = String(format: "%.2f", x)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }

    /// Shortens `text` to `limit` characters with an ellipsis.
    static func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 0))) + "…"
    }
}
