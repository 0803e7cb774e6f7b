import LarderColumnar
import Testing
@testable import LarderQuality

/// The quarantine gate's view: per batch, the rows failing row-scope expectations.
@Suite struct FailingRowsTests {
    static let suite = ExpectationSuite(name: "gate", expectations: [
        Expectation("expect_column_values_to_not_be_null", ["column": "user_id"]),                         // 0
        Expectation("expect_column_values_to_be_between", ["column": "visits", "min_value": 0, "max_value": 100, "mostly": 0.5]), // 1
        Expectation("expect_compound_columns_to_be_unique", ["column_list": ["user_id", "day"]]),          // 2
        Expectation("expect_column_mean_to_be_between", ["column": "visits", "max_value": 1]),             // 3 (aggregate)
        Expectation("expect_column_values_to_be_unique", ["column": "tag"]),                               // 4
        Expectation("expect_column_values_to_be_increasing", ["column": "day"]),                            // 5
        Expectation("expect_table_row_count_to_equal", ["value": 1]),                                      // 6 (table)
    ])

    static func batches() throws -> [RecordBatch] {
        [
            try Q.batch(["user_id": Q.ints([1, nil, 2]), "visits": Q.ints([5, 500, -1]), "day": Q.ints([1, 2, 3]), "tag": .string(["a", "b", "c"])]),
            try Q.batch(["user_id": Q.ints([]), "visits": Q.ints([]), "day": Q.ints([]), "tag": .string([])]),
            try Q.batch(["user_id": Q.ints([1, 3]), "visits": Q.ints([7, nil]), "day": Q.ints([1, 4]), "tag": .string(["b", nil])]),
        ]
    }

    @Test func rowsFailingAnyGivenExpectationPerBatch() throws {
        let batches = try Self.batches()
        let v = try SuiteValidator(suite: Self.suite, schema: batches[0].schema)
        let failures = v.failingRows(batches, expectations: [0, 1, 2, 3, 4, 5, 6])
        #expect(failures.count == 3)
        #expect(failures[0] == [RowFailure(row: 0, expectations: [2]), RowFailure(row: 1, expectations: [0, 1, 4]),
                                RowFailure(row: 2, expectations: [1])])
        #expect(failures[1] == [])
        // Row (1, day 1) repeats row 0 of batch 0; day 1 after day 3 breaks the increase; tag "b" repeats.
        #expect(failures[2] == [RowFailure(row: 0, expectations: [2, 4, 5])])
    }

    @Test func onlyTheGivenExpectationsAreChecked() throws {
        let batches = try Self.batches()
        let v = try SuiteValidator(suite: Self.suite, schema: batches[0].schema)
        #expect(v.failingRows(batches, expectations: [0]) == [[RowFailure(row: 1, expectations: [0])], [], []])
        #expect(v.failingRows(batches, expectations: [3, 6]) == [[], [], []])
        #expect(v.failingRows(batches, expectations: []) == [[], [], []])
    }

    @Test func agreesWithCompleteResultsOnRandomData() throws {
        let whole = try EngineConsistencyTests.table(rows: 20_000, seed: 11)
        let batches = try EngineConsistencyTests.split(whole, sizes: [3_000, 7_000])
        let v = try SuiteValidator(suite: EngineConsistencyTests.suite, schema: whole.schema)
        let rowScope = Set(v.suite.expectations.indices.filter { v.suite.expectations[$0].scope == .row })
        let failures = v.failingRows(batches, expectations: rowScope, threads: 3)
        let complete = v.validate(batches, options: ValidationOptions(resultFormat: .complete))
        var starts: [Int] = []
        var running = 0
        for b in batches { starts.append(running); running += b.rowCount }
        for e in rowScope {
            let expected = complete.results[e].result.unexpectedIndexList ?? []
            var got: [Int] = []
            for (b, rows) in failures.enumerated() { got += rows.filter { $0.expectations.contains(e) }.map { starts[b] + $0.row } }
            #expect(got == expected, "expectation \(e) (\(v.suite.expectations[e].type))")
        }
    }
}
