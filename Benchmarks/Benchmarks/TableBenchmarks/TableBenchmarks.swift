// Versioned-table benchmarks of LarderTable: commit latency of small appends, open time
// against the number of commits (with and without Larder's checkpoints), and scans with and
// without statistics pruning. scripts/bench-tables.sh runs them (`make bench` calls it) and
// prints the figures; BENCHMARKS.md ("Versioned tables") describes the workloads. Every
// iteration checks its result (version, file count, rows and Σ key) before its time counts.

import Benchmark

let benchmarks: @Sendable () -> Void = {
    for variant in CommitLatency.all { registerCommitLatency(variant) }
    for table in CommitLogTable.all { registerOpen(table) }
    for variant in ScanVariant.all { registerScan(variant) }
}

/// package-benchmark's settings for one table benchmark: wall clock only, `iterations`
/// measured after `warmup`, stopped early only by the generous `maxSeconds`.
func tableConfiguration(iterations: Int, warmup: Int, maxSeconds: Int, units: BenchmarkTimeUnits,
                        setup: Benchmark.BenchmarkSetupHook? = nil,
                        teardown: Benchmark.BenchmarkTeardownHook? = nil) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock],
        timeUnits: units,
        warmupIterations: warmup,
        scalingFactor: .one,
        maxDuration: .seconds(maxSeconds),
        maxIterations: iterations,
        setup: setup,
        teardown: teardown
    )
}

extension Benchmark {
    /// Whether the running iteration is measured (not a warm-up).
    var isMeasured: Bool { currentIteration >= configuration.warmupIterations }
}
