import Foundation
import Synchronization

/// One benchmark's measured iterations (warm-ups left out) and what it read, written to
/// `LARDER_BENCH_RESULTS/<id>.json` and as one Markdown table row to `<id>.md`, which
/// scripts/bench-tables.sh puts together under a header.
struct TableBenchReport: Codable, Sendable {
    var id: String
    var benchmark: String
    /// Seconds per measured iteration, in the order they ran.
    var seconds: [Double] = []
    /// What the iterations read or wrote (files and row groups read and skipped, rows matched).
    var notes: String = ""
    /// Seconds per measured iteration of named parts of the timed region, when it has parts.
    var phases: [String: [Double]] = [:]
    /// The order the phases ran in.
    var phaseOrder: [String] = []

    /// The nearest-rank percentile `p` (0...100) of the samples, in seconds.
    func percentile(_ p: Double) -> Double { Self.percentile(p, of: seconds) }

    static func percentile(_ p: Double, of samples: [Double]) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var markdownRow: String {
        func ms(_ s: Double) -> String { s < 0.1 ? String(format: "%.2f", s * 1000) : String(format: "%.0f", s * 1000) }
        var what = notes
        if !phaseOrder.isEmpty {
            what += "; p50 " + phaseOrder.map { "\($0) \(ms(Self.percentile(50, of: phases[$0] ?? [])))" }.joined(separator: " + ") + " ms"
        }
        return "| \(benchmark) | \(seconds.count) | \(ms(percentile(50))) | \(ms(percentile(99))) | \(ms(percentile(100))) | \(what) |"
    }
}

/// Collects the reports of the benchmarks running in this process.
final class TableBenchRecorder: Sendable {
    static let shared = TableBenchRecorder()
    private let reports = Mutex<[String: TableBenchReport]>([:])

    /// Adds one measured iteration to report `id`, with the seconds of its parts, if any.
    func record(id: String, benchmark: String, seconds: Double, notes: String,
                phases: KeyValuePairs<String, Double> = [:]) {
        reports.withLock { all in
            var report = all[id] ?? TableBenchReport(id: id, benchmark: benchmark)
            report.seconds.append(seconds)
            report.notes = notes
            for (phase, s) in phases {
                if report.phases[phase] == nil { report.phaseOrder.append(phase) }
                report.phases[phase, default: []].append(s)
            }
            all[id] = report
        }
    }

    func report(_ id: String) -> TableBenchReport? { reports.withLock { $0[id] } }

    /// Writes report `id` to the results folder (when one is set) and prints its row.
    func finish(_ id: String) throws {
        guard let report = report(id) else { throw BenchCheckError("\(id): no measured iteration ran") }
        PreparedTables.log(report.markdownRow)
        guard let directory = TableBenchSettings.resultsDirectory else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let base = URL(fileURLWithPath: directory)
        try encoder.encode(report).write(to: base.appendingPathComponent("\(id).json"), options: .atomic)
        try Data((report.markdownRow + "\n").utf8).write(to: base.appendingPathComponent("\(id).md"), options: .atomic)
    }
}
