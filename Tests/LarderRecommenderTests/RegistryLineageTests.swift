import Foundation
import Larder
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderRecommender

/// A registered model's lineage rebuilds its exact training set after the views have moved on.
@Suite struct RegistryLineageTests {
    /// Changes every value of `column` (a float64) and moves every created time one second
    /// later, so a latest-version join picks the new rows.
    static func revised(_ batch: RecordBatch, column: String) throws -> RecordBatch {
        let columns = try batch.schema.fields.enumerated().map { i, field -> Column in
            let c = batch.columns[i]
            if field.name == column, let v = c.float64Values { return .float64(v.map { $0 * 2 + 1 }, validity: c.validity) }
            if field.name == "created_ts", let v = c.int64Values {
                return try Column(type: .timestamp, storage: .int64(v.map { $0 + 1_000_000 }), validity: c.validity)
            }
            return c
        }
        return try RecordBatch(schema: batch.schema, columns: columns)
    }

    /// A table as text: ids, then each column in name order. Feature values hold NaN (missing
    /// numbers), which `==` never equates; printed, every NaN reads alike.
    static func canonical(_ table: FeatureTable) -> String {
        "\(table.ids) " + table.columns.keys.sorted().map { "\($0)=\(table.columns[$0].map { "\($0)" } ?? "")" }.joined(separator: "; ")
    }

    @Test func lineageRebuildsTheOriginalTrainingSetAfterAppends() throws {
        let dir = try TemporaryDirectory(prefix: "registry-lineage")
        let market = try MarketplaceGenerator(scale: .tiny, seed: 21).write(to: dir.file("gen"))
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.load(path: market.definitionsPath))
        for view in ["user_stats", "item_stats", "user_item", "interactions"] {
            try db.ingest(files: [market.directory + "/\(view).parquet"], into: view)
        }

        // Train-time: a training set from point-in-time joins, and a raw join of the ranker's
        // features over the interactions, both at the latest versions.
        let original = try TrainingData.load(from: db)
        let lineage = try #require(original.lineage)
        let spine = try db.snapshot(of: "interactions").read()
        let joined = try db.historicalFeatures(spine: spine, features: .service("ranker_v1"))
        let registry = ModelRegistry(database: db)
        try registry.register(name: "ranker", kind: "popularity", metrics: ["rows": Double(lineage.rows)],
                              lineage: lineage, artifacts: ["model.bin": Data("weights".utf8)])

        // The views move on: revised item prices (same event times, later created times, so
        // they win at the latest version) and more interactions.
        let items = try db.snapshot(of: "item_stats").read()
        try db.ingest([try Self.revised(items, column: "price")], into: "item_stats")
        let userItem = try db.snapshot(of: "user_item").read()
        try db.ingest([userItem.slice(0 ..< min(200, userItem.rowCount))], into: "user_item")
        try db.ingest([spine.slice(0 ..< 300)], into: "interactions")
        let moved = try TrainingData.load(from: db)
        #expect(moved.lineage?.fingerprint != lineage.fingerprint, "the appended data must change a latest-version training set")
        #expect(moved.log.count == original.log.count + 300)

        // The lineage as the registry stored it (JSON on disk, read back by a new registry).
        let stored = try #require(try ModelRegistry(database: FeatureDatabase.open(at: db.path)).version("ranker", 1).lineage)
        #expect(stored == lineage)
        #expect(stored.tables.map(\.view) == ["interactions", "user_stats", "item_stats"])
        #expect(stored.tables.allSatisfy { $0.version == 1 })
        #expect(stored.split.validationStart < stored.split.testStart)

        // Rebuild: every table pinned to the stored version gives exactly the original rows.
        let rebuilt = try TrainingData.load(from: db, options: TrainingDataOptions(reproducing: stored))
        #expect(rebuilt.lineage?.fingerprint == stored.fingerprint)
        #expect(rebuilt.log == original.log)
        #expect(Self.canonical(rebuilt.eventFeatures) == Self.canonical(original.eventFeatures))
        for (a, b) in [(rebuilt.validationFeatures, original.validationFeatures), (rebuilt.testFeatures, original.testFeatures)] {
            #expect(Self.canonical(a.users) == Self.canonical(b.users) && Self.canonical(a.items) == Self.canonical(b.items))
        }
        #expect(rebuilt.lineage?.tables.map(\.version) == stored.tables.map(\.version))
        #expect(rebuilt.lineage?.tables.map(\.committedAt) == stored.tables.map(\.committedAt))

        // The same pins reproduce the raw point-in-time join too (historicalFeatures' as-of).
        var pinned = HistoricalOptions()
        for table in stored.tables.dropFirst() { pinned.asOf[table.view] = .version(table.version) }  // the first is the spine
        pinned.asOf["user_item"] = .version(1)
        let oldSpine = try db.snapshot(of: "interactions", at: .version(stored.tables[0].version)).read()
        let again = try db.historicalFeatures(spine: oldSpine, features: .service("ranker_v1"), options: pinned)
        #expect(again.batch == joined.batch)
        let latest = try db.historicalFeatures(spine: oldSpine, features: .service("ranker_v1"))
        #expect(latest.batch != joined.batch, "unpinned, the revised prices show")
    }
}
