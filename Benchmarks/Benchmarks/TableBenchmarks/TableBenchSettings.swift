import Foundation

/// Settings read from the environment (scripts/bench-tables.sh sets them):
///
/// - `LARDER_BENCH_TABLES_DATA`: folder for the prepared tables and the commit benchmark's
///   scratch table (default: a temp folder). It must be on the disk being measured: commits
///   fsync, and a tmpfs would make them free.
/// - `LARDER_BENCH_TABLES_KEY`: names the cache of the commit-log tables
///   (`<data>/tables-<key>/`). The script passes a hash of the sources that shape their log
///   (Sources/LarderTable/Log, BenchRows.swift, CommitLogTable.swift), so a changed log or
///   checkpoint format rebuilds them; default `unkeyed`.
/// - `LARDER_BENCH_RESULTS`: folder where each benchmark writes `<id>.json` and `<id>.md`
///   (one Markdown table row) with its figures.
enum TableBenchSettings {
    static let environment = ProcessInfo.processInfo.environment

    private static func value(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var dataDirectory: String {
        let path = value("LARDER_BENCH_TABLES_DATA")
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("larder-bench-tables")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static var cacheKey: String { value("LARDER_BENCH_TABLES_KEY") ?? "unkeyed" }

    /// Where prepared tables live: kept between runs, rebuilt when the key changes.
    static var preparedDirectory: String {
        (dataDirectory as NSString).appendingPathComponent("tables-\(cacheKey)")
    }

    /// Scratch space for the tables of one run (the commit benchmark's, the scan table);
    /// the script empties it before each run.
    static var scratchDirectory: String {
        (dataDirectory as NSString).appendingPathComponent("scratch")
    }

    static var resultsDirectory: String? { value("LARDER_BENCH_RESULTS") }
}

/// A benchmark's result was wrong, or its input could not be made: the run fails.
struct BenchCheckError: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Throws a ``BenchCheckError`` with `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    guard condition else { throw BenchCheckError(message()) }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
