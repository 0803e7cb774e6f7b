import Benchmark
import Foundation
import LarderTable

/// `Table.open(at:)` + `snapshot()` of a table of many small commits, with a new `Table` each
/// iteration (nothing cached in the process; the OS page cache is warm after the first).
/// `open` replays the log into the table's state (checkpoint + later commits); `snapshot`
/// turns that state into a ``Snapshot``, decoding every live file's statistics.
func registerOpen(_ table: CommitLogTable) {
    let id = "table-open-\(table.commits)-" + (table.checkpoints ? "checkpoints" : "no-checkpoints")
    let name = "table open + snapshot: \(table.commits) commits, " + (table.checkpoints ? "checkpoints every 100" : "no checkpoints")
    // With checkpoints the open reads the checkpoint at the last multiple of 100 and the
    // commits after it; without, every commit file from version 0.
    let replayed = table.checkpoints ? table.commits % 100 : table.commits + 1
    let notes = (table.checkpoints ? "checkpoint v\(table.commits / 100 * 100) + " : "") + "\(replayed) commit files; \(table.commits) data files"
    let configuration = tableConfiguration(
        iterations: table.commits >= 10_000 ? 10 : 30, warmup: 1, maxSeconds: 60, units: .milliseconds,
        setup: { _ = try table.ensure() },
        teardown: { try TableBenchRecorder.shared.finish(id) })
    Benchmark(name, configuration: configuration) { benchmark in
        let path = PreparedTables.path(of: table.name)   // built in setup

        benchmark.startMeasurement()
        let started = ContinuousClock.now
        let opened = try Table.open(at: path)
        let halfway = ContinuousClock.now
        let snapshot = try opened.snapshot()
        let finished = ContinuousClock.now
        benchmark.stopMeasurement()

        try check(snapshot.version == Int64(table.commits) && snapshot.files.count == table.commits
                  && snapshot.rowCount == table.commits * CommitLogTable.rowsPerCommit,
                  "\(id): opened version \(snapshot.version) with \(snapshot.files.count) files of \(snapshot.rowCount ?? -1) rows")
        guard benchmark.isMeasured else { return }
        TableBenchRecorder.shared.record(id: id, benchmark: name, seconds: (finished - started).seconds, notes: notes,
                                         phases: ["open": (halfway - started).seconds, "snapshot": (finished - halfway).seconds])
    }
}
