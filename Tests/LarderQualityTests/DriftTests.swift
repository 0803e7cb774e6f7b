import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderQuality

/// `Drift.compare` on whole tables: bins, nulls, schema differences, thresholds, JSON.
@Suite struct DriftTests {
    func gaussian(_ n: Int, mean: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0 ..< n).map { _ in
            // Box–Muller.
            let u = Double.random(in: Double.ulpOfOne ..< 1, using: &rng), v = Double.random(in: 0 ..< 1, using: &rng)
            return mean + (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
    }

    @Test func identicalDataHasNoDrift() throws {
        let values = gaussian(5000, mean: 0, seed: 1)
        let batch = try RecordBatch([
            "x": .float64(values),
            "c": Column.string(values.map { $0 > 0.5 ? "high" : $0 < -0.5 ? "low" : nil }),
            "b": .bool(values.map { $0 > 0 }),
        ])
        let report = try Drift.compare(reference: [batch], current: [batch])
        #expect(!report.drifted)
        #expect(!report.schemaChanged)
        #expect(report.driftedColumns.isEmpty)
        for column in report.columns {
            #expect(column.status == .compared)
            #expect(column.jensenShannon == 0)
            #expect(column.psi ?? 0 == 0)
            #expect(column.lInfinity ?? 0 == 0)
        }
        let x = try #require(report.column(named: "x"))
        #expect(x.kind == .numeric)
        #expect(x.bins.count == 10)
        for bin in x.bins { #expect(abs(bin.referenceFraction - 0.1) < 0.001) }
        #expect(report.column(named: "c")?.kind == .categorical)
        // Nulls are a category of their own.
        #expect(report.column(named: "c")?.bins.contains { $0.label == "(null)" } == true)
    }

    @Test func shiftedNumbersDrift() throws {
        let reference = try RecordBatch(["x": .float64(gaussian(5000, mean: 0, seed: 1))])
        let same = try RecordBatch(["x": .float64(gaussian(5000, mean: 0, seed: 2))])
        let shifted = try RecordBatch(["x": .float64(gaussian(5000, mean: 1, seed: 3))])
        let stable = try #require(try Drift.compare(reference: [reference], current: [same]).column(named: "x"))
        #expect(!stable.drifted)
        #expect((stable.psi ?? 1) < 0.05)
        let report = try Drift.compare(reference: [reference], current: [shifted])
        let x = try #require(report.column(named: "x"))
        #expect(x.drifted)
        #expect((x.psi ?? 0) > 0.2)
        #expect((x.jensenShannon ?? 0) > 0.1)
        #expect(report.drifted)
        #expect(report.driftedColumns == ["x"])
    }

    @Test func handComputedPSIThroughCompare() throws {
        // Two bins: the reference median (nearest rank, index round(4.5) = 4) is 5, so bins are
        // ≤ 5 and > 5 with shares (0.5, 0.5); the current data has (0.8, 0.2).
        // PSI = 0.3·ln(1.6) + 0.3·ln(2.5).
        let reference = try RecordBatch(["x": .int64(Array(1 ... 10))])
        let current = try RecordBatch(["x": .int64([1, 1, 1, 1, 1, 1, 1, 1, 6, 7])])
        let x = try #require(try Drift.compare(reference: [reference], current: [current],
                                               options: DriftOptions(binCount: 2)).column(named: "x"))
        #expect(x.bins.map(\.label) == ["≤ 5", "> 5"])
        #expect(x.bins.map(\.referenceFraction) == [0.5, 0.5])
        #expect(x.bins.map(\.currentFraction) == [0.8, 0.2])
        #expect(abs((x.psi ?? 0) - 0.41588830833596724) < 1e-12)
        #expect(x.drifted)
    }

    @Test func categoricalShiftUsesLInfinity() throws {
        let reference = try RecordBatch(["c": Column.string(Array(repeating: "a", count: 50) + Array(repeating: "b", count: 50))])
        let current = try RecordBatch(["c": Column.string(Array(repeating: "a", count: 65) + Array(repeating: "b", count: 30) + ["é", "é", nil, nil, nil])])
        let c = try #require(try Drift.compare(reference: [reference], current: [current]).column(named: "c"))
        #expect(c.kind == .categorical)
        #expect(c.psi == nil)
        // a: 0.5 → 0.65, b: 0.5 → 0.3, é: 0 → 0.02, null: 0 → 0.03.
        #expect(abs((c.lInfinity ?? 0) - 0.2) < 1e-12)
        let expectedJS = Drift.jensenShannonDistance(reference: [0.5, 0.5, 0, 0], current: [0.65, 0.3, 0.02, 0.03])
        #expect(c.jensenShannon == expectedJS)
        #expect(c.drifted)
        #expect(c.categoryCount == 3)
        #expect(c.currentNullFraction == 0.03)
        #expect(c.referenceNullFraction == 0)
    }

    @Test func boolColumnsAreCategorical() throws {
        let reference = try RecordBatch(["b": .bool([true, true, false, false])])
        let current = try RecordBatch(["b": .bool([true, true, true, false])])
        let b = try #require(try Drift.compare(reference: [reference], current: [current]).column(named: "b"))
        #expect(b.kind == .categorical)
        #expect(b.lInfinity == 0.25)
        #expect(Set(b.bins.map(\.label)) == ["true", "false"])
    }

    @Test func nullsAndNaNAreTheirOwnBins() throws {
        let reference = try RecordBatch(["x": .float64([1, 2, 3, 4])])
        let current = try RecordBatch(["x": Column.float64([1, 2, .nan, 0], validity: Bitmap([true, true, true, false]))])
        let x = try #require(try Drift.compare(reference: [reference], current: [current]).column(named: "x"))
        #expect(x.bins.suffix(2).map(\.label) == ["(null)", "(NaN)"])
        #expect(x.bins.last?.currentFraction == 0.25)
        #expect(x.bins.last?.referenceFraction == 0)
        #expect(x.currentNullFraction == 0.25)
        #expect(x.drifted)
        // All-null current data drifts from a column of values.
        let allNull = try RecordBatch(["x": Column.float64([0, 0], validity: Bitmap([false, false]))])
        let gone = try #require(try Drift.compare(reference: [reference], current: [allNull]).column(named: "x"))
        #expect(gone.jensenShannon == 1)
        #expect(gone.drifted)
    }

    @Test func missingColumnsAreReportedNotFatal() throws {
        let reference = try RecordBatch(["a": .int64([1, 2]), "b": .int64([3, 4]), "v": Column(type: .vector(dimension: 1), storage: .vector(dimension: 1, values: [1, 2]))])
        let current = try RecordBatch(["b": .int64([3, 4]), "c": .int64([5, 6]), "v": Column(type: .vector(dimension: 1), storage: .vector(dimension: 1, values: [1, 2]))])
        let report = try Drift.compare(reference: [reference], current: [current])
        #expect(report.columns.map(\.name) == ["a", "b", "v", "c"])
        #expect(report.column(named: "a")?.status == .onlyInReference)
        #expect(report.column(named: "c")?.status == .onlyInCurrent)
        #expect(report.column(named: "v")?.status == .unsupportedType)
        #expect(report.column(named: "b")?.status == .compared)
        #expect(report.schemaChanged)
        #expect(!report.drifted)
    }

    @Test func typesMustBeComparable() throws {
        let reference = try RecordBatch(["x": .int64([1, 2, 3]), "y": .int32([1, 2, 3])])
        let current = try RecordBatch(["x": Column.string(["1", "2", "3"]), "y": .float64([1, 2, 3])])
        let report = try Drift.compare(reference: [reference], current: [current])
        #expect(report.column(named: "x")?.status == .typeMismatch)
        #expect(report.column(named: "x")?.message?.contains("string") == true)
        // Integer widths and floats compare as numbers.
        #expect(report.column(named: "y")?.status == .compared)
        #expect(report.column(named: "y")?.drifted == false)
    }

    @Test func perColumnThresholdsOverrideTheDefaults() throws {
        let reference = try RecordBatch(["x": .float64(gaussian(2000, mean: 0, seed: 4)), "y": .float64(gaussian(2000, mean: 0, seed: 5))])
        let current = try RecordBatch(["x": .float64(gaussian(2000, mean: 0.6, seed: 6)), "y": .float64(gaussian(2000, mean: 0.6, seed: 7))])
        let loose = DriftThresholds(psi: 100, jensenShannon: 1, lInfinity: 1)
        let report = try Drift.compare(reference: [reference], current: [current],
                                       options: DriftOptions(columnThresholds: ["y": loose]))
        #expect(report.column(named: "x")?.drifted == true)
        #expect(report.column(named: "y")?.drifted == false)
        #expect(report.column(named: "y")?.thresholds == loose)
        #expect(report.driftedColumns == ["x"])
    }

    @Test func emptySides() throws {
        let schema = try Schema([Field("x", .float64)])
        let some = try RecordBatch(["x": .float64([1, 2])])
        let report = try Drift.compare(reference: [RecordBatch.empty(schema)], current: [some])
        #expect(report.column(named: "x")?.status == .empty)
        #expect(report.column(named: "x")?.message == "the reference has no rows")
        #expect(!report.drifted)
        let none = try Drift.compare(reference: [], current: [])
        #expect(none.columns.isEmpty)
        #expect(!none.drifted)
    }

    @Test func batchesInParallelMatchOneBatch() throws {
        var rng = SplitMix64(seed: 11)
        let schema = try Schema([Field("i", .int32), Field("f", .float64), Field("s", .string), Field("t", .timestamp)])
        let reference = RandomData.batch(schema: schema, rows: 1500, rng: &rng, allNullProbability: 0)
        let current = RandomData.batch(schema: schema, rows: 1200, rng: &rng, allNullProbability: 0)
        let whole = try Drift.compare(reference: [reference], current: [current])
        let split = try Drift.compare(reference: try pieces(reference, 4), current: try pieces(current, 3))
        #expect(split == whole)
    }

    @Test func reportedCategoriesAreCapped() throws {
        let reference = try RecordBatch(["c": Column.string((0 ..< 100).map { "r\($0)" })])
        let current = try RecordBatch(["c": Column.string((0 ..< 100).map { "c\($0 % 7)" })])
        let c = try #require(try Drift.compare(reference: [reference], current: [current],
                                               options: DriftOptions(reportedCategories: 5)).column(named: "c"))
        #expect(c.bins.count == 5)
        #expect(c.categoryCount == 107)
        #expect(c.lInfinity == c.bins.map { abs($0.referenceFraction - $0.currentFraction) }.max())
    }

    @Test func jsonRoundTrip() throws {
        let reference = try RecordBatch(["x": .float64([1, 2, 3, 4]), "gone": .int64([1, 1, 1, 1])])
        let current = try RecordBatch(["x": .float64([1, 2, 30, .nan])])
        let options = DriftOptions(columnThresholds: ["x": DriftThresholds(psi: .infinity)])
        let report = try Drift.compare(reference: [reference], current: [current], options: options)
        let data = try report.jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"drifted_columns\""))
        #expect(text.contains("\"only_in_reference\""))
        #expect(text.contains("\"Infinity\""))
        #expect(try DriftReport(json: data) == report)
    }

    @Test func badInputIsRefusedWithItsName() throws {
        let a = try RecordBatch(["x": .int64([1])])
        let b = try RecordBatch(["y": .int64([1])])
        #expect { try Drift.compare(reference: [a, b], current: [a]) } throws: { error in
            (error as? DriftError)?.code == .schemaMismatch && "\(error)".contains("reference batch 1")
        }
        #expect { try Drift.compare(reference: [a], current: [a], options: DriftOptions(columns: ["nope"])) } throws: { error in
            (error as? DriftError)?.code == .unknownColumn && (error as? DriftError)?.column == "nope"
        }
        #expect { try Drift.compare(reference: [a], current: [a], options: DriftOptions(binCount: 1)) } throws: { error in
            (error as? DriftError)?.code == .invalidOptions
        }
        let negative = DriftOptions(columnThresholds: ["x": DriftThresholds(psi: -1)])
        #expect { try Drift.compare(reference: [a], current: [a], options: negative) } throws: { error in
            (error as? DriftError)?.column == "x"
        }
        // Selecting columns restricts the report.
        let c = try RecordBatch(["x": .int64([1]), "y": .int64([2])])
        #expect(try Drift.compare(reference: [c], current: [c], options: DriftOptions(columns: ["y"])).columns.map(\.name) == ["y"])
    }

    /// `batch` cut into `n` nearly equal batches.
    func pieces(_ batch: RecordBatch, _ n: Int) throws -> [RecordBatch] {
        let size = (batch.rowCount + n - 1) / n
        return try stride(from: 0, to: batch.rowCount, by: size).map { start in
            let rows = start ..< min(start + size, batch.rowCount)
            let columns = try batch.columns.map { column -> Column in
                var builder = ColumnBuilder(type: column.type)
                for i in rows { try builder.append(column[i]) }
                return builder.finish()
            }
            return try RecordBatch(schema: batch.schema, columns: columns)
        }
    }
}
