import Foundation

extension ModelRegistry {
    /// The artifact file a trained recommender is stored under: the bytes of
    /// ``RecommenderModel/encode()`` (docs/recommender-artifacts.md).
    public static let modelArtifactName = "model.bin"

    /// Registers a model that ``Trainer/train(_:on:k:threads:)`` fitted: its artifact as
    /// ``modelArtifactName``, its kind, its parameters (the `parameters` object of its
    /// ``ModelSpec``), its test-window metrics (named by ``RankingMetrics/named``) and the
    /// training set's lineage. A `stage` other than ``ModelStage/none`` is applied after the
    /// registration, with `reason` and `actor` in the history.
    ///
    /// ```swift
    /// let trained = try Trainer.train(.als(.init()), on: data)
    /// let v = try registry.register(name: "ranker", trained: trained, stage: .staging)
    /// let model = try registry.recommender("ranker", version: v.version)
    /// ```
    /// - Throws: the errors of ``register(name:kind:parameters:metrics:lineage:artifacts:code:)``
    ///   and ``transition(_:version:to:reason:actor:)``.
    @discardableResult
    public func register(name: String, trained: Trainer.Result, stage: ModelStage = .none, reason: String? = nil,
                         actor: String? = nil, code: CodeVersion = .current) throws -> ModelVersion {
        let spec = try ParameterValue(encoding: trained.report.model)
        let parameters = spec.objectValue?["parameters"]?.objectValue ?? [:]
        let v = try register(name: name, kind: trained.report.model.kind.rawValue, parameters: parameters,
                             metrics: trained.report.metrics.named, lineage: trained.report.lineage,
                             artifacts: [Self.modelArtifactName: trained.artifact], code: code)
        guard stage != .none else { return v }
        try transition(name, version: v.version, to: stage, reason: reason, actor: actor)
        return try version(name, v.version)
    }

    /// Checks that `name` can name a model: 1 to 128 ASCII letters, digits, `.`, `_` and `-`,
    /// starting with a letter or digit (what registration requires), so a caller can refuse a
    /// bad name before a long training run.
    /// - Throws: ``ModelRegistryError/Code/invalidInput`` naming `name`.
    public static func validateModelName(_ name: String) throws {
        try validate(name: name, what: "model name")
    }

    /// The recommender stored in version `version` of `name` (its ``modelArtifactName``
    /// artifact, checked against the manifest's CRC-32, then decoded).
    /// - Throws: ``ModelRegistryError`` `.unknownModel`, `.unknownVersion`, `.unknownArtifact`
    ///   (a version registered without a model artifact), `.corrupt`; ``RecommenderError``
    ///   `.corruptArtifact` or `.unsupportedFormat` when the bytes do not decode.
    public func recommender(_ name: String, version: Int) throws -> any RecommenderModel {
        let bytes = try artifact(name, version: version, file: Self.modelArtifactName)
        return try ModelArtifact.decode(bytes)
    }
}

extension RankingMetrics {
    /// The metrics by the names a registry manifest stores them under: `precision@k`,
    /// `recall@k`, `ndcg@k`, `map@k`, `coverage@k` (with this ``k``), `users` and `cold_users`.
    public var named: [String: Double] {
        ["precision@\(k)": precision, "recall@\(k)": recall, "ndcg@\(k)": ndcg, "map@\(k)": map, "coverage@\(k)": coverage,
         "users": Double(users), "cold_users": Double(coldUsers)]
    }

    /// The list length of metrics stored by ``named``: the k of their `ndcg@k` entry, if any.
    public static func k(ofNamed metrics: [String: Double]) -> Int? {
        metrics.keys.lazy.compactMap { $0.hasPrefix("ndcg@") ? Int($0.dropFirst(5)) : nil }.first
    }
}
