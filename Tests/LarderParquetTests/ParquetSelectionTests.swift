import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderParquet

/// `readRowGroup(_:columns:rows:)` must equal a full read followed by `take(rows)`, for every
/// layout: dictionary and plain pages, v1 and v2 pages, nulls, many pages, repeated rows.
@Suite struct ParquetSelectionTests {
    /// A random non-decreasing selection of `count` draws from `0 ..< rows` (repeats likely).
    static func selection(rows: Int, count: Int, rng: inout SplitMix64) -> [Int] {
        guard rows > 0 else { return [] }
        return (0 ..< count).map { _ in Int.random(in: 0 ..< rows, using: &rng) }.sorted()
    }

    static func expectSelectionMatches(_ file: ParquetFile, rng: inout SplitMix64, context: String) throws {
        let columns = file.schema.names
        for g in 0 ..< file.rowGroupCount {
            let rows = file.rowCount(ofRowGroup: g)
            let full = try file.readRowGroup(g, columns: columns)
            for count in [0, 1, rows / 10, rows, rows * 2] {
                let picked = selection(rows: rows, count: count, rng: &rng)
                let selected = try file.readRowGroup(g, columns: columns, rows: picked)
                let expected = try full.take(picked)
                let diff = CanonicalTable(expected).differences(from: CanonicalTable(selected))
                #expect(selected.rowCount == picked.count, "\(context) row group \(g): \(selected.rowCount) rows for \(picked.count)")
                #expect(diff.isEmpty, "\(context) row group \(g), \(count) rows: \(diff.prefix(3).joined(separator: "; "))")
            }
        }
    }

    @Test(arguments: 0 ..< 24)
    func randomFilesSelectLikeTake(_ seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 3)
        let schema = RandomData.schema(using: &rng, maxColumns: 7)
        let rows = [1, 50, 3000, 9000][seed % 4]
        let batch = RandomData.batch(schema: schema, rows: rows, rng: &rng)
        let dir = try TemporaryDirectory()
        var options = ParquetWriteOptions(codec: [Codec.zstd, .lz4Raw, .uncompressed][seed % 3])
        options.dictionary = seed % 2 == 0
        options.rowGroupRows = [1 << 20, 2000][(seed / 2) % 2]
        options.pageBytes = [1 << 20, 1024][(seed / 4) % 2]
        let path = dir.file("s.parquet")
        _ = try ParquetWriter.write([batch], to: path, options: options)
        try Self.expectSelectionMatches(try ParquetFile(path: path), rng: &rng, context: "seed \(seed)")
    }

    /// pyarrow's files: v2 pages, dictionary fallback mid-chunk, nulls, other codecs.
    @Test func pyarrowFixturesSelectLikeTake() throws {
        let dir = Interop.parquetFixturesDirectory.path
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".parquet") }.sorted()
        #expect(names.count >= 20)
        var rng = SplitMix64(seed: 99)
        var checked = 0
        for name in names {
            guard let file = try? ParquetFile(path: dir + "/" + name), file.unsupportedColumns.isEmpty,
                  (try? file.read()) != nil else { continue }
            try Self.expectSelectionMatches(file, rng: &rng, context: name)
            checked += 1
        }
        #expect(checked >= 15)
    }

    @Test func badSelectionsAreRefused() throws {
        let dir = try TemporaryDirectory()
        let batch = try RecordBatch(["a": .int64([1, 2, 3])])
        let path = dir.file("b.parquet")
        _ = try ParquetWriter.write([batch], to: path)
        let file = try ParquetFile(path: path)
        #expect(throws: ParquetError.self) { try file.readRowGroup(0, rows: [2, 1]) }
        #expect(throws: ParquetError.self) { try file.readRowGroup(0, rows: [3]) }
        #expect(throws: ParquetError.self) { try file.readRowGroup(0, rows: [-1]) }
        #expect(throws: ParquetError.self) { try file.readRowGroup(1, rows: [0]) }
        #expect(try file.readRowGroup(0, rows: [2, 2, 0].sorted()).columns[0].int64Values == [1, 3, 3])
    }
}
