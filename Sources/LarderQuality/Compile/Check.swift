import LarderColumnar

/// One expectation compiled against a schema: columns resolved to positions, kwargs parsed
/// into typed parameters. The engine plans its scan from these.
struct CompiledExpectation: Sendable {
    var index: Int
    var expectation: Expectation
    var kind: ExpectationKind
    var check: Check
    /// GE's `mostly` (1 for expectations without it).
    var mostly: Double
}

/// What a compiled expectation checks.
enum Check: Sendable {
    case table(TableCheck)
    /// A verdict per value of one column (GE's column map expectations).
    case values(column: Int, ValuePredicate)
    /// A statistic of one column.
    case aggregate(column: Int, AggregateCheck)
    /// `expect_compound_columns_to_be_unique`.
    case compoundUnique(columns: [Int], ignore: MultiColumnIgnore)
    /// `expect_column_pair_values_a_to_be_greater_than_b`.
    case pairGreater(a: Int, b: Int, orEqual: Bool, ignore: PairIgnore)
}

enum TableCheck: Sendable {
    case rowCount(NumericBounds)
    case rowCountEqual(Int64)
    case columnCount(NumericBounds)
    case columnCountEqual(Int64)
    case columnsOrdered([String]?)
    case columnsSet([String]?, exactMatch: Bool)
}

/// The per-value test of a column map expectation. Nulls (and NaN) are "missing": they are
/// not tested, except by `notNull` / `null`, whose subject they are.
enum ValuePredicate: Sendable {
    case notNull
    case null
    /// Between on integer-like storage (int32, int64, date, timestamp), bounds already in the
    /// column's unit and made inclusive; nil when no value can pass.
    case intRange(ClosedRange<Int64>?)
    /// Between on float storage, bounds made inclusive (`strict` via `nextUp` / `nextDown`).
    case doubleRange(lo: Double, hi: Double)
    /// In set (or, with `negate`, not in set). Nil `set` means GE's `value_set: null`, which
    /// passes every value.
    case inSet(TypedValueSet?, negate: Bool)
    case regex(RegexMatcher, negate: Bool)
    /// Value lengths between (Unicode scalars for strings, dimension for vectors); nil when
    /// no length can pass.
    case lengths(ClosedRange<Int>?)
    case monotonic(increasing: Bool, strictly: Bool)
    case unique
}

enum AggregateCheck: Sendable {
    case min(NumericBounds)
    case max(NumericBounds)
    case mean(NumericBounds)
    case median(NumericBounds)
    case stdev(NumericBounds)
    case sum(NumericBounds)
    case quantiles([Double], ranges: [(lo: QualityJSON?, hi: QualityJSON?)], QuantileMethod)
    case uniqueValueCount(NumericBounds)
    case uniqueProportion(NumericBounds)
    case distinctValues(TypedValueSet?, DistinctSetMode)
    case mostCommonValue(TypedValueSet?, tiesOkay: Bool)
    /// Of type: a column has one type, so this is decided at compile time.
    case ofType(matches: Bool, observed: String)
}

enum DistinctSetMode: Sendable { case inSet, containSet, equalSet }

/// GE's `ignore_row_if` for compound columns.
enum MultiColumnIgnore: String, Sendable {
    case allValuesAreMissing = "all_values_are_missing"
    case anyValueIsMissing = "any_value_is_missing"
    case never
}

/// GE's `ignore_row_if` for column pairs.
enum PairIgnore: String, Sendable {
    case bothValuesAreMissing = "both_values_are_missing"
    case eitherValueIsMissing = "either_value_is_missing"
    case neither
}

/// numpy's `method` for quantiles, as pandas passes GE's `allow_relative_error`.
enum QuantileMethod: String, Sendable {
    case linear, lower, higher, midpoint, nearest
}

/// `min_value` / `max_value` / `strict_min` / `strict_max` for a measured statistic. Bounds are
/// `.int`, `.double`, or (for dates and timestamps) `.int` microseconds since the epoch.
struct NumericBounds: Sendable {
    var min: QualityJSON?
    var max: QualityJSON?
    var strictMin = false
    var strictMax = false

    /// Whether `value` (an `.int` or `.double`) lies within the bounds, compared exactly.
    func contains(_ value: QualityJSON) -> Bool {
        if let min {
            guard let c = NumberOrder.compare(value, min) else { return false }
            if strictMin ? c <= 0 : c < 0 { return false }
        }
        if let max {
            guard let c = NumberOrder.compare(value, max) else { return false }
            if strictMax ? c >= 0 : c > 0 { return false }
        }
        return true
    }
}

/// Exact comparison of JSON numbers (an Int64 against a Double without rounding either).
enum NumberOrder {
    /// -1, 0 or 1; nil when either is not a number or is NaN.
    static func compare(_ a: QualityJSON, _ b: QualityJSON) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .double(let y)): return compare(x, y)
        case (.double(let x), .int(let y)): return compare(y, x).map { -$0 }
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        default: return nil
        }
    }

    /// Compares an integer with a double exactly.
    static func compare(_ x: Int64, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        if y >= 9_223_372_036_854_775_808.0 { return -1 }
        if y < -9_223_372_036_854_775_808.0 { return 1 }
        let floorY = y.rounded(.down)
        let fy = Int64(floorY)
        if x < fy { return -1 }
        if x > fy { return 1 }
        return floorY == y ? 0 : -1
    }
}
