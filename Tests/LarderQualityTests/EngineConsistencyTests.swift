import Foundation
import LarderColumnar
import Testing
@testable import LarderQuality

/// The engine's results do not depend on how rows are split, scanned or merged: serial equals
/// parallel, many batches equal one, merged states equal one pass, and encoded states finish
/// to the same results.
@Suite struct EngineConsistencyTests {
    static let names = ["ann", "bob", "çetin", "dörte", "эрик", "李", "😀x", ""]

    /// A random table with nulls, NaN, repeats, unicode and a mostly-increasing timestamp.
    static func table(rows: Int, seed: UInt64) throws -> RecordBatch {
        var g = SplitMix(seed: seed)
        var id = [Int64](), score = [Double](), scoreValid = [Bool](), day = [Int32](), ts = [Int64](), flag = [Bool]()
        var name = ColumnBuilder(type: .string)
        var t: Int64 = 1_700_000_000_000_000
        for _ in 0 ..< rows {
            id.append(Int64(g.next() % UInt64(rows * 2)))
            let r = g.next() % 20
            scoreValid.append(r != 0)
            score.append(r == 1 ? .nan : Double(Int64(g.next() % 20_000) - 1000) / 10)
            if g.next() % 15 == 0 { name.appendNull() } else { name.append(string: names[Int(g.next() % UInt64(names.count))]) }
            day.append(Int32(19_700 + Int(g.next() % 60)))
            t += g.next() % 50 == 0 ? -1_000_000 : Int64(g.next() % 1_000_000)
            ts.append(t)
            flag.append(g.next() % 3 == 0)
        }
        return try RecordBatch([
            "id": .int64(id), "score": .float64(score, validity: Bitmap(scoreValid)), "name": name.finish(),
            "day": .int32(day).retyped(.date), "ts": .timestamp(ts), "flag": .bool(flag),
        ])
    }

    static let suite = ExpectationSuite(name: "everything", expectations: [
        Expectation("expect_table_row_count_to_be_between", ["min_value": 1]),
        Expectation("expect_table_columns_to_match_set", ["column_set": ["id", "score", "name", "day", "ts", "flag"]]),
        Expectation("expect_column_values_to_not_be_null", ["column": "score", "mostly": 0.9]),
        Expectation("expect_column_values_to_be_null", ["column": "name"]),
        Expectation("expect_column_values_to_be_between", ["column": "score", "min_value": 0, "max_value": 1500, "mostly": 0.8]),
        Expectation("expect_column_values_to_be_between", ["column": "day", "min_value": "2023-12-15", "max_value": "2024-01-31"]),
        Expectation("expect_column_values_to_be_in_set", ["column": "name", "value_set": ["ann", "bob", "李", ""]]),
        Expectation("expect_column_values_to_not_be_in_set", ["column": "id", "value_set": [1, 2, 3, 5, 8, 13]]),
        Expectation("expect_column_values_to_be_unique", ["column": "id"]),
        Expectation("expect_column_values_to_match_regex", ["column": "name", "regex": "^[a-zà-ÿ]+$"]),
        Expectation("expect_column_values_to_not_match_regex", ["column": "name", "regex": "\\d"]),
        Expectation("expect_column_value_lengths_to_be_between", ["column": "name", "min_value": 2, "max_value": 4]),
        Expectation("expect_column_values_to_be_increasing", ["column": "ts"]),
        Expectation("expect_column_values_to_be_decreasing", ["column": "score"]),
        Expectation("expect_column_min_to_be_between", ["column": "score", "min_value": -100]),
        Expectation("expect_column_max_to_be_between", ["column": "ts", "max_value": "2030-01-01"]),
        Expectation("expect_column_mean_to_be_between", ["column": "score", "min_value": 800, "max_value": 1000]),
        Expectation("expect_column_median_to_be_between", ["column": "id", "min_value": 0]),
        Expectation("expect_column_stdev_to_be_between", ["column": "score", "min_value": 500, "max_value": 700]),
        Expectation("expect_column_sum_to_be_between", ["column": "id", "min_value": 0]),
        Expectation("expect_column_quantile_values_to_be_between", ["column": "score", "quantile_ranges": [
            "quantiles": [0.05, 0.5, 0.95], "value_ranges": [[nil, 0], [800, 1000], [1800, nil]]], "allow_relative_error": "linear"]),
        Expectation("expect_column_unique_value_count_to_be_between", ["column": "day", "min_value": 50]),
        Expectation("expect_column_proportion_of_unique_values_to_be_between", ["column": "id", "min_value": 0.5]),
        Expectation("expect_column_distinct_values_to_be_in_set", ["column": "name", "value_set": ["ann", "bob", "çetin", "dörte"]]),
        Expectation("expect_column_distinct_values_to_contain_set", ["column": "flag", "value_set": [true, false]]),
        Expectation("expect_column_distinct_values_to_equal_set", ["column": "name", "value_set": .array(names.map { .string($0) })]),
        Expectation("expect_column_most_common_value_to_be_in_set", ["column": "flag", "value_set": [false]]),
        Expectation("expect_compound_columns_to_be_unique", ["column_list": ["day", "name"]]),
        Expectation("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "score", "column_B": "id", "or_equal": true]),
        Expectation("expect_column_values_to_be_of_type", ["column": "ts", "type_": "datetime64[us, UTC]"]),
    ])

    static func split(_ batch: RecordBatch, sizes: [Int]) throws -> [RecordBatch] {
        var out: [RecordBatch] = []
        var start = 0
        var k = 0
        while start < batch.rowCount {
            let n = min(sizes[k % sizes.count], batch.rowCount - start)
            out.append(batch.slice(start ..< start + n))
            start += n
            k += 1
        }
        return out
    }

    /// Results equal, with float statistics equal to 1e-9 relative (sums of floats depend on
    /// where the rows were split).
    static func same(_ a: ValidationResult, _ b: ValidationResult) -> Bool {
        guard a.results.count == b.results.count, a.success == b.success else { return false }
        for (x, y) in zip(a.results, b.results) {
            var xr = x.result, yr = y.result
            if let ox = xr.observedValue, let oy = yr.observedValue, close(ox, oy) { xr.observedValue = nil; yr.observedValue = nil }
            if x.success != y.success || xr != yr { return false }
        }
        return true
    }

    static func close(_ a: QualityJSON, _ b: QualityJSON) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): return x == y || abs(x - y) <= 1e-9 * max(abs(x), abs(y))
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
        case (.object(let x), .object(let y)): return x.keys == y.keys && x.keys.allSatisfy { close(x[$0]!, y[$0]!) }
        default: return a == b
        }
    }

    @Test func parallelEqualsSerialOnManyBatches() throws {
        let whole = try Self.table(rows: 40_000, seed: 1)
        let batches = try Self.split(whole, sizes: [1, 977, 13_000, 0, 4_096])
        let v = try SuiteValidator(suite: Self.suite, schema: whole.schema)
        for format in [ResultFormat.summary, .complete] {
            let serial = v.validate(batches, options: ValidationOptions(resultFormat: format, threads: 1))
            let parallel = v.validate(batches, options: ValidationOptions(resultFormat: format, threads: 4))
            #expect(serial == parallel, "\(format)")
        }
    }

    @Test func manyBatchesEqualOneBatch() throws {
        let whole = try Self.table(rows: 300_000, seed: 2)
        let v = try SuiteValidator(suite: Self.suite, schema: whole.schema)
        let one = v.validate([whole], options: ValidationOptions(resultFormat: .complete))
        let many = v.validate(try Self.split(whole, sizes: [70_001, 3, 50_000, 131_072]), options: ValidationOptions(resultFormat: .complete))
        #expect(Self.same(one, many))
        #expect(one.results.contains { !$0.success } && one.results.contains { $0.success }, "the suite exercises both outcomes")
    }

    @Test func mergedStatesEqualOnePass() throws {
        let whole = try Self.table(rows: 30_000, seed: 3)
        let parts = try Self.split(whole, sizes: [12_345, 7_000, 10_655])
        let v = try SuiteValidator(suite: Self.suite, schema: whole.schema)
        var state = v.state(for: [parts[0]])
        state.merge(v.state(for: [parts[1]]))
        state.merge(v.state(for: [parts[2]]))
        #expect(state.rowCount == 30_000)
        #expect(Self.same(v.finish(state), v.validate(parts)))
    }

    @Test func encodedStatesFinishTheSame() throws {
        let whole = try Self.table(rows: 5_000, seed: 4)
        let parts = try Self.split(whole, sizes: [2_000])
        let v = try SuiteValidator(suite: Self.suite, schema: whole.schema)
        let stored = try JSONEncoder().encode(v.state(for: Array(parts.prefix(2))))
        var state = try JSONDecoder().decode(ValidationState.self, from: stored)
        state.merge(v.state(for: [parts[2]]))
        #expect(Self.same(v.finish(state), v.validate(parts)))
    }

    @Test func statesOfOtherSuitesDoNotMerge() throws {
        let batch = try Self.table(rows: 100, seed: 5)
        let v = try SuiteValidator(suite: Self.suite, schema: batch.schema)
        let other = try SuiteValidator(suite: ExpectationSuite(name: "x", expectations: [Expectation("expect_column_values_to_be_unique", ["column": "id"])]),
                                       schema: batch.schema)
        var state = v.state(for: [batch])
        #expect(!state.canMerge(other.state(for: [batch])))
        state.merge(other.state(for: [batch]))
        let result = v.finish(state)
        #expect(!result.success && result.results.allSatisfy { $0.exceptionInfo != nil })
        #expect(other.finish(v.state(for: [batch])).results[0].exceptionInfo != nil)
    }

    @Test func batchesOfAnotherSchemaAreReportedNotScanned() throws {
        let batch = try Self.table(rows: 10, seed: 6)
        let v = try SuiteValidator(suite: Self.suite, schema: batch.schema)
        let wrong = try Q.batch(["id": Q.ints([1])])
        let result = v.validate([batch, wrong])
        #expect(!result.success)
        #expect(result.results.allSatisfy { $0.exceptionInfo?.contains("batch 1") == true })
    }

    @Test func emptyInputIsAnEmptyTable() throws {
        let batch = try Self.table(rows: 10, seed: 7)
        let v = try SuiteValidator(suite: Self.suite, schema: batch.schema)
        let none = v.validate([])
        let empty = v.validate([RecordBatch.empty(batch.schema)])
        #expect(none == empty)
        #expect(none.results[0].result.observedValue == 0)
    }
}
