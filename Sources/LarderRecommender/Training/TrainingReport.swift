import Foundation

/// What a training run reports (the JSON of `larder recommend train --json`, training half):
/// the model and its parameters, the data it saw, the test-window metrics and the time each
/// step took. The CLI adds the registered version.
public struct TrainingReport: Sendable, Hashable, Codable {
    /// The model kind and parameters.
    public var model: ModelSpec
    /// Where the training data came from (nil for data built in memory).
    public var lineage: TrainingLineage?
    public var split: TimeSplit
    /// Users, items (the catalogue) and positive interactions of the fitted window.
    public var users: Int
    public var items: Int
    public var positives: Int
    /// The metrics on the test window.
    public var metrics: RankingMetrics
    /// Seconds per step: `fit`, `evaluate` (and `load` when the caller timed loading).
    public var seconds: [String: Double]
    /// The size of the encoded artifact, in bytes.
    public var artifactBytes: Int
    /// The version the registry gave the model, once registered.
    public var registeredVersion: Int?

    public init(model: ModelSpec, lineage: TrainingLineage?, split: TimeSplit, users: Int, items: Int, positives: Int,
                metrics: RankingMetrics, seconds: [String: Double], artifactBytes: Int, registeredVersion: Int? = nil) {
        self.model = model
        self.lineage = lineage
        self.split = split
        self.users = users
        self.items = items
        self.positives = positives
        self.metrics = metrics
        self.seconds = seconds
        self.artifactBytes = artifactBytes
        self.registeredVersion = registeredVersion
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Fits a model and evaluates it on the test window in one call.
public enum Trainer {
    /// A fitted model, its encoded artifact and its report.
    public struct Result: Sendable {
        public var model: any RecommenderModel
        public var artifact: Data
        public var report: TrainingReport
    }

    /// Fits `spec` on every row before T2 and reports its metrics at `k` on the test window.
    /// - Throws: the errors of ``ModelSpec/fit(_:stage:)``.
    public static func train(_ spec: ModelSpec, on data: TrainingData, k: Int = 10, threads: Int? = nil) throws -> Result {
        var clock = ContinuousClock.now
        func lap() -> Double {
            let now = ContinuousClock.now
            defer { clock = now }
            let d = now - clock
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let model = try spec.fit(data, stage: .test)
        let fit = lap()
        let metrics = Evaluator.evaluate(model, on: data.evaluationSet(.test), k: k, threads: threads)
        let evaluate = lap()
        let artifact = model.encode()
        let encode = lap()
        let window = data.window(.test)
        let report = TrainingReport(model: spec, lineage: data.lineage, split: data.split, users: window.userCount, items: window.itemCount,
                                    positives: window.positiveCount, metrics: metrics,
                                    seconds: ["fit": fit, "evaluate": evaluate, "encode": encode], artifactBytes: artifact.count)
        return Result(model: model, artifact: artifact, report: report)
    }
}
