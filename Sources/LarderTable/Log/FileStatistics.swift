import Foundation
import LarderColumnar

/// The `stats` of an `add` action: row count and per-column min, max and null count.
///
/// Written as Delta does: numbers as JSON numbers (NaN and infinities left out), strings
/// (up to 32 characters; longer ones are left out), timestamps as ISO 8601 with millisecond
/// precision — the minimum rounded down and the maximum rounded up to the next millisecond so
/// the bounds stay true — and dates as `YYYY-MM-DD`. Bools, binary and vectors carry only
/// their null count.
public struct FileStatistics: Sendable, Hashable {
    public var rowCount: Int
    /// Per column; a column without an entry has unknown statistics.
    public var columns: [String: ColumnStatistics]

    public init(rowCount: Int, columns: [String: ColumnStatistics]) {
        self.rowCount = rowCount
        self.columns = columns
    }

    static let maxStringLength = 32

    func encoded(schema: Schema) -> String {
        var minValues: [String: Any] = [:], maxValues: [String: Any] = [:], nullCount: [String: Any] = [:]
        for field in schema.fields {
            guard let s = columns[field.name] else { continue }
            nullCount[field.name] = s.nullCount
            if let lo = s.min, let hi = s.max, let a = Self.json(lo, roundUp: false), let b = Self.json(hi, roundUp: true) {
                minValues[field.name] = a
                maxValues[field.name] = b
            }
        }
        let object: [String: Any] = ["numRecords": rowCount, "minValues": minValues, "maxValues": maxValues, "nullCount": nullCount]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func json(_ v: Value, roundUp: Bool) -> Any? {
        switch v {
        case .int32(let x): return Int(x)
        case .int64(let x): return NSNumber(value: x)
        case .float32(let x): return x.isFinite ? Double(x) : nil
        case .float64(let x): return x.isFinite ? x : nil
        case .string(let s): return s.count <= maxStringLength ? s : nil
        case .timestamp(let t):
            let (q, r) = t.quotientAndRemainder(dividingBy: 1000)
            var ms = r < 0 ? q - 1 : q
            if roundUp && r != 0 { ms += 1 }
            return Timestamp.iso8601Millis(ms)
        case .date(let d): return Timestamp.isoDate(days: d)
        default: return nil
        }
    }

    /// Parses a stats string against `schema`; unknown or malformed entries are dropped, so
    /// bad stats only cost pruning, never correctness.
    static func decode(_ text: String?, schema: Schema) -> FileStatistics? {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let rows = (object["numRecords"] as? NSNumber)?.intValue else { return nil }
        let minValues = object["minValues"] as? [String: Any] ?? [:]
        let maxValues = object["maxValues"] as? [String: Any] ?? [:]
        let nulls = object["nullCount"] as? [String: Any] ?? [:]
        var columns: [String: ColumnStatistics] = [:]
        for field in schema.fields {
            guard let n = (nulls[field.name] as? NSNumber)?.intValue else { continue }
            let lo = minValues[field.name].flatMap { value($0, field.type) }
            let hi = maxValues[field.name].flatMap { value($0, field.type) }
            columns[field.name] = ColumnStatistics(nullCount: n, min: hi == nil ? nil : lo, max: lo == nil ? nil : hi)
        }
        return FileStatistics(rowCount: rows, columns: columns)
    }

    private static func value(_ json: Any, _ type: DataType) -> Value? {
        switch type {
        case .int32: return (json as? NSNumber).flatMap { Int32(exactly: $0.int64Value) }.map { .int32($0) }
        case .int64: return (json as? NSNumber).map { .int64($0.int64Value) }
        case .float32: return (json as? NSNumber).map { .float32($0.floatValue) }
        case .float64: return (json as? NSNumber).map { .float64($0.doubleValue) }
        case .string: return (json as? String).map { .string($0) }
        case .timestamp: return (json as? String).flatMap { Timestamp.parseISO8601($0) }.map { .timestamp($0) }
        case .date: return (json as? String).flatMap { Timestamp.parseISODate($0) }.map { .date($0) }
        default: return nil
        }
    }
}
