import Foundation
import LarderColumnar
import LarderParquet

/// Settings read from the environment (scripts/bench.sh sets them):
///
/// - `LARDER_BENCH_INPUT`: the shared input made by `Benchmarks/parquet/make_input.py`
///   (uncompressed Parquet, with its digest beside it as `<input>.json`). Required.
/// - `LARDER_BENCH_WORK`: folder for the files the benchmarks write (default: a temp folder).
/// - `LARDER_BENCH_RESULTS`: folder where each benchmark writes `<name>.json` with its timings.
/// - `LARDER_BENCH_REPEAT`: measured iterations per benchmark, after one warm-up (default 3).
/// - `LARDER_BENCH_FOREIGN`: a Parquet file of the same table written by another tool
///   (pyarrow's); when set, "parquet scan pyarrow file" reads it too.
enum BenchSettings {
    static let environment = ProcessInfo.processInfo.environment

    static var inputPath: String? { environment["LARDER_BENCH_INPUT"].flatMap { $0.isEmpty ? nil : $0 } }
    static var foreignPath: String? { environment["LARDER_BENCH_FOREIGN"].flatMap { $0.isEmpty ? nil : $0 } }
    static var resultsDirectory: String? { environment["LARDER_BENCH_RESULTS"].flatMap { $0.isEmpty ? nil : $0 } }
    static var repeatCount: Int { environment["LARDER_BENCH_REPEAT"].flatMap(Int.init).map { max($0, 1) } ?? 3 }

    static var workDirectory: String {
        let path = environment["LARDER_BENCH_WORK"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("larder-bench")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func workFile(_ name: String) -> String {
        (workDirectory as NSString).appendingPathComponent(name)
    }
}

struct BenchSetupError: Error, CustomStringConvertible, Sendable {
    var description: String
}

/// The shared input, loaded once per process with Larder's own reader and checked against its
/// digest.
struct BenchInput: Sendable {
    let batch: RecordBatch
    let digest: TableDigest

    /// Loaded on first use (a Swift global is initialized once, thread-safely). Benchmarks touch
    /// it in their setup hook so loading is never timed.
    static let shared: Result<BenchInput, BenchSetupError> = {
        do {
            return .success(try BenchInput.load())
        } catch let error as BenchSetupError {
            return .failure(error)
        } catch {
            return .failure(BenchSetupError(description: String(describing: error)))
        }
    }()

    static func get() throws -> BenchInput { try shared.get() }

    private static func load() throws -> BenchInput {
        guard let path = BenchSettings.inputPath else {
            throw BenchSetupError(description: "LARDER_BENCH_INPUT is not set: run scripts/bench.sh, "
                + "or point it at a file made by Benchmarks/parquet/make_input.py")
        }
        let digest = try readDigest(path + ".json")
        let batch = try ParquetFile(path: path).read()
        try TableDigest(batch).check(against: digest, what: "the input \(path) as Larder read it")
        return BenchInput(batch: batch, digest: digest)
    }

    static func readDigest(_ path: String) throws -> TableDigest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchSetupError(description: "cannot read the input's digest \(path); remake the input with make_input.py")
        }
        return try JSONDecoder().decode(TableDigest.self, from: data)
    }
}
