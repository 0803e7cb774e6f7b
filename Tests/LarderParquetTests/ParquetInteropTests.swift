import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// Every file Larder writes, with each codec, is read by pyarrow, DuckDB and polars to the
/// same values and types Larder wrote.
@Suite struct ParquetInteropTests {
    /// A batch of every Larder type with nulls, NaN, ±infinity, unicode and long strings.
    static func sampleBatch(rows: Int, seed: UInt64) throws -> RecordBatch {
        var rng = SplitMix64(seed: seed)
        let schema = try Schema([
            Field("id", .int64, nullable: false), Field("i32", .int32), Field("i64", .int64), Field("f32", .float32),
            Field("f64", .float64), Field("flag", .bool), Field("s", .string), Field("bin", .binary),
            Field("ts", .timestamp), Field("day", .date), Field("emb", .vector(dimension: 4)), Field("all_null", .float64),
        ])
        var columns = schema.fields.map { RandomData.column($0.type, rows: rows, rng: &rng, nullProbability: $0.isNullable ? 0.15 : 0) }
        columns[0] = .int64((0 ..< Int64(rows)).map { $0 })
        columns[11] = RandomData.column(.float64, rows: rows, rng: &rng, allNull: true)
        return try RecordBatch(schema: schema, columns: columns)
    }

    @Test(.interop, arguments: [Codec.zstd, .lz4Raw, .uncompressed])
    func toolsReadWhatLarderWrites(_ codec: Codec) throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        let batch = try Self.sampleBatch(rows: 700, seed: 7)
        var options = ParquetWriteOptions(codec: codec)
        options.rowGroupRows = 300       // several row groups
        options.pageBytes = 2048         // several pages per chunk
        let path = dir.file("larder-\(codec).parquet")
        try ParquetWriter.write([batch], to: path, options: options)
        let expected = CanonicalTable(batch)
        for engine in Interop.Engine.allCases {
            let read = try Interop.readParquet(path, engine: engine)
            let differences = read.differences(from: expected)
            #expect(differences.isEmpty, "\(engine) on \(codec): \(differences.joined(separator: "; "))")
        }
    }

    /// Floats, doubles and vector elements written BYTE_STREAM_SPLIT (the default; dictionaries
    /// off so scalar floats take it too) read back the same in Larder and in every tool, NaN,
    /// -0.0, infinities and nulls included; with the option off the same columns are PLAIN.
    @Test(.interop)
    func toolsReadByteStreamSplitFloats() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        let batch = try Self.sampleBatch(rows: 900, seed: 11).project(["id", "f32", "f64", "emb", "all_null"])
        let expected = CanonicalTable(batch)
        for split in [true, false] {
            var options = ParquetWriteOptions()
            options.dictionary = false
            options.byteStreamSplit = split
            options.rowGroupRows = 400
            options.pageBytes = 2048
            let path = dir.file("bss-\(split).parquet")
            try ParquetWriter.write([batch], to: path, options: options)
            let file = try ParquetFile(path: path)
            let valueEncoding: ParquetFormat.Encoding = split ? .byteStreamSplit : .plain
            for group in file.metadata.rowGroups {
                for column in group.columns.dropFirst() {
                    let encodings = column.metaData?.encodings ?? []
                    #expect(encodings.contains(valueEncoding) && !encodings.contains(split ? .plain : .byteStreamSplit),
                            "\(column.metaData?.pathInSchema ?? []): \(encodings)")
                }
            }
            #expect(CanonicalTable(try file.read()) == expected)
            for engine in Interop.Engine.allCases {
                let differences = try Interop.readParquet(path, engine: engine).differences(from: expected)
                #expect(differences.isEmpty, "\(engine), byteStreamSplit \(split): \(differences.joined(separator: "; "))")
            }
        }
    }

    @Test(.interop)
    func toolsReadDictionaryFallbackAndEmptyFiles() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        // Unique strings overflow a small dictionary: Larder falls back to PLAIN.
        var options = ParquetWriteOptions()
        options.maxDictionaryBytes = 256
        let batch = try RecordBatch(["k": .string((0 ..< 500).map { "key-\($0)" }), "v": .int64((0 ..< 500).map { $0 % 3 })])
        let path = dir.file("fallback.parquet")
        try ParquetWriter.write([batch], to: path, options: options)
        let empty = dir.file("empty.parquet")
        let writer = try ParquetWriter(path: empty, schema: batch.schema)
        try writer.close()
        for engine in Interop.Engine.allCases {
            #expect(try Interop.readParquet(path, engine: engine).differences(from: CanonicalTable(batch)).isEmpty)
            #expect(try Interop.readParquet(empty, engine: engine).numRows == 0)
        }
    }

    /// DuckDB's writer pads the last bit-packed RLE run of a page to a whole run (more than the
    /// 7 values of one group that other writers stop at); Larder reads its files as pyarrow does.
    @Test(.interop, arguments: [2048, 2184, 70_001])
    func larderReadsDuckDBFiles(_ rows: Int) throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        let path = dir.file("duckdb-\(rows).parquet")
        _ = try Interop.run(script: "write_duckdb.py", arguments: [path, "\(rows)"])
        let larder = try ParquetFile(path: path).read()
        #expect(larder.rowCount == rows)
        let pyarrow = try Interop.readParquet(path, engine: .pyarrow)
        let differences = pyarrow.differences(from: CanonicalTable(larder))
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
    }
}
