import Foundation
import LarderColumnar
import Testing
@testable import LarderQuality

/// The engine against slow, obvious implementations written from GE's definitions, over
/// random tables with nulls, NaN, repeats and unicode, split into random batches.
@Suite struct ReferenceDifferentialTests {
    /// Present values of a column as Swift values (nil for null or NaN), row by row.
    static func present(_ c: Column) -> [Value?] {
        c.values.map { v in
            switch v {
            case .null: nil
            case .float64(let d) where d.isNaN: nil
            default: v
            }
        }
    }

    static func number(_ v: Value?) -> Double? {
        switch v {
        case .int64(let i)?: Double(i)
        case .float64(let d)?: d
        case .timestamp(let t)?: Double(t)
        default: nil
        }
    }

    static func unexpectedRows(_ type: String, _ kwargs: [String: QualityJSON], _ batches: [RecordBatch]) throws -> [Int] {
        try Q.run(type, kwargs, batches, format: .complete, threads: 2).result.unexpectedIndexList ?? []
    }

    @Test(arguments: [21, 22, 23] as [UInt64])
    func perRowExpectationsMatchTheReference(_ seed: UInt64) throws {
        let whole = try EngineConsistencyTests.table(rows: 12_000, seed: seed)
        var g = SplitMix(seed: seed)
        let batches = try EngineConsistencyTests.split(whole, sizes: (0 ..< 5).map { _ in Int(g.next() % 4000) + 1 })
        let id = Self.present(whole.column(named: "id")!), score = Self.present(whole.column(named: "score")!)
        let name = Self.present(whole.column(named: "name")!), ts = Self.present(whole.column(named: "ts")!)
        let rows = Array(0 ..< whole.rowCount)

        // Between on floats.
        let between = rows.filter { Self.number(score[$0]).map { $0 < 0 || $0 > 1500 } ?? false }
        #expect(try Self.unexpectedRows("expect_column_values_to_be_between", ["column": "score", "min_value": 0, "max_value": 1500], batches) == between)

        // Not null counts NaN.
        #expect(try Self.unexpectedRows("expect_column_values_to_not_be_null", ["column": "score"], batches) == rows.filter { score[$0] == nil })

        // In set on strings.
        let allowed: Set<String> = ["ann", "李", ""]
        let inSet = rows.filter { if case .string(let s)? = name[$0] { !allowed.contains(s) } else { false } }
        #expect(try Self.unexpectedRows("expect_column_values_to_be_in_set", ["column": "name", "value_set": ["ann", "李", ""]], batches) == inSet)

        // Lengths in Unicode scalars.
        let lengths = rows.filter { if case .string(let s)? = name[$0] { s.unicodeScalars.count > 3 } else { false } }
        #expect(try Self.unexpectedRows("expect_column_value_lengths_to_be_between", ["column": "name", "max_value": 3], batches) == lengths)

        // Regex search.
        let regex = rows.filter { if case .string(let s)? = name[$0] { !s.contains("ö") && !s.contains("b") } else { false } }
        #expect(try Self.unexpectedRows("expect_column_values_to_match_regex", ["column": "name", "regex": "[öb]"], batches) == regex)

        // Unique: every occurrence of a repeated id.
        var counts: [Value: Int] = [:]
        for v in id { if let v { counts[v, default: 0] += 1 } }
        #expect(try Self.unexpectedRows("expect_column_values_to_be_unique", ["column": "id"], batches) == rows.filter { id[$0].map { counts[$0]! > 1 } ?? false })

        // Increasing: each present value against the previous present one.
        var previous: Double?
        var increasing: [Int] = []
        for r in rows { if let x = Self.number(ts[r]) { if let p = previous, x < p { increasing.append(r) }; previous = x } }
        #expect(try Self.unexpectedRows("expect_column_values_to_be_increasing", ["column": "ts"], batches) == increasing)

        // Compound unique on (score, name), nulls and NaN as one missing value.
        var keys: [String: Int] = [:]
        func key(_ r: Int) -> String? {
            if score[r] == nil && name[r] == nil { return nil }
            return "\(score[r].map { "\($0)" } ?? "∅")|\(name[r].map { "\($0)" } ?? "∅")"
        }
        for r in rows { if let k = key(r) { keys[k, default: 0] += 1 } }
        #expect(try Self.unexpectedRows("expect_compound_columns_to_be_unique", ["column_list": ["score", "name"]], batches)
            == rows.filter { key($0).map { keys[$0]! > 1 } ?? false })

        // Pair: score > id, a missing side unexpected, both missing skipped (id is never missing).
        let pair = rows.filter { r in Self.number(score[r]).map { $0 <= Self.number(id[r])! } ?? true }
        #expect(try Self.unexpectedRows("expect_column_pair_values_a_to_be_greater_than_b", ["column_A": "score", "column_B": "id"], batches) == pair)
    }

    @Test(arguments: [31, 32] as [UInt64])
    func statisticsMatchTheReference(_ seed: UInt64) throws {
        let whole = try EngineConsistencyTests.table(rows: 9_999, seed: seed)
        let batches = try EngineConsistencyTests.split(whole, sizes: [1_234, 5_000])
        let xs = Self.present(whole.column(named: "score")!).compactMap { Self.number($0) }.sorted()
        let n = xs.count
        let median = n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2
        let mean = xs.reduce(0, +) / Double(n)
        let stdev = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
        func observed(_ type: String, _ extra: [String: QualityJSON] = [:]) throws -> QualityJSON? {
            var k = extra
            k["column"] = "score"
            return try Q.run(type, k, batches).result.observedValue
        }
        #expect(try observed("expect_column_median_to_be_between") == .double(median))
        #expect(try observed("expect_column_min_to_be_between") == .double(xs[0]))
        #expect(try observed("expect_column_max_to_be_between") == .double(xs[n - 1]))
        let m = try #require(try observed("expect_column_mean_to_be_between")?.numberValue)
        #expect(abs(m - mean) <= 1e-9 * abs(mean))
        let s = try #require(try observed("expect_column_stdev_to_be_between")?.numberValue)
        #expect(abs(s - stdev) <= 1e-9 * stdev)
        let qs = [0.0, 0.01, 0.333, 0.5, 0.9, 1]
        let q = try observed("expect_column_quantile_values_to_be_between", ["quantile_ranges": [
            "quantiles": .array(qs.map(QualityJSON.double)), "value_ranges": .array(qs.map { _ in [nil, nil] })]])
        let nearest = qs.map { xs[Int((Double(n - 1) * $0).rounded(.toNearestOrEven))] }
        #expect(q?["values"] == .array(nearest.map(QualityJSON.double)))
        let distinct = Set(xs).count
        #expect(try observed("expect_column_unique_value_count_to_be_between") == .int(Int64(distinct)))
        #expect(try observed("expect_column_proportion_of_unique_values_to_be_between") == .double(Double(distinct) / Double(n)))
    }

    @Test func selectionAgreesWithSorting() {
        var g = SplitMix(seed: 77)
        for n in [1, 2, 3, 10, 101, 5_000] {
            let values = (0 ..< n).map { _ in Int64(g.next() % 50) }
            let sorted = values.sorted()
            var copy = values
            let ranks = OrderStatistics.ranks(&copy, [0, n / 3, n / 2, n - 1])
            for (r, v) in ranks { #expect(v == sorted[r], "rank \(r) of \(n)") }
        }
    }
}

/// Rank selection by histogram passes, on distributions that stress it, against sorting.
@Suite struct RankSelectTests {
    static func slices(_ values: [Double], pieces: Int) -> [ColumnSlice] {
        let column = Column.float64(values)
        return (0 ..< pieces).map { p in
            ColumnSlice(column: column, range: (values.count * p / pieces) ..< (values.count * (p + 1) / pieces))
        }
    }

    @Test(arguments: ["uniform", "clustered", "duplicates", "infinities", "wide", "constant"])
    func ranksMatchSorting(_ shape: String) {
        var g = SplitMix(seed: 5)
        let n = 200_003
        let values: [Double] = (0 ..< n).map { i in
            switch shape {
            case "uniform": return g.unit() * 1000
            case "clustered": return i % 10 == 0 ? g.unit() * 1e9 : 1 + g.unit() * 1e-9
            case "duplicates": return Double(g.next() % 3)
            case "infinities": return i % 1000 == 0 ? -.infinity : (i % 999 == 0 ? .infinity : g.unit())
            case "wide": return (g.unit() - 0.5) * 1e308 * 1.5
            default: return 42
            }
        }
        let sorted = values.sorted()
        let ranks = [0, 1, n / 10, n / 2, n / 2 + 1, n - 2, n - 1]
        for threads in [1, 3] {
            let (count, got) = RankSelect.select(Self.slices(values, pieces: 7), threads: threads) { _ in ranks }
            #expect(count == n)
            for r in ranks { #expect(got[r] == .double(sorted[r]), "\(shape) rank \(r)") }
        }
    }

    @Test func integersPastDoublePrecisionStayExact() {
        let base = Int64(1) << 60
        let values = (0 ..< 100_000).map { base + Int64($0 % 7) }
        let column = Column.int64(values)
        let (_, got) = RankSelect.select([ColumnSlice(column: column, range: 0 ..< values.count)], threads: 2) { n in [0, n / 2, n - 1] }
        let sorted = values.sorted()
        #expect(got[0] == .int(sorted[0]) && got[50_000] == .int(sorted[50_000]) && got[99_999] == .int(sorted[99_999]))
    }
}
