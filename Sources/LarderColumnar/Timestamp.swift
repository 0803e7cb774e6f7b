/// Conversions between Larder's time representations (microseconds or days since the Unix
/// epoch, UTC) and civil dates, and ISO 8601 text.
public enum Timestamp {
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    public static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` for microseconds since the epoch.
    public static func iso8601(micros: Int64) -> String {
        let (q, r) = micros.quotientAndRemainder(dividingBy: microsPerDay)
        let day = r < 0 ? q - 1 : q
        let inDay = r < 0 ? r + microsPerDay : r
        let (y, m, d) = civil(days: day)
        let seconds = inDay / microsPerSecond, fraction = inDay % microsPerSecond
        var s = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(Int(seconds / 3600), 2)):\(pad(Int(seconds / 60 % 60), 2)):\(pad(Int(seconds % 60), 2))"
        if fraction != 0 { s += "." + pad(Int(fraction), 6) }
        return s + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch (Delta's stats format).
    public static func iso8601Millis(_ millis: Int64) -> String {
        let (q, r) = millis.quotientAndRemainder(dividingBy: 1000)
        let seconds = r < 0 ? q - 1 : q, fraction = r < 0 ? r + 1000 : r
        let text = iso8601(micros: seconds * microsPerSecond)
        return String(text.dropLast()) + "." + pad(Int(fraction), 3) + "Z"
    }

    /// `YYYY-MM-DD` for days since the epoch.
    public static func isoDate(days: Int32) -> String {
        let (y, m, d) = civil(days: Int64(days))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        let padded = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return v < 0 ? "-" + padded : padded
    }
}
