import LarderColumnar
import Testing
@testable import LarderQuality

/// Per-value expectations: nulls are missing (and NaN with them, as in pandas) and are not
/// unexpected except for not-null / null; `mostly` is over the non-missing rows.
@Suite struct NullnessTests {
    static let f = try! Q.batch(["f": Q.doubles([1, .nan, 2, 2, nil, 5])])

    @Test func notNullCountsNullsAndNaNOverEveryRow() throws {
        let r = try Q.run("expect_column_values_to_not_be_null", ["column": "f"], Self.f)
        #expect(!r.success)
        #expect(r.result.elementCount == 6 && r.result.unexpectedCount == 2)
        #expect(r.result.unexpectedPercent == 2.0 / 6.0 * 100)
        #expect(r.result.missingCount == nil, "GE's not-null result has no missing fields")
        #expect(r.result.partialUnexpectedList == [.null, .null])
        #expect(r.result.partialUnexpectedIndexList == [1, 4])
    }

    @Test func nullCountsPresentValues() throws {
        let r = try Q.run("expect_column_values_to_be_null", ["column": "f"], Self.f)
        #expect(!r.success && r.result.unexpectedCount == 4)
        #expect(r.result.partialUnexpectedList == [1, 2, 2, 5].map { QualityJSON.double($0) })
        #expect(r.result.partialUnexpectedCounts == [UnexpectedValueCount(value: .double(2), count: 2),
                                                      UnexpectedValueCount(value: .double(1), count: 1),
                                                      UnexpectedValueCount(value: .double(5), count: 1)])
    }

    @Test func mostlyExactlyAtTheBoundaryPasses() throws {
        let b = try Q.batch(["x": Q.ints([1, 2, nil])])
        // (3 - 1) / 3 computed in floating point, as GE computes it.
        let boundary = (3.0 - 1.0) / 3.0
        #expect(try Q.run("expect_column_values_to_not_be_null", ["column": "x", "mostly": .double(boundary)], b).success)
        #expect(try !Q.run("expect_column_values_to_not_be_null", ["column": "x", "mostly": .double(boundary.nextUp)], b).success)
    }

    @Test func emptyAndAllNullTables() throws {
        let empty = try Q.batch(["x": Q.ints([])])
        let e = try Q.run("expect_column_values_to_not_be_null", ["column": "x"], empty)
        #expect(e.success && e.result.elementCount == 0 && e.result.unexpectedCount == 0)
        #expect(e.result.unexpectedPercent == nil)
        #expect(e.json["result"]?["unexpected_percent"] == .null, "GE writes the key with null")

        let allNull = try Q.batch(["x": Q.doubles([nil, .nan])])
        #expect(try !Q.run("expect_column_values_to_not_be_null", ["column": "x"], allNull).success)
        #expect(try Q.run("expect_column_values_to_not_be_null", ["column": "x", "mostly": 0], allNull).success)
        #expect(try Q.run("expect_column_values_to_be_null", ["column": "x"], allNull).success)
    }

    @Test func vectorsAndStringsHaveNulls() throws {
        var vb = ColumnBuilder(type: .vector(dimension: 2))
        try vb.append(.vector([1, 2])); vb.appendNull(); try vb.append(.vector([3, 4]))
        let b = try Q.batch(["v": vb.finish(), "s": .string(["a", nil, "ü"])])
        #expect(try Q.run("expect_column_values_to_not_be_null", ["column": "v"], b).result.unexpectedCount == 1)
        #expect(try Q.run("expect_column_values_to_be_null", ["column": "v"], b).result.partialUnexpectedList == [[1.0, 2.0], [3.0, 4.0]])
        #expect(try Q.run("expect_column_values_to_be_null", ["column": "s"], b).result.partialUnexpectedList == ["a", "ü"])
    }
}

@Suite struct BetweenTests {
    @Test func nanAndNullAreMissingNotUnexpected() throws {
        let b = try Q.batch(["f": Q.doubles([1, .nan, 2, 2, nil, 5])])
        let r = try Q.run("expect_column_values_to_be_between", ["column": "f", "min_value": 1.5], b)
        #expect(!r.success)
        #expect(r.result.missingCount == 2 && r.result.unexpectedCount == 1)
        #expect(r.result.unexpectedPercent == 25)
        #expect(r.result.unexpectedPercentTotal == 1.0 / 6.0 * 100)
        #expect(r.result.missingPercent == 2.0 / 6.0 * 100)
        #expect(r.result.partialUnexpectedIndexList == [0])
    }

    @Test func strictBoundsOnIntegers() throws {
        let b = try Q.batch(["x": Q.ints([0, 1, 2, 3, 4])])
        func unexpected(_ kwargs: [String: QualityJSON]) throws -> Int? {
            var k = kwargs
            k["column"] = "x"
            return try Q.run("expect_column_values_to_be_between", k, b).result.unexpectedCount
        }
        #expect(try unexpected(["min_value": 1, "max_value": 3]) == 2)
        #expect(try unexpected(["min_value": 1, "max_value": 3, "strict_min": true]) == 3)
        #expect(try unexpected(["min_value": 1, "max_value": 3, "strict_max": true]) == 3)
        #expect(try unexpected(["min_value": 0.5, "max_value": 3.5]) == 2)
        #expect(try unexpected(["min_value": 0.5, "strict_min": true]) == 1)
        #expect(try unexpected(["max_value": 2]) == 2)
        #expect(try unexpected(["min_value": 1e300]) == 5)
        #expect(try unexpected(["max_value": -1e300]) == 5)
    }

    @Test func strictBoundsOnFloats() throws {
        let b = try Q.batch(["x": Q.doubles([1, 1.5, 2, .infinity, -.infinity])])
        let inclusive = try Q.run("expect_column_values_to_be_between", ["column": "x", "min_value": 1, "max_value": 2], b)
        #expect(inclusive.result.unexpectedCount == 2)
        let strict = try Q.run("expect_column_values_to_be_between", ["column": "x", "min_value": 1, "max_value": 2, "strict_min": true, "strict_max": true], b)
        #expect(strict.result.unexpectedCount == 4)
        #expect(strict.result.partialUnexpectedList == [.double(1), .double(2), .double(.infinity), .double(-.infinity)])
    }

    @Test func timestampsTakeISOStrings() throws {
        let b = try Q.batch(["ts": Q.timestamps(["2024-01-01", "2024-01-02", nil, "2024-01-02T12:00:00Z", "2024-01-03"])])
        let r = try Q.run("expect_column_values_to_be_between",
                          ["column": "ts", "min_value": "2024-01-02", "max_value": "2024-01-03T00:00:00+00:00", "strict_max": true], b)
        #expect(r.result.unexpectedCount == 2)
        #expect(r.result.partialUnexpectedList == ["2024-01-01T00:00:00+00:00", "2024-01-03T00:00:00+00:00"])
        let offset = try Q.run("expect_column_values_to_be_between", ["column": "ts", "max_value": "2024-01-02T13:00:00+01:00"], b)
        #expect(offset.result.unexpectedCount == 1, "12:00+01:00 is 11:00 UTC, so only 2024-01-03 lies above")
    }

    @Test func datesCompareByDay() throws {
        let days = ["2024-02-28", "2024-02-29", "2024-03-01"].map { Timestamp.parseISODate($0)! }
        let b = try Q.batch(["d": .int32(days).retyped(.date)])
        let r = try Q.run("expect_column_values_to_be_between", ["column": "d", "min_value": "2024-02-28T12:00:00", "max_value": "2024-03-01"], b)
        #expect(r.result.unexpectedCount == 1)
        #expect(r.result.partialUnexpectedList == ["2024-02-28"])
    }

    @Test func float32AndInt32Columns() throws {
        let b = try Q.batch(["f": .float32([0.5, 1.5, .nan]), "i": .int32([-5, 5, 50])])
        #expect(try Q.run("expect_column_values_to_be_between", ["column": "f", "min_value": 1], b).result.unexpectedCount == 1)
        #expect(try Q.run("expect_column_values_to_be_between", ["column": "f", "min_value": 1], b).result.missingCount == 1)
        #expect(try Q.run("expect_column_values_to_be_between", ["column": "i", "min_value": 0, "max_value": 10], b).result.unexpectedCount == 2)
    }

    @Test func mostlyIsOverNonMissingRows() throws {
        let b = try Q.batch(["x": Q.ints([1, 2, 3, 100, nil, nil, nil, nil])])
        #expect(try Q.run("expect_column_values_to_be_between", ["column": "x", "max_value": 10, "mostly": 0.75], b).success)
        #expect(try !Q.run("expect_column_values_to_be_between", ["column": "x", "max_value": 10, "mostly": 0.76], b).success)
    }
}

extension Column {
    /// The same buffers under another type of the same layout (int32 as date).
    func retyped(_ type: DataType) -> Column {
        // Built through the checked initializer: the layouts match by construction here.
        (try? Column(type: type, storage: storage, validity: validity)) ?? self
    }
}
