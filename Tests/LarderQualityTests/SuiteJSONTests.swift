import Foundation
import LarderColumnar
import Testing
@testable import LarderQuality

@Suite struct QualityJSONTests {
    @Test func integersAndDoublesStayApart() throws {
        let v = try QualityJSON(parsing: #"{"a": 1, "b": 1.0, "c": -2e3, "d": 9223372036854775807, "e": 1e400}"#)
        #expect(v["a"] == .int(1))
        #expect(v["b"] == .double(1))
        #expect(v["c"] == .double(-2000))
        #expect(v["d"] == .int(Int64.max))
        #expect(v["e"] == .double(.infinity))
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        let v = try QualityJSON(parsing: #"["Z\u00fcrich", "\ud83d\ude00", "日本", "tab\there"]"#)
        #expect(v == ["Zürich", "😀", "日本", "tab\there"])
        let round = try QualityJSON(parsing: v.jsonText())
        #expect(round == v)
    }

    @Test func writerSortsKeysAndWritesNaNAsNull() {
        let v: QualityJSON = ["b": .double(.nan), "a": [1, 2.5, "x", nil, true]]
        #expect(v.jsonText() == #"{"a":[1,2.5,"x",null,true],"b":null}"#)
    }

    @Test func pythonNaNAndInfinityTokensParse() throws {
        let v = try QualityJSON(parsing: "[NaN, Infinity, -Infinity]")
        guard case .array(let a) = v, case .double(let nan) = a[0] else { Issue.record("not an array of doubles"); return }
        #expect(nan.isNaN)
        #expect(a[1] == .double(.infinity) && a[2] == .double(-.infinity))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "\"unterminated", "01", "[1] 2", "{\"a\":tru}", "\"\\ud800\""])
    func malformedTextIsRefused(_ text: String) {
        #expect(throws: QualityError.self) { try QualityJSON(parsing: text) }
        do { _ = try QualityJSON(parsing: text) } catch { #expect(error.code == .invalidJSON && error.message.contains("byte")) }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let text = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(throws: QualityError.self) { try QualityJSON(parsing: text) }
    }

    @Test func codableRoundTripKeepsKinds() throws {
        let v: QualityJSON = ["i": 3, "d": 0.5, "s": "é", "n": nil, "l": [true, false]]
        let data = try JSONEncoder().encode(v)
        let back = try JSONDecoder().decode(QualityJSON.self, from: data)
        #expect(back == v)
    }
}

@Suite struct SuiteJSONTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/suites")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    static let schema = try! Schema([Field("user_id", .int64), Field("visits_7d", .int64), Field("region", .string)])

    @Test func readsTheGE1Form() throws {
        let suite = try ExpectationSuite(json: Self.text("user_stats_ge1.json"))
        #expect(suite.name == "user_stats_checks")
        #expect(suite.expectations.map(\.type) == ["expect_column_values_to_not_be_null", "expect_column_values_to_be_between",
                                                   "expect_column_values_to_be_in_set"])
        #expect(suite.expectations[0].meta["owner"] == "growth")
        #expect(suite.expectations[1].kwargs["mostly"] == .double(0.99))
        #expect(suite.expectations[2].kwargs["value_set"] == ["north", "south", "Zürich"])
        #expect(suite.meta["great_expectations_version"] == "1.24.1")
        _ = try SuiteValidator(suite: suite, schema: Self.schema)
    }

    @Test func readsTheGE0FormAndIgnoresRuntimeKwargs() throws {
        let legacy = try ExpectationSuite(json: Self.text("user_stats_ge0.json"))
        let modern = try ExpectationSuite(json: Self.text("user_stats_ge1.json"))
        #expect(legacy.name == "user_stats_legacy")
        #expect(legacy.expectations.map(\.type) == modern.expectations.map(\.type))
        #expect(legacy.expectations[1].kwargs["include_config"] == true)
        // result_format / catch_exceptions / include_config compile and are ignored.
        let v0 = try SuiteValidator(suite: legacy, schema: Self.schema)
        let v1 = try SuiteValidator(suite: modern, schema: Self.schema)
        let batch = try RecordBatch(["user_id": Q.ints([1, nil, 3]), "visits_7d": Q.ints([5, 2000, 7]),
                                     "region": .string(["north", "Zürich", "west"])])
        let r0 = v0.validate([batch]), r1 = v1.validate([batch])
        #expect(r0.results.map(\.success) == r1.results.map(\.success))
        #expect(r0.results.map(\.result.unexpectedCount) == [1, 1, 1])
    }

    @Test func readsABareArrayOfExpectationsWithAName() throws {
        let suite = try ExpectationSuite(json: Self.text("expectations_only.json"), name: "from_array")
        #expect(suite.name == "from_array")
        #expect(suite.expectations.count == 3)
        #expect(suite.expectations[1].type == "expect_column_values_to_be_between")
    }

    @Test func nameOverridesTheFile() throws {
        let suite = try ExpectationSuite(json: Self.text("user_stats_ge0.json"), name: "renamed")
        #expect(suite.name == "renamed")
    }

    @Test func anArrayWithoutANameIsRefused() throws {
        #expect(throws: QualityError.self) { try ExpectationSuite(json: Self.text("expectations_only.json")) }
    }

    @Test func anExpectationWithoutATypeNamesItsIndex() throws {
        let text = try Self.text("not_a_suite.json")
        do {
            _ = try ExpectationSuite(json: text)
            Issue.record("accepted an expectation without a type")
        } catch {
            #expect(error.code == .invalidJSON)
            #expect(error.expectationIndex == 0)
            #expect(error.description.contains("expectation 0"))
        }
    }

    @Test(arguments: [
        #"{"name": "x"}"#, #"{"name": "x", "expectations": {}}"#, #"{"name": "x", "expectations": [3]}"#,
        #"{"name": "x", "expectations": [{"type": "t", "kwargs": [1]}]}"#, "42",
    ])
    func badShapesAreRefused(_ text: String) {
        #expect(throws: QualityError.self) { try ExpectationSuite(json: text) }
    }

    @Test func jsonTextRoundTripsInTheGE1Form() throws {
        let suite = try ExpectationSuite(json: Self.text("user_stats_ge0.json"))
        let text = suite.jsonText()
        let root = try QualityJSON(parsing: text)
        #expect(root["name"] == "user_stats_legacy")
        #expect(root["expectations"]?.arrayValue?.first?["type"] == "expect_column_values_to_not_be_null")
        #expect(try ExpectationSuite(json: text) == suite)
    }
}
