import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderParquet

/// Property tests: random schemas, values and null patterns survive write → read exactly,
/// under every codec and layout option.
@Suite struct ParquetRoundTripTests {
    /// Bit-exact comparison (NaN payloads and -0.0 included) through the canonical form.
    static func expectSame(_ a: RecordBatch, _ b: RecordBatch, _ context: String) {
        #expect(a.schema.fields == b.schema.fields, "\(context): schema")
        let diff = CanonicalTable(a).differences(from: CanonicalTable(b))
        #expect(diff.isEmpty, "\(context): \(diff.joined(separator: "; "))")
        for (x, y) in zip(a.columns, b.columns) {
            if case .float64(let u) = x.storage, case .float64(let v) = y.storage {
                for i in u.indices where x.isValid(i) {
                    #expect(u[i].bitPattern == v[i].bitPattern, "\(context): float64 bits at \(i)")
                }
            }
        }
    }

    @Test(arguments: 0 ..< 40)
    func randomSchemasRoundTrip(_ seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        let schema = RandomData.schema(using: &rng, maxColumns: 8)
        let rows = [0, 1, 7, 300, 2500][seed % 5]
        let batch = RandomData.batch(schema: schema, rows: rows, rng: &rng)
        let dir = try TemporaryDirectory()
        var options = ParquetWriteOptions(codec: [Codec.zstd, .lz4Raw, .uncompressed][seed % 3])
        options.dictionary = seed % 2 == 0
        options.rowGroupRows = [1 << 20, 100, 999][seed % 3]
        options.pageBytes = [1 << 20, 1024, 4096][(seed / 3) % 3]
        let path = dir.file("r.parquet")
        // Split the input into several batches to exercise buffering across row groups.
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var start = 0
        while start < rows {
            let end = min(rows, start + Int.random(in: 1 ... 400, using: &rng))
            try writer.write(batch.slice(start ..< end))
            start = end
        }
        let summary = try writer.close()
        #expect(summary.rowCount == rows)
        let back = try ParquetFile(path: path).read()
        Self.expectSame(batch, back, "seed \(seed), \(options.codec), dictionary \(options.dictionary)")
    }

    @Test func emptyFileKeepsItsSchema() throws {
        let dir = try TemporaryDirectory()
        let schema = try Schema([Field("a", .int64, nullable: false), Field("v", .vector(dimension: 8))])
        let writer = try ParquetWriter(path: dir.file("e.parquet"), schema: schema)
        let summary = try writer.close()
        #expect(summary.rowCount == 0 && summary.rowGroupCount == 0)
        let file = try ParquetFile(path: dir.file("e.parquet"))
        #expect(file.schema.fields == schema.fields)
        #expect(try file.read().rowCount == 0)
    }

    @Test func projectionAndRowGroupsReadOnlyWhatIsAsked() throws {
        let dir = try TemporaryDirectory()
        let batch = try RecordBatch(["a": .int64(Array(0 ..< 1000)), "b": .string((0 ..< 1000).map { "v\($0)" })])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 250
        try ParquetWriter.write([batch], to: dir.file("p.parquet"), options: options)
        let file = try ParquetFile(path: dir.file("p.parquet"))
        #expect(file.rowGroupCount == 4)
        let b = try file.read(columns: ["b"], rowGroups: [2])
        #expect(b.schema.names == ["b"])
        #expect(b.rowCount == 250)
        #expect(b.columns[0][0] == .string("v500"))
        #expect(throws: ParquetError.self) { try file.read(columns: ["nope"]) }
        #expect(throws: ParquetError.self) { try file.read(rowGroups: [9]) }
    }

    @Test func unicodeAndLongStringsAndSpecialFloats() throws {
        let dir = try TemporaryDirectory()
        let long = String(repeating: "ü🌍x", count: 40_000)
        let batch = try RecordBatch([
            "s": .string(["", "é", "日本語", "a\u{0}b", long, nil, "🏳️‍🌈"]),
            "f": .float32([.nan, -.infinity, .infinity, -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]),
        ])
        for codec in [Codec.zstd, .lz4Raw, .uncompressed] {
            let path = dir.file("u-\(codec).parquet")
            try ParquetWriter.write([batch], to: path, options: .init(codec: codec))
            Self.expectSame(batch, try ParquetFile(path: path).read(), "\(codec)")
        }
    }

    @Test func writerRejectsBadOptionsAndMismatchedBatches() throws {
        let dir = try TemporaryDirectory()
        let batch = try RecordBatch(["a": .int64([1])])
        #expect(throws: ParquetError.self) { try ParquetWriter(path: dir.file("x"), schema: batch.schema, options: .init(codec: .snappy)) }
        var bad = ParquetWriteOptions()
        bad.rowGroupRows = 0
        #expect(throws: ParquetError.self) { try ParquetWriter(path: dir.file("x"), schema: batch.schema, options: bad) }
        let writer = try ParquetWriter(path: dir.file("y.parquet"), schema: batch.schema)
        #expect(throws: ParquetError.self) { try writer.write(try RecordBatch(["b": .int64([1])])) }
        writer.abandon()
        // An abandoned writer leaves nothing behind, not even its temporary file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func fileStatisticsCoverEveryRowGroup() throws {
        let dir = try TemporaryDirectory()
        let batch = try RecordBatch(["a": .int64([5, -3, 9, 2]), "s": .string(["m", nil, "b", "z"])])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 2
        let summary = try ParquetWriter.write([batch], to: dir.file("s.parquet"), options: options)
        #expect(summary.statistics["a"] == ColumnStatistics(nullCount: 0, min: .int64(-3), max: .int64(9)))
        #expect(summary.statistics["s"] == ColumnStatistics(nullCount: 1, min: .string("b"), max: .string("z")))
    }
}

