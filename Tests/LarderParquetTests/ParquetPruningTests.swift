import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderParquet

/// Row groups are skipped by their statistics only when they cannot match.
@Suite struct ParquetPruningTests {
    /// Four row groups: keys 0..<100, 100..<200, ... ; `s` is "a", "b", "c", "d" per group;
    /// `x` is null in group 3 only.
    static func file(_ dir: TemporaryDirectory) throws -> ParquetFile {
        let keys = Array(Int64(0) ..< 400)
        let s = keys.map { ["a", "b", "c", "d"][Int($0 / 100)] as String? }
        var xb = ColumnBuilder(type: .float64)
        for k in keys { if k >= 300 { xb.appendNull() } else { xb.append(float64: Double(k) / 10) } }
        let ts = keys.map { 1_700_000_000_000_000 + $0 * 1_000_000 }
        let batch = try RecordBatch(["k": .int64(keys), "s": .string(s), "x": xb.finish(), "ts": .timestamp(ts)])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 100
        try ParquetWriter.write([batch], to: dir.file("p.parquet"), options: options)
        return try ParquetFile(path: dir.file("p.parquet"))
    }

    @Test func statisticsMatchTheData() throws {
        let file = try Self.file(try TemporaryDirectory())
        #expect(file.statistics(rowGroup: 1, column: "k") == ColumnStatistics(nullCount: 0, min: .int64(100), max: .int64(199)))
        #expect(file.statistics(rowGroup: 2, column: "s") == ColumnStatistics(nullCount: 0, min: .string("c"), max: .string("c")))
        #expect(file.statistics(rowGroup: 3, column: "x") == ColumnStatistics(nullCount: 100, min: nil, max: nil))
        #expect(file.statistics(rowGroup: 0, column: "nope") == nil)
    }

    @Test func predicatesKeepOnlyGroupsThatMayMatch() throws {
        let file = try Self.file(try TemporaryDirectory())
        #expect(file.rowGroups(matching: [.equals("k", .int64(150))]) == [1])
        #expect(file.rowGroups(matching: [.range("k", lower: .int64(199), upper: .int64(200))]) == [1, 2])
        #expect(file.rowGroups(matching: [.range("k", lower: nil, upper: .int64(-1))]) == [])
        #expect(file.rowGroups(matching: [.isIn("s", [.string("a"), .string("d")])]) == [0, 3])
        #expect(file.rowGroups(matching: [.isNull("x")]) == [3])
        #expect(file.rowGroups(matching: [.range("x", lower: .float64(0), upper: nil)]) == [0, 1, 2])
        #expect(file.rowGroups(matching: [.equals("k", .int64(150)), .equals("s", .string("c"))]) == [])
        let t = Int64(1_700_000_000_000_000 + 250 * 1_000_000)
        #expect(file.rowGroups(matching: [.range("ts", lower: .timestamp(t), upper: .timestamp(t))]) == [2])
        // A predicate on an unknown column or of another type never prunes.
        #expect(file.rowGroups(matching: [.equals("k", .string("x"))]) == [0, 1, 2, 3])
        #expect(file.rowGroups(matching: [.equals("nope", .int64(1))]) == [0, 1, 2, 3])
    }

    @Test func prunedReadsReturnTheMatchingRows() throws {
        let file = try Self.file(try TemporaryDirectory())
        let groups = file.rowGroups(matching: [.isIn("k", [.int64(5), .int64(305)])])
        let batch = try file.read(columns: ["k"], rowGroups: groups)
        #expect(batch.rowCount == 200)
        #expect(batch.columns[0][0] == .int64(0) && batch.columns[0][199] == .int64(399))
    }
}
