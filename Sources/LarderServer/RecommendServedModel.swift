import Foundation
import Larder
import LarderColumnar
import LarderRecommender
import Logging
import Synchronization

/// One registered version, loaded for serving: the fitted model and how to read its user's
/// online features.
struct LoadedVersion: Sendable {
    /// The version as the registry last described it (its stage follows promotions).
    var version: ModelVersion
    let model: any RecommenderModel
    /// Reads the user features the model was trained with (those in online views, plus a
    /// segmented model's segment feature); nil when there are none or the views were never
    /// materialized.
    let features: OnlineFeatureReader?
    /// The key column of `features` (the user id).
    let userKey: Field?
    /// A segmented model's segment feature, as `view__feature`.
    let segmentFeature: String?

    /// Reads version `v`'s artifact and opens its feature reader.
    /// - Throws: 503 `model_unavailable` naming the version when its artifact cannot be read.
    static func load(_ v: ModelVersion, registry: ModelRegistry, database: FeatureDatabase, artifactFile: String,
                     logger: Logger) throws -> LoadedVersion {
        let files = v.manifest.artifacts.map(\.file)
        guard let file = files.contains(artifactFile) ? artifactFile : (files.count == 1 ? files[0] : nil) else {
            throw ServerError(.serviceUnavailable, "model_unavailable",
                              "\(v.reference) has no artifact '\(artifactFile)' (artifacts: \(files.isEmpty ? "none" : files.joined(separator: ", "))); register the model with `larder recommend train`")
        }
        let model: any RecommenderModel
        do {
            model = try ModelArtifact.decode(try registry.artifact(v.name, version: v.version, file: file))
        } catch {
            throw ServerError(.serviceUnavailable, "model_unavailable", "\(v.reference) cannot be served: its artifact '\(file)' does not load: \(error)")
        }
        var references = v.lineage?.userFeatures ?? []
        var segmentFeature: String?
        if let segmented = model as? SegmentedModel {
            references.append(segmented.parameters.feature)
            segmentFeature = FeatureTable.outputName(segmented.parameters.feature)
        }
        let catalog = try database.catalog()
        var seen = Set<String>()
        let online = references.compactMap { FeatureReference($0) }.filter { reference in
            catalog.featureView(named: reference.view)?.online == true && seen.insert(reference.description).inserted
        }
        var reader: OnlineFeatureReader?, userKey: Field?
        if !online.isEmpty {
            do {
                let opened = try database.onlineReader(features: .references(online))
                let keys = opened.keyColumns
                if keys.count == 1, [.int64, .int32, .string].contains(keys[0].type) {
                    reader = opened
                    userKey = Field(keys[0].name, keys[0].type, nullable: false)
                } else {
                    logger.notice("recommend: the user features are not keyed by one id column; serving without them",
                                  metadata: ["model": "\(v.reference)", "keys": "\(keys.map(\.name))"])
                }
            } catch {
                logger.notice("recommend: the user features cannot be read online; serving without them (materialize their views)",
                              metadata: ["model": "\(v.reference)", "features": "\(online.map(\.description))", "error": "\(error)"])
            }
        }
        return LoadedVersion(version: v, model: model, features: reader, userKey: userKey, segmentFeature: segmentFeature)
    }

    /// Where the booked items of this model's users come from: its interactions view.
    var bookingSource: BookedItems.Source? {
        guard let lineage = version.lineage else { return nil }
        return BookedItems.Source(view: lineage.interactionsView, userColumn: lineage.userColumn, itemColumn: lineage.itemColumn,
                                  labelColumn: lineage.labelColumn)
    }

    /// The user's online features, nil without a reader. A read that fails (a damaged or
    /// dropped store) is logged and answered without features: recommendations do not need them.
    func onlineFeatures(of user: Int64, logger: Logger) -> OnlineFeatureResult? {
        guard let features, let userKey else { return nil }
        let column: Column = switch userKey.type {
        case .int32: .int32([Int32(truncatingIfNeeded: user)])
        case .string: .string([String(user)])
        default: .int64([user])
        }
        do {
            let batch = try RecordBatch(schema: try Schema([userKey]), columns: [column])
            return try features.read(entities: batch)
        } catch {
            logger.warning("recommend: online feature read failed", metadata: ["model": "\(version.reference)", "error": "\(error)"])
            return nil
        }
    }
}

/// A registry model as the server serves it: a bandit over its serving arms (the production
/// version first, then the challengers in staging) and each arm's loaded version.
///
/// The router's state is saved to `<db>/models/<name>/bandit.json` (``ModelRegistry/banditSnapshotPath(_:)``)
/// when it changed, on every flush, and restored from there when the model is loaded again
/// (another run of the server), so a restart keeps what the bandit learned.
final class ServedModel: Sendable {
    let name: String
    let router: BanditRouter
    let snapshotPath: String

    private struct State {
        /// The registry's stages revision the arms were built from.
        var revision: Int
        var versions: [Int: LoadedVersion]
        /// The production version.
        var production: Int
        /// Whether the router changed since its snapshot was saved.
        var dirty = false
    }

    private let state: Mutex<State>

    private init(name: String, router: BanditRouter, snapshotPath: String, revision: Int, versions: [Int: LoadedVersion], production: Int) {
        self.name = name
        self.router = router
        self.snapshotPath = snapshotPath
        state = Mutex(State(revision: revision, versions: versions, production: production))
    }

    /// Loads `name`'s serving versions and its bandit (from its snapshot when there is one).
    /// - Throws: ``ModelRegistryError`` (`unknownModel`, `noProductionVersion`, …); 503
    ///   `model_unavailable` when the production version does not load.
    static func load(_ name: String, registry: ModelRegistry, database: FeatureDatabase, configuration: RecommendConfiguration,
                     logger: Logger) throws -> ServedModel {
        let revision = try registry.stagesRevision(name)
        let (versions, production) = try loadArms(name, registry: registry, database: database, reuse: [:],
                                                  configuration: configuration, logger: logger)
        let path = try registry.banditSnapshotPath(name)
        let bandit = try BanditConfiguration(policy: configuration.policy, rewards: configuration.rewards)
        var router: BanditRouter?
        if FileManager.default.fileExists(atPath: path) {
            do {
                var snapshot = try BanditSnapshot.read(from: path)
                if snapshot.configuration.policy != bandit.policy || snapshot.configuration.rewards != bandit.rewards {
                    logger.notice("recommend: the bandit's settings changed; keeping what its arms learned",
                                  metadata: ["model": "\(name)", "snapshot": "\(path)"])
                    snapshot.configuration.policy = bandit.policy
                    snapshot.configuration.rewards = bandit.rewards
                }
                router = try BanditRouter(snapshot: snapshot)
            } catch {
                logger.error("recommend: the bandit snapshot does not load; starting from the prior (it is replaced at the next save)",
                             metadata: ["model": "\(name)", "snapshot": "\(path)", "error": "\(error)"])
            }
        }
        let chosen = try router ?? BanditRouter(configuration: bandit, seed: configuration.seed)
        try chosen.setArms(Self.arms(name, versions: versions, production: production))
        return ServedModel(name: name, router: chosen, snapshotPath: path, revision: revision, versions: versions, production: production)
    }

    /// The arms in router order: production first, then the challengers, oldest first.
    private static func arms(_ name: String, versions: [Int: LoadedVersion], production: Int) -> [BanditArm] {
        [BanditArm(model: name, version: production)]
            + versions.keys.filter { $0 != production }.sorted().map { BanditArm(model: name, version: $0) }
    }

    /// Loads the serving arms of `name`, reusing versions loaded already. A challenger that does
    /// not load is left out (logged); the production version must load.
    private static func loadArms(_ name: String, registry: ModelRegistry, database: FeatureDatabase, reuse: [Int: LoadedVersion],
                                 configuration: RecommendConfiguration, logger: Logger) throws -> ([Int: LoadedVersion], Int) {
        let arms = try registry.servingArms(name)
        var versions: [Int: LoadedVersion] = [:]
        for (i, arm) in arms.enumerated() {
            guard let number = arm.version else { continue }
            do {
                let current = try registry.version(name, number)
                if var loaded = reuse[number] {
                    loaded.version = current
                    versions[number] = loaded
                } else {
                    versions[number] = try LoadedVersion.load(current, registry: registry, database: database,
                                                              artifactFile: configuration.artifactFile, logger: logger)
                }
            } catch let error where i > 0 {
                logger.error("recommend: a challenger does not load; routing without it", metadata: ["arm": "\(arm)", "error": "\(error)"])
            }
        }
        guard let production = arms.first?.version else {
            throw ModelRegistryError(.noProductionVersion, "model '\(name)' has no version in production", model: name)
        }
        return (versions, production)
    }

    /// The loaded versions, by number.
    var versions: [Int: LoadedVersion] { state.withLock { $0.versions } }

    /// The production version.
    var production: LoadedVersion? { state.withLock { $0.versions[$0.production] } }

    /// The loaded version `number`, if it is an arm.
    func version(_ number: Int) -> LoadedVersion? { state.withLock { $0.versions[number] } }

    /// Picks the arm for one request.
    /// - Throws: ``BanditError`` `noArms`; 503 when no version is loaded (cannot happen while
    ///   the production version is).
    func choose() throws -> LoadedVersion {
        let arm = try router.choose()
        let chosen = state.withLock { s in
            s.dirty = true
            // A refresh may have retired the arm between the choice and now: production serves.
            return arm.version.flatMap { s.versions[$0] } ?? s.versions[s.production]
        }
        guard let chosen else {
            throw ServerError(.serviceUnavailable, "model_unavailable", "model '\(name)' has no loaded version to serve")
        }
        return chosen
    }

    /// Notes that feedback changed the router.
    func markChanged() { state.withLock { $0.dirty = true } }

    /// Follows the registry: when `name`'s stages changed, loads the new serving versions and
    /// sets the router's arms (keeping what it learned about arms that stay).
    /// - Returns: Whether anything changed.
    /// - Throws: The registry's errors (e.g. `noProductionVersion`: the caller stops serving the model).
    @discardableResult
    func reload(registry: ModelRegistry, database: FeatureDatabase, configuration: RecommendConfiguration, logger: Logger) throws -> Bool {
        let revision = try registry.stagesRevision(name)
        let (current, loaded) = state.withLock { ($0.revision, $0.versions) }
        guard revision != current else { return false }
        let (versions, production) = try Self.loadArms(name, registry: registry, database: database, reuse: loaded,
                                                       configuration: configuration, logger: logger)
        let (added, removed) = try router.setArms(Self.arms(name, versions: versions, production: production))
        state.withLock { s in
            s.revision = revision
            s.versions = versions
            s.production = production
            s.dirty = true
        }
        logger.info("recommend: arms follow the registry", metadata: [
            "model": "\(name)", "production": "\(production)", "added": "\(added)", "removed": "\(removed)",
        ])
        return true
    }

    /// Refreshes the loaded versions' feature readers (new online state).
    func refreshReaders(logger: Logger) {
        for loaded in versions.values {
            do { _ = try loaded.features?.refresh() } catch {
                logger.notice("recommend: a feature reader cannot refresh", metadata: ["model": "\(loaded.version.reference)", "error": "\(error)"])
            }
        }
    }

    /// Saves the router's snapshot when it changed since the last save.
    /// - Returns: Whether it wrote one.
    @discardableResult
    func saveSnapshot() throws -> Bool {
        let changed = state.withLock { s in
            defer { s.dirty = false }
            return s.dirty
        }
        guard changed else { return false }
        do {
            try router.snapshot().write(to: snapshotPath)
        } catch {
            markChanged()
            throw error
        }
        return true
    }
}
