import LarderColumnar
import Testing
@testable import LarderQuality

@Suite struct IncreasingDecreasingTests {
    @Test func eachPresentValueIsComparedWithThePreviousOne() throws {
        let b = try Q.batch(["a": Q.doubles([1, 2, nil, .nan, 5, 1, 2]), "i": Q.ints([5, 3, 3, 2, 8, 8, 1])])
        let inc = try Q.run("expect_column_values_to_be_increasing", ["column": "a"], b)
        #expect(inc.result.unexpectedCount == 1 && inc.result.partialUnexpectedIndexList == [5])
        #expect(inc.result.missingCount == 2 && inc.result.unexpectedPercent == 20)
        let dec = try Q.run("expect_column_values_to_be_decreasing", ["column": "i", "strictly": true], b)
        #expect(dec.result.unexpectedCount == 3 && dec.result.partialUnexpectedIndexList == [2, 4, 5])
        #expect(dec.result.partialUnexpectedList == [3, 8, 8])
        let loose = try Q.run("expect_column_values_to_be_decreasing", ["column": "i"], b)
        #expect(loose.result.unexpectedCount == 1 && loose.result.partialUnexpectedIndexList == [4])
    }

    @Test func strictlyRefusesRepeats() throws {
        let b = try Q.batch(["x": Q.ints([1, 1, 2])])
        #expect(try Q.run("expect_column_values_to_be_increasing", ["column": "x"], b).success)
        #expect(try Q.run("expect_column_values_to_be_increasing", ["column": "x", "strictly": true], b).result.unexpectedCount == 1)
    }

    @Test func batchBoundariesAreJudged() throws {
        // Rows: 1 2 | null | 1 3 | 4 — the 1 after 2 (across a null-only batch) is unexpected.
        let batches = try [[1, 2], [nil], [1, 3], [4]].map { try Q.batch(["x": Q.ints($0)]) }
        let r = try Q.run("expect_column_values_to_be_increasing", ["column": "x"], batches, format: .complete)
        #expect(r.result.unexpectedIndexList == [3])
        #expect(r.result.unexpectedList == [1])
        #expect(r.result.missingCount == 1)
        let serial = try Q.run("expect_column_values_to_be_increasing", ["column": "x"], [try Q.batch(["x": Q.ints([1, 2, nil, 1, 3, 4])])], format: .complete)
        #expect(serial.result == r.result)
    }

    @Test func timestampsAndDates() throws {
        let b = try Q.batch(["ts": Q.timestamps(["2024-01-01", "2024-01-02", nil, "2024-01-02", "2024-01-05", "2024-01-01", "2024-01-03"])])
        let r = try Q.run("expect_column_values_to_be_increasing", ["column": "ts"], b)
        #expect(r.result.unexpectedCount == 1 && r.result.partialUnexpectedList == ["2024-01-01T00:00:00+00:00"])
    }
}

@Suite struct PairGreaterTests {
    static let b = try! Q.batch(["a": Q.doubles([1, 2, nil, nil, 5, 1, 2]), "b": Q.doubles([0, 2, 1, nil, nil, 0, 2])])

    @Test func oneMissingValueIsUnexpected() throws {
        let r = try Q.run("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "a", "column_B": "b"], Self.b)
        #expect(r.result.unexpectedCount == 4 && r.result.missingCount == 1)
        #expect(r.result.partialUnexpectedList == [[2.0, 2.0], [nil, 1.0], [5.0, nil], [2.0, 2.0]])
        #expect(r.result.partialUnexpectedIndexList == [1, 2, 4, 6])
    }

    @Test func orEqualAndIgnoreRowIf() throws {
        let neither = try Q.run("expect_column_pair_values_a_to_be_greater_than_b",
                                ["column_A": "a", "column_B": "b", "or_equal": true, "ignore_row_if": "neither"], Self.b)
        #expect(neither.result.unexpectedCount == 3 && neither.result.missingCount == 0)
        #expect(neither.result.partialUnexpectedIndexList == [2, 3, 4])
        let either = try Q.run("expect_column_pair_values_a_to_be_greater_than_b",
                               ["column_A": "a", "column_B": "b", "ignore_row_if": "either_value_is_missing"], Self.b)
        #expect(either.result.unexpectedCount == 2 && either.result.missingCount == 3)
        #expect(try Q.run("expect_column_pair_values_a_to_be_greater_than_b",
                          ["column_A": "a", "column_B": "b", "ignore_row_if": "either_value_is_missing", "mostly": 0.5], Self.b).success)
    }

    @Test func mixedNumericTypesDatesAgainstTimestampsAndStrings() throws {
        let b = try Q.batch([
            "i": Q.ints([3, 1, 2]), "f": .float32([2.5, 1, 2]),
            "d": .int32([19723, 19724, 19725]).retyped(.date),
            "ts": Q.timestamps(["2024-01-01T00:00:00Z", "2024-01-02T00:00:01Z", "2024-01-02"]),
            "s": .string(["b", "a", "ab"]), "t": .string(["a", "b", "a"]),
        ])
        #expect(try Q.run("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "i", "column_B": "f"], b).result.unexpectedCount == 2)
        // 2024-01-01 = day 19723.
        let dates = try Q.run("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "d", "column_B": "ts", "or_equal": true], b)
        #expect(dates.result.unexpectedCount == 1 && dates.result.partialUnexpectedIndexList == [1])
        #expect(try Q.run("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "s", "column_B": "t"], b).result.unexpectedCount == 1)
    }
}
