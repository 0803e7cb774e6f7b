/// The `Date` header's text (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), as
/// Hummingbird writes it on the answers it makes; ``OnlineFeaturesHandler`` writes its own.
/// Kept per connection and remade once a second (formatting costs more than the lookup).
struct HTTPDate {
    private var second = Int64.min
    private var text = ""

    /// The text for `secondsSince1970`, remade only when the second changed.
    mutating func text(secondsSince1970 seconds: Int64) -> String {
        if seconds != second {
            second = seconds
            text = Self.format(secondsSince1970: seconds)
        }
        return text
    }

    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// IMF-fixdate for a time in seconds since 1970 (UTC).
    static func format(secondsSince1970 seconds: Int64) -> String {
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - day * 86_400
        // Civil date from a day count (the proleptic Gregorian calendar, eras of 400 years).
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = Int(((day % 7) + 7) % 7)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[weekday]), \(two(dayOfMonth)) \(months[Int(month - 1)]) \(year) "
            + "\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) GMT"
    }
}
