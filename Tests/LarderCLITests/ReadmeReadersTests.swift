import Foundation
import LarderTestSupport
import Testing

/// The README's "Reading Larder tables from other tools" block runs as written
/// (scripts/readme-readers.sh) against a table that `larder` made, ingested twice and compacted,
/// and every reader counts what Larder counts.
@Suite struct ReadmeReadersTests {
    /// What the script printed: Larder's line and every `NAME rows: N` line of the block.
    struct Counts {
        var version = -1, rows = -1, version1Rows = -1, rowsInEveryFile = -1
        var readerVersion: Int?
        var current: [String: Int] = [:]
        var atVersion1: [String: Int] = [:]
        var glob: Int?

        init(_ output: String) {
            for line in output.split(separator: "\n").map(String.init) {
                if line.hasPrefix("larder: ") {
                    // larder: version 3, rows 20000, v1 rows 10000, files 1, rows in every file 40000
                    let fields = line.dropFirst("larder: ".count).split(separator: ",")
                        .map { $0.trimmingCharacters(in: .whitespaces) }
                    for field in fields {
                        guard let space = field.lastIndex(of: " "), let number = Int(field[field.index(after: space)...]) else { continue }
                        switch String(field[..<space]) {
                        case "version": version = number
                        case "rows": rows = number
                        case "v1 rows": version1Rows = number
                        case "rows in every file": rowsInEveryFile = number
                        default: break
                        }
                    }
                    continue
                }
                guard let colon = line.lastIndex(of: ":"),
                      let number = Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                else { continue }
                let label = String(line[..<colon])
                if label == "deltalake version" {
                    readerVersion = number
                } else if label.hasSuffix(" glob rows (wrong)") {
                    glob = number
                } else if label.hasSuffix(" v1 rows") {
                    atVersion1[String(label.dropLast(" v1 rows".count))] = number
                } else if label.hasSuffix(" rows") {
                    current[String(label.dropLast(" rows".count))] = number
                }
            }
        }
    }

    @Test(.enabled(if: Interop.shouldRun, Comment(rawValue: Interop.skipMessage)))
    func everyReaderCountsWhatLarderCounts() throws {
        try Interop.requireAvailable()
        let output = try Self.runScript()
        #expect(output.status == 0, "scripts/readme-readers.sh failed:\n\(output.stdout.suffix(3000))\n\(output.stderr.suffix(3000))")
        #expect(output.stdout.contains("readme-readers: every reader ran"))
        let counts = Counts(output.stdout)

        // The table the script built: two ingests of the tiny user_stats, then a compaction.
        #expect(counts.version == 3)
        #expect(counts.rows > 0 && counts.version1Rows > 0 && counts.version1Rows < counts.rows)
        #expect(counts.readerVersion == counts.version, "deltalake's version differs from Larder's")

        #expect(Set(counts.current.keys) == ["deltalake", "pyarrow", "polars", "duckdb", "duckdb dataset"],
                "the README block should print the row count of every reader: \(counts.current)")
        for (reader, rows) in counts.current.sorted(by: { $0.key < $1.key }) {
            #expect(rows == counts.rows, "\(reader) read \(rows) rows; Larder's latest version has \(counts.rows)")
        }
        #expect(Set(counts.atVersion1.keys) == ["deltalake", "polars"])
        for (reader, rows) in counts.atVersion1.sorted(by: { $0.key < $1.key }) {
            #expect(rows == counts.version1Rows, "\(reader) read \(rows) rows at version 1; Larder has \(counts.version1Rows)")
        }
        // The README's warning holds: a raw glob also reads the files compaction replaced.
        #expect(counts.glob == counts.rowsInEveryFile)
        #expect((counts.glob ?? 0) > counts.rows)
    }

    @Test func theParserReadsTheScriptsLines() {
        let counts = Counts("""
            larder: version 3, rows 20, v1 rows 10, files 1, rows in every file 40
            deltalake version: 3
            deltalake rows: 20
            deltalake v1 rows: 10
            pyarrow glob rows (wrong): 40
            duckdb dataset rows: 19
            │ east    │  4648 │  39.2 │
            """)
        #expect(counts.version == 3 && counts.rows == 20 && counts.version1Rows == 10 && counts.rowsInEveryFile == 40)
        #expect(counts.readerVersion == 3 && counts.glob == 40)
        #expect(counts.current == ["deltalake": 20, "duckdb dataset": 19])
        #expect(counts.atVersion1 == ["deltalake": 10])
    }

    static func runScript() throws -> ScriptRun {
        let root = Interop.packageRoot
        var environment: [String: String] = [:]
        if let python = Interop.python { environment["LARDER_PYTHON"] = python }
        return try ScriptRun("/bin/bash", [root.appendingPathComponent("scripts/readme-readers.sh").path,
                                           CommandLineTool.executable.path, root.appendingPathComponent("README.md").path],
                             environment: environment)
    }
}

/// A finished script: its exit status and output (kept in files, so no pipe can fill and stall it).
struct ScriptRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `executable` with `arguments` in the package root, `environment` added to this
    /// process's, and waits for it.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let dir = try TemporaryDirectory(prefix: "larder-script")
        let stdoutURL = dir.fileURL("stdout"), stderrURL = dir.fileURL("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = Interop.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self)
        stderr = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
    }
}
