/// A condition on one column that per-file or per-row-group statistics can prove false,
/// so scans skip data that cannot match (data skipping).
public enum ColumnPredicate: Hashable, Sendable {
    /// `column == value`.
    case equals(String, Value)
    /// `lower <= column <= upper`; a nil bound is open.
    case range(String, lower: Value?, upper: Value?)
    /// `column IN values`.
    case isIn(String, [Value])
    /// `column IS NULL`.
    case isNull(String)

    /// The column the predicate reads.
    public var column: String {
        switch self {
        case .equals(let c, _), .range(let c, _, _), .isIn(let c, _), .isNull(let c): c
        }
    }

    /// Whether rows summarised by `stats` (of `rowCount` rows) may satisfy the predicate.
    /// Unknown statistics (nil, or of another type) always may.
    public func mayMatch(_ stats: ColumnStatistics?, rowCount: Int) -> Bool {
        guard let stats else { return true }
        if case .isNull = self { return stats.nullCount > 0 }
        if stats.nullCount >= rowCount && rowCount > 0 { return false }  // all null: no value matches
        guard let lo = stats.min, let hi = stats.max else { return true }
        func inside(_ v: Value) -> Bool {
            // v < lo or v > hi rules it out; incomparable values never rule out.
            if v.statisticsLess(than: lo) == true { return false }
            if hi.statisticsLess(than: v) == true { return false }
            return true
        }
        switch self {
        case .equals(_, let v): return inside(v)
        case .isIn(_, let values): return values.contains { inside($0) }
        case .range(_, let lower, let upper):
            if let lower, hi.statisticsLess(than: lower) == true { return false }
            if let upper, upper.statisticsLess(than: lo) == true { return false }
            return true
        case .isNull: return true
        }
    }
}
