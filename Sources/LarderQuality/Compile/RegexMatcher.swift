import Foundation

/// A compiled regular expression with Python's `re.search` semantics (GE's pandas engine runs
/// `Series.str.contains(regex)`): a value matches when the pattern matches anywhere in it.
///
/// Patterns run on ICU (`NSRegularExpression`), whose syntax is close to Python's for the
/// patterns suites use. Python's named groups `(?P<name>...)` and back-references
/// `(?P=name)` are rewritten to ICU's `(?<name>...)` and `\k<name>`, and Python's `\Z`
/// (absolute end) to ICU's `\z`.
///
/// Each scan task matches with its own copy (``fresh()``), so no ICU matcher is shared between
/// threads whatever the Foundation implementation does internally.
struct RegexMatcher: @unchecked Sendable {
    private let regex: NSRegularExpression
    let pattern: String

    private init(compiled: NSRegularExpression, pattern: String) {
        self.regex = compiled
        self.pattern = pattern
    }

    /// A matcher with its own compiled expression, for one thread.
    func fresh() -> RegexMatcher {
        guard let copy = try? NSRegularExpression(pattern: regex.pattern, options: regex.options) else { return self }
        return RegexMatcher(compiled: copy, pattern: pattern)
    }

    /// - Throws: `.invalidKwargs` naming the pattern when ICU cannot compile it.
    init(_ pattern: String, _ fail: (QualityError.Code, String) -> QualityError) throws(QualityError) {
        self.pattern = pattern
        do {
            regex = try NSRegularExpression(pattern: Self.icuPattern(pattern))
        } catch {
            throw fail(.invalidKwargs, "regex \"\(pattern)\" does not compile: \(error.localizedDescription)")
        }
    }

    /// Whether the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        let ns = text as NSString
        return regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// Whether the pattern matches somewhere in the UTF-8 `bytes` (invalid UTF-8 is repaired
    /// with U+FFFD first, as Python would have decoded it with `errors="replace"`).
    func matches(utf8 bytes: UnsafeRawBufferPointer) -> Bool {
        matches(String(decoding: bytes, as: UTF8.self))
    }

    /// Python regex syntax rewritten for ICU, outside character classes and escapes.
    static func icuPattern(_ python: String) -> String {
        var out = ""
        let chars = Array(python)
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if next == "Z" && !inClass { out += "\\z" } else { out.append(c); out.append(next) }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
                i += 1
                continue
            }
            if c == "[" {
                inClass = true
                out.append(c)
                i += 1
                if i < chars.count, chars[i] == "^" { out.append("^"); i += 1 }
                if i < chars.count, chars[i] == "]" { out.append("]"); i += 1 }
                continue
            }
            if c == "(", i + 2 < chars.count, chars[i + 1] == "?", chars[i + 2] == "P" {
                if i + 3 < chars.count, chars[i + 3] == "<" {
                    out += "(?<"
                    i += 4
                    continue
                }
                if i + 3 < chars.count, chars[i + 3] == "=",
                   let close = chars[(i + 4)...].firstIndex(of: ")") {
                    out += "\\k<" + String(chars[(i + 4) ..< close]) + ">"
                    i = close + 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
