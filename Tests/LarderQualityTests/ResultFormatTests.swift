import Foundation
import LarderColumnar
import Testing
@testable import LarderQuality

@Suite struct ResultFormatTests {
    static let b = try! Q.batch(["x": Q.ints(Array(0 ..< 30).map { $0 % 3 == 0 ? nil : Int64($0) })])
    static let kwargs: [String: QualityJSON] = ["column": "x", "max_value": 4]

    @Test func booleanOnlyHasNoResult() throws {
        let r = try Q.run("expect_column_values_to_be_between", Self.kwargs, Self.b, format: .booleanOnly)
        #expect(!r.success && r.result == ExpectationResultDetails())
        #expect(r.json["result"] == [:])
        let agg = try Q.run("expect_column_mean_to_be_between", ["column": "x", "min_value": 0], Self.b, format: .booleanOnly)
        #expect(agg.result.observedValue == nil)
    }

    @Test func basicHasCountsAndTheFirstValuesOnly() throws {
        let r = try Q.run("expect_column_values_to_be_between", Self.kwargs, Self.b, format: .basic)
        #expect(r.result.elementCount == 30 && r.result.missingCount == 10 && r.result.unexpectedCount == 17)
        #expect(r.result.partialUnexpectedList?.count == 17)
        #expect(r.result.partialUnexpectedCounts == nil && r.result.partialUnexpectedIndexList == nil)
        #expect(r.result.unexpectedList == nil)
    }

    @Test func summaryCapsPartialListsAtTheCount() throws {
        let schema = Self.b.schema
        let v = try SuiteValidator(suite: ExpectationSuite(name: "s", expectations: [Expectation("expect_column_values_to_be_between", Self.kwargs)]), schema: schema)
        let r = v.validate([Self.b], options: ValidationOptions(resultFormat: .summary, partialUnexpectedCount: 5)).results[0]
        #expect(r.result.partialUnexpectedList == [5, 7, 8, 10, 11])
        #expect(r.result.partialUnexpectedIndexList == [5, 7, 8, 10, 11])
        #expect(r.result.partialUnexpectedCounts?.count == 5)
        #expect(r.result.unexpectedIndexList == nil)
        let none = v.validate([Self.b], options: ValidationOptions(resultFormat: .summary, partialUnexpectedCount: 0)).results[0]
        #expect(none.result.partialUnexpectedList == [] && none.result.partialUnexpectedCounts == nil)
    }

    @Test func completeListsEveryUnexpectedRow() throws {
        let r = try Q.run("expect_column_values_to_be_between", Self.kwargs, Self.b, format: .complete)
        let expected = (0 ..< 30).filter { $0 % 3 != 0 && $0 > 4 }
        #expect(r.result.unexpectedIndexList == expected)
        #expect(r.result.unexpectedList == expected.map { .int(Int64($0)) })
    }

    @Test func partialCountsSortByCountThenValue() {
        let counts = MapResultFormatter.counts(["b", 2, "a", 2, nil, "b", 1.5])
        #expect(counts.map(\.value) == [2, "b", nil, 1.5, "a"])
        #expect(counts.map(\.count) == [2, 2, 1, 1, 1])
    }

    @Test func suiteResultJSONHasGEKeys() throws {
        let suite = ExpectationSuite(name: "s", expectations: [
            Expectation("expect_column_values_to_be_between", Self.kwargs),
            Expectation("expect_table_row_count_to_equal", ["value": 30]),
        ])
        let result = try SuiteValidator(suite: suite, schema: Self.b.schema).validate([Self.b])
        let json = try QualityJSON(parsing: result.jsonText(pretty: true))
        #expect(json["success"] == false && json["suite_name"] == "s")
        #expect(json["statistics"] == ["evaluated_expectations": 2, "successful_expectations": 1, "unsuccessful_expectations": 1, "success_percent": 50.0])
        let first = try #require(json["results"]?.arrayValue?.first)
        #expect(first["expectation_config"]?["type"] == "expect_column_values_to_be_between")
        #expect(first["exception_info"]?["raised_exception"] == false)
        for key in ["element_count", "missing_count", "missing_percent", "unexpected_count", "unexpected_percent",
                    "unexpected_percent_total", "unexpected_percent_nonmissing", "partial_unexpected_list",
                    "partial_unexpected_counts", "partial_unexpected_index_list"] {
            #expect(first["result"]?[key] != nil, "result lacks \(key)")
        }
        #expect(json["results"]?.arrayValue?.last?["result"] == ["observed_value": 30])
    }

    @Test func resultsEncodeAndDecode() throws {
        let result = try SuiteValidator(suite: ExpectationSuite(name: "s", expectations: [Expectation("expect_column_values_to_be_between", Self.kwargs)]),
                                        schema: Self.b.schema).validate([Self.b])
        let data = try JSONEncoder().encode(result)
        #expect(try JSONDecoder().decode(ValidationResult.self, from: data) == result)
        #expect(String(decoding: data, as: UTF8.self).contains("\"unexpected_percent_nonmissing\""))
    }

    @Test func emptySuite() throws {
        let r = try SuiteValidator(suite: ExpectationSuite(name: "none", expectations: []), schema: Self.b.schema).validate([Self.b])
        #expect(r.success && r.statistics.evaluatedExpectations == 0 && r.statistics.successPercent == nil)
    }
}
