import LarderColumnar
import Testing
@testable import LarderQuality

/// Uniqueness as GE counts it: every occurrence of a repeated value is unexpected.
@Suite struct UniquenessTests {
    @Test func everyOccurrenceOfARepeatIsUnexpected() throws {
        let b = try Q.batch(["f": Q.doubles([1, .nan, 2, 2, nil, 5]), "s": .string(["a", "b", nil, "a", "é", "b"])])
        let f = try Q.run("expect_column_values_to_be_unique", ["column": "f"], b)
        #expect(f.result.unexpectedCount == 2 && f.result.missingCount == 2)
        #expect(f.result.partialUnexpectedIndexList == [2, 3])
        let s = try Q.run("expect_column_values_to_be_unique", ["column": "s"], b)
        #expect(s.result.unexpectedCount == 4)
        #expect(s.result.partialUnexpectedList == ["a", "b", "a", "b"])
        #expect(s.result.unexpectedPercent == 80)
    }

    @Test func repeatsAcrossBatchesAndTasks() throws {
        // 300k rows: more than one scan task per batch; repeats far apart.
        let n = 300_000
        var values = (0 ..< Int64(n)).map { $0 * 7 }
        values[5] = values[n - 3]
        values[100_000] = values[250_000]
        let batches = try stride(from: 0, to: n, by: 150_000).map { s in try Q.batch(["x": .int64(Array(values[s ..< s + 150_000]))]) }
        let r = try Q.run("expect_column_values_to_be_unique", ["column": "x"], batches, format: .complete, threads: 4)
        #expect(r.result.unexpectedCount == 4)
        #expect(r.result.unexpectedIndexList == [5, 100_000, 250_000, n - 3])
        #expect(r.result.unexpectedList == [values[5], values[100_000], values[250_000], values[n - 3]].map { .int($0) })
    }

    @Test func equalFloatsWithDifferentSigns() throws {
        let b = try Q.batch(["f": Q.doubles([0.0, -0.0, 1])])
        #expect(try Q.run("expect_column_values_to_be_unique", ["column": "f"], b).result.unexpectedCount == 2)
    }

    @Test func longAndShortStrings() throws {
        let long = String(repeating: "ü", count: 40)
        let b = try Q.batch(["s": .string([long, long + "x", "", long, "", "short", long + "y"])])
        let r = try Q.run("expect_column_values_to_be_unique", ["column": "s"], b)
        #expect(r.result.unexpectedCount == 4)
        #expect(r.result.partialUnexpectedIndexList == [0, 2, 3, 4])
    }

    @Test func compoundColumnsIgnoreRowsAsGEDoes() throws {
        let b = try Q.batch(["a": Q.doubles([1, 2, nil, nil, 5, 1, 2]), "b": Q.doubles([0, 2, 1, nil, nil, 0, 2])])
        let all = try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["a", "b"]], b)
        #expect(all.result.unexpectedCount == 4 && all.result.missingCount == 1)
        #expect(all.result.partialUnexpectedList == [["a": 1.0, "b": 0.0], ["a": 2.0, "b": 2.0], ["a": 1.0, "b": 0.0], ["a": 2.0, "b": 2.0]])
        #expect(all.result.partialUnexpectedCounts == [UnexpectedValueCount(value: [1.0, 0.0], count: 2),
                                                        UnexpectedValueCount(value: [2.0, 2.0], count: 2)])
        let any = try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["a", "b"], "ignore_row_if": "any_value_is_missing"], b)
        #expect(any.result.unexpectedCount == 4 && any.result.missingCount == 3 && any.result.unexpectedPercent == 100)
        let never = try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["a", "b"], "ignore_row_if": "never"], b)
        #expect(never.result.unexpectedCount == 4 && never.result.missingCount == 0)
    }

    @Test func missingValuesAreAValueOfTheirOwn() throws {
        let b = try Q.batch(["a": Q.ints([1, 1, 1, nil]), "b": .string([nil, nil, "x", nil])])
        let r = try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["a", "b"]], b)
        #expect(r.result.unexpectedCount == 2 && r.result.partialUnexpectedIndexList == [0, 1])
        #expect(r.result.missingCount == 1)
    }

    @Test func compoundKeysOfMixedTypes() throws {
        let b = try Q.batch(["u": Q.ints([1, 1, 2, 1]), "t": Q.timestamps(["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-01"]),
                             "k": .string(["x", "x", "x", "y"]), "f": .bool([true, true, true, true])])
        #expect(try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["u", "t"]], b).result.unexpectedCount == 2)
        #expect(try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["u", "t", "k"]], b).success)
        #expect(try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["f", "k"]], b).result.unexpectedCount == 3)
    }

    @Test func emptyAndAllMissing() throws {
        let empty = try Q.batch(["a": Q.ints([]), "b": Q.ints([])])
        #expect(try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["a", "b"]], empty).success)
        #expect(try Q.run("expect_column_values_to_be_unique", ["column": "a"], empty).success)
        let missing = try Q.batch(["a": Q.doubles([nil, .nan]), "b": Q.ints([nil, nil])])
        let r = try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["a", "b"]], missing)
        #expect(r.success && r.result.missingCount == 2 && r.result.unexpectedPercent == nil)
        #expect(try Q.run("expect_column_values_to_be_unique", ["column": "a"], missing).success)
    }

    @Test func duplicateFinderAgreesWithADictionaryOnRandomKeys() throws {
        var g = SplitMix(seed: 9)
        let n = 50_000
        let a = (0 ..< n).map { _ in Int64(g.next() % 3000) }
        let s = (0 ..< n).map { _ -> String? in g.next() % 10 == 0 ? nil : "k\(g.next() % 20)" }
        let batch = try Q.batch(["a": .int64(a), "s": .string(s)])
        var seen: [String: Int] = [:]
        for i in 0 ..< n { seen["\(a[i])|\(s[i] ?? "<null>")", default: 0] += 1 }
        let expected = (0 ..< n).filter { seen["\(a[$0])|\(s[$0] ?? "<null>")"]! > 1 }
        let r = try Q.run("expect_compound_columns_to_be_unique", ["column_list": ["a", "s"]], [batch], format: .complete, threads: 3)
        #expect(r.result.unexpectedIndexList == expected)
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
