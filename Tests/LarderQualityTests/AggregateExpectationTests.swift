import LarderColumnar
import Testing
@testable import LarderQuality

/// Column statistics, as pandas computes them for GE: NaN and null skipped, sample standard
/// deviation, the median of an even count the mean of the middle two, quantiles by numpy's
/// methods (expected values below are pandas' own output for the same data).
@Suite struct AggregateExpectationTests {
    static let f = try! Q.batch(["f": Q.doubles([1, .nan, 2, 2, nil, 5]), "i": Q.ints([5, 3, 3, 2, 8, 8])])

    static func observed(_ type: String, _ kwargs: [String: QualityJSON], _ batch: RecordBatch = f) throws -> (Bool, QualityJSON?) {
        let r = try Q.run(type, kwargs, batch)
        return (r.success, r.result.observedValue)
    }

    @Test func minMaxMeanSumStdev() throws {
        #expect(try Self.observed("expect_column_min_to_be_between", ["column": "f", "min_value": 1]) == (true, .double(1)))
        #expect(try Self.observed("expect_column_max_to_be_between", ["column": "i", "max_value": 7]) == (false, .int(8)))
        #expect(try Self.observed("expect_column_mean_to_be_between", ["column": "f", "min_value": 2.5, "max_value": 2.5]) == (true, .double(2.5)))
        #expect(try Self.observed("expect_column_mean_to_be_between", ["column": "f", "min_value": 2.5, "strict_min": true]).0 == false)
        #expect(try Self.observed("expect_column_sum_to_be_between", ["column": "i", "min_value": 29, "max_value": 29]) == (true, .int(29)))
        #expect(try Self.observed("expect_column_sum_to_be_between", ["column": "f", "min_value": 10, "max_value": 10]) == (true, .double(10)))
        let (ok, stdev) = try Self.observed("expect_column_stdev_to_be_between", ["column": "f", "min_value": 1.7, "max_value": 1.8])
        #expect(ok && stdev == .double(1.7320508075688772))
    }

    @Test func medianOfEvenAndOddCounts() throws {
        #expect(try Self.observed("expect_column_median_to_be_between", ["column": "f", "min_value": 2]) == (true, .double(2)))
        #expect(try Self.observed("expect_column_median_to_be_between", ["column": "i", "max_value": 4]) == (true, .double(4)))
        let odd = try Q.batch(["x": Q.ints([9, 1, 5])])
        #expect(try Self.observed("expect_column_median_to_be_between", ["column": "x", "min_value": 5, "max_value": 5], odd) == (true, .double(5)))
    }

    @Test(arguments: [
        ("linear", [1.0, 1.6, 2.5, 3.0, 6.5, 8.0, 8.0] as [QualityJSON]), ("lower", [1, 1, 2, 3, 5, 8, 8]),
        ("higher", [1, 2, 3, 3, 8, 8, 8]), ("midpoint", [1.0, 1.5, 2.5, 3.0, 6.5, 8.0, 8.0]), ("nearest", [1, 2, 3, 3, 5, 8, 8]),
    ])
    func quantileMethodsMatchPandas(_ method: String, _ expected: [QualityJSON]) throws {
        let b = try Q.batch(["x": Q.ints([5, 3, 3, 2, 8, 8, 1, nil])])
        let qs: [QualityJSON] = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]
        let kwargs: [String: QualityJSON] = ["column": "x", "allow_relative_error": method == "nearest" ? false : .string(method),
                                             "quantile_ranges": ["quantiles": .array(qs), "value_ranges": .array(qs.map { _ in [nil, nil] })]]
        let r = try Q.run("expect_column_quantile_values_to_be_between", kwargs, b)
        #expect(r.success)
        #expect(r.result.observedValue?["values"] == .array(expected))
    }

    @Test func quantileRangesAndGECloseness() throws {
        let b = try Q.batch(["x": Q.doubles([1, 1, 2, 2, 5, 7.5])])
        let r = try Q.run("expect_column_quantile_values_to_be_between", ["column": "x", "quantile_ranges": [
            "quantiles": [0.3, 0.5, 0.7], "value_ranges": [[2.00001, 3], [nil, 1.5], [4, nil]]]], b)
        // nearest: 2.0, 2.0, 5.0. The first is outside [2.00001, 3] but within GE's rtol of 1e-4.
        #expect(r.result.observedValue?["values"] == [2.0, 2.0, 5.0])
        #expect(r.result.details?["success_details"] == [true, false, true])
        #expect(!r.success)
    }

    @Test func emptyAndAllNullColumnsFailStatistics() throws {
        for batch in [try Q.batch(["x": Q.doubles([])]), try Q.batch(["x": Q.doubles([nil, .nan, nil])])] {
            for type in ["expect_column_min_to_be_between", "expect_column_max_to_be_between", "expect_column_mean_to_be_between",
                         "expect_column_median_to_be_between", "expect_column_stdev_to_be_between"] {
                let r = try Q.run(type, ["column": "x", "min_value": 0], batch)
                #expect(!r.success && r.result.observedValue == .null, "\(type) on \(batch.rowCount) rows")
            }
            // pandas sums nothing to 0.
            #expect(try Self.observed("expect_column_sum_to_be_between", ["column": "x", "min_value": 0], batch) == (true, .double(0)))
            let q = try Q.run("expect_column_quantile_values_to_be_between", ["column": "x", "quantile_ranges": ["quantiles": [0.5], "value_ranges": [[nil, nil]]]], batch)
            #expect(!q.success && q.result.observedValue?["values"] == [nil])
        }
    }

    @Test func stdevOfOneValueIsUndefined() throws {
        let b = try Q.batch(["x": Q.doubles([3, nil])])
        #expect(try Self.observed("expect_column_stdev_to_be_between", ["column": "x", "min_value": 0], b) == (false, .null))
    }

    @Test func timestampStatisticsAreISOText() throws {
        let b = try Q.batch(["ts": Q.timestamps(["2024-01-03", "2024-01-01", nil, "2024-01-02T00:00:00.25Z"])])
        #expect(try Self.observed("expect_column_min_to_be_between", ["column": "ts", "min_value": "2024-01-01"], b)
            == (true, "2024-01-01T00:00:00+00:00"))
        #expect(try Self.observed("expect_column_max_to_be_between", ["column": "ts", "max_value": "2024-01-02T23:59:59"], b)
            == (false, "2024-01-03T00:00:00+00:00"))
        #expect(try Self.observed("expect_column_median_to_be_between", ["column": "ts", "min_value": "2024-01-02", "max_value": "2024-01-02T00:00:01"], b)
            == (true, "2024-01-02T00:00:00.250000+00:00"))
        let q = try Q.run("expect_column_quantile_values_to_be_between", ["column": "ts", "quantile_ranges": [
            "quantiles": [0, 1], "value_ranges": [["2024-01-01", "2024-01-01"], ["2024-01-02", nil]]]], b)
        #expect(q.success)
        #expect(q.result.observedValue?["values"] == ["2024-01-01T00:00:00+00:00", "2024-01-03T00:00:00+00:00"])
    }

    @Test func integerSumsAreExactPastDoublePrecision() throws {
        let big = Int64(1) << 60
        let b = try Q.batch(["x": .int64([big, 1, -big])])
        #expect(try Self.observed("expect_column_sum_to_be_between", ["column": "x", "min_value": 1, "max_value": 1], b) == (true, .int(1)))
        #expect(try Self.observed("expect_column_max_to_be_between", ["column": "x", "min_value": .int(big), "strict_min": true], b).0 == false)
    }

    @Test func floatSumsAreCompensated() throws {
        let b = try Q.batch(["x": .float64([Double](repeating: 0.1, count: 10))])
        #expect(try Self.observed("expect_column_sum_to_be_between", ["column": "x", "min_value": 1, "max_value": 1], b) == (true, .double(1)))
    }

    @Test func boundsFreeStatisticsPass() throws {
        #expect(try Self.observed("expect_column_mean_to_be_between", ["column": "i"]) == (true, .double(29.0 / 6)))
    }
}

@Suite struct DistinctValueTests {
    static let s = try! Q.batch(["s": .string(["a", "b", nil, "a", "é", "b"]), "i": Q.ints([5, 3, 3, 2, 8, 8]),
                                 "f": Q.doubles([1, .nan, 1, nil, 2, 2])])

    @Test func uniqueValueCountAndProportion() throws {
        let c = try Q.run("expect_column_unique_value_count_to_be_between", ["column": "s", "min_value": 3, "max_value": 3], Self.s)
        #expect(c.success && c.result.observedValue == .int(3))
        let p = try Q.run("expect_column_proportion_of_unique_values_to_be_between", ["column": "s", "min_value": 0.6, "max_value": 0.6], Self.s)
        #expect(p.success && p.result.observedValue == .double(0.6))
        let f = try Q.run("expect_column_unique_value_count_to_be_between", ["column": "f", "max_value": 1], Self.s)
        #expect(!f.success && f.result.observedValue == .int(2), "NaN is missing, not a distinct value")
        let empty = try Q.batch(["x": Q.ints([nil])])
        let e = try Q.run("expect_column_proportion_of_unique_values_to_be_between", ["column": "x", "min_value": 0], empty)
        #expect(e.success && e.result.observedValue == .int(0))
    }

    @Test func distinctValuesInContainAndEqualSets() throws {
        let inSet = try Q.run("expect_column_distinct_values_to_be_in_set", ["column": "i", "value_set": [2, 3, 5]], Self.s)
        #expect(!inSet.success && inSet.result.unexpectedCount == 1 && inSet.result.partialUnexpectedList == [8])
        #expect(inSet.result.observedValue == .null)
        let contain = try Q.run("expect_column_distinct_values_to_contain_set", ["column": "s", "value_set": ["a", "z", "é", "y", "z"]], Self.s)
        #expect(!contain.success && contain.result.missingCount == 2 && contain.result.partialMissingList == ["y", "z"])
        let equal = try Q.run("expect_column_distinct_values_to_equal_set", ["column": "i", "value_set": [1, 2, 3, 5, 8, 9]], Self.s)
        #expect(!equal.success && equal.result.unexpectedCount == 0 && equal.result.missingCount == 2)
        #expect(equal.result.partialMissingList == [1, 9])
        #expect(try Q.run("expect_column_distinct_values_to_equal_set", ["column": "f", "value_set": [2.0, 1]], Self.s).success)
        #expect(try !Q.run("expect_column_distinct_values_to_equal_set", ["column": "i", "value_set": [2, 3, 5, 8, 8.5]], Self.s).success)
    }

    @Test func distinctValuesOnEmptyColumns() throws {
        let empty = try Q.batch(["s": .string([])])
        #expect(try Q.run("expect_column_distinct_values_to_be_in_set", ["column": "s", "value_set": ["a"]], empty).success)
        let contain = try Q.run("expect_column_distinct_values_to_contain_set", ["column": "s", "value_set": ["a"]], empty)
        #expect(!contain.success && contain.result.partialMissingList == ["a"])
        #expect(try Q.run("expect_column_distinct_values_to_equal_set", ["column": "s", "value_set": []], empty).success)
    }

    @Test func mostCommonValueWithTies() throws {
        let tie = try Q.run("expect_column_most_common_value_to_be_in_set", ["column": "i", "value_set": [3]], Self.s)
        #expect(!tie.success && tie.result.observedValue == [3, 8])
        #expect(try Q.run("expect_column_most_common_value_to_be_in_set", ["column": "i", "value_set": [3], "ties_okay": true], Self.s).success)
        let strings = try Q.batch(["s": .string(["b", "a", "b", nil, nil, nil])])
        let one = try Q.run("expect_column_most_common_value_to_be_in_set", ["column": "s", "value_set": ["b"]], strings)
        #expect(one.success && one.result.observedValue == ["b"], "nulls are not a value")
        let empty = try Q.batch(["s": .string([nil])])
        let e = try Q.run("expect_column_most_common_value_to_be_in_set", ["column": "s", "value_set": ["b"], "ties_okay": true], empty)
        #expect(!e.success && e.result.observedValue == [])
    }

    @Test func boolsAndDatesAsDistinctValues() throws {
        let b = try Q.batch(["b": .bool([true, false, true]), "d": .int32([0, 0, 1]).retyped(.date)])
        #expect(try Q.run("expect_column_distinct_values_to_equal_set", ["column": "b", "value_set": [false, true]], b).success)
        let d = try Q.run("expect_column_most_common_value_to_be_in_set", ["column": "d", "value_set": ["1970-01-01"]], b)
        #expect(d.success && d.result.observedValue == ["1970-01-01"])
    }
}
