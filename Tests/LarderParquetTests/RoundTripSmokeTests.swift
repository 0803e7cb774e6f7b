import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderParquet

@Suite struct RoundTripSmokeTests {
    @Test func allTypesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        var vec = ColumnBuilder(type: .vector(dimension: 3))
        try vec.append(vector: [1, 2, 3]); vec.appendNull(); try vec.append(vector: [.nan, -0.0, .infinity])
        let batch = try RecordBatch([
            "id": .int64([1, 2, 3]),
            "ts": .timestamp([0, -1, 1_700_000_000_000_000]),
            "name": .string(["a", nil, "héllo 🌍"]),
            "x": .float64([1.5, .nan, -.infinity]),
            "flag": .bool([true, false, true]),
            "emb": vec.finish(),
        ])
        for codec in [Codec.zstd, .lz4Raw, .uncompressed] {
            let path = dir.file("t-\(codec).parquet")
            try ParquetWriter.write([batch], to: path, options: .init(codec: codec))
            let file = try ParquetFile(path: path)
            let back = try file.read()
            #expect(back.schema.fields == batch.schema.fields)
            for c in 0 ..< batch.columns.count {
                let a = batch.columns[c].values.map(\.description), b = back.columns[c].values.map(\.description)
                #expect(a == b, "column \(batch.schema.fields[c].name) \(codec)")
            }
        }
    }
}
