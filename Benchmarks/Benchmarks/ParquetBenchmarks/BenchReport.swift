import Foundation

/// One benchmark's measured iterations, written as JSON to `LARDER_BENCH_RESULTS/<id>.json`
/// after every measured iteration, in the shape `Benchmarks/parquet/pyarrow_bench.py` prints
/// per operation, so `Benchmarks/parquet/report.py` can put the two side by side.
struct BenchReport: Codable, Sendable {
    var tool = "larder"
    var benchmark: String
    /// "write" or "scan".
    var operation: String
    var codec: String
    var level: Int?
    /// Threads Larder used (the writer's or the reader's option).
    var threads: Int
    /// Whose file a scan read: "larder" or "pyarrow".
    var fileWrittenBy: String
    var rows: Int
    var decodedBytes: Int
    var fileBytes: Int
    /// For scans: "one batch" (`ParquetFile.read()`) or "one batch per row group" (`readBatches()`).
    var result: String?
    var seconds: [Double] = []
    var bestSeconds = 0.0
    var medianSeconds = 0.0
    var mbPerSecond = 0.0
    var rowsPerSecond = 0.0

    mutating func add(seconds elapsed: Double) {
        seconds.append(elapsed)
        let sorted = seconds.sorted()
        bestSeconds = sorted[0]
        let mid = sorted.count / 2
        medianSeconds = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        mbPerSecond = Double(decodedBytes) / 1e6 / bestSeconds
        rowsPerSecond = Double(rows) / bestSeconds
    }
}

/// Collects the reports of the benchmarks running in this process.
final class BenchRecorder: @unchecked Sendable {
    static let shared = BenchRecorder()

    private let lock = NSLock()
    private var reports: [String: BenchReport] = [:]

    /// Adds one measured iteration to the report `id` (created from `template` on first use)
    /// and rewrites its JSON file when `LARDER_BENCH_RESULTS` is set.
    func record(id: String, template: @autoclosure () -> BenchReport, seconds: Double) throws {
        let report = lock.withLock {
            var report = reports[id] ?? template()
            report.add(seconds: seconds)
            reports[id] = report
            return report
        }
        guard let directory = BenchSettings.resultsDirectory else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = URL(fileURLWithPath: directory).appendingPathComponent("\(id).json")
        try encoder.encode(report).write(to: url, options: .atomic)
    }
}
