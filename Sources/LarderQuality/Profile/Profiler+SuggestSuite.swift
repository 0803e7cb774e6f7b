extension Profiler {
    /// Distinct values at most this many (and at most a tenth of the non-null values) make a
    /// column categorical for the in-set rule.
    public static let suggestedSetLimit = 10
    /// Columns less complete than this get no not-null suggestion.
    public static let suggestedCompletenessFloor = 0.2
    /// An estimated distinct count at least this fraction of the non-null values counts as
    /// unique (HyperLogLog cannot prove uniqueness; Deequ uses the same idea).
    public static let suggestedUniqueRatio = 0.99

    /// A Great Expectations 1.x suite, as JSON text, of constraints that the profiled data
    /// satisfies, in the spirit of Deequ's constraint suggestion.
    ///
    /// The text is `{"name": ..., "expectations": [{"type": ..., "kwargs": {...}, "meta":
    /// {"profiler_rule": ...}}], "meta": {...}}`, using only GE 1.x expectation names and kwargs.
    /// The rules, in the order their expectations appear (per column, in schema order):
    ///
    /// - **schema**: `expect_table_columns_to_match_ordered_list` with the profiled columns.
    /// - **complete**: no nulls and no NaN (GE counts NaN as missing), and at least one row →
    ///   `expect_column_values_to_not_be_null`.
    /// - **retain completeness**: some missing values, and more than
    ///   ``suggestedCompletenessFloor`` of the rows present → `expect_column_values_to_not_be_null`
    ///   with `mostly` = the present fraction rounded *down* to two decimals (0.957 → 0.95), so
    ///   the profiled data passes.
    /// - **in set**: a string, bool or integer column with an exact distinct count of at most
    ///   ``suggestedSetLimit`` values and at most a tenth of its non-null values →
    ///   `expect_column_values_to_be_in_set` with the sorted `value_set`. Skipped for a bool
    ///   column holding both values (its type already says as much).
    /// - **unique**: an integer or string column with at least two values, all distinct
    ///   (exactly; or an estimate of at least ``suggestedUniqueRatio`` of the values) →
    ///   `expect_column_values_to_be_unique`.
    /// - **range**: an integer or float column with finite bounds →
    ///   `expect_column_values_to_be_between` with the observed `min_value` and `max_value`.
    /// - **non-negative**: an integer or float column whose minimum is at least 0 →
    ///   `expect_column_min_to_be_between` with `min_value: 0`. On the profiled data it is
    ///   implied by the range rule; it is kept because observed ranges are the bound users most
    ///   often widen or drop, and "never negative" usually outlives them.
    /// - **lengths**: a string column with values → `expect_column_value_lengths_to_be_between`
    ///   with the observed shortest and longest lengths (in code points, as GE's pandas engine
    ///   counts them).
    ///
    /// Dates, timestamps, binary and vector columns get only the schema and completeness rules.
    ///
    /// - Parameters:
    ///   - profile: A profile from ``profile(_:schema:options:)``.
    ///   - name: The suite's name.
    /// - Returns: The suite as pretty-printed JSON text.
    public static func suggestSuite(from profile: TableProfile, name: String) -> String {
        var expectations: [JSONValue] = []
        func add(_ type: String, _ rule: String, _ kwargs: [(String, JSONValue)]) {
            expectations.append(.object([
                ("type", .string(type)),
                ("kwargs", .object(kwargs)),
                ("meta", .object([("profiler_rule", .string(rule))])),
            ]))
        }
        add("expect_table_columns_to_match_ordered_list", "schema",
            [("column_list", .array(profile.columns.map { .string($0.name) }))])
        for column in profile.columns {
            for (type, rule, kwargs) in suggestions(for: column) {
                add(type, rule, [("column", .string(column.name))] + kwargs)
            }
        }
        let suite: JSONValue = .object([
            ("name", .string(name)),
            ("expectations", .array(expectations)),
            ("meta", .object([
                ("generated_by", .string("larder profile")),
                ("profiled_rows", .int(Int64(profile.rowCount))),
            ])),
        ])
        return suite.text() + "\n"
    }

    /// The (type, rule, kwargs without `column`) suggestions for one column.
    static func suggestions(for column: ColumnProfile) -> [(String, String, [(String, JSONValue)])] {
        var out: [(String, String, [(String, JSONValue)])] = []
        let kind = SuggestedKind(column.type)
        let nonNull = column.nonNullCount
        // Great Expectations (pandas) counts NaN as missing, so completeness does too.
        let present = nonNull - column.nanCount

        // Completeness.
        if column.rowCount > 0, present == column.rowCount {
            out.append(("expect_column_values_to_not_be_null", "complete", []))
        } else if column.rowCount > 0, present > 0,
                  Double(present) / Double(column.rowCount) > suggestedCompletenessFloor {
            // Integer arithmetic, so 0.29 stays 0.29 (floating-point floor would give 0.28).
            let percent = present * 100 / column.rowCount
            out.append(("expect_column_values_to_not_be_null", "retain completeness",
                        [("mostly", .double(Double(percent) / 100))]))
        }

        // In set.
        if [.integer, .string, .bool].contains(kind), let distinct = column.distinct, distinct.isExact,
           distinct.count >= 1, distinct.count <= suggestedSetLimit, distinct.count * 10 <= nonNull,
           let top = column.topValues, top.isExact, top.values.count == distinct.count,
           !(kind == .bool && distinct.count == 2) {
            let set: [JSONValue]
            switch kind {
            case .integer:
                set = top.values.compactMap { Int64($0.value) }.sorted().map { .int($0) }
            case .bool:
                set = top.values.map(\.value).sorted().map { .bool($0 == "true") }
            default:
                set = top.values.map(\.value).sorted().map { .string($0) }
            }
            if set.count == distinct.count {
                out.append(("expect_column_values_to_be_in_set", "in set", [("value_set", .array(set))]))
            }
        }

        // Unique.
        if [.integer, .string].contains(kind), nonNull >= 2, let distinct = column.distinct {
            let unique = distinct.isExact
                ? distinct.count == nonNull
                : Double(distinct.count) >= suggestedUniqueRatio * Double(nonNull)
            if unique { out.append(("expect_column_values_to_be_unique", "unique", [])) }
        }

        // Range and non-negative.
        if [.integer, .float].contains(kind), let numeric = column.numeric,
           numeric.min.doubleValue.isFinite, numeric.max.doubleValue.isFinite {
            out.append(("expect_column_values_to_be_between", "range",
                        [("min_value", json(numeric.min)), ("max_value", json(numeric.max))]))
            if numeric.min.doubleValue >= 0 {
                out.append(("expect_column_min_to_be_between", "non-negative", [("min_value", .int(0))]))
            }
        }

        // Lengths.
        if kind == .string, let lengths = column.lengths {
            out.append(("expect_column_value_lengths_to_be_between", "lengths",
                        [("min_value", .int(Int64(lengths.min))), ("max_value", .int(Int64(lengths.max)))]))
        }
        return out
    }

    private static func json(_ number: ProfileNumber) -> JSONValue {
        switch number {
        case .int(let v): .int(v)
        case .double(let v): .double(v)
        }
    }

    /// How the suggestion rules see a column type.
    enum SuggestedKind {
        case integer, float, string, bool, other

        init(_ type: String) {
            switch type {
            case "int32", "int64": self = .integer
            case "float32", "float64": self = .float
            case "string": self = .string
            case "bool": self = .bool
            default: self = .other
            }
        }
    }
}
