import Foundation
import Larder
import LarderColumnar
import LarderRecommender

/// What the service answers for one user: the online features it read and the production
/// model's top items.
struct ServiceAnswer: Sendable {
    var user: Int64
    var model: String
    var version: Int
    /// `view__feature` → value, status and event time, in request order.
    var features: [(name: String, value: Value, status: OnlineFeatureStatus, eventTime: Int64?)]
    var recommendations: Recommendations
}

/// A recommendation service embedding Larder: one open database, one online reader that keeps
/// the feature stores mapped, and the registry's production model, reloaded when a new
/// version is promoted.
///
/// ```swift
/// let service = try RecommendationService(database: "features.larder", model: "marketplace_recommender",
///                                         features: ["user_stats:visits_7d", "user_stats:region"])
/// let answer = try service.answer(user: 42, k: 10)
/// ```
final class RecommendationService {
    let database: FeatureDatabase
    let registry: ModelRegistry
    let modelName: String
    private let reader: OnlineFeatureReader
    private var model: any RecommenderModel
    private var version: Int
    private var revision: Int

    /// Opens the database at `path`, the online stores of `features` (`view:feature`) and the
    /// production version of `model`.
    /// - Throws: `DatabaseError` for a missing database, an unknown feature or a view never
    ///   materialized; `ModelRegistryError` when `model` has no production version.
    init(database path: String, model: String, features: [String]) throws {
        database = try FeatureDatabase.open(at: path)
        registry = ModelRegistry(database: database)
        modelName = model
        var references: [FeatureReference] = []
        for text in features {
            guard let reference = FeatureReference(text) else {
                throw ServiceError("bad feature reference '\(text)' (expected view:feature)")
            }
            references.append(reference)
        }
        reader = try database.onlineReader(features: .references(references))
        let production = try registry.production(model)
        version = production.version
        self.model = try ModelArtifact.decode(try registry.artifact(model, version: production.version, file: "model.bin"))
        revision = try registry.stagesRevision(model)
    }

    /// The user's online features (read now, so the views' ttl applies) and the top `k`
    /// items of the production model.
    func answer(user: Int64, k: Int) throws -> ServiceAnswer {
        let result = try reader.read(entities: [["user_id": .int64(user)]])
        let features = result.features.map { f in (f.name, f.values[0], f.statuses[0], f.eventTimestamps[0]) }
        return ServiceAnswer(user: user, model: modelName, version: version, features: features,
                             recommendations: model.recommend(user: user, k: k))
    }

    /// Picks up new online state and, when the model's stages changed (a promotion), the new
    /// production version. A long-running service calls this every few seconds.
    func refresh() throws {
        try reader.refresh()
        let now = try registry.stagesRevision(modelName)
        guard now != revision else { return }
        let production = try registry.production(modelName)
        if production.version != version {
            model = try ModelArtifact.decode(try registry.artifact(modelName, version: production.version, file: "model.bin"))
            version = production.version
        }
        revision = now
    }
}

/// A bad request or setting, said in one line.
struct ServiceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
