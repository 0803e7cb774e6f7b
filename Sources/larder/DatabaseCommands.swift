import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderParquet
import LarderQuality
import LarderTable

/// `--db PATH`, shared by every database command. Default: `$LARDER_DB`, else `./larder.db`.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "The database directory (default: $LARDER_DB, else ./larder.db).")
    var db: String?

    var path: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["LARDER_DB"], !env.isEmpty { return env }
        return "larder.db"
    }

    func open() throws -> FeatureDatabase { try FeatureDatabase.open(at: path) }
}

/// Prints `object` as sorted, pretty JSON.
func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create an empty feature database.")
    @OptionGroup var database: DatabaseOption

    func run() throws {
        _ = try FeatureDatabase.create(at: database.path)
        print("created a Larder database at \(database.path)")
    }
}

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply a definitions file: entities, feature views, feature services, suites.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The definitions file (YAML).") var file: String
    @Flag(help: "Allow breaking changes (the affected views' data is replaced).") var allowBreaking = false
    @Flag(help: "Show what would change without applying it.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let db = try database.open()
        let catalog = try Definitions.load(path: file)
        let result = try db.apply(catalog, allowBreaking: allowBreaking, dryRun: dryRun)
        if json {
            try printJSON(["applied": result.applied, "changes": result.diff.summary.split(separator: "\n").map(String.init)])
        } else if result.diff.isEmpty {
            print("no changes")
        } else {
            print(result.diff.summary)
            print(dryRun ? "(dry run: nothing applied)" : "applied")
        }
    }
}

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Ingest Parquet or CSV files into a feature view, as one commit.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Argument(help: "Input files.") var files: [String]
    @Option(help: "Input format: csv or parquet (default: by extension).") var format: String?
    @Option(help: "CSV: the text that means null (default: empty).") var null: String = ""
    @Option(help: "CSV timestamps: iso8601, epoch-seconds, epoch-millis or epoch-micros.") var timestamps: String = "iso8601"
    @Option(help: ArgumentHelp("Make the ingest idempotent: APP_ID:VERSION (e.g. daily_user_stats:20261123). A second ingest with the same pair commits nothing, so a retried job is safe.",
                               valueName: "app-id:version"))
    var transaction: String?
    @Flag(help: "Print JSON.") var json = false

    /// `APP_ID:VERSION` split at the last colon.
    var parsedTransaction: Transaction? {
        guard let transaction, let colon = transaction.lastIndex(of: ":"),
              let version = Int64(transaction[transaction.index(after: colon)...]), colon > transaction.startIndex else { return nil }
        return Transaction(appId: String(transaction[..<colon]), version: version)
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one input file") }
        if transaction != nil, parsedTransaction == nil {
            throw ValidationError("--transaction must be APP_ID:VERSION with an integer VERSION, e.g. daily_user_stats:20261123")
        }
        if let format, IngestFormat(rawValue: format) == nil { throw ValidationError("--format must be csv or parquet") }
        guard CSVOptions.TimestampFormat(rawValue: timestamps) != nil else {
            throw ValidationError("--timestamps must be iso8601, epoch-seconds, epoch-millis or epoch-micros")
        }
    }

    func run() throws {
        let db = try database.open()
        var csv = CSVOptions()
        csv.nullToken = null
        csv.timestampFormat = CSVOptions.TimestampFormat(rawValue: timestamps) ?? .iso8601
        var options = IngestOptions()
        options.transaction = parsedTransaction
        let bar = ProgressLine(enabled: !json)
        options.progress = { bar.update($0) }
        let result = try db.ingest(files: files, into: view, format: format.flatMap(IngestFormat.init(rawValue:)), csv: csv, options: options)
        bar.finish()
        let rate = result.seconds > 0 ? Double(result.rows) / result.seconds : 0
        if json {
            var object: [String: Any] = ["view": result.view, "version": result.version.map { Int($0) } as Any? ?? NSNull(),
                                         "rows": result.rows, "seconds": result.seconds, "rowsPerSecond": rate]
            if let q = result.quality {
                object["quality"] = ["suite": q.suite, "onInvalid": q.policy.rawValue, "success": q.result.success,
                                     "quarantinedRows": q.quarantinedRows,
                                     "result": (try? JSONSerialization.jsonObject(with: Data(q.result.jsonText().utf8))) ?? NSNull()]
            }
            try printJSON(object)
            return
        }
        if let version = result.version {
            print("ingested \(result.rows) rows into \(view) as version \(version) in \(String(format: "%.2f", result.seconds)) s (\(Int(rate)) rows/s)")
        } else if (result.quality?.quarantinedRows ?? 0) == 0 {
            print("nothing ingested (already applied)")
        }
        if let q = result.quality {
            let s = q.result.statistics
            var line = "quality: suite \(q.suite) " + (q.result.success ? "passed" : "failed")
                + " \(s.successfulExpectations)/\(s.evaluatedExpectations) (on_invalid: \(q.policy.rawValue))"
            if q.quarantinedRows > 0 {
                line += "; \(q.quarantinedRows) rows quarantined to \(FeatureDatabase.quarantineTableName(of: view))"
                    + (q.quarantineVersion.map { " version \($0)" } ?? "")
            }
            print(line)
            for r in q.result.results where !r.success { print("  FAIL  " + QualityText.describe(r)) }
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show the versions of a feature view.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Option(help: "Show at most this many versions.") var limit: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let entries = try database.open().history(of: view, limit: limit)
        if json {
            try printJSON(entries.map { h -> [String: Any] in
                ["version": h.version, "timestamp": Timestamp.iso8601(micros: h.timestamp), "operation": h.operation,
                 "filesAdded": h.filesAdded, "filesRemoved": h.filesRemoved, "rowsAdded": h.rowsAdded,
                 "rowsRemoved": h.rowsRemoved, "dataChange": h.dataChange, "metadata": h.metadata]
            })
            return
        }
        print(["version".padding(8), "time".padding(28), "operation".padding(14), "+rows".padding(10), "-rows".padding(8), "details"].joined(separator: " "))
        for h in entries {
            let details = h.metadata.filter { $0.key != "rows" && $0.key != "quality_result" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            print(["\(h.version)".padding(8), Timestamp.iso8601(micros: h.timestamp).padding(28), h.operation.padding(14),
                   "\(h.rowsAdded)".padding(10), "\(h.rowsRemoved)".padding(8), details].joined(separator: " "))
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a feature view (any version) to a Parquet file.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Option(help: "The output Parquet file.") var out: String
    @Option(help: "Read this version.") var version: Int64?
    @Option(name: .customLong("as-of"), help: "Read the version current at this time (ISO 8601).") var asOf: String?
    @Option(help: "Comma-separated columns (default: all).") var columns: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if version != nil && asOf != nil { throw ValidationError("give --version or --as-of, not both") }
        if let asOf, Timestamp.parseISO8601(asOf) == nil { throw ValidationError("--as-of must be an ISO 8601 time, e.g. 2026-03-01T00:00:00Z") }
    }

    func run() throws {
        var selector = FeatureDatabase.VersionSelector.latest
        if let version { selector = .version(version) }
        if let asOf, let t = Timestamp.parseISO8601(asOf) { selector = .asOf(t) }
        let cols = columns?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let summary = try database.open().export(view: view, to: out, at: selector, columns: cols)
        if json {
            try printJSON(["view": view, "out": out, "rows": summary.rowCount, "sizeBytes": summary.sizeBytes])
        } else {
            print("wrote \(summary.rowCount) rows to \(out) (\(summary.sizeBytes) bytes)")
        }
    }
}

struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compact", abstract: "Rewrite a view's small files into large sorted ones.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let r = try database.open().compact(view: view)
        if json {
            try printJSON(["view": view, "version": r.version.map { Int($0) } as Any? ?? NSNull(),
                           "filesRemoved": r.filesRemoved, "filesAdded": r.filesAdded])
        } else if let v = r.version {
            print("compacted \(r.filesRemoved) files into \(r.filesAdded) as version \(v)")
        } else {
            print("nothing to compact")
        }
    }
}

struct VacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vacuum", abstract: "Delete data files no version inside the retention window needs.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Option(help: "Retention window, e.g. 7d, 12h, 0s (default 7d).") var retain: String = "7d"
    @Flag(help: "List what would be deleted without deleting it.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard Self.retention(retain) != nil else {
            throw ValidationError("--retain must be a duration such as 7d, 12h, 30m or 0s")
        }
    }

    func run() throws {
        let micros = Self.retention(retain) ?? 0
        let r = try database.open().vacuum(view: view, retention: micros, dryRun: dryRun)
        if json {
            try printJSON(["view": view, "dryRun": dryRun, "removedFiles": r.removedFiles, "bytesFreed": r.bytesFreed])
            return
        }
        for f in r.removedFiles { print((dryRun ? "would delete " : "deleted ") + f) }
        print("\(dryRun ? "would free" : "freed") \(r.bytesFreed) bytes in \(r.removedFiles.count) files")
    }
}

extension VacuumCommand {
    /// A retention duration in microseconds (`0` and `0s` mean none).
    static func retention(_ text: String) -> Int64? {
        text == "0" || text == "0s" ? 0 : DurationText.microseconds(text)
    }
}

/// A one-line progress display on a terminal: phase, rows, rows/s, ETA. Silent when stdout is
/// not a terminal.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let start = Date()
    private let lock = NSLock()
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled && isatty(1) != 0 }

    func update(_ p: IngestProgress) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(p.rowsDone) / elapsed : 0
        var line = "\r\(p.phase): \(p.rowsDone) rows, \(Int(rate)) rows/s"
        if let total = p.rowsTotal, rate > 0, total > p.rowsDone {
            line += ", ETA \(Int(Double(total - p.rowsDone) / rate)) s"
        }
        FileHandle.standardOutput.write(Data((line + "\u{1B}[K").utf8))
        shown = true
    }

    func finish() {
        guard enabled, shown else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
    }
}
