import Foundation
import LarderColumnar
import Testing
@testable import LarderQuality

/// What a stored state costs (`retainedValueCount`) and when a validator may use one
/// (`canReuse`, `finish(merging:)`).
@Suite struct StateStorageTests {
    static let constantSuite = ExpectationSuite(name: "constant", expectations: [
        Expectation("expect_column_values_to_not_be_null", ["column": "score", "mostly": 0.9]),
        Expectation("expect_column_values_to_be_between", ["column": "score", "min_value": 0, "max_value": 1500]),
        Expectation("expect_column_mean_to_be_between", ["column": "score", "min_value": 0, "max_value": 1000]),
        Expectation("expect_column_value_lengths_to_be_between", ["column": "name", "min_value": 1, "max_value": 4]),
    ])

    @Test func constantSizeSuitesRetainNothing() throws {
        let batch = try EngineConsistencyTests.table(rows: 2_000, seed: 11)
        let v = try SuiteValidator(suite: Self.constantSuite, schema: batch.schema)
        #expect(v.state(for: [batch]).retainedValueCount == 0)
    }

    @Test func growingMetricsAreCounted() throws {
        let batch = try EngineConsistencyTests.table(rows: 2_000, seed: 12)
        let unique = try SuiteValidator(suite: ExpectationSuite(name: "u", expectations: [
            Expectation("expect_compound_columns_to_be_unique", ["column_list": ["id", "day"]]),
        ]), schema: batch.schema)
        #expect(unique.state(for: [batch]).retainedValueCount == 4_000)
        let median = try SuiteValidator(suite: ExpectationSuite(name: "m", expectations: [
            Expectation("expect_column_median_to_be_between", ["column": "id", "min_value": 0, "max_value": 99_999]),
        ]), schema: batch.schema)
        #expect(median.state(for: [batch]).retainedValueCount >= 2_000)
        let distinct = try SuiteValidator(suite: ExpectationSuite(name: "d", expectations: [
            Expectation("expect_column_unique_value_count_to_be_between", ["column": "id", "min_value": 0, "max_value": 100]),
        ]), schema: batch.schema)
        let ids = Set((0 ..< batch.rowCount).map { batch.columns[0][$0].description })
        #expect(ids.count > 100)
        #expect(distinct.state(for: [batch]).retainedValueCount == ids.count)
    }

    @Test func reuseNeedsTheSameSuiteSchemaAndEnoughKeptRows() throws {
        let batch = try EngineConsistencyTests.table(rows: 1_000, seed: 13)
        let v = try SuiteValidator(suite: Self.constantSuite, schema: batch.schema)
        let state = try JSONDecoder().decode(ValidationState.self, from: JSONEncoder().encode(v.state(for: [batch])))
        #expect(v.canReuse(state))
        #expect(!v.canReuse(state, options: ValidationOptions(resultFormat: .complete)))
        #expect(v.canReuse(state, options: ValidationOptions(resultFormat: .booleanOnly)))
        let narrower = try SuiteValidator(suite: Self.constantSuite, schema: try Schema(batch.schema.fields.filter { $0.name != "flag" }))
        #expect(!narrower.canReuse(state))
        let other = try SuiteValidator(suite: ExpectationSuite(name: "x", expectations: Array(Self.constantSuite.expectations.prefix(2))),
                                       schema: batch.schema)
        #expect(!other.canReuse(state))
    }

    @Test func finishMergingEqualsOnePass() throws {
        let whole = try EngineConsistencyTests.table(rows: 9_000, seed: 14)
        let parts = try EngineConsistencyTests.split(whole, sizes: [4_000, 1])
        let v = try SuiteValidator(suite: EngineConsistencyTests.suite, schema: whole.schema)
        let states = try parts.map { try JSONDecoder().decode(ValidationState.self, from: JSONEncoder().encode(v.state(for: [$0]))) }
        #expect(EngineConsistencyTests.same(v.finish(merging: states), v.validate([whole])))
        #expect(EngineConsistencyTests.same(v.finish(merging: []), v.validate([])))
    }
}
