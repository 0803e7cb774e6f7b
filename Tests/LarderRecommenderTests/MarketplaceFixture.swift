import Foundation
import Larder
import LarderRecommender
import LarderTestSupport

/// The tiny generated marketplace ingested into a fresh database, built once and shared by the
/// tests (the directory lives as long as the process).
final class MarketplaceFixture: Sendable {
    let directory: TemporaryDirectory
    let db: FeatureDatabase
    let data: TrainingData

    private static let tinyResult = Result { try MarketplaceFixture(scale: .tiny, seed: 7) }

    /// 200 users, 100 items, 5k interactions.
    static func tiny() throws -> MarketplaceFixture { try tinyResult.get() }

    private init(scale: MarketplaceGenerator.Scale, seed: UInt64) throws {
        directory = try TemporaryDirectory(prefix: "recommender-\(scale.rawValue)")
        let generated = directory.file("gen")
        try MarketplaceGenerator(scale: scale, seed: seed).write(to: generated)
        db = try FeatureDatabase.create(at: directory.file("db"))
        try db.apply(try Definitions.load(path: generated + "/definitions.yaml"))
        for view in ["interactions", "user_stats", "item_stats"] {
            try db.ingest(files: [generated + "/\(view).parquet"], into: view)
        }
        data = try TrainingData.load(from: db)
    }
}
