import Foundation
import Hummingbird
import HummingbirdTesting
import Larder
import LarderColumnar
import LarderRecommender
import LarderTestSupport
import Logging
import Testing
@testable import LarderServer

/// The tiny generated marketplace (200 users, 100 classes, 5k interactions), generated once,
/// with a popularity, an item-kNN, an ALS and a per-region popularity model fitted once on it (artifacts and lineage
/// kept in memory). Every test gets its own database from the same files (``RecommendTestWorld``).
final class RecommendMarket: Sendable {
    let directory: TemporaryDirectory
    let generated: String
    let artifacts: [ModelKind: Data]
    let lineage: TrainingLineage?

    private static let shared = Result { try RecommendMarket() }

    static func get() throws -> RecommendMarket { try shared.get() }

    private init() throws {
        directory = try TemporaryDirectory(prefix: "larder-recommend")
        generated = directory.file("gen")
        try MarketplaceGenerator(scale: .tiny, seed: 7).write(to: generated)
        let db = try RecommendTestWorld.database(at: directory.file("train"), generated: generated)
        let data = try TrainingData.load(from: db)
        var artifacts: [ModelKind: Data] = [:]
        for spec in [ModelSpec.defaults(.popularity), .defaults(.itemKNN), .als(ALSParameters(factors: 16, iterations: 8)),
                     .segmented(SegmentParameters(feature: "user_stats:region", inner: .popularity(.init()), minimumPositives: 20))] {
            artifacts[spec.kind] = try spec.fit(data).encode()
        }
        self.artifacts = artifacts
        lineage = data.lineage
    }
}

/// A fresh database holding the tiny marketplace (interactions, user_stats, item_stats;
/// user_stats materialized) and a registry where tests register and promote versions of
/// model `ranker`.
struct RecommendTestWorld {
    let market: RecommendMarket
    let dir: TemporaryDirectory
    let db: FeatureDatabase
    let registry: ModelRegistry

    /// Registers `production` as version 1 (in production) and each of `staging` as the
    /// next versions (in staging); nil `production` registers nothing.
    init(production: ModelKind? = .als, staging: [ModelKind] = []) throws {
        market = try RecommendMarket.get()
        dir = try TemporaryDirectory(prefix: "larder-recommend-db")
        db = try Self.database(at: dir.file("db"), generated: market.generated)
        try db.materialize(MaterializeOptions(mode: .full, views: ["user_stats"]))
        registry = ModelRegistry(database: db)
        if let production {
            let v = try register(production)
            try registry.transition("ranker", version: v, to: .production)
        }
        for kind in staging {
            try registry.transition("ranker", version: try register(kind), to: .staging)
        }
    }

    /// Registers a fitted `kind` as the next version of `name`; returns the version.
    @discardableResult
    func register(_ kind: ModelKind, name: String = "ranker") throws -> Int {
        let artifact = try #require(market.artifacts[kind])
        return try registry.register(name: name, kind: kind.rawValue, lineage: market.lineage, artifacts: ["model.bin": artifact]).version
    }

    static func database(at path: String, generated: String) throws -> FeatureDatabase {
        let db = try FeatureDatabase.create(at: path)
        try db.apply(try Definitions.load(path: generated + "/definitions.yaml"))
        for view in ["interactions", "user_stats", "item_stats"] {
            try db.ingest(files: [generated + "/\(view).parquet"], into: view)
        }
        return db
    }

    func server(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> FeatureServer {
        var configuration = ServerConfiguration(port: 0)
        configuration.recommend.model = "ranker"
        configuration.recommend.seed = 11
        configure(&configuration)
        var logger = Logger(label: "larder.server.test")
        logger.logLevel = .critical
        return FeatureServer(database: db, configuration: configuration, logger: logger)
    }

    /// The model `kind` as fitted, decoded from its artifact.
    func model(_ kind: ModelKind) throws -> any RecommenderModel {
        try ModelArtifact.decode(try #require(market.artifacts[kind]))
    }

    /// Ingests a fresh `user_stats` row for `user` (a minute old, every other feature null)
    /// and applies it online.
    func pushUserStats(user: Int64, region: String) throws {
        let schema = try db.featureView("user_stats").tableSchema(keys: ["user_id"])
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        try db.ingest([try RecordBatch(schema: schema, columns: schema.fields.map { field -> Column in
            switch field.name {
            case "user_id": return .int64([user])
            case "event_ts": return .timestamp([now - 60_000_000])
            case "region": return .string([region])
            default:
                var nulls = ColumnBuilder(type: field.type, capacity: 1)
                nulls.appendNull()
                return nulls.finish()
            }
        })], into: "user_stats")
        try db.materialize(MaterializeOptions(mode: .incremental, views: ["user_stats"]))
    }

    /// Every (user → items) pair the interactions view labels a booking, read the plain way.
    func bookings() throws -> [Int64: Set<Int64>] {
        let batch = try db.snapshot(of: "interactions").read(columns: ["user_id", "item_id", "label"])
        var out: [Int64: Set<Int64>] = [:]
        for r in 0 ..< batch.rowCount {
            guard case .int64(let user) = batch.columns[0][r], case .int64(let item) = batch.columns[1][r],
                  case .int64(let label) = batch.columns[2][r], label > 0 else { continue }
            out[user, default: []].insert(item)
        }
        return out
    }

    /// The feedback view's rows, read back through the database.
    func feedbackRows(view: String = "recommendation_feedback") throws -> RecordBatch {
        try db.snapshot(of: view).read()
    }
}

/// A `/recommend` answer's fields.
extension TestAnswer {
    var items: [Int64] { ((json?["items"] as? [[String: Any]]) ?? []).compactMap { ($0["item_id"] as? NSNumber)?.int64Value } }
    var scores: [Double] { ((json?["items"] as? [[String: Any]]) ?? []).compactMap { ($0["score"] as? NSNumber)?.doubleValue } }
    var requestID: String? { json?["request_id"] as? String }
    var arm: String? { json?["arm"] as? String }
    var fallback: Bool? { json?["fallback"] as? Bool }
    /// `GET /recommend/arms`: per arm name, its statistics.
    var armStatistics: [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for arm in (json?["arms"] as? [[String: Any]]) ?? [] {
            if let name = arm["arm"] as? String { out[name] = arm }
        }
        return out
    }
}
