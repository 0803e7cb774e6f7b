import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderQuality

/// The profiler past its exact limits: HyperLogLog distinct counts, Misra–Gries top values and
/// KLL quantiles.
@Suite struct ProfileSketchTests {
    @Test func distinctCountIsEstimatedPastTheLimit() throws {
        let values = (0 ..< 20_000).map { Int64($0) * 7919 }
        let batches = try stride(from: 0, to: values.count, by: 3000).map { start in
            try RecordBatch(["x": .int64(Array(values[start ..< min(start + 3000, values.count)]))])
        }
        let options = ProfileOptions(exactDistinctLimit: 1000)
        let x = try #require(try Profiler.profile(batches, options: options).column(named: "x"))
        let distinct = try #require(x.distinct)
        #expect(!distinct.isExact)
        #expect(abs(Double(distinct.count) - 20_000) / 20_000 < 0.03, "estimate \(distinct.count)")
        // Under the limit the same data is counted exactly.
        let exact = try Profiler.profile(batches, options: ProfileOptions(exactDistinctLimit: 50_000))
        #expect(exact.column(named: "x")?.distinct == DistinctCount(count: 20_000, isExact: true))
    }

    @Test func stringDistinctEstimate() throws {
        let strings = (0 ..< 12_000).map { "user-\($0)-é" }
        let batch = try RecordBatch(["s": Column.string(strings + strings.prefix(3000))])
        let s = try #require(try Profiler.profile([batch], options: ProfileOptions(exactDistinctLimit: 500)).column(named: "s"))
        let distinct = try #require(s.distinct)
        #expect(!distinct.isExact)
        #expect(abs(Double(distinct.count) - 12_000) / 12_000 < 0.03, "estimate \(distinct.count)")
    }

    @Test func heavyHitterSurvivesTheSummary() throws {
        // 1,000 copies of 7 among 5,000 values seen once, spread over batches.
        var values: [Int64] = (0 ..< 5000).map { 100 + Int64($0) }
        for k in 0 ..< 1000 { values.insert(7, at: (k * 6) % values.count) }
        let batches = try stride(from: 0, to: values.count, by: 1000).map { start in
            try RecordBatch(["x": .int64(Array(values[start ..< min(start + 1000, values.count)]))])
        }
        let limit = 100
        let options = ProfileOptions(exactDistinctLimit: limit, lowCardinalityLimit: 10_000)
        let x = try #require(try Profiler.profile(batches, options: options).column(named: "x"))
        // Past the exact limit an integer column is no longer low-cardinality: no top values.
        #expect(x.topValues == nil)
        let s = try RecordBatch(["s": Column.string(values.map { "v\($0)" })])
        let top = try #require(try Profiler.profile([s], options: options).column(named: "s")?.topValues)
        #expect(!top.isExact)
        let first = try #require(top.values.first)
        #expect(first.value == "v7")
        // A Misra–Gries count is a lower bound, short by at most n / (limit + 1).
        #expect(first.count <= 1000)
        #expect(first.count >= 1000 - values.count / (limit + 1))
    }

    @Test func quantilesFromTheSketchAreWithinRankError() throws {
        let n = 200_000
        var rng = SplitMix64(seed: 3)
        var values = (0 ..< n).map(Double.init)
        values.shuffle(using: &rng)
        let batches = try stride(from: 0, to: n, by: 25_000).map { start in
            try RecordBatch(["x": .float64(Array(values[start ..< start + 25_000]))])
        }
        let options = ProfileOptions(exactQuantileLimit: 10_000)
        let numeric = try #require(try Profiler.profile(batches, options: options).column(named: "x")?.numeric)
        #expect(!numeric.quantilesExact)
        #expect(numeric.count == n)
        for q in ProfileOptions.standardQuantiles {
            // Values are their own ranks, so the error in rank is the error in value.
            let value = try #require(numeric.quantile(q))
            #expect(abs(value - q * Double(n - 1)) <= 0.02 * Double(n), "q=\(q) value=\(value)")
        }
        // Extremes are kept exactly by the range, and the histogram's weights add up to n.
        #expect(numeric.min == .double(0))
        #expect(numeric.max == .double(Double(n - 1)))
        #expect(numeric.histogram.counts.reduce(0, +) == n)
        for count in numeric.histogram.counts {
            #expect(abs(count - n / 20) <= n / 50, "bin count \(count)")
        }
    }

    @Test func hyperLogLogMergeEqualsSketchOfUnion() {
        var a = ProfileHyperLogLog(), b = ProfileHyperLogLog(), all = ProfileHyperLogLog()
        for i in 0 ..< 30_000 as Range<UInt64> {
            let h = i.profileHash
            if i % 3 == 0 { a.add(hash: h) } else { b.add(hash: h) }
            all.add(hash: h)
        }
        a.merge(b)
        #expect(a == all)
        #expect(abs(Double(all.estimate) - 30_000) / 30_000 < 0.03)
        #expect(ProfileHyperLogLog().estimate == 0)
    }

    @Test func kllKeepsTotalWeight() {
        var a = ProfileKLL(k: 64), b = ProfileKLL(k: 64)
        for i in 0 ..< 10_001 { a.add(Double(i)) }
        for i in 0 ..< 777 { b.add(Double(-i)) }
        a.merge(b)
        let sorted = a.sorted()
        #expect(sorted.count == 10_001 + 777)
        #expect(sorted.values.count < 1000)
        #expect(sorted.values == sorted.values.sorted())
    }

    @Test func byteCountsMatchANaiveCount() {
        var rng = SplitMix64(seed: 9)
        let column = RandomData.column(.string, rows: 5000, rng: &rng, nullProbability: 0.1)
        guard case .bytes(let offsets, let data) = column.storage else {
            Issue.record("a string column without bytes storage")
            return
        }
        var naive: [[UInt8]: Int] = [:]
        for i in 0 ..< column.count where column.isValid(i) {
            naive[Array(data[offsets[i] ..< offsets[i + 1]]), default: 0] += 1
        }
        var rows = 0
        let counted = ProfileByteCounts.count(offsets: offsets, data: data, isValid: column.isValid) { _ in rows += 1 }
        #expect(rows == column.count - column.nullCount)
        #expect(counted.count == naive.count)
        for (key, count) in counted { #expect(naive[key.bytes] == count) }
    }
}
