import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderRecommender

/// `larder recommend evaluate`.
struct RecommendEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a registered model on its test window, rebuilt from its lineage, next to popularity.",
        discussion: """
        The version's lineage pins every table it was trained on to the version that was read, \
        so the training set and the test window are rebuilt exactly (its fingerprint is \
        checked) even after the views have moved on. The stored model is scored on the test \
        window, and a popularity model fitted on the same rows is scored beside it.
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "The registered model's name.") var name: String
    @Option(help: "The version (default: the newest, or the newest in --stage).") var version: Int?
    @Option(help: "Evaluate the newest version in this stage instead (e.g. production).") var stage: ModelStage?
    @Option(help: "The list length (default: the k the version's metrics were recorded at, else 10).") var k: Int?
    @Option(help: "Worker threads for the joins and the evaluation (default: one per core).") var threads: Int?
    @Flag(help: "Print the metrics as JSON.") var json = false
    @Flag(help: "No progress lines on stderr.") var quiet = false

    func validate() throws {
        if version != nil && stage != nil { throw ValidationError("give --version or --stage, not both") }
        if let k, k < 1 { throw ValidationError("--k \(k): the list length must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be at least 1") }
    }

    func run() throws {
        let progress = RecommendProgress(quiet: quiet)
        let db = try database.open()
        let registry = ModelRegistry(database: db)
        let chosen = try RecommendModelChoice.version(registry, name: name, version: version, stage: stage, default: .latest)
        guard let lineage = chosen.lineage else {
            throw RecommendFailure("\(chosen.reference) has no lineage, so its test window cannot be rebuilt (it was not trained by `larder recommend train`)")
        }
        let model = try registry.recommender(name, version: chosen.version)
        let k = self.k ?? RankingMetrics.k(ofNamed: chosen.metrics) ?? 10
        progress.step("rebuilding the training set of \(chosen.reference) from \(lineage.tables.map { "\($0.view)@\($0.version)" }.joined(separator: ", "))")
        var options = TrainingDataOptions(reproducing: lineage)
        options.threads = threads
        let (data, load) = try RecommendClock.timed { try TrainingData.load(from: db, options: options) }
        let fingerprint = data.lineage?.fingerprint ?? ""
        guard fingerprint == lineage.fingerprint else {
            throw ModelRegistryError(.lineageMismatch, "the training set of \(chosen.reference) no longer rebuilds: fingerprint \(fingerprint), recorded \(lineage.fingerprint) (a table's history was rewritten or a view's definition changed)", model: name, version: chosen.version)
        }
        let set = data.evaluationSet(.test)
        progress.step("scoring \(chosen.reference) on \(set.users.count) test users")
        let (metrics, evaluate) = RecommendClock.timed { Evaluator.evaluate(model, on: set, k: k, threads: threads) }
        progress.step("fitting and scoring popularity for comparison")
        let (baseline, popularity) = try RecommendClock.timed {
            try Trainer.train(.popularity(.init()), on: data, k: k, threads: threads).report.metrics
        }

        if json {
            var lineageObject = try RecommendText.object(lineage)
            lineageObject["reproduced"] = true
            let modelMetrics = try RecommendText.object(metrics), popularityMetrics = try RecommendText.object(baseline)
            return try printJSON([
                "name": name, "version": chosen.version, "stage": chosen.stage.rawValue, "kind": chosen.kind, "k": k,
                "metrics": modelMetrics, "popularity": popularityMetrics, "recorded": chosen.metrics, "lineage": lineageObject,
                "seconds": ["load": load, "evaluate": evaluate, "popularity": popularity],
            ] as [String: Any])
        }
        print("\(chosen.reference) (\(chosen.kind), stage \(chosen.stage)) on '\(lineage.interactionsView)' as of \(lineage.tables.map { "\($0.view)@\($0.version)" }.joined(separator: ", "))")
        print("split     \(data.split)")
        print("test      \(metrics.users) users (\(metrics.coldUsers) without history); training set fingerprint \(fingerprint) as recorded")
        print("model     \(RecommendText.metrics(metrics))")
        print("popular   \(RecommendText.metrics(baseline))")
        if baseline.ndcg > 0 { print("ndcg@\(k) is \(String(format: "%.2f", metrics.ndcg / baseline.ndcg))× popularity's") }
        print("time      \(RecommendText.timings([("load", load), ("evaluate", evaluate), ("popularity", popularity)]))")
    }
}

/// Picks the registered version a command works on.
enum RecommendModelChoice {
    enum Default { case latest, production }

    /// `version` if given, else the newest version in `stage`, else the newest version or the
    /// production one.
    /// - Throws: ``ModelRegistryError`` `.unknownModel`, `.unknownVersion`,
    ///   `.noProductionVersion`; `RecommendFailure` when no version is in `stage`.
    static func version(_ registry: ModelRegistry, name: String, version: Int?, stage: ModelStage?,
                        default fallback: Default) throws -> ModelVersion {
        if let version { return try registry.version(name, version) }
        if let stage {
            if stage == .production { return try registry.production(name) }
            guard let newest = try registry.versions(name, in: stage).last else {
                throw RecommendFailure("model '\(name)' has no version in stage \(stage)")
            }
            return newest
        }
        return fallback == .production ? try registry.production(name) : try registry.latest(name)
    }
}
