import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderRecommender

/// `larder recommend`: train, evaluate and batch-score recommenders on the database's data.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Train, evaluate and batch-score recommenders; models go to the database's registry.",
        discussion: """
        train fits a model on an interactions view (point-in-time user and item features, an \
        explicit time split), evaluates it on the test window and registers it. evaluate \
        rebuilds a registered model's test window from its lineage and compares it with \
        popularity. batch writes every user's top-k list into a feature view and materializes \
        it, so services look the lists up with `larder get` or the feature server.
        """,
        subcommands: [RecommendTrainCommand.self, RecommendEvaluateCommand.self, RecommendBatchCommand.self]
    )
}

/// `larder recommend train`.
struct RecommendTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a model on an interactions view, evaluate it on the test window and register it.",
        discussion: """
        The interactions are split by event time: training rows before T1, validation rows in \
        [T1, T2), test rows from T2 (by default T1 and T2 are the 80% and 90% quantiles of the \
        event times). The model is fitted on every row before T2 (the ensemble also learns its \
        weights on [T1, T2)) and scored on the users who booked something new after T2: \
        precision, recall, NDCG and MAP at k, and catalogue coverage. The version is registered \
        with its parameters, metrics and lineage (the table versions read), in stage none \
        unless --stage says otherwise.

        Parameters (--param KEY=VALUE, values as JSON or plain text): popularity halfLifeDays; \
        itemknn neighbours, shrinkage; als factors, regularization, alpha, iterations, cgSteps, \
        seed, threads; content categoryFeature, priceFeature, itemRegionFeature, \
        userRegionFeature, favouriteFeature, priceBands, smoothing, favouriteWeight, \
        homeRegionWeight, popularityWeight, halfLifeDays; ensemble members (a JSON array of \
        {"kind": ..., "parameters": {...}}), candidatesPerMember, maxUsers, l2, iterations and \
        the match features.
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "The registered model's name (letters, digits, '.', '_', '-').") var name: String
    @Option(help: "The model kind: popularity, itemknn, als, content or ensemble.") var model: String
    @OptionGroup var data: TrainingDataArguments
    @Option(help: "Fit one model per value of this user feature (view:feature, or a feature of --user-features), plus a global one.")
    var segment: String?
    @Option(help: "With --segment: segments with fewer bookings use the global model.") var segmentMinPositives = 20
    @Option(name: .customLong("param"), parsing: .singleValue, help: "A model parameter KEY=VALUE (repeatable).")
    var params: [String] = []
    @Option(help: "The list length the metrics are at.") var k = 10
    @Option(help: "Worker threads for the joins and the evaluation (default: one per core).") var threads: Int?
    @Option(help: "The stage to register the version in: none, staging or production.") var stage: ModelStage = .none
    @Option(help: "Why (kept in the stage history when --stage is given).") var reason: String?
    @Flag(help: "Print the report (metrics, timings, registered version) as JSON.") var json = false
    @Flag(help: "No progress lines on stderr.") var quiet = false

    func validate() throws {
        _ = try ModelSpecArguments.kind(model)
        _ = try ModelSpecArguments.parameters(params)
        if k < 1 { throw ValidationError("--k \(k): the list length must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be at least 1") }
        if segmentMinPositives < 1 { throw ValidationError("--segment-min-positives \(segmentMinPositives): must be at least 1") }
        if stage == .archived { throw ValidationError("--stage archived: a new version goes to none, staging or production") }
    }

    func run() throws {
        let started = ContinuousClock.now
        let progress = RecommendProgress(quiet: quiet)
        try ModelRegistry.validateModelName(name)
        var spec = try ModelSpecArguments.spec(try ModelSpecArguments.kind(model), parameters: try ModelSpecArguments.parameters(params))
        var options = try data.options(threads: threads)
        if let segment {
            (spec, options.userFeatures) = try ModelSpecArguments.segmented(spec, segment: segment, minimumPositives: segmentMinPositives,
                                                                            userFeatures: options.userFeatures)
        }
        let db = try database.open()
        let registry = ModelRegistry(database: db)
        progress.step("loading the training data from '\(options.interactionsView)' with \(options.userFeatures.count + options.itemFeatures.count) point-in-time features")
        let (training, load) = try RecommendClock.timed { try loadTrainingData(db, options) }
        progress.step("\(training.log.count) interactions (\(training.log.positiveCount) bookings), \(training.split); fitting \(spec.kind) on the rows before the test window")
        let trained: Trainer.Result
        do {
            trained = try Trainer.train(spec, on: training, k: k, threads: threads)
        } catch var e as RecommenderError where e.code == .unknownFeature {
            e.message += " (here: add it to --user-features or --item-features, or pass --param with the feature set to null)"
            throw e
        }
        progress.step("evaluated on \(trained.report.metrics.users) test users; registering \(name)")
        let who = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
        let (version, register) = try RecommendClock.timed {
            try registry.register(name: name, trained: trained, stage: stage, reason: reason ?? "trained by larder recommend train", actor: who)
        }
        var report = trained.report
        report.registeredVersion = version.version
        report.seconds["load"] = load
        report.seconds["register"] = register
        report.seconds["total"] = RecommendClock.seconds(since: started)

        if json {
            var object = try RecommendText.object(report)
            object["name"] = name
            object["version"] = version.version
            object["stage"] = version.stage.rawValue
            object["kind"] = spec.kind.rawValue
            object["directory"] = version.directory
            object["interactionsView"] = options.interactionsView
            return try printJSON(object)
        }
        let m = report.metrics
        print("trained \(version.reference) (\(spec.kind)) on '\(options.interactionsView)': \(training.log.count) interactions, \(report.users) users, \(report.items) items, \(report.positives) bookings before the test window")
        print("split     \(training.split)")
        print("test      \(m.users) users (\(m.coldUsers) without history)")
        print("metrics   \(RecommendText.metrics(m))")
        print("time      \(RecommendText.timings([("load", load), ("fit", report.seconds["fit"] ?? 0), ("evaluate", report.seconds["evaluate"] ?? 0), ("register", register)]))")
        print("registered \(version.reference) in stage \(version.stage) (\(report.artifactBytes) bytes) in \(version.directory)")
    }

    /// Loads the training data, adding a hint when the default features do not exist.
    private func loadTrainingData(_ db: FeatureDatabase, _ options: TrainingDataOptions) throws -> TrainingData {
        do {
            return try TrainingData.load(from: db, options: options)
        } catch var e as RecommenderError where e.code == .unknownFeature && data.defaultFeatures
            && !e.message.contains("interactions view") && !e.message.contains("view '\(options.interactionsView)' has no column") {
            e.message += " (\(RecommendText.featureHint))"
            throw e
        }
    }
}
