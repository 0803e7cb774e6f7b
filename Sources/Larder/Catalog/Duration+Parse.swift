/// Durations as written in definitions files (`ttl: 30d`): a positive integer and a unit, or a
/// plain integer number of seconds.
///
/// Units: `w` (weeks), `d` (days), `h` (hours), `m` (minutes), `s` (seconds), `ms`
/// (milliseconds), `us` (microseconds). Values are microseconds, like timestamps.
///
/// ```swift
/// DurationText.microseconds("30d")   // 2_592_000_000_000
/// DurationText.format(microseconds: 1_209_600_000_000)   // "2w"
/// ```
public enum DurationText {
    /// The units, largest first; `format` picks the largest that divides the value exactly.
    static let units: [(suffix: String, microseconds: Int64)] = [
        ("w", 604_800_000_000), ("d", 86_400_000_000), ("h", 3_600_000_000), ("m", 60_000_000),
        ("s", 1_000_000), ("ms", 1_000), ("us", 1),
    ]

    /// Why a duration did not parse.
    enum Problem: Error, Equatable {
        /// Not a number with a known unit.
        case invalid
        /// Zero or negative.
        case notPositive
        /// More microseconds than an `Int64` holds.
        case tooLarge
    }

    /// Parses `30d`, `12h`, `90m`, `45s`, `2w`, `1500ms`, `250us` or a plain integer number of
    /// seconds (`3600`) into microseconds.
    ///
    /// - Returns: nil if the text is not such a duration, or is zero, negative or too large.
    public static func microseconds(_ text: String) -> Int64? {
        try? parse(text)
    }

    /// Formats microseconds with the largest unit that divides them exactly (`30d`, `1500ms`).
    public static func format(microseconds: Int64) -> String {
        guard microseconds != 0 else { return "0s" }
        for unit in units where microseconds % unit.microseconds == 0 {
            return "\(microseconds / unit.microseconds)\(unit.suffix)"
        }
        return "\(microseconds)us"
    }

    /// Parses like ``microseconds(_:)`` but says what was wrong.
    static func parse(_ text: String) throws(Problem) -> Int64 {
        let trimmed = text.trimmingASCIIWhitespace()
        var digits = Substring(trimmed)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let numberEnd = digits.firstIndex { !("0" ... "9").contains($0) } ?? digits.endIndex
        let number = digits[..<numberEnd]
        let suffix = digits[numberEnd...]
        guard !number.isEmpty else { throw .invalid }
        let scale: Int64
        if suffix.isEmpty {
            scale = 1_000_000
        } else if let unit = units.first(where: { $0.suffix == suffix }) {
            scale = unit.microseconds
        } else {
            throw .invalid
        }
        // Leading zeros are fine; the value itself must fit.
        guard let value = Int64(number) else { throw .tooLarge }
        if negative || value == 0 { throw .notPositive }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        guard !overflow else { throw .tooLarge }
        return product
    }

    /// Seconds (an integer YAML scalar) as microseconds.
    static func fromSeconds(_ seconds: Int) throws(Problem) -> Int64 {
        guard seconds > 0 else { throw .notPositive }
        let (product, overflow) = Int64(seconds).multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { throw .tooLarge }
        return product
    }
}

fileprivate extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start ... last])
    }
}
