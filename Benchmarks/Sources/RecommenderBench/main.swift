// The recommender benchmark's Larder side (Benchmarks/recommender/run.sh builds it in release
// mode and runs it, then runs implicit's ALS on what it exports).
//
// 1. Ingests a generated marketplace (`larder generate marketplace`) into a fresh database:
//    interactions, user_stats, item_stats (timed).
// 2. Loads the training data: interactions split by time, point-in-time user and item
//    features (timed).
// 3. Per model: builds the test-stage training window (every row before T2), fits the model
//    on it, evaluates it on the test window (precision/recall/NDCG/MAP@10, coverage) and
//    encodes its artifact; each step timed. The ensemble fits its members twice (before T1
//    for its weights, before T2 for the test), so its fit time includes both.
// 4. Exports for the implicit comparison: train.parquet (user_id, item_id, bookings: the
//    positives before T2, one row per pair), test.parquet (user_id, item_id: each evaluated
//    user's relevant items), larder_als_top10.parquet (user_id, rank, item_id), and
//    results.json with every figure and the ALS parameters.
//
// Options:
//   --data DIR          the generated marketplace (definitions.yaml and the Parquet files)
//   --generate SCALE    generate it there first (seed 42) when definitions.yaml is missing
//   --work DIR          where the database is created (emptied first)
//   --results DIR       results.json and the exported Parquet files
//   --models LIST       popularity,itemknn,als,content,ensemble (default: all five)
//   --factors N --regularization X --alpha X --iterations N --cg-steps N --threads N --seed N
//                       the ALS parameters (defaults: ALSParameters'; threads 2)
//   --repeat N          fit ALS N times and report the best time (default 1)
//   --reuse             keep the database already in --work (for parameter sweeps; no ingest time)
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Larder
import LarderColumnar
import LarderParquet
import LarderRecommender

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

struct Settings {
    var data = ""
    var work = ".bench-data/recommender/work"
    var results = ".bench-data/recommender/results"
    var models: [ModelKind] = [.popularity, .itemKNN, .als, .content, .ensemble]
    var als = ALSParameters(threads: 2)
    var repeats = 1
    var generate: MarketplaceGenerator.Scale?
    var reuse = false

    init(_ arguments: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        func number<T: LosslessStringConvertible>(_ text: String) throws -> T {
            guard let v = T(text) else { throw BenchError("not a number: \(text)") }
            return v
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--data": data = try value()
            case "--work": work = try value()
            case "--results": results = try value()
            case "--models": models = try value().split(separator: ",").map { try ModelKind(parsing: String($0)) }
            case "--factors": als.factors = try number(try value())
            case "--regularization": als.regularization = try number(try value())
            case "--alpha": als.alpha = try number(try value())
            case "--iterations": als.iterations = try number(try value())
            case "--cg-steps": als.cgSteps = try number(try value())
            case "--threads": als.threads = try number(try value())
            case "--seed": als.seed = try number(try value())
            case "--repeat": repeats = max(1, try number(try value()))
            case "--reuse": reuse = true
            case "--generate":
                let name = try value()
                guard let scale = MarketplaceGenerator.Scale(rawValue: name) else { throw BenchError("unknown scale \(name)") }
                generate = scale
            default: throw BenchError("unknown option \(arguments[i])")
            }
            i += 1
        }
        guard !data.isEmpty else { throw BenchError("--data DIR is required") }
    }
}

/// CPU seconds (user and system, every thread) this process has used.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func spec(_ kind: ModelKind, als: ALSParameters) -> ModelSpec {
    switch kind {
    case .als: .als(als)
    case .ensemble:
        .ensemble(EnsembleParameters(members: [.popularity(.init()), .itemKNN(.init()), .als(als), .content(.init())]))
    default: .defaults(kind)
    }
}

func run() throws {
    let settings = try Settings(Array(CommandLine.arguments.dropFirst()))
    let files = FileManager.default
    let reusing = settings.reuse && files.fileExists(atPath: settings.work + "/db/larder.json")
    if !reusing { try? files.removeItem(atPath: settings.work) }
    try files.createDirectory(atPath: settings.work, withIntermediateDirectories: true)
    try files.createDirectory(atPath: settings.results, withIntermediateDirectories: true)
    var report: [String: Any] = ["threads": settings.als.threads]
    if let scale = settings.generate, !files.fileExists(atPath: settings.data + "/definitions.yaml") {
        FileHandle.standardError.write(Data("recommender bench: generating the \(scale) marketplace into \(settings.data)\n".utf8))
        try MarketplaceGenerator(scale: scale, seed: 42).write(to: settings.data)
    }

    var clock = ContinuousClock.now
    let db: FeatureDatabase
    if reusing {
        db = try FeatureDatabase.open(at: settings.work + "/db")
    } else {
        db = try FeatureDatabase.create(at: settings.work + "/db")
        try db.apply(try Definitions.load(path: settings.data + "/definitions.yaml"))
        for view in ["interactions", "user_stats", "item_stats"] {
            try db.ingest(files: [settings.data + "/\(view).parquet"], into: view)
        }
    }
    report["ingestSeconds"] = reusing ? 0 : seconds(since: clock)

    clock = .now
    let data = try TrainingData.load(from: db)
    report["loadSeconds"] = seconds(since: clock)
    report["interactions"] = data.log.count
    report["positives"] = data.log.positiveCount
    report["split"] = ["validationStart": Timestamp.iso8601(micros: data.split.validationStart),
                       "testStart": Timestamp.iso8601(micros: data.split.testStart)]
    FileHandle.standardError.write(Data("recommender bench: \(data.log.count) interactions loaded; \(data.split)\n".utf8))

    clock = .now
    let window = data.window(.test)
    report["windowSeconds"] = seconds(since: clock)
    report["users"] = window.userCount
    report["items"] = window.itemCount
    report["trainPositives"] = window.positiveCount
    let evaluation = data.evaluationSet(.test)
    report["evaluatedUsers"] = evaluation.users.count
    report["coldUsers"] = evaluation.coldUserCount

    var models: [[String: Any]] = []
    var alsLists: [[Int64]]?
    for kind in settings.models {
        let spec = spec(kind, als: settings.als)
        var fits: [Double] = [], cpu: [Double] = []
        var fitted: (any RecommenderModel)?
        for _ in 0 ..< (kind == .als ? settings.repeats : 1) {
            clock = .now
            let cpuStart = cpuSeconds()
            fitted = kind == .ensemble ? try spec.fit(data) : try spec.fit(window)
            fits.append(seconds(since: clock))
            cpu.append(cpuSeconds() - cpuStart)
        }
        guard let model = fitted else { continue }
        let fit = fits.min() ?? 0
        clock = .now
        let lists = Evaluator.recommendations(model, for: evaluation, k: 10, threads: settings.als.threads)
        let metrics = try Evaluator.metrics(of: lists, on: evaluation, k: 10)
        let evaluate = seconds(since: clock)
        clock = .now
        let artifact = model.encode()
        let encode = seconds(since: clock)
        if kind == .als { alsLists = lists }
        models.append(["model": kind.rawValue, "fitSeconds": fit, "fitSecondsAll": fits, "fitCPUSecondsAll": cpu, "evaluateSeconds": evaluate, "encodeSeconds": encode,
                       "artifactBytes": artifact.count, "precision": metrics.precision, "recall": metrics.recall,
                       "ndcg": metrics.ndcg, "map": metrics.map, "coverage": metrics.coverage])
        FileHandle.standardError.write(Data(String(format: "  %-10@ fit %7.2fs  NDCG@10 %.4f  precision@10 %.4f  recall@10 %.4f  MAP@10 %.4f  coverage %.3f\n",
                                                   kind.rawValue as NSString, fit, metrics.ndcg, metrics.precision, metrics.recall, metrics.map, metrics.coverage).utf8))
    }
    report["models"] = models
    report["als"] = ["factors": settings.als.factors, "regularization": settings.als.regularization, "alpha": settings.als.alpha,
                     "iterations": settings.als.iterations, "cgSteps": settings.als.cgSteps, "seed": settings.als.seed]

    // The implicit comparison's inputs.
    try export(data: data, evaluation: evaluation, alsLists: alsLists, to: settings.results)
    let json = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
    try json.write(to: URL(fileURLWithPath: settings.results + "/results.json"))
}

/// train.parquet, test.parquet and (when ALS ran) larder_als_top10.parquet.
func export(data: TrainingData, evaluation: EvaluationSet, alsLists: [[Int64]]?, to directory: String) throws {
    let end = data.log.firstRow(atOrAfter: data.split.testStart)
    var counts: [Int64: [Int64: Int64]] = [:]
    for r in 0 ..< end where data.log.positives[r] { counts[data.log.userIDs[r], default: [:]][data.log.itemIDs[r], default: 0] += 1 }
    var users: [Int64] = [], items: [Int64] = [], bookings: [Int64] = []
    for user in counts.keys.sorted() {
        for (item, n) in (counts[user] ?? [:]).sorted(by: { $0.key < $1.key }) {
            users.append(user)
            items.append(item)
            bookings.append(n)
        }
    }
    let train = try RecordBatch(["user_id": .int64(users), "item_id": .int64(items), "bookings": .int64(bookings)])
    try ParquetWriter.write([train], to: directory + "/train.parquet")

    var testUsers: [Int64] = [], testItems: [Int64] = []
    for (u, user) in evaluation.users.enumerated() {
        for item in evaluation.relevant[u] {
            testUsers.append(user)
            testItems.append(item)
        }
    }
    try ParquetWriter.write([try RecordBatch(["user_id": .int64(testUsers), "item_id": .int64(testItems)])], to: directory + "/test.parquet")

    guard let alsLists else { return }
    var listUsers: [Int64] = [], ranks: [Int64] = [], listItems: [Int64] = []
    for (u, list) in alsLists.enumerated() {
        for (rank, item) in list.enumerated() {
            listUsers.append(evaluation.users[u])
            ranks.append(Int64(rank + 1))
            listItems.append(item)
        }
    }
    let top = try RecordBatch(["user_id": .int64(listUsers), "rank": .int64(ranks), "item_id": .int64(listItems)])
    try ParquetWriter.write([top], to: directory + "/larder_als_top10.parquet")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("recommender bench: \(error)\n".utf8))
    exit(1)
}
