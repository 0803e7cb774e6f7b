import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderQuality

/// Reference statistics, written independently of the profiler.
enum ProfileReference {
    /// numpy's `nearest` quantile: the value at index `q × (n − 1)`, halves to the even index.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = position.rounded(.down)
        let fraction = position - lower
        var index = Int(lower)
        if fraction > 0.5 || (fraction == 0.5 && index % 2 == 1) { index += 1 }
        return sorted[index]
    }

    static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }

    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        let m = mean(values)
        let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    static func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(1, abs(a), abs(b))
    }
}

@Suite struct ProfileTests {
    static func int64Column(_ values: [Int64?]) -> Column {
        Column.int64(values.map { $0 ?? 0 }, validity: Bitmap(values.map { $0 != nil }))
    }

    static func float64Column(_ values: [Double?]) -> Column {
        Column.float64(values.map { $0 ?? 0 }, validity: Bitmap(values.map { $0 != nil }))
    }

    @Test func knownIntegerColumn() throws {
        let batch = try RecordBatch(["n": Self.int64Column([5, 1, nil, 3, 3, 9, nil, 2])])
        let profile = try Profiler.profile([batch])
        let n = try #require(profile.column(named: "n"))
        #expect(profile.rowCount == 8)
        #expect(n.type == "int64")
        #expect(n.rowCount == 8)
        #expect(n.nullCount == 2)
        #expect(n.nullFraction == 0.25)
        #expect(n.distinct == DistinctCount(count: 5, isExact: true))
        let numeric = try #require(n.numeric)
        #expect(numeric.count == 6)
        #expect(numeric.min == .int(1))
        #expect(numeric.max == .int(9))
        let values: [Double] = [1, 2, 3, 3, 5, 9]
        #expect(ProfileReference.close(numeric.mean, ProfileReference.mean(values)))
        #expect(ProfileReference.close(numeric.standardDeviation, ProfileReference.sampleStandardDeviation(values)))
        // Worked by hand: index 1.25 → 1, 2.5 → 2 (half to even), 3.75 → 4.
        #expect(numeric.quantile(0.25) == 2)
        #expect(numeric.quantile(0.5) == 3)
        #expect(numeric.quantile(0.75) == 5)
        #expect(numeric.quantile(0) == 1)
        #expect(numeric.quantile(1) == 9)
        #expect(numeric.quantiles.map(\.probability) == ProfileOptions.standardQuantiles)
        #expect(numeric.quantilesExact)
        // Low cardinality: top values, most frequent first, ties by value.
        let top = try #require(n.topValues)
        #expect(top.values.first == ValueCount(value: "3", count: 2))
        #expect(top.values.map(\.value) == ["3", "1", "2", "5", "9"])
        #expect(top.isExact)
        #expect(top.otherCount == 0)
        #expect(n.numeric?.histogram.counts.reduce(0, +) == 6)
    }

    @Test func quantilesMatchReferenceOnRandomData() throws {
        var rng = SplitMix64(seed: 7)
        var all: [Double] = []
        var batches: [RecordBatch] = []
        for _ in 0 ..< 7 {
            let values = (0 ..< Int.random(in: 1 ... 900, using: &rng)).map { _ in
                Double.random(in: -1000 ... 1000, using: &rng).rounded() / 8
            }
            all += values
            batches.append(try RecordBatch(["x": .float64(values)]))
        }
        let numeric = try #require(try Profiler.profile(batches).column(named: "x")?.numeric)
        let sorted = all.sorted()
        for q in ProfileOptions.standardQuantiles {
            #expect(numeric.quantile(q) == ProfileReference.quantile(sorted, q), "quantile \(q)")
        }
        #expect(ProfileReference.close(numeric.mean, ProfileReference.mean(all)))
        #expect(ProfileReference.close(numeric.standardDeviation, ProfileReference.sampleStandardDeviation(all)))
        #expect(numeric.min == .double(sorted[0]))
        #expect(numeric.max == .double(sorted[sorted.count - 1]))
        #expect(numeric.count == all.count)
    }

    @Test func histogramHasEqualWidthBins() throws {
        let batch = try RecordBatch(["x": .int64(Array(0 ..< 100))])
        let histogram = try #require(try Profiler.profile([batch], options: ProfileOptions(histogramBins: 10))
            .column(named: "x")?.numeric?.histogram)
        #expect(histogram.counts == Array(repeating: 10, count: 10))
        #expect(histogram.edges.first == 0)
        #expect(histogram.edges.last == 99)
        #expect(histogram.edges.count == 11)

        let constant = try RecordBatch(["x": .float64([2.5, 2.5, 2.5])])
        let single = try #require(try Profiler.profile([constant]).column(named: "x")?.numeric?.histogram)
        #expect(single == NumericHistogram(edges: [2.5, 2.5], counts: [3]))
    }

    @Test func mergeEqualsSinglePass() throws {
        var rng = SplitMix64(seed: 42)
        let schema = try Schema([
            Field("i", .int32), Field("f", .float64), Field("s", .string), Field("b", .bool),
            Field("t", .timestamp), Field("v", .vector(dimension: 3)), Field("bin", .binary),
        ])
        let whole = RandomData.batch(schema: schema, rows: 3000, rng: &rng, nullProbability: 0.2, allNullProbability: 0)
        let single = try Profiler.profile([whole])
        // The same rows cut into uneven batches, profiled in parallel and merged.
        var pieces: [RecordBatch] = []
        var start = 0
        for length in [1, 0, 700, 1299, 1000] {
            pieces.append(try slice(whole, start ..< start + length))
            start += length
        }
        let merged = try Profiler.profile(pieces)
        #expect(normalized(merged) == normalized(single))
        // Accumulators merged in another grouping agree too.
        var left = ProfileAccumulator(schema: schema)
        var right = ProfileAccumulator(schema: schema)
        for (k, piece) in pieces.enumerated() {
            if k % 2 == 0 { try left.add(piece) } else { try right.add(piece) }
        }
        try right.merge(left)
        #expect(normalized(right.finish()) == normalized(single))
        // Mean and deviation agree up to rounding.
        for (a, b) in zip(merged.columns, single.columns) {
            if let x = a.numeric, let y = b.numeric {
                #expect(ProfileReference.close(x.mean, y.mean) || (x.mean.isNaN && y.mean.isNaN), "\(a.name)")
                #expect(ProfileReference.close(x.standardDeviation, y.standardDeviation, relative: 1e-6)
                    || (x.standardDeviation.isNaN && y.standardDeviation.isNaN), "\(a.name)")
            }
        }
    }

    @Test func emptyInputs() throws {
        #expect(try Profiler.profile([]) == TableProfile(rowCount: 0, columns: []))
        let schema = try Schema([Field("x", .float64), Field("s", .string), Field("b", .bool)])
        for profile in [try Profiler.profile([], schema: schema), try Profiler.profile([RecordBatch.empty(schema)])] {
            #expect(profile.rowCount == 0)
            #expect(profile.columns.map(\.name) == ["x", "s", "b"])
            for column in profile.columns {
                #expect(column.rowCount == 0)
                #expect(column.nullFraction == 0)
                #expect(column.numeric == nil)
                #expect(column.lengths == nil)
                #expect(column.topValues == nil)
                #expect(column.distinct?.count == 0)
            }
        }
    }

    @Test func allNullColumn() throws {
        let batch = try RecordBatch([
            "x": Self.float64Column([nil, nil, nil]),
            "s": Column.string([nil, nil, nil]),
        ])
        let profile = try Profiler.profile([batch])
        for column in profile.columns {
            #expect(column.nullCount == 3)
            #expect(column.nullFraction == 1)
            #expect(column.numeric == nil)
            #expect(column.lengths == nil)
            #expect(column.topValues == nil)
            #expect(column.distinct == DistinctCount(count: 0, isExact: true))
        }
    }

    @Test func nanIsCountedApartFromValues() throws {
        let batch = try RecordBatch([
            "x": Self.float64Column([1, .nan, 3, nil, .nan, -0.0, 0]),
            "allNaN": Column.float32([.nan, .nan]+[.nan, .nan, .nan, .nan, .nan]),
        ])
        let profile = try Profiler.profile([batch])
        let x = try #require(profile.column(named: "x"))
        #expect(x.nanCount == 2)
        #expect(x.nullCount == 1)
        #expect(x.numeric?.count == 4)
        #expect(x.numeric?.min == .double(-0.0))
        #expect(x.numeric?.max == .double(3))
        #expect(x.numeric?.mean == 1)
        // -0.0 and 0.0 are one value.
        #expect(x.distinct == DistinctCount(count: 3, isExact: true))
        let allNaN = try #require(profile.column(named: "allNaN"))
        #expect(allNaN.nanCount == 7)
        #expect(allNaN.numeric == nil)
        #expect(allNaN.distinct?.count == 0)
    }

    @Test func infinitiesStayInRangeAndJSON() throws {
        let batch = try RecordBatch(["x": .float64([1, .infinity, 2, -.infinity])])
        let profile = try Profiler.profile([batch])
        let numeric = try #require(profile.column(named: "x")?.numeric)
        #expect(numeric.min == .double(-.infinity))
        #expect(numeric.max == .double(.infinity))
        #expect(numeric.mean.isNaN)
        #expect(numeric.histogram.counts.reduce(0, +) == 4)
        let decoded = try TableProfile(json: try profile.jsonData())
        #expect(decoded.column(named: "x")?.numeric?.max == .double(.infinity))
        #expect(decoded.column(named: "x")?.numeric?.mean.isNaN == true)
    }

    @Test func unicodeStringsCountCodePointsAndBytes() throws {
        let strings: [String?] = ["é", "e\u{301}", "漢字", "👩‍👩‍👧‍👦", "", nil, "é", "<script>"]
        let batch = try RecordBatch(["s": Column.string(strings)])
        let s = try #require(try Profiler.profile([batch]).column(named: "s"))
        let lengths = strings.compactMap { $0?.unicodeScalars.count }
        #expect(s.lengths?.min == lengths.min())
        #expect(s.lengths?.max == lengths.max())
        // Four people joined by three zero-width joiners: seven code points.
        let family = try RecordBatch(["s": Column.string(["👩‍👩‍👧‍👦"])])
        #expect(try Profiler.profile([family]).column(named: "s")?.lengths?.max == 7)
        #expect(ProfileReference.close(s.lengths?.mean ?? 0, Double(lengths.reduce(0, +)) / Double(lengths.count)))
        #expect(s.lengths?.emptyCount == 1)
        // "é" (one code point) and "e" + combining accent are different values.
        #expect(s.distinct == DistinctCount(count: 6, isExact: true))
        #expect(s.topValues?.values.first == ValueCount(value: "é", count: 2))
        #expect(s.topValues?.values.contains(ValueCount(value: "e\u{301}", count: 1)) == true)
    }

    @Test func boolAndTemporalColumns() throws {
        let batch = try RecordBatch([
            "b": Column.bool([true, false, true, true]),
            "t": Column.timestamp([1_000_000, -5, 7_000_000, 7_000_000]),
            "d": Column(type: .date, storage: .int32([3, 1, 2, 2])),
        ])
        let profile = try Profiler.profile([batch])
        let b = try #require(profile.column(named: "b"))
        #expect(b.topValues?.values == [ValueCount(value: "true", count: 3), ValueCount(value: "false", count: 1)])
        #expect(b.distinct?.count == 2)
        #expect(b.numeric == nil)
        let t = try #require(profile.column(named: "t"))
        #expect(t.numeric?.min == .int(-5))
        #expect(t.numeric?.max == .int(7_000_000))
        #expect(t.topValues == nil)
        #expect(t.distinct?.count == 3)
        let d = try #require(profile.column(named: "d"))
        #expect(d.type == "date")
        #expect(d.numeric?.quantile(0.5) == 2)
        #expect(d.topValues == nil)
    }

    @Test func vectorNorms() throws {
        let values: [Float] = [3, 4, 0, 0, 0, 0, 9, 9, 9, .nan, 1, 1]
        let column = try Column(type: .vector(dimension: 3), storage: .vector(dimension: 3, values: values),
                                validity: Bitmap([true, true, false, true]))
        let v = try #require(try Profiler.profile([try RecordBatch(["v": column])]).column(named: "v"))
        #expect(v.nullCount == 1)
        let summary = try #require(v.vector)
        #expect(summary.dimension == 3)
        #expect(summary.nanVectorCount == 1)
        #expect(summary.zeroVectorCount == 1)
        #expect(summary.norms?.count == 2)
        #expect(summary.norms?.min == 0)
        #expect(summary.norms?.max == 5)
        #expect(summary.norms?.mean == 2.5)
        #expect(v.distinct == nil)
    }

    @Test func highCardinalityIntegersHaveNoTopValues() throws {
        let batch = try RecordBatch(["id": .int64(Array(0 ..< 500))])
        let id = try #require(try Profiler.profile([batch], options: ProfileOptions(lowCardinalityLimit: 100)).column(named: "id"))
        #expect(id.topValues == nil)
        #expect(id.distinct == DistinctCount(count: 500, isExact: true))
    }

    @Test func schemaMismatchIsRefused() throws {
        let a = try RecordBatch(["x": .int64([1])])
        let b = try RecordBatch(["x": .float64([1])])
        #expect { try Profiler.profile([a, b]) } throws: { error in
            guard let error = error as? ProfileError else { return false }
            return error.code == .schemaMismatch && error.column == "x" && error.batch == 1
        }
        var accumulator = ProfileAccumulator(schema: a.schema)
        #expect(throws: ProfileError.self) { try accumulator.add(b) }
        #expect(throws: ProfileError.self) { try accumulator.merge(ProfileAccumulator(schema: b.schema)) }
    }

    @Test func invalidOptionsAreRefused() throws {
        let a = try RecordBatch(["x": .int64([1])])
        #expect { try Profiler.profile([a], options: ProfileOptions(histogramBins: 0)) } throws: { error in
            (error as? ProfileError)?.code == .invalidOptions && "\(error)".contains("histogramBins")
        }
    }

    @Test func jsonRoundTripUsesSnakeCase() throws {
        let batch = try RecordBatch(["n": Self.int64Column([1, nil, 3]), "s": Column.string(["a", "b", nil])])
        let profile = try Profiler.profile([batch])
        let data = try profile.jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"null_fraction\""))
        #expect(text.contains("\"row_count\""))
        #expect(try TableProfile(json: data) == profile)
    }

    // MARK: - helpers

    /// Rows `range` of `batch`, copied value by value.
    func slice(_ batch: RecordBatch, _ range: Range<Int>) throws -> RecordBatch {
        let columns = try batch.columns.map { column -> Column in
            var builder = ColumnBuilder(type: column.type, capacity: range.count)
            for i in range { try builder.append(column[i]) }
            return builder.finish()
        }
        return try RecordBatch(schema: batch.schema, columns: columns)
    }

    /// The profile with mean and standard deviation rounded, which merging may change in the
    /// last bits.
    func normalized(_ profile: TableProfile) -> TableProfile {
        var copy = profile
        for i in copy.columns.indices {
            if var numeric = copy.columns[i].numeric {
                numeric.mean = round(numeric.mean)
                numeric.standardDeviation = round(numeric.standardDeviation)
                copy.columns[i].numeric = numeric
            }
            if var vector = copy.columns[i].vector, var norms = vector.norms {
                norms.mean = round(norms.mean)
                norms.standardDeviation = round(norms.standardDeviation)
                vector.norms = norms
                copy.columns[i].vector = vector
            }
        }
        return copy
    }

    func round(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x.isNaN ? 0 : x }
        let scale = pow(10, 8 - (log10(abs(x))).rounded(.down))
        return (x * scale).rounded() / scale
    }
}
