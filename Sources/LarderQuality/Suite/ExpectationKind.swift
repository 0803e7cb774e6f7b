/// The expectation types Larder implements, with their scope and the kwargs each accepts.
enum ExpectationKind: String, CaseIterable, Sendable {
    // Table.
    case tableRowCountBetween = "expect_table_row_count_to_be_between"
    case tableRowCountEqual = "expect_table_row_count_to_equal"
    case tableColumnCountEqual = "expect_table_column_count_to_equal"
    case tableColumnCountBetween = "expect_table_column_count_to_be_between"
    case tableColumnsMatchOrderedList = "expect_table_columns_to_match_ordered_list"
    case tableColumnsMatchSet = "expect_table_columns_to_match_set"
    // Per value.
    case valuesNotNull = "expect_column_values_to_not_be_null"
    case valuesNull = "expect_column_values_to_be_null"
    case valuesBetween = "expect_column_values_to_be_between"
    case valuesInSet = "expect_column_values_to_be_in_set"
    case valuesNotInSet = "expect_column_values_to_not_be_in_set"
    case valuesUnique = "expect_column_values_to_be_unique"
    case valuesMatchRegex = "expect_column_values_to_match_regex"
    case valuesNotMatchRegex = "expect_column_values_to_not_match_regex"
    case valueLengthsBetween = "expect_column_value_lengths_to_be_between"
    case valueLengthsEqual = "expect_column_value_lengths_to_equal"
    case valuesOfType = "expect_column_values_to_be_of_type"
    case valuesIncreasing = "expect_column_values_to_be_increasing"
    case valuesDecreasing = "expect_column_values_to_be_decreasing"
    // Aggregates.
    case minBetween = "expect_column_min_to_be_between"
    case maxBetween = "expect_column_max_to_be_between"
    case meanBetween = "expect_column_mean_to_be_between"
    case medianBetween = "expect_column_median_to_be_between"
    case stdevBetween = "expect_column_stdev_to_be_between"
    case sumBetween = "expect_column_sum_to_be_between"
    case quantileValuesBetween = "expect_column_quantile_values_to_be_between"
    case uniqueValueCountBetween = "expect_column_unique_value_count_to_be_between"
    case proportionOfUniqueValuesBetween = "expect_column_proportion_of_unique_values_to_be_between"
    case distinctValuesInSet = "expect_column_distinct_values_to_be_in_set"
    case distinctValuesContainSet = "expect_column_distinct_values_to_contain_set"
    case distinctValuesEqualSet = "expect_column_distinct_values_to_equal_set"
    case mostCommonValueInSet = "expect_column_most_common_value_to_be_in_set"
    // Several columns.
    case compoundColumnsUnique = "expect_compound_columns_to_be_unique"
    case pairAGreaterThanB = "expect_column_pair_values_a_to_be_greater_than_b"

    var scope: ExpectationScope {
        switch self {
        case .tableRowCountBetween, .tableRowCountEqual, .tableColumnCountEqual, .tableColumnCountBetween,
             .tableColumnsMatchOrderedList, .tableColumnsMatchSet:
            .table
        case .valuesNotNull, .valuesNull, .valuesBetween, .valuesInSet, .valuesNotInSet, .valuesUnique,
             .valuesMatchRegex, .valuesNotMatchRegex, .valueLengthsBetween, .valueLengthsEqual, .valuesIncreasing,
             .valuesDecreasing,
             .compoundColumnsUnique, .pairAGreaterThanB:
            .row
        default:
            .aggregate
        }
    }

    /// Whether GE treats it as a map expectation (a verdict per row, `mostly`, unexpected counts).
    var isMap: Bool { scope == .row }

    /// The kwargs this type accepts besides ``ExpectationKind/ignoredKwargs``.
    var kwargs: Set<String> {
        let bounds: Set<String> = ["min_value", "max_value", "strict_min", "strict_max"]
        switch self {
        case .tableRowCountBetween, .tableColumnCountBetween: return ["min_value", "max_value"]
        case .tableRowCountEqual, .tableColumnCountEqual: return ["value"]
        case .tableColumnsMatchOrderedList: return ["column_list"]
        case .tableColumnsMatchSet: return ["column_set", "exact_match"]
        case .valuesNotNull, .valuesNull, .valuesUnique: return ["column", "mostly"]
        case .valuesBetween, .valueLengthsBetween: return bounds.union(["column", "mostly"])
        case .valuesInSet, .valuesNotInSet: return ["column", "mostly", "value_set"]
        case .valueLengthsEqual: return ["column", "mostly", "value"]
        case .valuesMatchRegex, .valuesNotMatchRegex: return ["column", "mostly", "regex"]
        case .valuesOfType: return ["column", "mostly", "type_"]
        case .valuesIncreasing, .valuesDecreasing: return ["column", "mostly", "strictly"]
        case .minBetween, .maxBetween, .meanBetween, .medianBetween, .stdevBetween, .sumBetween,
             .uniqueValueCountBetween, .proportionOfUniqueValuesBetween:
            return bounds.union(["column"])
        case .quantileValuesBetween: return ["column", "quantile_ranges", "allow_relative_error"]
        case .distinctValuesInSet, .distinctValuesContainSet, .distinctValuesEqualSet: return ["column", "value_set"]
        case .mostCommonValueInSet: return ["column", "value_set", "ties_okay"]
        case .compoundColumnsUnique: return ["column_list", "mostly", "ignore_row_if"]
        case .pairAGreaterThanB: return ["column_A", "column_B", "or_equal", "mostly", "ignore_row_if"]
        }
    }

    /// Kwargs GE suites carry that steer GE's runtime, not the check: accepted and ignored.
    /// (`result_format` is set per validation through ``ValidationOptions``.)
    static let ignoredKwargs: Set<String> = [
        "result_format", "catch_exceptions", "include_config", "batch_id",
        "parse_strings_as_datetimes", "output_strftime_format", "allow_cross_type_comparisons",
    ]

    /// Kwargs accepted only when null: Larder validates whole tables, without row filters.
    static let unsupportedKwargs: Set<String> = ["row_condition", "condition_parser"]
}
