import Foundation
import LarderTable
import Synchronization

/// Tables the benchmarks read, built (not timed) by the setup of the first benchmark that
/// needs them: the commit-log tables in ``TableBenchSettings/preparedDirectory``, kept
/// between runs (their log is all the open benchmarks read); the scan table in
/// ``TableBenchSettings/scratchDirectory``, rebuilt every run of the script, so it always
/// holds the current Parquet writer's files. A table counts as built only once its marker
/// file exists, so an interrupted build is thrown away and redone.
enum PreparedTables {
    static let markerName = ".larder-bench-complete"

    /// The path of the table `name` in `directory`, building it with `build` first if needed.
    static func ensure(_ name: String, in directory: String = TableBenchSettings.preparedDirectory,
                       build: (String) throws -> Void) throws -> String {
        let path = self.path(of: name, in: directory)
        let marker = (path as NSString).appendingPathComponent(markerName)
        if FileManager.default.fileExists(atPath: marker) { return path }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let started = ContinuousClock.now
        try build(path)
        let elapsed = (ContinuousClock.now - started).seconds
        try Data("built in \(String(format: "%.1f", elapsed)) s\n".utf8).write(to: URL(fileURLWithPath: marker))
        log("prepared \(name) in \(String(format: "%.1f", elapsed)) s")
        return path
    }

    /// Where the table `name` lives (built or not).
    static func path(of name: String, in directory: String = TableBenchSettings.preparedDirectory) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// Runs `work` for every element on its own thread and waits for all. Small appends wait
    /// mostly on fsync, which the file system's journal batches across threads, so several
    /// builders at once finish sooner than in turn (the 10,000-commit tables still end up
    /// bound by the CPU: see BENCHMARKS.md, "Versioned tables").
    static func inParallel<T: Sendable>(_ items: [T], _ work: @escaping @Sendable (T) throws -> Void) throws {
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for item in items {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    try work(item)
                } catch {
                    failures.withLock { $0.append(String(describing: error)) }
                }
            }
        }
        group.wait()
        let messages = failures.withLock { $0 }
        if !messages.isEmpty { throw BenchCheckError(messages.joined(separator: "\n")) }
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("tables: \(message)\n".utf8))
    }
}
