import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderQuality

/// The suggested suite: which rules fire on crafted columns, and the GE 1.x JSON shape.
@Suite struct ProfileSuggestTests {
    /// One parsed expectation: type, kwargs and the rule that made it.
    struct Suggested {
        var type: String
        var kwargs: [String: Any]
        var rule: String
        var column: String? { kwargs["column"] as? String }
    }

    /// Expectation types of Great Expectations 1.x that the suggestions may use.
    static let geTypes: Set<String> = [
        "expect_table_columns_to_match_ordered_list", "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_in_set", "expect_column_values_to_be_unique",
        "expect_column_values_to_be_between", "expect_column_min_to_be_between",
        "expect_column_value_lengths_to_be_between",
    ]

    func suggest(_ batches: [RecordBatch], name: String = "checks") throws -> (name: String, items: [Suggested]) {
        let text = Profiler.suggestSuite(from: try Profiler.profile(batches), name: name)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let list = try #require(object["expectations"] as? [[String: Any]])
        let items = try list.map { item -> Suggested in
            let meta = try #require(item["meta"] as? [String: Any])
            return Suggested(type: try #require(item["type"] as? String),
                             kwargs: try #require(item["kwargs"] as? [String: Any]),
                             rule: try #require(meta["profiler_rule"] as? String))
        }
        #expect(Set(object.keys) == ["name", "expectations", "meta"])
        return (try #require(object["name"] as? String), items)
    }

    func rules(_ items: [Suggested], column: String) -> [String] {
        items.filter { $0.column == column }.map(\.rule)
    }

    @Test func rulesOnCraftedColumns() throws {
        let n = 1000
        let country: [String?] = (0 ..< n).map { i in i % 23 == 0 ? nil : ["DE", "FR", "JP"][i % 3] }
        let batch = try RecordBatch([
            "id": .int64((0 ..< n).map { Int64($0) + 1 }),
            "country": Column.string(country),
            "temperature": .float64((0 ..< n).map { Double($0 % 50) - 10.5 }),
            "clicks": .int32((0 ..< n).map { Int32($0 % 4) }),
            "flag": .bool(Array(repeating: true, count: n)),
            "both": .bool((0 ..< n).map { $0 % 2 == 0 }),
            "sparse": Column.float64(Array(repeating: 1, count: n), validity: Bitmap((0 ..< n).map { $0 % 10 == 0 })),
            "name": Column.string((0 ..< n).map { "name-\($0)" }),
            "seen": .timestamp((0 ..< n).map { Int64($0) * 1_000_000 }),
        ])
        let (name, items) = try suggest([batch])
        #expect(name == "checks")
        for item in items { #expect(Self.geTypes.contains(item.type), "\(item.type)") }

        let schema = try #require(items.first)
        #expect(schema.type == "expect_table_columns_to_match_ordered_list")
        #expect(schema.kwargs["column_list"] as? [String] == batch.schema.names)

        #expect(rules(items, column: "id") == ["complete", "unique", "range", "non-negative"])
        let idRange = try #require(items.first { $0.column == "id" && $0.rule == "range" })
        #expect(idRange.type == "expect_column_values_to_be_between")
        #expect(idRange.kwargs["min_value"] as? Int == 1)
        #expect(idRange.kwargs["max_value"] as? Int == n)

        // 43 of 1000 rows null: 0.957 complete, so mostly is 0.95 (rounded down).
        #expect(rules(items, column: "country") == ["retain completeness", "in set", "lengths"])
        let countryNotNull = try #require(items.first { $0.column == "country" && $0.rule == "retain completeness" })
        #expect(countryNotNull.type == "expect_column_values_to_not_be_null")
        #expect(countryNotNull.kwargs["mostly"] as? Double == 0.95)
        let countrySet = try #require(items.first { $0.column == "country" && $0.rule == "in set" })
        #expect(countrySet.kwargs["value_set"] as? [String] == ["DE", "FR", "JP"])
        let lengths = try #require(items.first { $0.column == "country" && $0.rule == "lengths" })
        #expect(lengths.type == "expect_column_value_lengths_to_be_between")
        #expect(lengths.kwargs["min_value"] as? Int == 2)
        #expect(lengths.kwargs["max_value"] as? Int == 2)

        // Negative values: a range but no non-negative rule.
        #expect(rules(items, column: "temperature") == ["complete", "range"])
        let temperature = try #require(items.first { $0.column == "temperature" && $0.rule == "range" })
        #expect(temperature.kwargs["min_value"] as? Double == -10.5)
        #expect(temperature.kwargs["max_value"] as? Double == 38.5)

        #expect(rules(items, column: "clicks") == ["complete", "in set", "range", "non-negative"])
        let clicks = try #require(items.first { $0.column == "clicks" && $0.rule == "in set" })
        #expect(clicks.kwargs["value_set"] as? [Int] == [0, 1, 2, 3])
        let nonNegative = try #require(items.first { $0.column == "clicks" && $0.rule == "non-negative" })
        #expect(nonNegative.type == "expect_column_min_to_be_between")
        #expect(nonNegative.kwargs["min_value"] as? Int == 0)
        #expect(nonNegative.kwargs["max_value"] == nil)

        let flag = try #require(items.first { $0.column == "flag" && $0.rule == "in set" })
        #expect(flag.kwargs["value_set"] as? [Bool] == [true])
        // A bool column holding both values gets no set: the type says as much.
        #expect(rules(items, column: "both") == ["complete"])
        // 10% complete: under the floor, so no not-null expectation at all.
        #expect(!rules(items, column: "sparse").contains("retain completeness"))
        #expect(!rules(items, column: "sparse").contains("complete"))

        #expect(rules(items, column: "name") == ["complete", "unique", "lengths"])
        // Timestamps get completeness only.
        #expect(rules(items, column: "seen") == ["complete"])
    }

    @Test func nanCountsAsMissing() throws {
        // No nulls, but 3 NaN in 100 rows: GE counts NaN as missing, so mostly is 0.97.
        let values = (0 ..< 100).map { $0 < 3 ? Double.nan : Double($0) }
        let (_, items) = try suggest([try RecordBatch(["x": .float64(values)])])
        let notNull = try #require(items.first { $0.column == "x" && $0.type == "expect_column_values_to_not_be_null" })
        #expect(notNull.rule == "retain completeness")
        #expect(notNull.kwargs["mostly"] as? Double == 0.97)
        let range = try #require(items.first { $0.column == "x" && $0.rule == "range" })
        #expect(range.kwargs["min_value"] as? Double == 3)
    }

    @Test func smallDistinctSetsNeedRepetition() throws {
        // Three values in five rows: too unique to call categorical.
        let batch = try RecordBatch(["s": Column.string(["a", "b", "c", "a", "b"])])
        let (_, items) = try suggest([batch])
        #expect(!rules(items, column: "s").contains("in set"))
        #expect(!rules(items, column: "s").contains("unique"))
    }

    @Test func emptyAndAllNullTables() throws {
        let schema = try Schema([Field("x", .float64), Field("s", .string)])
        let empty = Profiler.suggestSuite(from: try Profiler.profile([], schema: schema), name: "e")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(empty.utf8)) as? [String: Any])
        let list = try #require(object["expectations"] as? [[String: Any]])
        #expect(list.count == 1)   // the schema only: nothing is known about the values
        let allNull = try RecordBatch(["x": Column.float64([0, 0], validity: Bitmap([false, false]))])
        let (_, items) = try suggest([allNull])
        #expect(rules(items, column: "x").isEmpty)
    }

    @Test func namesAndValuesAreEscaped() throws {
        let weird = "quote\" back\\slash\nline \u{1}ctl 漢字"
        let batch = try RecordBatch(["c\"ol": Column.string(Array(repeating: weird, count: 20))])
        let (name, items) = try suggest([batch], name: "suite \"x\"")
        #expect(name == "suite \"x\"")
        let set = try #require(items.first { $0.rule == "in set" })
        #expect(set.column == "c\"ol")
        #expect(set.kwargs["value_set"] as? [String] == [weird])
    }

    /// The engine loads the suggested suite, and the data it was suggested from passes it.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func profiledDataPassesItsSuggestedSuite(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let schema = try Schema([
            Field("i", .int64), Field("small", .int32), Field("f", .float64), Field("g", .float32),
            Field("s", .string), Field("cat", .string), Field("b", .bool), Field("t", .timestamp),
        ])
        var batches: [RecordBatch] = []
        for _ in 0 ..< 3 {
            let random = RandomData.batch(schema: schema, rows: 400, rng: &rng, nullProbability: 0.05, allNullProbability: 0)
            // Low-cardinality columns, so the in-set rule fires too.
            let small = Column.int32((0 ..< 400).map { _ in Int32.random(in: 0 ... 3, using: &rng) })
            let cat = Column.string((0 ..< 400).map { _ in ["a", "b", "漢字", nil].randomElement(using: &rng) ?? nil })
            var columns = random.columns
            columns[1] = small
            columns[5] = cat
            batches.append(try RecordBatch(schema: schema, columns: columns))
        }
        let text = Profiler.suggestSuite(from: try Profiler.profile(batches), name: "suggested")
        let suite = try ExpectationSuite(json: text)
        #expect(suite.expectations.count > 10)
        let result = try SuiteValidator(suite: suite, schema: schema).validate(batches)
        #expect(result.success, "\(result.failures.map { $0.json.jsonText(pretty: false) })")
    }
}
