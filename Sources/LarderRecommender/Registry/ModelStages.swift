import Foundation

/// The model's `stages.json`: every version's current stage and the transition log. One file
/// per model, replaced whole by an atomic rename, so a promotion and the demotion it causes
/// are one write. Versions it does not list are in ``ModelStage/none``.
struct ModelStages: Sendable, Hashable, Codable {
    static let currentFormat = 1
    static let fileName = "stages.json"

    var format = ModelStages.currentFormat
    var name: String
    /// Incremented by every write; a server can poll it to notice promotions.
    var revision: Int = 0
    var stages: [Int: ModelStage] = [:]
    /// Every transition of every version, oldest first.
    var history: [StageTransition] = []

    init(name: String) { self.name = name }

    func stage(of version: Int) -> ModelStage { stages[version] ?? ModelStage.none }

    private enum CodingKeys: String, CodingKey { case format, name, revision, stages, history }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(Int.self, forKey: .format)
        guard format <= Self.currentFormat else { throw ManifestFormatTooNew(found: format) }
        name = try c.decode(String.self, forKey: .name)
        revision = try c.decode(Int.self, forKey: .revision)
        let text = try c.decode([String: ModelStage].self, forKey: .stages)
        for (key, stage) in text {
            guard let v = Int(key), v > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .stages, in: c, debugDescription: "'\(key)' is not a version number")
            }
            stages[v] = stage
        }
        history = try c.decode([StageTransition].self, forKey: .history)
    }

    /// `stages` is an object keyed by the version number as text (JSON keys are strings).
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(name, forKey: .name)
        try c.encode(revision, forKey: .revision)
        try c.encode(Dictionary(uniqueKeysWithValues: stages.map { (String($0.key), $0.value) }), forKey: .stages)
        try c.encode(history, forKey: .history)
    }
}
