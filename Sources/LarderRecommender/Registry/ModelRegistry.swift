import Foundation
import Larder

/// The model registry: versioned models with their artifacts, manifests and stages, stored in
/// the feature database's directory (`<db>/models/`), so a database carries the models
/// trained on it.
///
/// ```
/// <db>/models/<name>/.lock              writers of this model flock it
/// <db>/models/<name>/stages.json        every version's stage and the transition log
/// <db>/models/<name>/<version>/         1, 2, …: one directory per registered version
///     manifest.json                     kind, parameters, metrics, lineage, code, artifacts
///     <artifact files>                  opaque bytes, named by the caller (e.g. model.bin)
/// ```
///
/// Registration is atomic: the version is written into a temporary directory, fsynced and
/// renamed to its number, so readers never see half a version and a crash leaves none (the
/// next registration of that model removes the leftover). Writers of one model hold an
/// exclusive `flock` on its `.lock`, so registrations and transitions from threads or
/// processes never get the same version number or lose an update. Readers take no lock.
/// The formats are specified in `docs/model-registry.md`.
///
/// ```swift
/// let registry = ModelRegistry(database: db)
/// let v = try registry.register(name: "ranker", kind: "als", parameters: ["factors": 64],
///                               metrics: ["ndcg@10": 0.31], lineage: lineage,
///                               artifacts: ["model.bin": bytes])
/// try registry.transition("ranker", version: v.version, to: .production, reason: "beats v1")
/// let serving = try registry.production("ranker")
/// let weights = try registry.artifact("ranker", version: serving.version, file: "model.bin")
/// ```
public final class ModelRegistry: Sendable {
    /// The registry directory (`<db>/models`).
    public let directory: String
    /// The current time in µs (injected by tests).
    let clock: @Sendable () -> Int64
    /// Called between the steps of a write; tests use it to fail or crash there.
    let checkpoint: @Sendable (RegistryStep) throws -> Void

    /// The registry of the feature database `database` (`<db>/models`).
    public convenience init(database: FeatureDatabase) {
        self.init(directory: database.path + "/models")
    }

    /// A registry in `directory` (created on the first registration).
    public convenience init(directory: String) {
        self.init(directory: directory, clock: { ISOTime.now() }, checkpoint: { _ in })
    }

    init(directory: String, clock: @escaping @Sendable () -> Int64, checkpoint: @escaping @Sendable (RegistryStep) throws -> Void) {
        self.directory = directory
        self.clock = clock
        self.checkpoint = checkpoint
    }

    /// The JSON encoder of the registry's files: pretty, sorted keys, non-finite numbers as
    /// the strings `NaN`, `Infinity` and `-Infinity`. Use it to print a ``ModelVersion``.
    public static func jsonEncoder() -> JSONEncoder { RegistryJSON.encoder() }

    static let manifestName = "manifest.json"
    static let lockName = ".lock"
    static let temporaryPrefix = ".tmp-"

    func modelDirectory(_ name: String) -> String { directory + "/" + name }
    func versionDirectory(_ name: String, _ version: Int) -> String { modelDirectory(name) + "/\(version)" }

    // MARK: Reading

    /// Every model with at least one complete version, by name.
    public func models() throws -> [RegisteredModel] {
        try RegistryFiles.names(in: directory).sorted().compactMap { name in
            guard Self.isValidName(name) else { return nil }
            let versions = try completeVersions(name)
            guard !versions.isEmpty else { return nil }
            let stages = try readStages(name)
            return RegisteredModel(name: name, versions: versions,
                                   stages: Dictionary(uniqueKeysWithValues: versions.map { ($0, stages.stage(of: $0)) }))
        }
    }

    /// The model called `name`: its versions and their stages.
    /// - Throws: ``ModelRegistryError/Code/unknownModel``.
    public func model(_ name: String) throws -> RegisteredModel {
        let versions = try knownVersions(name)
        let stages = try readStages(name)
        return RegisteredModel(name: name, versions: versions,
                               stages: Dictionary(uniqueKeysWithValues: versions.map { ($0, stages.stage(of: $0)) }))
    }

    /// Every version of `name`, oldest first.
    /// - Throws: ``ModelRegistryError/Code/unknownModel``; `.corrupt` or `.unsupportedFormat`
    ///   for a manifest that cannot be read.
    public func versions(_ name: String) throws -> [ModelVersion] {
        let numbers = try knownVersions(name)
        let stages = try readStages(name)
        return try numbers.map { try load(name, $0, stages: stages) }
    }

    /// The versions of `name` in `stage`, oldest first (e.g. the challengers in staging).
    public func versions(_ name: String, in stage: ModelStage) throws -> [ModelVersion] {
        let numbers = try knownVersions(name)
        let stages = try readStages(name)
        return try numbers.filter { stages.stage(of: $0) == stage }.map { try load(name, $0, stages: stages) }
    }

    /// Version `version` of `name`.
    /// - Throws: ``ModelRegistryError/Code/unknownModel`` or `.unknownVersion` naming the
    ///   model and version; `.corrupt` or `.unsupportedFormat` for an unreadable manifest.
    public func version(_ name: String, _ version: Int) throws -> ModelVersion {
        try requireVersion(name, version)
        return try load(name, version, stages: try readStages(name))
    }

    /// The newest version of `name`.
    public func latest(_ name: String) throws -> ModelVersion {
        let numbers = try knownVersions(name)
        guard let last = numbers.last else { throw unknownModel(name) }
        return try load(name, last, stages: try readStages(name))
    }

    /// The version of `name` in production.
    /// - Throws: ``ModelRegistryError/Code/unknownModel``, or `.noProductionVersion` when no
    ///   version is in production (promote one with ``transition(_:version:to:reason:actor:)``).
    public func production(_ name: String) throws -> ModelVersion {
        let numbers = try knownVersions(name)
        let stages = try readStages(name)
        guard let v = numbers.last(where: { stages.stage(of: $0) == .production }) else {
            throw ModelRegistryError(.noProductionVersion, "model '\(name)' has no version in production (versions: \(numbers.map(String.init).joined(separator: ", ")); promote one with `larder models promote \(name) VERSION --stage production`)", model: name)
        }
        return try load(name, v, stages: stages)
    }

    /// The stage transitions of every version of `name`, oldest first.
    public func history(_ name: String) throws -> [StageTransition] {
        _ = try knownVersions(name)
        return try readStages(name).history
    }

    /// A number that changes whenever a stage of `name` changes (0 before the first
    /// transition): a server polls it to reload after a promotion.
    public func stagesRevision(_ name: String) throws -> Int {
        _ = try knownVersions(name)
        return try readStages(name).revision
    }

    /// The path of artifact `file` of a version, for readers that map the file themselves.
    /// - Throws: `.unknownModel`, `.unknownVersion`, or `.unknownArtifact` naming the file and
    ///   the version's artifacts.
    public func artifactPath(_ name: String, version: Int, file: String) throws -> String {
        let v = try self.version(name, version)
        guard v.manifest.artifacts.contains(where: { $0.file == file }) else { throw unknownArtifact(v, file) }
        return v.path(of: file)
    }

    /// The bytes of artifact `file` of a version, checked against the size and CRC-32 the
    /// manifest recorded.
    /// - Throws: `.unknownModel`, `.unknownVersion`, `.unknownArtifact`; `.corrupt` when the
    ///   bytes on disk are not the registered ones.
    public func artifact(_ name: String, version: Int, file: String) throws -> Data {
        let v = try self.version(name, version)
        guard let entry = v.manifest.artifacts.first(where: { $0.file == file }) else { throw unknownArtifact(v, file) }
        let path = v.path(of: file)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw ModelRegistryError(.corrupt, "artifact '\(file)' of \(v.reference) is missing or unreadable", model: name, version: version, path: path, underlying: error)
        }
        guard data.count == entry.bytes, CRC32.hex(data) == entry.crc32 else {
            throw ModelRegistryError(.corrupt, "artifact '\(file)' of \(v.reference) has \(data.count) bytes with CRC-32 \(CRC32.hex(data)); the manifest recorded \(entry.bytes) bytes with \(entry.crc32)", model: name, version: version, path: path)
        }
        return data
    }

    // MARK: Internals shared by reads and writes

    /// Versions of `name` whose directory is complete (named by its number, holding a
    /// manifest), ascending. Temporary directories of unfinished registrations are skipped.
    func completeVersions(_ name: String) throws -> [Int] {
        try RegistryFiles.names(in: modelDirectory(name)).compactMap { entry -> Int? in
            guard let v = Self.versionNumber(entry),
                  FileManager.default.fileExists(atPath: modelDirectory(name) + "/" + entry + "/" + Self.manifestName) else { return nil }
            return v
        }.sorted()
    }

    /// `entry` as a version number if it is one (`1`, `2`, …, no sign or leading zero).
    static func versionNumber(_ entry: String) -> Int? {
        guard let first = entry.first, first != "0", entry.allSatisfy({ $0.isASCII && $0.isNumber }),
              let v = Int(entry), v > 0 else { return nil }
        return v
    }

    /// The complete versions of `name`; throws `.unknownModel` when there are none.
    func knownVersions(_ name: String) throws -> [Int] {
        try Self.validate(name: name, what: "model name")
        let versions = try completeVersions(name)
        guard !versions.isEmpty else { throw unknownModel(name) }
        return versions
    }

    func requireVersion(_ name: String, _ version: Int) throws {
        let versions = try knownVersions(name)
        guard versions.contains(version) else {
            throw ModelRegistryError(.unknownVersion, "model '\(name)' has no version \(version) (versions: \(versions.map(String.init).joined(separator: ", ")))", model: name, version: version)
        }
    }

    func unknownModel(_ name: String) -> ModelRegistryError {
        let known = ((try? models()) ?? []).map(\.name)
        return ModelRegistryError(.unknownModel, "no model '\(name)' in the registry" + (known.isEmpty ? " (it is empty)" : " (models: \(known.joined(separator: ", ")))"), model: name)
    }

    func unknownArtifact(_ v: ModelVersion, _ file: String) -> ModelRegistryError {
        ModelRegistryError(.unknownArtifact, "\(v.reference) has no artifact '\(file)' (artifacts: \(v.manifest.artifacts.map(\.file).joined(separator: ", ")))", model: v.name, version: v.version)
    }

    func load(_ name: String, _ version: Int, stages: ModelStages) throws -> ModelVersion {
        let dir = versionDirectory(name, version)
        let path = dir + "/" + Self.manifestName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelRegistryError(.corrupt, "the manifest of \(name)@\(version) is unreadable", model: name, version: version, path: path)
        }
        let manifest = try RegistryJSON.decode(ModelManifest.self, from: data, path: path, what: "manifest of \(name)@\(version)",
                                               model: name, version: version)
        guard manifest.name == name, manifest.version == version else {
            throw ModelRegistryError(.corrupt, "the manifest in \(name)/\(version) describes \(manifest.name)@\(manifest.version)", model: name, version: version, path: path)
        }
        return ModelVersion(manifest: manifest, stage: stages.stage(of: version),
                            history: stages.history.filter { $0.version == version }, directory: dir)
    }

    func readStages(_ name: String) throws -> ModelStages {
        let path = modelDirectory(name) + "/" + ModelStages.fileName
        guard let data = FileManager.default.contents(atPath: path) else { return ModelStages(name: name) }
        return try RegistryJSON.decode(ModelStages.self, from: data, path: path, what: "stages file of '\(name)'", model: name, version: nil)
    }

    /// Model and artifact names: 1 to 128 ASCII letters, digits, `.`, `_`, `-`, starting with
    /// a letter or digit (safe as a file name everywhere, never hidden).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 128,
              first.properties.isAlphabetic || ("0" ... "9").contains(first), first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0" ... "9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    static func validate(name: String, what: String) throws {
        guard isValidName(name) else {
            throw ModelRegistryError(.invalidInput, "invalid \(what) '\(name)': use 1 to 128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
    }
}
