import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// The database commands end to end on a generated marketplace, as a user runs them.
@Suite(.serialized) struct DatabaseCommandTests {
    /// A generated tiny marketplace and a database with its definitions applied.
    static func setUp() throws -> (dir: TemporaryDirectory, db: String, data: String) {
        let dir = try TemporaryDirectory(prefix: "larder-cli-db")
        let data = dir.file("gen"), db = dir.file("db")
        let gen = try CommandLineTool.run(["generate", "marketplace", "--out", data, "--scale", "tiny", "--seed", "7"])
        #expect(gen.status == 0, "\(gen.stderr)")
        #expect(try CommandLineTool.run(["init", "--db", db]).status == 0)
        let apply = try CommandLineTool.run(["apply", "--db", db, data + "/definitions.yaml"])
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("+ feature view user_stats"))
        return (dir, db, data)
    }

    @Test func ingestHistoryExportCompactVacuum() throws {
        let (dir, db, data) = try Self.setUp()
        let ingest = try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet", "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(ingest.stdout.utf8)) as? [String: Any])
        let source = try ParquetFile(path: data + "/user_stats.parquet")
        #expect(summary["rows"] as? Int == source.rowCount)
        #expect(summary["version"] as? Int == 1)

        // A second ingest, then history shows both with their sources.
        #expect(try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet"]).status == 0)
        let history = try CommandLineTool.run(["history", "--db", db, "user_stats", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["version"] as? Int } == [2, 1, 0])
        #expect(entries.first?["rowsAdded"] as? Int == source.rowCount)

        // Export version 1: the rows that were ingested, sorted by the view's keys.
        let out = dir.file("export.parquet")
        let export = try CommandLineTool.run(["export", "--db", db, "user_stats", "--out", out, "--version", "1"])
        #expect(export.status == 0, "\(export.stderr)")
        let exported = try ParquetFile(path: out).read()
        let ingested = try source.read().sorted(by: [SortKey("user_id"), SortKey("event_ts"), SortKey("created_ts", nullsFirst: true)])
        #expect(CanonicalTable(exported) == CanonicalTable(ingested))

        let compact = try CommandLineTool.run(["compact", "--db", db, "user_stats", "--json"])
        let compacted = try JSONSerialization.jsonObject(with: Data(compact.stdout.utf8)) as? [String: Any]
        #expect(compact.status == 0 && compacted?["filesRemoved"] as? Int == 2, "\(compact.stdout) \(compact.stderr)")
        let dry = try CommandLineTool.run(["vacuum", "--db", db, "user_stats", "--retain", "0s", "--dry-run", "--json"])
        let planned = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
        #expect((planned?["removedFiles"] as? [String])?.count == 2, "\(dry.stdout)")
        let vacuum = try CommandLineTool.run(["vacuum", "--db", db, "user_stats", "--retain", "0s"])
        #expect(vacuum.status == 0 && vacuum.stdout.contains("deleted"), "\(vacuum.stdout)")
        let latest = dir.file("latest.parquet")
        #expect(try CommandLineTool.run(["export", "--db", db, "user_stats", "--out", latest]).status == 0)
        #expect(try ParquetFile(path: latest).rowCount == 2 * source.rowCount)
    }

    @Test(.enabled(if: Interop.shouldRun, Comment(rawValue: Interop.skipMessage)))
    func pyarrowReadsTheExportAsIngested() throws {
        try Interop.requireAvailable()
        let (dir, db, data) = try Self.setUp()
        #expect(try CommandLineTool.run(["ingest", "--db", db, "item_stats", data + "/item_stats.parquet"]).status == 0)
        let out = dir.file("items.parquet")
        #expect(try CommandLineTool.run(["export", "--db", db, "item_stats", "--out", out]).status == 0)
        let theirs = try Interop.readParquet(out, engine: .pyarrow)
        let ingested = try ParquetFile(path: data + "/item_stats.parquet").read()
            .sorted(by: [SortKey("item_id"), SortKey("event_ts"), SortKey("created_ts", nullsFirst: true)])
        #expect(theirs.differences(from: CanonicalTable(ingested)).isEmpty)
    }

    @Test func badDefinitionsNameTheLine() throws {
        let (dir, db, _) = try Self.setUp()
        let bad = dir.file("bad.yaml")
        try Data("entities:\n  - name: user\n    join_keys: [user_id]\nfeature_views:\n  - name: v\n    entities: [usr]\n    timestamp_field: ts\n    schema:\n      - {name: user_id, dtype: int64}\n      - {name: ts, dtype: timestamp}\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        let r = try CommandLineTool.run(["apply", "--db", db, bad])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.yaml:6") && r.stderr.contains("usr"), "\(r.stderr)")
        let retyped = try String(contentsOfFile: dir.file("gen/definitions.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "{name: visits_7d, dtype: int64}", with: "{name: visits_7d, dtype: string}")
        try Data(retyped.utf8).write(to: URL(fileURLWithPath: dir.file("retyped.yaml")))
        let breaking = try CommandLineTool.run(["apply", "--db", db, dir.file("retyped.yaml")])
        #expect(breaking.status == 1 && breaking.stderr.contains("visits_7d"), "\(breaking.stderr)")
        #expect(try CommandLineTool.run(["apply", "--db", db, dir.file("retyped.yaml"), "--allow-breaking"]).status == 0)
    }

    @Test func badFilesNameRowAndColumnAndWriteNothing() throws {
        let (dir, db, _) = try Self.setUp()
        let csv = dir.file("items.csv")
        try Data("item_id,event_ts\n1,not-a-time\n".utf8).write(to: URL(fileURLWithPath: csv))
        let r = try CommandLineTool.run(["ingest", "--db", db, "item_stats", csv])
        #expect(r.status == 1)
        #expect(r.stderr.contains("items.csv"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        let history = try CommandLineTool.run(["history", "--db", db, "item_stats", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count == 1)
        #expect(try CommandLineTool.run(["ingest", "--db", db, "no_such_view", csv]).status == 1)
        #expect(try CommandLineTool.run(["ingest", "--db", db, "item_stats"]).status == 2)
        #expect(try CommandLineTool.run(["export", "--db", db, "item_stats", "--out", "x", "--version", "1", "--as-of", "2026-01-01T00:00:00Z"]).status == 2)
    }

    /// A data file write that fails (here: the file-size limit, `ulimit -f`, with SIGXFSZ
    /// ignored so `write` returns EFBIG) fails the ingest with a one-line error naming it and
    /// leaves the view as it was: no new version, no temporary file. (The Parquet writer writes
    /// row groups from a background queue; with a size limit the footer's own write fails too,
    /// so this does not tell which of the two reported the error.)
    @Test func aFailedDataFileWriteLeavesTheViewAsItWas() throws {
        let (dir, db, data) = try Self.setUp()
        defer { withExtendedLifetime(dir) {} }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"", CommandLineTool.executable.path,
                             "ingest", "--db", db, "user_stats", data + "/user_stats.parquet"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("File too large"), "\(stderr)")
        #expect(stderr.components(separatedBy: "(I/O error)").count == 2, "the kind once: \(stderr)")
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        let history = try CommandLineTool.run(["history", "--db", db, "user_stats", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count == 1)
        let tableFiles = try FileManager.default.contentsOfDirectory(atPath: db + "/tables/user_stats")
        #expect(tableFiles == ["_delta_log"], "\(tableFiles)")
        // Without the limit the same ingest succeeds.
        #expect(try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet"]).status == 0)
    }

    @Test func databaseComesFromTheEnvironment() throws {
        let (dir, db, _) = try Self.setUp()
        defer { withExtendedLifetime(dir) {} }     // the directory is removed when `dir` goes
        let r = try CommandLineTool.run(["history", "user_stats"], environment: ["LARDER_DB": db])
        #expect(r.status == 0, "\(r.stderr)")
        let missing = try CommandLineTool.run(["history", "user_stats"], environment: ["LARDER_DB": db + "-nope"])
        #expect(missing.status == 1 && missing.stderr.contains("larder init"))
    }
}
