// Parquet write and full-scan throughput of Larder, on the shared input of
// Benchmarks/parquet/make_input.py (10 columns; 10M rows in the reference run). pyarrow's
// figures come from Benchmarks/parquet/pyarrow_bench.py in the same run: scripts/bench.sh runs
// both and prints them side by side. Every iteration checks its result (row count, and for
// scans the digest of every column) before its time is recorded.

import Benchmark
import Foundation
import LarderColumnar
import LarderParquet

/// One codec setting, written and scanned.
struct CodecVariant: Sendable {
    var label: String
    var codec: Codec
    var level: Int?

    static let all = [
        CodecVariant(label: "zstd-1", codec: .zstd, level: 1),
        CodecVariant(label: "lz4_raw", codec: .lz4Raw, level: nil),
        CodecVariant(label: "uncompressed", codec: .uncompressed, level: nil),
    ]

    /// Larder's writer settings, matched to pyarrow's defaults: 1 Mi-row row groups, 1 MiB
    /// pages, dictionary encoding on.
    func options(threads: Int? = nil) -> ParquetWriteOptions {
        var options = ParquetWriteOptions(codec: codec, level: level ?? 1)
        options.rowGroupRows = 1 << 20
        options.pageBytes = 1 << 20
        options.dictionary = true
        if let threads { options.threads = threads }
        return options
    }

    var fileName: String { "larder-\(label).parquet" }
}

enum BenchMetrics {
    static let decodedMBps = BenchmarkMetric.custom("decoded MB/s", polarity: .prefersLarger, useScalingFactor: false)
    static let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)
    static let fileMB = BenchmarkMetric.custom("file MB", polarity: .prefersSmaller, useScalingFactor: false)
}

let benchmarks: @Sendable () -> Void = {
    let size = BenchSettings.inputPath.flatMap { try? BenchInput.readDigest($0 + ".json") }.map { rowsLabel($0.rows) } ?? "?"
    for variant in CodecVariant.all {
        registerWrite(variant, threads: nil, name: "parquet write \(variant.label) \(size)")
        // One batch per row group: the shape of pyarrow's read_table (a chunked table).
        registerScan(variant, name: "parquet scan \(variant.label) \(size)", perRowGroup: true)
    }
    if let zstd = CodecVariant.all.first {
        registerWrite(zstd, threads: 1, name: "parquet write \(zstd.label) 1 thread \(size)")
        registerScan(zstd, name: "parquet scan \(zstd.label) one batch \(size)", perRowGroup: false)
    }
    if BenchSettings.foreignPath != nil {
        registerForeignScan(name: "parquet scan pyarrow file \(size)")
    }
}

private func configuration(setup: @escaping Benchmark.BenchmarkSetupHook) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .peakMemoryResident, BenchMetrics.decodedMBps, BenchMetrics.rowsPerSecond, BenchMetrics.fileMB],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(900),
        maxIterations: BenchSettings.repeatCount,
        setup: setup
    )
}

private func registerWrite(_ variant: CodecVariant, threads: Int?, name: String) {
    let options = variant.options(threads: threads)
    let path = BenchSettings.workFile(threads == nil ? variant.fileName : "larder-\(variant.label)-t\(threads ?? 0).parquet")
    let id = "larder-write-\(variant.label)" + (threads.map { "-t\($0)" } ?? "")
    Benchmark(name, configuration: configuration(setup: { _ = try BenchInput.get() })) { benchmark in
        let input = try BenchInput.get()
        try? FileManager.default.removeItem(atPath: path)
        benchmark.startMeasurement()
        let started = ContinuousClock.now
        let summary = try ParquetWriter.write([input.batch], to: path, options: options)
        let elapsed = ContinuousClock.now - started
        benchmark.stopMeasurement()

        // Check before recording: the footer's row count, and once the whole file's digest.
        let file = try ParquetFile(path: path)
        guard summary.rowCount == input.digest.rows, file.rowCount == input.digest.rows else {
            throw BenchSetupError(description: "\(path): wrote \(summary.rowCount) rows, the footer says \(file.rowCount), expected \(input.digest.rows)")
        }
        let measured = benchmark.currentIteration >= benchmark.configuration.warmupIterations
        if measured, benchmark.currentIteration == benchmark.configuration.warmupIterations {
            try TableDigest(try file.read()).check(against: input.digest, what: "the file Larder wrote at \(path)")
        }
        let fileBytes = try fileSize(path)
        report(benchmark, seconds: elapsed.seconds, rows: input.digest.rows, decodedBytes: input.digest.decodedBytes, fileBytes: fileBytes)
        guard measured else { return }
        try BenchRecorder.shared.record(
            id: id,
            template: BenchReport(
                benchmark: name, operation: "write", codec: variant.label, level: variant.level,
                threads: options.threads, fileWrittenBy: "larder", rows: input.digest.rows,
                decodedBytes: input.digest.decodedBytes, fileBytes: fileBytes
            ),
            seconds: elapsed.seconds
        )
    }
}

/// A full scan of a file Larder wrote with `variant`: `ParquetFile.read()` into one batch, or
/// with `perRowGroup` `readBatches()`, one batch per row group (the shape of pyarrow's
/// `read_table` result, whose columns stay chunked by row group).
private func registerScan(_ variant: CodecVariant, name: String, perRowGroup: Bool = false) {
    let suffix = perRowGroup ? "-batches" : ""
    let path = BenchSettings.workFile("larder-scan-\(variant.label)\(suffix).parquet")
    let setup: Benchmark.BenchmarkSetupHook = {
        // The file to scan, written once by Larder with the variant's settings (not timed).
        let input = try BenchInput.get()
        try? FileManager.default.removeItem(atPath: path)
        try ParquetWriter.write([input.batch], to: path, options: variant.options())
    }
    Benchmark(name, configuration: configuration(setup: setup)) { benchmark in
        try scanIteration(benchmark, path: path, id: "larder-scan-\(variant.label)\(suffix)", name: name,
                          codec: variant.label, level: variant.level, writtenBy: "larder", perRowGroup: perRowGroup)
    }
}

private func registerForeignScan(name: String) {
    guard let path = BenchSettings.foreignPath else { return }
    Benchmark(name, configuration: configuration(setup: { _ = try BenchInput.get() })) { benchmark in
        try scanIteration(benchmark, path: path, id: "larder-scan-pyarrow-file", name: name,
                          codec: "zstd-1", level: 1, writtenBy: "pyarrow")
    }
}

private func scanIteration(_ benchmark: Benchmark, path: String, id: String, name: String,
                           codec: String, level: Int?, writtenBy: String, perRowGroup: Bool = false) throws {
    let input = try BenchInput.get()
    benchmark.startMeasurement()
    let started = ContinuousClock.now
    let batches = perRowGroup ? try ParquetFile(path: path).readBatches() : [try ParquetFile(path: path).read()]
    let elapsed = ContinuousClock.now - started
    benchmark.stopMeasurement()

    try TableDigest(batches: batches).check(against: input.digest, what: "Larder's scan of \(path)")
    let fileBytes = try fileSize(path)
    report(benchmark, seconds: elapsed.seconds, rows: input.digest.rows, decodedBytes: input.digest.decodedBytes, fileBytes: fileBytes)
    guard benchmark.currentIteration >= benchmark.configuration.warmupIterations else { return }
    try BenchRecorder.shared.record(
        id: id,
        template: BenchReport(
            benchmark: name, operation: "scan", codec: codec, level: level, threads: ParquetReadOptions().threads,
            fileWrittenBy: writtenBy, rows: input.digest.rows, decodedBytes: input.digest.decodedBytes,
            fileBytes: fileBytes, result: perRowGroup ? "one batch per row group" : "one batch"
        ),
        seconds: elapsed.seconds
    )
}

/// Feeds the custom metrics of package-benchmark's own table.
private func report(_ benchmark: Benchmark, seconds: Double, rows: Int, decodedBytes: Int, fileBytes: Int) {
    guard seconds > 0 else { return }
    benchmark.measurement(BenchMetrics.decodedMBps, Int((Double(decodedBytes) / 1e6 / seconds).rounded()))
    benchmark.measurement(BenchMetrics.rowsPerSecond, Int((Double(rows) / seconds).rounded()))
    benchmark.measurement(BenchMetrics.fileMB, Int((Double(fileBytes) / 1e6).rounded()))
}

private func fileSize(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.size] as? NSNumber)?.intValue ?? 0
}

private func rowsLabel(_ rows: Int) -> String {
    if rows >= 1_000_000, rows % 1_000_000 == 0 { return "\(rows / 1_000_000)M" }
    if rows >= 1_000, rows % 1_000 == 0 { return "\(rows / 1_000)K" }
    return "\(rows)"
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
