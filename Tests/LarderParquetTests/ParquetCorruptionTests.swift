import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderParquet

/// Truncated, bit-flipped, non-Parquet and hostile files get a typed error naming the file:
/// never a crash, never a hang, never an allocation sized by an unchecked header field.
@Suite struct ParquetCorruptionTests {
    static func sampleFile(_ dir: TemporaryDirectory, codec: Codec = .zstd) throws -> (path: String, bytes: [UInt8]) {
        var rng = SplitMix64(seed: 99)
        let schema = try Schema([Field("id", .int64), Field("s", .string), Field("f", .float64),
                                 Field("v", .vector(dimension: 3)), Field("b", .bool)])
        let batch = RandomData.batch(schema: schema, rows: 300, rng: &rng)
        var options = ParquetWriteOptions(codec: codec)
        options.rowGroupRows = 100
        options.pageBytes = 1024
        let path = dir.file("good-\(codec).parquet")
        try ParquetWriter.write([batch], to: path, options: options)
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Opens and fully reads `bytes`; returns the error, or nil if it read.
    static func readAll(_ bytes: [UInt8], _ dir: TemporaryDirectory, name: String = "bad.parquet") -> (any Error)? {
        let path = dir.file(name)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            let file = try ParquetFile(path: path)
            _ = try file.read()
            return nil
        } catch {
            return error
        }
    }

    @Test func everyTruncationIsATypedErrorNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        let (_, bytes) = try Self.sampleFile(dir)
        // Every length near both ends, and a stride through the middle.
        var lengths = Array(0 ..< min(64, bytes.count)) + Array(max(0, bytes.count - 600) ..< bytes.count)
        lengths += stride(from: 64, to: bytes.count, by: 37)
        for n in Set(lengths) {
            let error = Self.readAll(Array(bytes[0 ..< n]), dir)
            let parquet = error as? ParquetError
            #expect(parquet != nil, "truncated to \(n): \(String(describing: error))")
            #expect(parquet?.path == dir.file("bad.parquet"))
        }
    }

    @Test(arguments: [Codec.zstd, .lz4Raw, .uncompressed])
    func bitFlipsNeverCrash(_ codec: Codec) throws {
        let dir = try TemporaryDirectory()
        let (_, bytes) = try Self.sampleFile(dir, codec: codec)
        var rng = SplitMix64(seed: 1234)
        var typed = 0, survived = 0
        for _ in 0 ..< 400 {
            var copy = bytes
            for _ in 0 ..< Int.random(in: 1 ... 4, using: &rng) {
                let i = Int.random(in: 0 ..< copy.count, using: &rng)
                copy[i] ^= UInt8(1) << UInt8.random(in: 0 ..< 8, using: &rng)
            }
            switch Self.readAll(copy, dir) {
            case nil: survived += 1     // a flip inside a value can decode to another value
            case is ParquetError: typed += 1
            case let other?: Issue.record("untyped error \(other)")
            }
        }
        #expect(typed + survived == 400)
        #expect(typed > 0)
    }

    @Test func notParquetFilesAreRefused() throws {
        let dir = try TemporaryDirectory()
        for (bytes, code) in [([UInt8](), ParquetError.Code.corrupt), (Array("hello".utf8), .truncated),
                              (Array("PAR1 this is not really parquet".utf8), .truncated),
                              (Array("not parquet at all, just text PAR1".utf8), .corrupt)] {
            let error = Self.readAll(bytes, dir) as? ParquetError
            #expect(error?.code == code, "\(bytes.count) bytes: \(String(describing: error))")
        }
        #expect((Self.readAll(Array("PAR1....PARE".utf8), dir) as? ParquetError)?.code == .unsupported)
        #expect(throws: ParquetError.self) { try ParquetFile(path: dir.file("missing.parquet")) }
        #expect(throws: ParquetError.self) { try ParquetFile(path: dir.path) }
    }

    /// A footer that declares a huge footer length, a huge row count or huge pages is refused
    /// before anything of that size is allocated.
    @Test func absurdLengthsAreRefusedBeforeAllocation() throws {
        let dir = try TemporaryDirectory()
        let (path, bytes) = try Self.sampleFile(dir, codec: .uncompressed)
        // Footer length larger than the file.
        var huge = bytes
        let n = huge.count
        huge.replaceSubrange((n - 8) ..< (n - 4), with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect((Self.readAll(huge, dir) as? ParquetError)?.code == .corrupt)

        // Rewrite the footer with a row group that claims 2^40 rows.
        let file = try ParquetFile(path: path)
        var meta = file.metadata
        meta.rowGroups[0].numRows = 1 << 40
        meta.numRows = meta.rowGroups.reduce(0) { $0 + $1.numRows }
        #expect((Self.readAll(Self.replacingFooter(bytes, with: meta), dir) as? ParquetError)?.code == .unsupported)

        // A column chunk that points past the end of the file.
        meta = file.metadata
        meta.rowGroups[1].columns[0].metaData?.totalCompressedSize = 1 << 40
        #expect((Self.readAll(Self.replacingFooter(bytes, with: meta), dir) as? ParquetError)?.code == .corrupt)

        // Row counts that disagree with the footer total.
        meta = file.metadata
        meta.numRows += 1
        #expect((Self.readAll(Self.replacingFooter(bytes, with: meta), dir) as? ParquetError)?.code == .corrupt)
    }

    /// A page header that declares 2 GiB uncompressed is refused by the page-size limit.
    @Test func hugePageIsRefusedByTheLimit() throws {
        let dir = try TemporaryDirectory()
        let batch = try RecordBatch(["a": .int64(Array(0 ..< 100))])
        let path = dir.file("p.parquet")
        try ParquetWriter.write([batch], to: path, options: .init(codec: .zstd))
        var options = ParquetReadOptions()
        options.maxPageBytes = 64     // smaller than the real page
        let file = try ParquetFile(path: path, options: options)
        #expect { try file.read() } throws: { error in
            let e = error as? ParquetError
            return e?.code == .unsupported && e?.column == "a" && e?.path == path
        }
    }

    static func replacingFooter(_ bytes: [UInt8], with meta: ParquetFormat.FileMetaData) -> [UInt8] {
        let n = bytes.count
        let oldLength = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        let footer = meta.serialized()
        let length = UInt32(footer.count)
        return Array(bytes[0 ..< (n - 8 - oldLength)]) + footer
            + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)] + Array("PAR1".utf8)
    }
}
