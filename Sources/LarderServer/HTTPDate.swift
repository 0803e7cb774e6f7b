import LarderColumnar

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
        let (year, month, dayOfMonth) = Timestamp.civil(days: day)
        let weekday = Int(((day % 7) + 7) % 7)
        func two<T: BinaryInteger>(_ v: T) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[weekday]), \(two(dayOfMonth)) \(months[month - 1]) \(year) "
            + "\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) GMT"
    }
}
