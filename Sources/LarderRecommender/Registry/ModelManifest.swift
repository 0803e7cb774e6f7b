import Foundation
import LarderColumnar

/// The code that trained a model: the Larder version and, when known, the git commit.
public struct CodeVersion: Sendable, Hashable, Codable {
    /// The Larder library version.
    public var larder: String
    /// The git commit of the training code, if known.
    public var gitCommit: String?

    /// A code version: this Larder by default, with the training code's commit if known.
    public init(larder: String = CodeVersion.larderVersion, gitCommit: String? = nil) {
        self.larder = larder
        self.gitCommit = gitCommit
    }

    /// The version of this Larder build (``LarderVersion/string``).
    public static let larderVersion = LarderVersion.string

    /// This build's version, with the git commit from the `LARDER_GIT_COMMIT` environment
    /// variable when it is set (SwiftPM has no build-time defines; a release script sets it).
    public static var current: CodeVersion {
        let commit = ProcessInfo.processInfo.environment["LARDER_GIT_COMMIT"].flatMap { $0.isEmpty ? nil : $0 }
        return CodeVersion(gitCommit: commit)
    }
}

/// One artifact file of a model version, as the manifest lists it.
public struct ArtifactEntry: Sendable, Hashable, Codable {
    /// The file name inside the version directory.
    public var file: String
    /// Its size in bytes.
    public var bytes: Int
    /// CRC-32 (IEEE 802.3, the zlib / `python -c "zlib.crc32"` one) of its bytes, 8 hex digits.
    public var crc32: String

    /// An entry as the manifest lists it.
    public init(file: String, bytes: Int, crc32: String) {
        self.file = file
        self.bytes = bytes
        self.crc32 = crc32
    }
}

/// The `manifest.json` of a model version: written once at registration, never changed.
///
/// The version's stage and stage history live in the model's `stages.json` (one file, so a
/// promotion and the demotion it causes are one atomic write); ``ModelVersion`` joins both.
/// The format is specified in `docs/model-registry.md`.
public struct ModelManifest: Sendable, Hashable, Codable {
    /// The manifest format this build writes; readers refuse higher ones.
    public static let currentFormat = 1

    /// The manifest's format version.
    public var format: Int
    /// The model name.
    public var name: String
    /// 1, 2, …, assigned by the registry.
    public var version: Int
    /// The model kind (`popularity`, `itemknn`, `als`, …): how to load the artifacts.
    public var kind: String
    /// Training parameters.
    public var parameters: [String: ParameterValue]
    /// Evaluation metrics (`ndcg@10` → 0.31). Non-finite values are stored as the strings
    /// `NaN`, `Infinity`, `-Infinity`.
    public var metrics: [String: Double]
    /// Where the training set came from, if recorded.
    public var lineage: TrainingLineage?
    /// The code that trained the model.
    public var code: CodeVersion
    /// When the version was registered (µs since the epoch, UTC).
    public var createdAt: Int64
    /// The artifact files, by name.
    public var artifacts: [ArtifactEntry]

    /// A manifest; ``ModelRegistry/register(name:kind:parameters:metrics:lineage:artifacts:code:)`` builds it.
    public init(format: Int = ModelManifest.currentFormat, name: String, version: Int, kind: String,
                parameters: [String: ParameterValue], metrics: [String: Double], lineage: TrainingLineage?,
                code: CodeVersion, createdAt: Int64, artifacts: [ArtifactEntry]) {
        self.format = format
        self.name = name
        self.version = version
        self.kind = kind
        self.parameters = parameters
        self.metrics = metrics
        self.lineage = lineage
        self.code = code
        self.createdAt = createdAt
        self.artifacts = artifacts
    }

    private enum CodingKeys: String, CodingKey {
        case format, name, version, kind, parameters, metrics, lineage, code, createdAt, artifacts
    }

    /// Decodes a manifest, refusing a newer format before reading any other field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(Int.self, forKey: .format)
        // A newer format may change any other field: check before reading them.
        guard format <= Self.currentFormat else { throw ManifestFormatTooNew(found: format) }
        name = try c.decode(String.self, forKey: .name)
        version = try c.decode(Int.self, forKey: .version)
        kind = try c.decode(String.self, forKey: .kind)
        parameters = try c.decode([String: ParameterValue].self, forKey: .parameters)
        metrics = try c.decode([String: Double].self, forKey: .metrics)
        lineage = try c.decodeIfPresent(TrainingLineage.self, forKey: .lineage)
        code = try c.decode(CodeVersion.self, forKey: .code)
        createdAt = try ISOTime.decode(c, .createdAt)
        artifacts = try c.decode([ArtifactEntry].self, forKey: .artifacts)
    }

    /// Encodes the manifest (`createdAt` as ISO 8601 text).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(kind, forKey: .kind)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(metrics, forKey: .metrics)
        try c.encodeIfPresent(lineage, forKey: .lineage)
        try c.encode(code, forKey: .code)
        try c.encode(Timestamp.iso8601(micros: createdAt), forKey: .createdAt)
        try c.encode(artifacts, forKey: .artifacts)
    }
}

/// Thrown while decoding a manifest or stages file of a newer format (turned into
/// ``ModelRegistryError/Code/unsupportedFormat`` naming the file).
struct ManifestFormatTooNew: Error {
    var found: Int
}

/// The registry's JSON coders: sorted keys, pretty, non-finite numbers as strings.
enum RegistryJSON {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }

    /// Decodes `T` from the file at `path`, turning failures into typed registry errors.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String, what: String,
                                     model: String?, version: Int?) throws -> T {
        do {
            return try decoder().decode(T.self, from: data)
        } catch let e as ManifestFormatTooNew {
            throw ModelRegistryError(.unsupportedFormat, "the \(what) has format \(e.found); this Larder reads format \(ModelManifest.currentFormat) or older — upgrade Larder", model: model, version: version, path: path)
        } catch {
            throw ModelRegistryError(.corrupt, "the \(what) does not decode", model: model, version: version, path: path, underlying: error)
        }
    }
}
