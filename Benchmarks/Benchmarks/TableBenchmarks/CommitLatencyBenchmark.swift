import Benchmark
import Foundation
import LarderTable
import Synchronization

/// Appends of 100 rows to one table, one commit each: every append writes and fsyncs a data
/// file, then writes, fsyncs and publishes its commit file (and, every 100th commit, a
/// checkpoint). Two starting points: an empty table, and a copy of the prepared table of
/// 10,000 commits (10,000 live files), since an append's cost depends on the table's size.
/// The table is deleted after the run.
struct CommitLatency: Sendable {
    static let rowsPerAppend: Int64 = 100
    /// The prepared table the appends start from, or nil for an empty table.
    var base: CommitLogTable?
    var measured: Int
    var warmup: Int

    static let all = [
        CommitLatency(base: nil, measured: 500, warmup: 10),
        CommitLatency(base: CommitLogTable(commits: 10_000, checkpoints: true), measured: 50, warmup: 2),
    ]

    var id: String { "table-commit-100-rows" + (base.map { "-onto-\($0.commits)" } ?? "") }
    var name: String { "table commit: append 100 rows" + (base.map { ", table of \($0.commits) files" } ?? ", new table") }
    /// Commits (and files) the table has before the first append.
    var startVersion: Int64 { Int64(base?.commits ?? 0) }

    struct State: Sendable {
        var table: Table
        var path: String
        var appends: Int64 = 0
    }

    private static let state = Mutex<State?>(nil)

    func current() throws -> State {
        guard let run = Self.state.withLock({ $0 }) else { throw BenchCheckError("\(id): setup did not run") }
        return run
    }

    func setUp() throws {
        let path = (TableBenchSettings.scratchDirectory as NSString).appendingPathComponent(id)
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: TableBenchSettings.scratchDirectory, withIntermediateDirectories: true)
        let table: Table
        if let base {
            try Self.linkCopy(of: try base.ensure(), to: path)
            table = try Table.open(at: path)
        } else {
            table = try Table.create(at: path, schema: BenchRows.schema, sortColumns: ["key"])
        }
        let version = try table.snapshot().version
        try check(version == startVersion, "\(id): the starting table is at version \(version), expected \(startVersion)")
        Self.state.withLock { $0 = State(table: table, path: path) }
    }

    /// Checks the table after the run: one version and one file per append, and the appended
    /// rows read back (found through the key statistics) add up.
    func tearDown() throws {
        let run = try current()
        let snapshot = try Table.open(at: run.path).snapshot()
        let version = startVersion + run.appends
        let rowsBefore = startVersion * Int64(CommitLogTable.rowsPerCommit)
        let rows = rowsBefore + run.appends * Self.rowsPerAppend
        try check(snapshot.version == version && snapshot.files.count == Int(version) && snapshot.rowCount == Int(rows),
                  "\(id): after \(run.appends) appends the table is at version \(snapshot.version) with \(snapshot.files.count) files of \(snapshot.rowCount ?? -1) rows; expected \(version) versions and files, \(rows) rows")
        let appended = rowsBefore ..< rows
        let read = try KeyTally.of(try snapshot.scan(columns: ["key"], where: [.range("key", lower: .int64(rowsBefore), upper: nil)]).batches)
        try check(read == .expected(appended), "\(id): read back \(read), expected \(KeyTally.expected(appended))")
        try TableBenchRecorder.shared.finish(id)
        try? FileManager.default.removeItem(atPath: run.path)
    }

    var notes: String {
        "fsynced data file + commit file, checkpoint every 100th; table v\(startVersion) → v\(startVersion + Int64(measured + warmup))"
    }

    /// A copy of the table at `source` whose files are hard links (data and commit files are
    /// never modified in place), with only the newest checkpoint: what an append reads.
    static func linkCopy(of source: String, to destination: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: source) where !name.hasPrefix(".") && !name.hasPrefix("_") {
            try fm.linkItem(atPath: source + "/" + name, toPath: destination + "/" + name)
        }
        try fm.createDirectory(atPath: destination + "/_delta_log", withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: source + "/_delta_log") where !name.hasPrefix(".") {
            try fm.linkItem(atPath: source + "/_delta_log/" + name, toPath: destination + "/_delta_log/" + name)
        }
        let checkpoints = (try? fm.contentsOfDirectory(atPath: source + "/_larder")) ?? []
        if let newest = checkpoints.filter({ $0.hasPrefix("checkpoint.") }).max() {
            try fm.createDirectory(atPath: destination + "/_larder", withIntermediateDirectories: true)
            try fm.linkItem(atPath: source + "/_larder/" + newest, toPath: destination + "/_larder/" + newest)
        }
    }
}

func registerCommitLatency(_ variant: CommitLatency) {
    let configuration = tableConfiguration(
        iterations: variant.measured, warmup: variant.warmup, maxSeconds: 180, units: .milliseconds,
        setup: { try variant.setUp() }, teardown: { try variant.tearDown() })
    Benchmark(variant.name, configuration: configuration) { benchmark in
        let run = try variant.current()
        let first = (variant.startVersion + run.appends) * CommitLatency.rowsPerAppend
        let batch = try BenchRows.batch(keys: first ..< first + CommitLatency.rowsPerAppend)

        benchmark.startMeasurement()
        let started = ContinuousClock.now
        let result = try run.table.append([batch])
        let elapsed = ContinuousClock.now - started
        benchmark.stopMeasurement()

        let version = variant.startVersion + run.appends + 1
        try check(result.version == version && result.rowsAdded == CommitLatency.rowsPerAppend && result.retries == 0,
                  "\(variant.id): append \(run.appends + 1) gave \(result), expected version \(version)")
        CommitLatency.stateAppended()
        guard benchmark.isMeasured else { return }
        TableBenchRecorder.shared.record(id: variant.id, benchmark: variant.name, seconds: elapsed.seconds, notes: variant.notes)
    }
}

extension CommitLatency {
    fileprivate static func stateAppended() { state.withLock { $0?.appends += 1 } }
}
