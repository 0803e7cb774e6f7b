#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension ModelRegistry {
    /// Registers a new version of model `name` and returns it (stage ``ModelStage/none``).
    ///
    /// Versions are numbered 1, 2, … per model. The version appears whole or not at all: its
    /// files are written into a temporary directory, fsynced, and the directory renamed to the
    /// version number, all while holding the model's lock, so concurrent registrations from
    /// threads or processes get distinct numbers. A temporary directory left by a crashed
    /// registration is removed by the next one.
    ///
    /// - Parameters:
    ///   - name: The model name: 1 to 128 ASCII letters, digits, `.`, `_`, `-`.
    ///   - kind: How to load the artifacts (`als`, `itemknn`, …); not empty.
    ///   - parameters: Training parameters; numbers must be finite.
    ///   - metrics: Evaluation metrics; names not empty. NaN and infinities are kept.
    ///   - lineage: Where the training set came from (see ``TrainingLineage``).
    ///   - artifacts: File name → bytes; names as model names, not `manifest.json`.
    ///   - code: The code version; default: this Larder build (``CodeVersion/current``).
    /// - Throws: ``ModelRegistryError/Code/invalidInput`` naming the bad name, parameter or
    ///   metric (checked before anything is written); `.io` when the files cannot be written
    ///   (nothing is left visible).
    @discardableResult
    public func register(name: String, kind: String, parameters: [String: ParameterValue] = [:],
                         metrics: [String: Double] = [:], lineage: TrainingLineage? = nil,
                         artifacts: [String: Data], code: CodeVersion = .current) throws -> ModelVersion {
        try Self.validate(name: name, what: "model name")
        guard !kind.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ModelRegistryError(.invalidInput, "model '\(name)': the kind is empty (e.g. als, itemknn, popularity)", model: name)
        }
        for file in artifacts.keys {
            try Self.validate(name: file, what: "artifact name")
            guard file != Self.manifestName else {
                throw ModelRegistryError(.invalidInput, "model '\(name)': an artifact cannot be called \(Self.manifestName)", model: name)
            }
        }
        for key in parameters.keys.sorted() {
            if let path = parameters[key]?.firstNonFinite(at: key) {
                throw ModelRegistryError(.invalidInput, "model '\(name)': parameter '\(path)' is not a finite number", model: name)
            }
        }
        if metrics.keys.contains(where: { $0.isEmpty }) {
            throw ModelRegistryError(.invalidInput, "model '\(name)': a metric has an empty name", model: name)
        }
        let sortedArtifacts = artifacts.sorted { $0.key < $1.key }
        let entries = sortedArtifacts.map { ArtifactEntry(file: $0.key, bytes: $0.value.count, crc32: CRC32.hex($0.value)) }

        let modelDir = modelDirectory(name)
        let created = !FileManager.default.fileExists(atPath: modelDir)
        try RegistryFiles.makeDirectory(modelDir, model: name)
        if created { try RegistryFiles.syncDirectory(directory, model: name) }
        return try RegistryFiles.withLock(modelDir + "/" + Self.lockName, model: name) {
            try removeLeftovers(name)
            let existing = try RegistryFiles.names(in: modelDir).compactMap(Self.versionNumber)
            let version = (existing.max() ?? 0) + 1
            let manifest = ModelManifest(name: name, version: version, kind: kind, parameters: parameters, metrics: metrics,
                                         lineage: lineage, code: code, createdAt: clock(), artifacts: entries)
            let manifestData: Data
            do {
                manifestData = try RegistryJSON.encoder().encode(manifest)
            } catch {
                throw ModelRegistryError(.invalidInput, "model '\(name)': the manifest does not encode", model: name, underlying: error)
            }
            let temporary = modelDir + "/" + Self.temporaryPrefix + "\(getpid())-" + UUID().uuidString
            let final = versionDirectory(name, version)
            do {
                try RegistryFiles.makeDirectory(temporary, model: name)
                for (file, data) in sortedArtifacts {
                    try RegistryFiles.writeNewFile(data, to: temporary + "/" + file, model: name)
                }
                try checkpoint(.afterArtifacts)
                try RegistryFiles.writeNewFile(manifestData, to: temporary + "/" + Self.manifestName, model: name)
                try checkpoint(.afterManifest)
                try RegistryFiles.syncDirectory(temporary, model: name)
                guard !FileManager.default.fileExists(atPath: final) else {
                    throw ModelRegistryError(.io, "version directory \(version) already exists", model: name, version: version, path: final)
                }
                try RegistryFiles.rename(temporary, to: final, model: name)
            } catch {
                if !(error is RegistrySimulatedCrash) { try? FileManager.default.removeItem(atPath: temporary) }
                throw error
            }
            try checkpoint(.afterRename)
            try RegistryFiles.syncDirectory(modelDir, model: name)
            return ModelVersion(manifest: manifest, stage: .none, history: [], directory: final)
        }
    }

    /// Removes what crashed registrations left in the model's directory: temporary version
    /// directories and temporary stages files. Called holding the model's lock, so none of
    /// them belongs to a write in progress.
    func removeLeftovers(_ name: String) throws {
        let modelDir = modelDirectory(name)
        for entry in try RegistryFiles.names(in: modelDir) where entry.hasPrefix(Self.temporaryPrefix) {
            do {
                try FileManager.default.removeItem(atPath: modelDir + "/" + entry)
            } catch {
                throw ModelRegistryError(.io, "cannot remove the leftover of an unfinished write", model: name, path: modelDir + "/" + entry, underlying: error)
            }
        }
    }
}
