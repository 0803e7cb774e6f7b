import Benchmark
import Foundation
import LarderColumnar
import LarderTable

/// A scan of the 10M-row table for about 1% of its rows, three ways:
///
/// - `keyPruned`: `scan(where: [.range("key", …)])`; the files' log statistics and the row
///   groups' footer statistics skip everything outside the key range.
/// - `keyUnpruned`: the same answer without statistics: `scan()` of every row, then the same
///   predicate evaluated and filtered batch by batch with the kernels `scan` itself uses
///   (`ColumnPredicate.evaluate`, `RecordBatch.filter`). This is what the pruned scan would
///   cost if the files' statistics were absent.
/// - `valueRange`: `scan(where: [.range("value", …)])` on a column of uniform random values,
///   whose statistics (min ≈ 0, max ≈ 1 in every file and row group) can rule nothing out.
enum ScanVariant: String, CaseIterable, Sendable {
    case keyPruned, keyUnpruned, valueRange

    static let all = allCases

    /// 100,000 of the 10M keys, not aligned to file or row-group boundaries.
    static let keys: Range<Int64> = 5_123_456 ..< 5_223_456
    static let keyPredicate = ColumnPredicate.range("key", lower: .int64(keys.lowerBound), upper: .int64(keys.upperBound - 1))
    static let valuePredicate = ColumnPredicate.range("value", lower: .float64(0.25), upper: .float64(0.26))

    /// The rows `valuePredicate` selects, from the generator (not from a scan).
    static let valueMatches: KeyTally = {
        var tally = KeyTally()
        for k in 0 ..< ScanTable.rows {
            let v = BenchRows.value(ofKey: k)
            if v >= 0.25 && v <= 0.26 {
                tally.rows += 1
                tally.keySum &+= k
            }
        }
        return tally
    }()

    var id: String {
        switch self {
        case .keyPruned: "table-scan-key-1pct-pruned"
        case .keyUnpruned: "table-scan-key-1pct-unpruned"
        case .valueRange: "table-scan-value-1pct"
        }
    }

    var name: String {
        switch self {
        case .keyPruned: "table scan: 1% of keys, statistics pruning"
        case .keyUnpruned: "table scan: 1% of keys, no pruning (read all, filter)"
        case .valueRange: "table scan: 1% by a random column (stats cannot prune)"
        }
    }

    var expected: KeyTally {
        switch self {
        case .keyPruned, .keyUnpruned: .expected(Self.keys)
        case .valueRange: Self.valueMatches
        }
    }

    /// Runs the scan: the matching rows and what the scan read.
    func run(_ snapshot: Snapshot) throws -> ScanResult {
        switch self {
        case .keyPruned:
            return try snapshot.scan(where: [Self.keyPredicate])
        case .valueRange:
            return try snapshot.scan(where: [Self.valuePredicate])
        case .keyUnpruned:
            var result = try snapshot.scan()
            var matching: [RecordBatch] = []
            for batch in result.batches {
                let mask = try Self.keyPredicate.evaluate(on: batch)
                let hits = mask.setCount
                if hits == 0 { continue }
                matching.append(hits == batch.rowCount ? batch : try batch.filter(mask))
            }
            result.batches = matching
            return result
        }
    }
}

func registerScan(_ variant: ScanVariant) {
    let configuration = tableConfiguration(
        iterations: variant == .keyPruned ? 50 : 10, warmup: 1, maxSeconds: 60, units: .milliseconds,
        setup: {
            _ = try ScanTable.ensure()
            _ = variant.expected   // the generator's count, made before any timing
        },
        teardown: { try TableBenchRecorder.shared.finish(variant.id) })
    Benchmark(variant.name, configuration: configuration) { benchmark in
        let snapshot = try Table.open(at: ScanTable.path).snapshot()   // not timed

        benchmark.startMeasurement()
        let started = ContinuousClock.now
        let result = try variant.run(snapshot)
        let elapsed = ContinuousClock.now - started
        benchmark.stopMeasurement()

        let tally = try KeyTally.of(result.batches)
        try check(tally == variant.expected, "\(variant.id): matched \(tally), expected \(variant.expected)")
        try check(result.batches.allSatisfy { $0.schema.names == BenchRows.schema.names },
                  "\(variant.id): result columns \(result.batches.first?.schema.names ?? [])")
        guard benchmark.isMeasured else { return }
        let files = result.filesRead + result.filesSkipped
        let groups = result.rowGroupsRead + result.rowGroupsSkipped
        let notes = "read \(result.filesRead) of \(files) files, \(result.rowGroupsRead) of the \(groups) row groups in those; \(tally.rows) rows matched"
        TableBenchRecorder.shared.record(id: variant.id, benchmark: variant.name, seconds: elapsed.seconds, notes: notes)
    }
}
