import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// `larder inspect` and the command line's exit-code conventions, on the real binary.
@Suite struct InspectCommandTests {
    static func sampleFile(_ dir: TemporaryDirectory) throws -> String {
        let batch = try RecordBatch([
            "user_id": .int64([3, 1, 2]), "event_ts": .timestamp([1_767_225_600_000_000, 0, 86_400_000_000]),
            "city": .string(["Oslo", nil, "Lima"]),
        ])
        let path = dir.file("features.parquet")
        try ParquetWriter.write([batch], to: path, options: .init(codec: .lz4Raw))
        return path
    }

    @Test func textReportShowsSchemaCodecAndStatistics() throws {
        let dir = try TemporaryDirectory()
        let path = try Self.sampleFile(dir)
        let out = try CommandLineTool.run(["inspect", path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("3 rows in 1 row group"))
        #expect(out.stdout.contains("user_id"))
        #expect(out.stdout.contains("LZ4_RAW"))
        #expect(out.stdout.contains("1 / 3"))
        #expect(out.stdout.contains("1970-01-01T00:00:00Z / 2026-01-01T00:00:00Z"))
    }

    @Test func jsonReportIsMachineReadable() throws {
        let dir = try TemporaryDirectory()
        let path = try Self.sampleFile(dir)
        let out = try CommandLineTool.run(["inspect", "--json", path])
        #expect(out.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(json["rows"] as? Int == 3)
        let groups = try #require(json["rowGroups"] as? [[String: Any]])
        let columns = try #require(groups.first?["columns"] as? [[String: Any]])
        #expect(columns.map { $0["path"] as? String } == ["user_id", "event_ts", "city"])
        #expect(columns[2]["nullCount"] as? Int == 1)
        #expect(columns[0]["codec"] as? String == "LZ4_RAW")
        let schema = try #require(json["schema"] as? [[String: Any]])
        #expect(schema.map { $0["type"] as? String } == ["int64", "timestamp", "string"])
    }

    @Test func badFileIsAUserErrorWithOneLine() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("not.parquet")
        try Data("definitely not parquet".utf8).write(to: URL(fileURLWithPath: path))
        let out = try CommandLineTool.run(["inspect", path])
        #expect(out.status == 1)
        #expect(out.stderr.contains(path))
        #expect(out.stderr.split(separator: "\n").count == 1)
        #expect(out.stdout.isEmpty)
        let missing = try CommandLineTool.run(["inspect", dir.file("missing.parquet")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing.parquet"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CommandLineTool.run(["inspect"]).status == 2)
        #expect(try CommandLineTool.run(["no-such-command"]).status == 2)
        #expect(try CommandLineTool.run(["inspect", "--bogus", "x"]).status == 2)
        let help = try CommandLineTool.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("inspect"))
    }
}
