import LarderColumnar
import Testing
@testable import LarderQuality

@Suite struct InSetTests {
    @Test func integerColumnMatchesIntegralDoubles() throws {
        let b = try Q.batch(["x": Q.ints([1, 2, 3, nil, 2])])
        let r = try Q.run("expect_column_values_to_be_in_set", ["column": "x", "value_set": [1.0, 2, 2.5]], b)
        #expect(r.result.unexpectedCount == 1 && r.result.partialUnexpectedList == [3])
        #expect(r.result.missingCount == 1)
        let not = try Q.run("expect_column_values_to_not_be_in_set", ["column": "x", "value_set": [2]], b)
        #expect(not.result.unexpectedCount == 2 && not.result.partialUnexpectedIndexList == [1, 4])
    }

    @Test func floatColumnWithNaNAndNegativeZero() throws {
        let b = try Q.batch(["f": Q.doubles([1, .nan, -0.0, 2.5, nil])])
        let r = try Q.run("expect_column_values_to_be_in_set", ["column": "f", "value_set": [0, 1, 2]], b)
        #expect(r.result.unexpectedCount == 1 && r.result.partialUnexpectedList == [2.5])
        #expect(r.result.missingCount == 2)
    }

    @Test func emptySetFailsEveryPresentValue() throws {
        let b = try Q.batch(["x": Q.ints([1, nil, 2])])
        let r = try Q.run("expect_column_values_to_be_in_set", ["column": "x", "value_set": []], b)
        #expect(!r.success && r.result.unexpectedCount == 2)
        #expect(try Q.run("expect_column_values_to_not_be_in_set", ["column": "x", "value_set": []], b).success)
    }

    @Test func unicodeStrings() throws {
        let b = try Q.batch(["s": .string(["Zürich", "Zu\u{308}rich", nil, "東京", "😀", "Zürich", ""])])
        let r = try Q.run("expect_column_values_to_be_in_set", ["column": "s", "value_set": ["Zürich", "東京", ""]], b)
        // The decomposed "Zu\u{308}rich" is other bytes, as in pandas.
        #expect(r.result.unexpectedCount == 2)
        #expect(r.result.partialUnexpectedList == ["Zu\u{308}rich", "😀"])
        #expect(r.result.partialUnexpectedIndexList == [1, 4])
    }

    @Test func boolsTimestampsAndDates() throws {
        let b = try Q.batch([
            "b": .bool([true, false, true, true]),
            "ts": Q.timestamps(["2024-01-01", "2024-01-01T00:00:00.5Z", nil, "2024-01-02"]),
        ])
        #expect(try Q.run("expect_column_values_to_be_in_set", ["column": "b", "value_set": [true]], b).result.unexpectedCount == 1)
        let ts = try Q.run("expect_column_values_to_be_in_set", ["column": "ts", "value_set": ["2024-01-01T00:00:00Z", "2024-01-02"]], b)
        #expect(ts.result.unexpectedCount == 1 && ts.result.partialUnexpectedList == ["2024-01-01T00:00:00.500000+00:00"])
        let days = try Q.batch(["d": .int32([0, 1, 2]).retyped(.date)])
        let d = try Q.run("expect_column_values_to_be_in_set", ["column": "d", "value_set": ["1970-01-02", "1970-01-03T06:00:00"]], days)
        #expect(d.result.unexpectedCount == 2, "a time that is not midnight matches no date")
    }

    @Test func manyBatchesAndManyDistinctValues() throws {
        let values = (0 ..< 5000).map { "v\($0 % 700)" }
        let batches = try stride(from: 0, to: 5000, by: 1000).map { s in
            try Q.batch(["s": .string(Array(values[s ..< s + 1000]))])
        }
        let allowed = QualityJSON.array((0 ..< 600).map { .string("v\($0)") })
        let r = try Q.run("expect_column_values_to_be_in_set", ["column": "s", "value_set": allowed], batches, threads: 4)
        let expected = values.filter { Int($0.dropFirst())! >= 600 }.count
        #expect(r.result.unexpectedCount == expected)
        #expect(r.result.partialUnexpectedIndexList?.first == 600)
    }
}

@Suite struct RegexAndLengthTests {
    static let s = try! Q.batch(["s": .string(["héllo", "x", nil, "日本語", "ab", "x", "😀"])])

    @Test func regexSearchesAnywhere() throws {
        let anchored = try Q.run("expect_column_values_to_match_regex", ["column": "s", "regex": "^x$"], Self.s)
        #expect(anchored.result.unexpectedCount == 4)
        #expect(anchored.result.partialUnexpectedList == ["héllo", "日本語", "ab", "😀"])
        let search = try Q.run("expect_column_values_to_match_regex", ["column": "s", "regex": "l+"], Self.s)
        #expect(search.result.unexpectedCount == 5)
        #expect(search.result.partialUnexpectedCounts?.first == UnexpectedValueCount(value: "x", count: 2))
        let not = try Q.run("expect_column_values_to_not_match_regex", ["column": "s", "regex": "l+"], Self.s)
        #expect(not.result.unexpectedCount == 1 && not.result.partialUnexpectedList == ["héllo"])
    }

    @Test func unicodeClassesAndPythonNamedGroups() throws {
        let r = try Q.run("expect_column_values_to_match_regex", ["column": "s", "regex": "^\\w+$"], Self.s)
        #expect(r.result.unexpectedCount == 1, "only the emoji is not a word character")
        let named = try Q.run("expect_column_values_to_match_regex", ["column": "s", "regex": "(?P<c>x)(?P=c)?"], Self.s)
        #expect(named.result.unexpectedCount == 4)
    }

    @Test func pythonSyntaxIsRewrittenOutsideClasses() {
        #expect(RegexMatcher.icuPattern("(?P<year>\\d{4})-(?P=year)\\Z") == "(?<year>\\d{4})-\\k<year>\\z")
        #expect(RegexMatcher.icuPattern("[(?P<]\\\\Z") == "[(?P<]\\\\Z")
    }

    @Test func lengthsCountUnicodeScalars() throws {
        let r = try Q.run("expect_column_value_lengths_to_be_between", ["column": "s", "min_value": 2, "max_value": 3], Self.s)
        #expect(r.result.unexpectedCount == 4)
        #expect(r.result.partialUnexpectedList == ["héllo", "x", "x", "😀"])
        let strict = try Q.run("expect_column_value_lengths_to_be_between", ["column": "s", "min_value": 1, "strict_min": true], Self.s)
        #expect(strict.result.unexpectedCount == 3)
        let equal = try Q.run("expect_column_value_lengths_to_equal", ["column": "s", "value": 1], Self.s)
        #expect(equal.result.unexpectedCount == 3)
    }

    @Test func lengthsAndRegexOnTheSameColumnInOneSuite() throws {
        let suite = ExpectationSuite(name: "s", expectations: [
            Expectation("expect_column_values_to_match_regex", ["column": "s", "regex": "^[a-zé]+$"]),
            Expectation("expect_column_value_lengths_to_be_between", ["column": "s", "max_value": 2]),
            Expectation("expect_column_values_to_be_in_set", ["column": "s", "value_set": ["x", "ab"]]),
            Expectation("expect_column_distinct_values_to_contain_set", ["column": "s", "value_set": ["x"]]),
        ])
        let r = try SuiteValidator(suite: suite, schema: Self.s.schema).validate([Self.s])
        #expect(r.results.map(\.result.unexpectedCount) == [2, 2, 3, nil])
        #expect(r.results[3].success)
    }

    @Test func vectorLengthIsTheDimension() throws {
        var vb = ColumnBuilder(type: .vector(dimension: 3))
        try vb.append(.vector([1, 2, 3])); vb.appendNull()
        let b = try Q.batch(["v": vb.finish()])
        #expect(try Q.run("expect_column_value_lengths_to_be_between", ["column": "v", "min_value": 3, "max_value": 3], b).success)
        let r = try Q.run("expect_column_value_lengths_to_be_between", ["column": "v", "min_value": 4], b)
        #expect(r.result.unexpectedCount == 1 && r.result.missingCount == 1)
    }
}

@Suite struct OfTypeTests {
    @Test(arguments: [
        ("int64", DataType.int64, true), ("int", .int64, true), ("Int64", .int64, true), ("float64", .int64, false),
        ("float", .float64, true), ("double", .float64, true), ("float32", .float32, true), ("int32", .int32, true),
        ("str", .string, true), ("string", .string, true), ("object", .string, true), ("bool", .bool, true),
        ("bool_", .bool, true), ("datetime64[ns, UTC]", .timestamp, true), ("datetime64", .timestamp, true),
        ("Timestamp", .timestamp, true), ("date", .date, true), ("bytes", .binary, true), ("int8", .int64, false),
        ("category", .string, false), ("array<float32>[4]", .vector(dimension: 4), true), ("list<item: float>", .vector(dimension: 4), true),
    ])
    func typeNames(_ name: String, _ type: DataType, _ matches: Bool) {
        #expect(TypeNames.matches(name, type) == matches, "\(name) for \(type)")
    }

    @Test func unknownNamesAreNil() {
        #expect(TypeNames.matches("intt64", .int64) == nil)
    }

    @Test func resultIsTheColumnType() throws {
        let b = try Q.batch(["x": Q.ints([1, nil])])
        let ok = try Q.run("expect_column_values_to_be_of_type", ["column": "x", "type_": "int64"], b)
        #expect(ok.success && ok.result.observedValue == "int64")
        #expect(try !Q.run("expect_column_values_to_be_of_type", ["column": "x", "type_": "str"], b).success)
    }
}
