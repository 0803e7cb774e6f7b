#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LarderColumnar

/// Parsers from the bytes of one CSV field to typed values, without creating a `String`.
///
/// Every function takes the field's bytes (already unquoted, and trimmed of surrounding
/// blanks for the non-text types) and returns nil when they are not a valid value.
enum CSVValueParser {
    // MARK: Integers

    /// `[+-]digits`, checked for `Int64` overflow.
    static func int64(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = s.count
        var i = 0
        var negative = false
        if i < n, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            negative = s[i] == UInt8(ascii: "-")
            i += 1
        }
        let digitCount = n - i
        guard digitCount > 0 else { return nil }
        if digitCount <= 18 {
            // At most 18 digits cannot overflow Int64.
            var v: Int64 = 0
            while i < n {
                let d = s[i] &- 48
                guard d < 10 else { return nil }
                v = v &* 10 &+ Int64(d)
                i += 1
            }
            return negative ? -v : v
        }
        var v: UInt64 = 0
        while i < n {
            let d = s[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            v = a
            i += 1
        }
        if negative {
            guard v <= UInt64(Int64.max) + 1 else { return nil }
            return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
        }
        guard v <= UInt64(Int64.max) else { return nil }
        return Int64(v)
    }

    /// `[+-]digits` within `Int32`.
    static func int32(_ s: UnsafeBufferPointer<UInt8>) -> Int32? {
        int64(s).flatMap { Int32(exactly: $0) }
    }

    /// Whether `s` is syntactically an integer (used to word an out-of-range error).
    static func looksLikeInteger(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        guard i < s.count else { return false }
        return s[i...].allSatisfy { $0 &- 48 < 10 }
    }

    // MARK: Floating point

    /// The decimal form of a float: sign, up to 19 significant digits and a power of ten.
    private struct Decimal {
        var negative = false
        var mantissa: UInt64 = 0
        var exponent = 0
        /// Nonzero digits were dropped beyond the 19 kept in `mantissa`.
        var inexact = false
        var special: Double?
    }

    /// Scans `[+-](digits[.digits]|.digits)([eE][+-]digits)`, or `nan`, `inf`, `infinity`
    /// (any case, optional sign). Returns nil for anything else, including hexadecimal.
    private static func scanDecimal(_ s: UnsafeBufferPointer<UInt8>) -> Decimal? {
        let n = s.count
        var i = 0
        var d = Decimal()
        if i < n, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            d.negative = s[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < n else { return nil }
        if s[i] | 0x20 == UInt8(ascii: "n") || s[i] | 0x20 == UInt8(ascii: "i") {
            let rest = UnsafeBufferPointer(rebasing: s[i...])
            if equalsLowercase(rest, "nan") {
                d.special = d.negative ? -Double.nan : Double.nan
            } else if equalsLowercase(rest, "inf") || equalsLowercase(rest, "infinity") {
                d.special = d.negative ? -Double.infinity : Double.infinity
            } else {
                return nil
            }
            return d
        }
        var sawDigit = false
        var kept = 0
        while i < n, s[i] &- 48 < 10 {
            let digit = UInt64(s[i] &- 48)
            sawDigit = true
            if kept < 19 {
                if d.mantissa != 0 || digit != 0 { d.mantissa = d.mantissa &* 10 &+ digit; kept += 1 }
            } else {
                d.exponent += 1
                if digit != 0 { d.inexact = true }
            }
            i += 1
        }
        if i < n, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, s[i] &- 48 < 10 {
                let digit = UInt64(s[i] &- 48)
                sawDigit = true
                if kept < 19 {
                    if d.mantissa != 0 || digit != 0 { d.mantissa = d.mantissa &* 10 &+ digit; kept += 1 }
                    d.exponent -= 1
                } else if digit != 0 {
                    d.inexact = true
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, s[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
                expNegative = s[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n else { return nil }
            var e = 0
            while i < n, s[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(s[i] &- 48) }
                i += 1
            }
            d.exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        return d
    }

    private static let doublePowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
    private static let floatPowers: [Float] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

    /// A correctly rounded `Double`. Short decimals take Clinger's exact fast path (mantissa
    /// and power of ten both exact in a `Double`, so one IEEE operation rounds correctly);
    /// the rest go through the C library's `strtod`.
    static func float64(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let d = scanDecimal(s) else { return nil }
        if let special = d.special { return special }
        if d.mantissa == 0 { return d.negative ? -0.0 : 0.0 }
        if !d.inexact, d.mantissa <= 1 << 53, d.exponent >= -22, d.exponent <= 22 {
            let m = Double(d.mantissa)
            let v = d.exponent >= 0 ? m * doublePowers[d.exponent] : m / doublePowers[-d.exponent]
            return d.negative ? -v : v
        }
        return viaCString(s, strtod) ?? Double(String(decoding: s, as: UTF8.self))
    }

    /// A correctly rounded `Float` (parsed directly, not through `Double`, to avoid double
    /// rounding).
    static func float32(_ s: UnsafeBufferPointer<UInt8>) -> Float? {
        guard let d = scanDecimal(s) else { return nil }
        if let special = d.special { return Float(special) }
        if d.mantissa == 0 { return d.negative ? -0.0 : 0.0 }
        if !d.inexact, d.mantissa <= 1 << 24, d.exponent >= -10, d.exponent <= 10 {
            let m = Float(d.mantissa)
            let v = d.exponent >= 0 ? m * floatPowers[d.exponent] : m / floatPowers[-d.exponent]
            return d.negative ? -v : v
        }
        return viaCString(s, strtof) ?? Float(String(decoding: s, as: UTF8.self))
    }

    /// Calls a C parser on a NUL-terminated stack copy of `s` (already validated by
    /// `scanDecimal`). Nil if the parser did not consume every byte, which happens only when
    /// the process's locale uses another decimal point; the callers then use Swift's
    /// locale-independent parser.
    private static func viaCString<T>(
        _ s: UnsafeBufferPointer<UInt8>,
        _ parse: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
    ) -> T? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: s.count + 1) { buffer -> T? in
            guard let start = buffer.baseAddress else { return nil }
            for k in 0 ..< s.count { buffer[k] = CChar(bitPattern: s[k]) }
            buffer[s.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = parse(start, &end)
            guard let end, end - start == s.count else { return nil }
            return value
        }
    }

    // MARK: Booleans, binary

    /// `true/false/t/f/yes/no/1/0`, any case.
    static func bool(_ s: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch s.count {
        case 1:
            switch s[0] {
            case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "1"): return true
            case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "0"): return false
            default: return nil
            }
        case 2: return equalsLowercase(s, "no") ? false : nil
        case 3: return equalsLowercase(s, "yes") ? true : nil
        case 4: return equalsLowercase(s, "true") ? true : nil
        case 5: return equalsLowercase(s, "false") ? false : nil
        default: return nil
        }
    }

    /// Hexadecimal digits with an optional `0x`/`0X` prefix, appended to `out`. False for an
    /// odd digit count or a non-hex character.
    static func appendHex(_ s: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        var i = 0
        if s.count >= 2, s[0] == UInt8(ascii: "0"), s[1] | 0x20 == UInt8(ascii: "x") { i = 2 }
        guard (s.count - i) % 2 == 0 else { return false }
        while i < s.count {
            guard let hi = hexValue(s[i]), let lo = hexValue(s[i + 1]) else { return false }
            out.append(hi << 4 | lo)
            i += 2
        }
        return true
    }

    @inline(__always)
    private static func hexValue(_ c: UInt8) -> UInt8? {
        if c &- 48 < 10 { return c &- 48 }
        let l = c | 0x20
        if l >= UInt8(ascii: "a") && l <= UInt8(ascii: "f") { return l - UInt8(ascii: "a") + 10 }
        return nil
    }

    // MARK: Dates and times

    /// `YYYY-MM-DD` as days since the epoch (the same dates `Timestamp.parseISODate` accepts).
    static func date(_ s: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard s.count == 10, let days = isoDays(s) else { return nil }
        return Int32(exactly: days)
    }

    /// Days since the epoch of `YYYY-MM-DD` in the first ten bytes of `s`.
    @inline(__always)
    private static func isoDays(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard s.count >= 10, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
              let y = digits(s, 0, 4), let m = digits(s, 5, 2), let d = digits(s, 8, 2),
              m >= 1, m <= 12, d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return Timestamp.days(year: y, month: m, day: d)
    }

    /// An ISO 8601 timestamp in microseconds since the epoch, with the grammar of
    /// `Timestamp.parseISO8601`. The common shapes (`YYYY-MM-DD`, then `T`/space
    /// `HH:MM:SS[.fraction]` and an optional `Z`) are parsed here from the bytes; anything
    /// else (offsets, minutes without seconds, signed years) falls back to
    /// `Timestamp.parseISO8601`, so both always agree.
    static func iso8601(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        if let v = iso8601Fast(s) { return v }
        return Timestamp.parseISO8601(String(decoding: s, as: UTF8.self))
    }

    private static func iso8601Fast(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let days = isoDays(s) else { return nil }
        var micros = days * Timestamp.microsPerDay
        let n = s.count
        if n == 10 { return micros }
        guard n >= 19, s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t") || s[10] == UInt8(ascii: " "),
              s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":"),
              let h = digits(s, 11, 2), let mi = digits(s, 14, 2), let sec = digits(s, 17, 2),
              h < 24, mi < 60, sec < 61 else { return nil }
        micros += Int64(h * 3600 + mi * 60 + sec) * Timestamp.microsPerSecond
        var i = 19
        if i < n, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
            i += 1
            var scale: Int64 = 100_000
            let start = i
            while i < n, s[i] &- 48 < 10 {
                micros += Int64(s[i] &- 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        if i < n, s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") { i += 1 }
        return i == n ? micros : nil
    }

    /// `[+-]digits[.digits]` in units of `unitMicros` microseconds, as microseconds.
    /// Fraction digits finer than a microsecond are truncated. Nil on overflow.
    static func epoch(_ s: UnsafeBufferPointer<UInt8>, unitMicros: Int64) -> Int64? {
        var end = s.count
        for k in 0 ..< s.count where s[k] == UInt8(ascii: ".") { end = k; break }
        guard let whole = int64(UnsafeBufferPointer(rebasing: s[..<end])) else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: unitMicros)
        guard !overflow else { return nil }
        guard end < s.count else { return scaled }
        var fraction: Int64 = 0
        var scale = unitMicros / 10
        var i = end + 1
        guard i < s.count else { return nil }
        while i < s.count {
            let d = s[i] &- 48
            guard d < 10 else { return nil }
            fraction += Int64(d) * scale
            scale /= 10
            i += 1
        }
        let negative = s.first == UInt8(ascii: "-")
        let (v, o) = negative ? scaled.subtractingReportingOverflow(fraction) : scaled.addingReportingOverflow(fraction)
        return o ? nil : v
    }

    @inline(__always)
    private static func digits(_ s: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
        var v = 0
        for k in at ..< at + count {
            let d = s[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: Vectors

    /// `dimension` floats: `[1.0, 2.5, ...]`, or the same without brackets; numbers are
    /// separated by a comma or semicolon (blanks around it allowed) or by blanks alone.
    /// Appends them to `out`; false if the text is malformed or has another count.
    static func appendVector(_ s: UnsafeBufferPointer<UInt8>, dimension: Int, to out: inout [Float]) -> Bool {
        var lo = 0, hi = s.count
        if hi > 0, s[0] == UInt8(ascii: "[") {
            guard hi >= 2, s[hi - 1] == UInt8(ascii: "]") else { return false }
            lo = 1
            hi -= 1
        }
        var i = lo
        var count = 0
        var needNumber = false
        while true {
            while i < hi, isBlank(s[i]) { i += 1 }
            if i == hi { return !needNumber && count == dimension }
            let start = i
            while i < hi, !isBlank(s[i]), s[i] != UInt8(ascii: ","), s[i] != UInt8(ascii: ";") { i += 1 }
            guard i > start, count < dimension,
                  let v = float32(UnsafeBufferPointer(rebasing: s[start ..< i])) else { return false }
            out.append(v)
            count += 1
            while i < hi, isBlank(s[i]) { i += 1 }
            needNumber = false
            if i < hi, s[i] == UInt8(ascii: ",") || s[i] == UInt8(ascii: ";") {
                i += 1
                needNumber = true
            }
        }
    }

    // MARK: Text

    /// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or values past
    /// U+10FFFF). Returns the offset of the first bad byte, or nil if valid.
    static func firstInvalidUTF8(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = s.count
        var i = 0
        while i < n {
            // Skip ASCII eight bytes at a time.
            if let base = s.baseAddress {
                while i + 8 <= n {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
            }
            guard i < n else { return nil }
            let c = s[i]
            if c < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch c {
            case 0xC2 ... 0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1 ... 0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            guard s[i + 1] >= lower, s[i + 1] <= upper else { return i }
            for k in 2 ..< length where s[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    @inline(__always)
    static func isBlank(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") }

    /// `s` with leading and trailing spaces and tabs removed.
    @inline(__always)
    static func trimmed(_ s: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = s.count
        while lo < hi, isBlank(s[lo]) { lo += 1 }
        while hi > lo, isBlank(s[hi - 1]) { hi -= 1 }
        if lo == 0 && hi == s.count { return s }
        return UnsafeBufferPointer(rebasing: s[lo ..< hi])
    }

    /// Whether `s`, lowercased (ASCII), equals `word` (lowercase ASCII).
    static func equalsLowercase(_ s: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard s.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0 ..< s.count {
            let c = s[k]
            let lower = c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c
            guard lower == w[k] else { return false }
        }
        return true
    }
}
