import LarderColumnar
import Testing
@testable import LarderQuality

/// Every way a suite is refused when compiled against a schema, with the code and the
/// expectation it names.
@Suite struct CompileErrorTests {
    static let schema = try! Schema([
        Field("id", .int64), Field("score", .float64), Field("name", .string), Field("flag", .bool),
        Field("ts", .timestamp), Field("day", .date), Field("emb", .vector(dimension: 4)), Field("blob", .binary),
    ])

    static func code(_ type: String, _ kwargs: [String: QualityJSON]) -> QualityError.Code? {
        Q.compileError(type, kwargs, schema)?.code
    }

    @Test func unknownTypeSuggestsTheNearestName() throws {
        let error = try #require(Q.compileError("expect_column_values_to_be_betwen", ["column": "id"], Self.schema))
        #expect(error.code == .unknownExpectation)
        #expect(error.message.contains("expect_column_values_to_be_between"))
        #expect(error.expectationIndex == 0)
    }

    @Test func errorsNameTheExpectationIndexAndType() throws {
        let suite = ExpectationSuite(name: "s", expectations: [
            Expectation("expect_column_values_to_not_be_null", ["column": "id"]),
            Expectation("expect_column_values_to_be_between", ["column": "nope", "min_value": 1]),
        ])
        do {
            _ = try SuiteValidator(suite: suite, schema: Self.schema)
            Issue.record("compiled a suite naming an unknown column")
        } catch {
            #expect(error.code == .unknownColumn)
            #expect(error.expectationIndex == 1)
            #expect(error.expectationType == "expect_column_values_to_be_between")
            #expect(error.description.hasPrefix("expectation 1 (expect_column_values_to_be_between): unknown column 'nope'"))
            #expect(error.message.contains("id, score, name"))
        }
    }

    @Test func unknownColumnsInEveryColumnKwarg() {
        #expect(Self.code("expect_compound_columns_to_be_unique", ["column_list": ["id", "nope"]]) == .unknownColumn)
        #expect(Self.code("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "id", "column_B": "nope"]) == .unknownColumn)
        #expect(Self.code("expect_column_mean_to_be_between", ["column": "Score"]) == .unknownColumn)
    }

    @Test func missingUnknownAndMistypedKwargs() {
        #expect(Self.code("expect_column_values_to_not_be_null", [:]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_be_in_set", ["column": "name"]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_be_between", ["column": "id", "min_value": 1, "maxvalue": 3]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_be_between", ["column": 3, "min_value": 1]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_be_between", ["column": "id", "min_value": 1, "strict_min": "yes"]) == .invalidKwargs)
        #expect(Self.code("expect_table_row_count_to_equal", ["value": 2.5]) == .invalidKwargs)
        #expect(Self.code("expect_table_columns_to_match_ordered_list", ["column_list": [1, 2]]) == .invalidKwargs)
        #expect(Self.code("expect_column_mean_to_be_between", ["column": "score", "mostly": 0.5]) == .invalidKwargs)
    }

    @Test func boundsOutOfOrderOrAbsent() {
        #expect(Self.code("expect_column_values_to_be_between", ["column": "id", "min_value": 3, "max_value": 1]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_be_between", ["column": "id"]) == .invalidKwargs)
        #expect(Self.code("expect_column_value_lengths_to_be_between", ["column": "name"]) == .invalidKwargs)
        #expect(Self.code("expect_column_mean_to_be_between", ["column": "score", "min_value": 2.5, "max_value": 2]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_be_between", ["column": "ts", "min_value": "2024-02-01", "max_value": "2024-01-01"]) == .invalidKwargs)
        // Aggregates may leave both bounds out (GE then passes any value).
        #expect(Self.code("expect_column_mean_to_be_between", ["column": "score"]) == nil)
    }

    @Test(arguments: [-0.1, 1.5])
    func mostlyOutsideZeroToOne(_ mostly: Double) {
        #expect(Self.code("expect_column_values_to_not_be_null", ["column": "id", "mostly": .double(mostly)]) == .invalidKwargs)
    }

    @Test func mostlyAtTheEndsCompiles() {
        #expect(Self.code("expect_column_values_to_not_be_null", ["column": "id", "mostly": 0]) == nil)
        #expect(Self.code("expect_column_values_to_not_be_null", ["column": "id", "mostly": 1]) == nil)
    }

    @Test func invalidRegex() throws {
        let error = try #require(Q.compileError("expect_column_values_to_match_regex", ["column": "name", "regex": "([a-z"], Self.schema))
        #expect(error.code == .invalidKwargs)
        #expect(error.message.contains("([a-z"))
    }

    @Test func typeMismatches() {
        #expect(Self.code("expect_column_values_to_be_between", ["column": "name", "min_value": 1]) == .typeMismatch)
        #expect(Self.code("expect_column_mean_to_be_between", ["column": "flag", "min_value": 0]) == .typeMismatch)
        #expect(Self.code("expect_column_sum_to_be_between", ["column": "ts", "min_value": 0]) == .typeMismatch)
        #expect(Self.code("expect_column_values_to_match_regex", ["column": "id", "regex": "1"]) == .typeMismatch)
        #expect(Self.code("expect_column_value_lengths_to_be_between", ["column": "score", "min_value": 1]) == .typeMismatch)
        #expect(Self.code("expect_column_values_to_be_increasing", ["column": "name"]) == .typeMismatch)
        #expect(Self.code("expect_column_values_to_be_in_set", ["column": "name", "value_set": [1, 2]]) == .typeMismatch)
        #expect(Self.code("expect_column_values_to_be_in_set", ["column": "id", "value_set": ["1"]]) == .typeMismatch)
        #expect(Self.code("expect_column_values_to_be_in_set", ["column": "ts", "value_set": [1_700_000_000]]) == .typeMismatch)
        #expect(Self.code("expect_column_values_to_be_between", ["column": "ts", "min_value": 5]) == .typeMismatch)
        #expect(Self.code("expect_column_values_to_be_between", ["column": "id", "min_value": "5"]) == .typeMismatch)
        #expect(Self.code("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "id", "column_B": "name"]) == .typeMismatch)
    }

    @Test func vectorsTakeOnlyNullnessLengthAndType() {
        #expect(Self.code("expect_column_values_to_not_be_null", ["column": "emb"]) == nil)
        #expect(Self.code("expect_column_values_to_be_null", ["column": "emb"]) == nil)
        #expect(Self.code("expect_column_value_lengths_to_be_between", ["column": "emb", "min_value": 4, "max_value": 4]) == nil)
        #expect(Self.code("expect_column_values_to_be_of_type", ["column": "emb", "type_": "vector"]) == nil)
        for (type, kwargs) in [("expect_column_values_to_be_unique", ["column": "emb"]),
                               ("expect_column_values_to_be_in_set", ["column": "emb", "value_set": [1]]),
                               ("expect_column_unique_value_count_to_be_between", ["column": "emb", "min_value": 1]),
                               ("expect_column_most_common_value_to_be_in_set", ["column": "emb", "value_set": [1]]),
                               ("expect_compound_columns_to_be_unique", ["column_list": ["id", "emb"]])] as [(String, [String: QualityJSON])] {
            #expect(Self.code(type, kwargs) == .typeMismatch, "\(type) on a vector column")
        }
    }

    @Test func badValuesInsideKwargs() {
        #expect(Self.code("expect_column_values_to_be_in_set", ["column": "ts", "value_set": ["not a date"]]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_be_of_type", ["column": "id", "type_": "intt64"]) == .invalidKwargs)
        #expect(Self.code("expect_column_distinct_values_to_be_in_set", ["column": "id", "value_set": []]) == .invalidKwargs)
        #expect(Self.code("expect_compound_columns_to_be_unique", ["column_list": ["id"], "ignore_row_if": "sometimes"]) == .invalidKwargs)
        #expect(Self.code("expect_compound_columns_to_be_unique", ["column_list": []]) == .invalidKwargs)
        #expect(Self.code("expect_compound_columns_to_be_unique", ["column_list": ["id", "id"]]) == .invalidKwargs)
        #expect(Self.code("expect_column_quantile_values_to_be_between",
                          ["column": "score", "quantile_ranges": ["quantiles": [0.5, 1.5], "value_ranges": [[0, 1], [0, 1]]]]) == .invalidKwargs)
        #expect(Self.code("expect_column_quantile_values_to_be_between",
                          ["column": "score", "quantile_ranges": ["quantiles": [0.5], "value_ranges": [[0, 1], [0, 1]]]]) == .invalidKwargs)
        #expect(Self.code("expect_column_quantile_values_to_be_between",
                          ["column": "score", "quantile_ranges": ["quantiles": [0.5], "value_ranges": [[2, 1]]]]) == .invalidKwargs)
        #expect(Self.code("expect_column_quantile_values_to_be_between",
                          ["column": "score", "quantile_ranges": ["quantiles": [0.5], "value_ranges": [[0, 1]]], "allow_relative_error": 0.1]) == .invalidKwargs)
        #expect(Self.code("expect_column_value_lengths_to_equal", ["column": "name", "value": -1]) == .invalidKwargs)
    }

    @Test func rowConditionsAreRefusedUnlessNull() {
        #expect(Self.code("expect_column_values_to_not_be_null", ["column": "id", "row_condition": "score > 1", "condition_parser": "pandas"]) == .invalidKwargs)
        #expect(Self.code("expect_column_values_to_not_be_null", ["column": "id", "row_condition": nil]) == nil)
    }

    @Test func everyImplementedTypeHasAScope() {
        #expect(ExpectationKind.allCases.count == 34)
        #expect(Expectation("expect_column_values_to_be_unique").scope == .row)
        #expect(Expectation("expect_column_mean_to_be_between").scope == .aggregate)
        #expect(Expectation("expect_table_row_count_to_equal").scope == .table)
        #expect(Expectation("expect_compound_columns_to_be_unique").scope == .row)
    }
}
