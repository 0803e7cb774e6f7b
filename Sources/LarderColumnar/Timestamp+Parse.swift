extension Timestamp {
    /// Parses ISO 8601 text into microseconds since the epoch, UTC.
    ///
    /// Accepts `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM[:SS[.fraction]]`, then
    /// optionally `Z` or an offset `±HH[:MM]`. Without an offset the time is taken as UTC.
    /// Fractions beyond microseconds are truncated. Returns nil for anything else.
    public static func parseISO8601(_ text: some StringProtocol) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0 ..< n {
                let c = b[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        var sign = 1
        if i < b.count && (b[i] == 45 || b[i] == 43) { sign = b[i] == 45 ? -1 : 1; i += 1 }
        guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2),
              (1 ... 12).contains(mo), (1 ... 31).contains(d) else { return nil }
        var micros = days(year: sign * y, month: mo, day: d) * microsPerDay
        guard d <= daysInMonth(year: sign * y, month: mo) else { return nil }
        if i == b.count { return micros }
        guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil }   // T, t, space
        i += 1
        guard let h = digits(2), expect(58), let mi = digits(2), h < 24, mi < 60 else { return nil }
        var s = 0, fraction: Int64 = 0
        if expect(58) {
            guard let sec = digits(2), sec < 61 else { return nil }
            s = sec
            if expect(46) || expect(44) {
                var scale: Int64 = 100_000, n = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    if scale > 0 { fraction += Int64(b[i] - 48) * scale; scale /= 10 }
                    i += 1; n += 1
                }
                guard n > 0 else { return nil }
            }
        }
        micros += Int64(h * 3600 + mi * 60 + s) * microsPerSecond + fraction
        if i == b.count { return micros }
        if expect(90) || expect(122) { return i == b.count ? micros : nil }   // Z
        guard i < b.count, b[i] == 43 || b[i] == 45 else { return nil }
        let offsetSign: Int64 = b[i] == 45 ? -1 : 1
        i += 1
        guard let oh = digits(2), oh < 24 else { return nil }
        var om = 0
        if expect(58) { guard let m = digits(2) else { return nil }; om = m } else if i < b.count { guard let m = digits(2) else { return nil }; om = m }
        guard i == b.count, om < 60 else { return nil }
        return micros - offsetSign * Int64(oh * 3600 + om * 60) * microsPerSecond
    }

    /// Parses `YYYY-MM-DD` into days since the epoch.
    public static func parseISODate(_ text: some StringProtocol) -> Int32? {
        guard text.utf8.count == 10, let micros = parseISO8601(text) else { return nil }
        return Int32(exactly: micros / microsPerDay)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
