/// A registered model version: its manifest, its current stage and its stage history.
public struct ModelVersion: Sendable, Hashable {
    /// What was registered (never changes).
    public var manifest: ModelManifest
    /// The current stage.
    public var stage: ModelStage
    /// This version's stage transitions, oldest first.
    public var history: [StageTransition]
    /// The version's directory (`<registry>/<name>/<version>`), holding its artifact files.
    public var directory: String

    /// A version as the registry reads it.
    public init(manifest: ModelManifest, stage: ModelStage, history: [StageTransition], directory: String) {
        self.manifest = manifest
        self.stage = stage
        self.history = history
        self.directory = directory
    }

    /// The model name.
    public var name: String { manifest.name }
    /// The version number.
    public var version: Int { manifest.version }
    /// The model kind (how to load the artifacts).
    public var kind: String { manifest.kind }
    /// The training parameters.
    public var parameters: [String: ParameterValue] { manifest.parameters }
    /// The evaluation metrics.
    public var metrics: [String: Double] { manifest.metrics }
    /// Where the training set came from, if recorded.
    public var lineage: TrainingLineage? { manifest.lineage }
    /// `name@version`, the name a bandit arm and the server use.
    public var reference: String { "\(name)@\(version)" }
    /// The path of artifact `file` (not checked; see ``ModelRegistry/artifactPath(_:version:file:)``).
    public func path(of file: String) -> String { directory + "/" + file }
}

/// A model in the registry: its versions and which are in which stage.
public struct RegisteredModel: Sendable, Hashable {
    /// The model name.
    public var name: String
    /// Complete versions, ascending.
    public var versions: [Int]
    /// The stage of every version (``ModelStage/none`` when never transitioned).
    public var stages: [Int: ModelStage]

    /// A model summary.
    public init(name: String, versions: [Int], stages: [Int: ModelStage]) {
        self.name = name
        self.versions = versions
        self.stages = stages
    }

    /// The newest version.
    public var latest: Int? { versions.last }
    /// The version in production, if any.
    public var production: Int? { versions.last { stages[$0] == .production } }
    /// Versions in staging (the challengers), ascending.
    public var staging: [Int] { versions.filter { stages[$0] == .staging } }
}

extension ModelVersion: Encodable {
    private enum CodingKeys: String, CodingKey { case stage, history, directory }

    /// The manifest's fields, plus `stage`, `history` and `directory`: what
    /// `larder models show NAME VERSION --json` prints.
    public func encode(to encoder: any Encoder) throws {
        try manifest.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stage, forKey: .stage)
        try c.encode(history, forKey: .history)
        try c.encode(directory, forKey: .directory)
    }
}

extension RegisteredModel: Encodable {
    private enum CodingKeys: String, CodingKey { case name, versions, latest, production, staging, stages }

    /// `name`, `versions`, `latest`, `production` (null when none), `staging` and `stages`
    /// (version number as text → stage): what `larder models list --json` prints per model.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(versions, forKey: .versions)
        try c.encodeIfPresent(latest, forKey: .latest)
        if let production { try c.encode(production, forKey: .production) } else { try c.encodeNil(forKey: .production) }
        try c.encode(staging, forKey: .staging)
        try c.encode(Dictionary(uniqueKeysWithValues: stages.map { (String($0.key), $0.value) }), forKey: .stages)
    }
}
