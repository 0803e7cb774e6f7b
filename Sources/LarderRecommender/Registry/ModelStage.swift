import Foundation
import LarderColumnar

/// The lifecycle stage of a model version (MLflow's vocabulary).
///
/// A version is registered in ``none``. At most one version of a model is in ``production``:
/// promoting another version there moves the previous one to ``archived`` (MLflow's
/// `archive_existing_versions=True`). Any number of versions may be in ``staging`` (the
/// challengers a bandit routes to) or ``archived``.
public enum ModelStage: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case none
    case staging
    case production
    case archived

    /// Parses a stage name, case-insensitively.
    /// - Throws: ``ModelRegistryError/Code/unknownStage`` naming `text` and the valid stages.
    public init(parsing text: String) throws {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let stage = ModelStage(rawValue: lowered) else {
            throw ModelRegistryError(.unknownStage, "unknown stage '\(text)' (stages: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = stage
    }

    public var description: String { rawValue }
}

/// One logged stage change of a model version.
public struct StageTransition: Sendable, Hashable, Codable {
    /// The version that changed stage.
    public var version: Int
    /// The stage before.
    public var from: ModelStage
    /// The stage after.
    public var to: ModelStage
    /// When (µs since the epoch, UTC).
    public var time: Int64
    /// Why, as given by the caller; for automatic demotions, which promotion caused it.
    public var reason: String?
    /// Who asked (a user or service name), if given.
    public var actor: String?

    /// A logged transition.
    public init(version: Int, from: ModelStage, to: ModelStage, time: Int64, reason: String? = nil, actor: String? = nil) {
        self.version = version
        self.from = from
        self.to = to
        self.time = time
        self.reason = reason
        self.actor = actor
    }

    private enum CodingKeys: String, CodingKey { case version, from, to, time, reason, actor }

    /// `time` is stored as ISO 8601 text with microseconds (`2026-03-01T12:00:00.000001Z`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        from = try c.decode(ModelStage.self, forKey: .from)
        to = try c.decode(ModelStage.self, forKey: .to)
        time = try ISOTime.decode(c, .time)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        actor = try c.decodeIfPresent(String.self, forKey: .actor)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(Timestamp.iso8601(micros: time), forKey: .time)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(actor, forKey: .actor)
    }
}

/// Times in registry JSON: ISO 8601 text, UTC, with microseconds when not whole seconds.
enum ISOTime {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> Int64 {
        let text = try c.decode(String.self, forKey: key)
        guard let micros = Timestamp.parseISO8601(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(text)' is not an ISO 8601 time")
        }
        return micros
    }

    static func decodeIfPresent<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> Int64? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        return try decode(c, key)
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }
}
