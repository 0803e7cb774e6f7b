import Foundation
import Larder
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderRecommender

@Suite struct TrainingDataTests {
    static let day = HandMade.day
    static func at(_ d: Double) -> Int64 { HandMade.at(day: d) }

    /// A database whose user 1 moves from "nörth" to "南" on day 50 and whose item 7 is "yoga"
    /// throughout; interactions ingested out of time order.
    static func movingUser() throws -> (TemporaryDirectory, FeatureDatabase) {
        let dir = try TemporaryDirectory(prefix: "recommender-pit")
        let db = try FeatureDatabase.create(at: dir.file("db"))
        let views = [
            FeatureView(name: "user_stats", entities: ["user"], timestampField: "event_ts",
                        schema: [FeatureField(name: "user_id", type: .int64), FeatureField(name: "event_ts", type: .timestamp),
                                 FeatureField(name: "region", type: .string), FeatureField(name: "visits", type: .int64)]),
            FeatureView(name: "item_stats", entities: ["item"], timestampField: "event_ts",
                        schema: [FeatureField(name: "item_id", type: .int64), FeatureField(name: "event_ts", type: .timestamp),
                                 FeatureField(name: "category", type: .string), FeatureField(name: "price", type: .float64)]),
            FeatureView(name: "interactions", entities: ["user", "item"], timestampField: "event_ts", online: false,
                        schema: [FeatureField(name: "user_id", type: .int64), FeatureField(name: "item_id", type: .int64),
                                 FeatureField(name: "event_ts", type: .timestamp), FeatureField(name: "label", type: .int64)]),
        ]
        try db.apply(Catalog(entities: [Entity(name: "user", joinKeys: ["user_id"]), Entity(name: "item", joinKeys: ["item_id"])],
                             featureViews: views))
        try db.ingest([try RecordBatch(["user_id": .int64([1, 1]), "event_ts": .timestamp([at(0), at(50)]),
                                        "region": .string([Self.north, Self.south]), "visits": .int64([1, 2])])], into: "user_stats")
        try db.ingest([try RecordBatch(["item_id": .int64([7]), "event_ts": .timestamp([at(0)]),
                                        "category": .string(["yoga"]), "price": .float64([12.5])])], into: "item_stats")
        // Rows out of time order: day 60, 10, 95, 85.
        try db.ingest([try RecordBatch(["user_id": .int64([1, 1, 1, 2]), "item_id": .int64([7, 7, 8, 7]),
                                        "event_ts": .timestamp([at(60), at(10), at(95), at(85)]), "label": .int64([1, 1, 1, 0])])],
                      into: "interactions")
        return (dir, db)
    }

    static let north = "nörth", south = "南"

    static func options() throws -> TrainingDataOptions {
        var options = TrainingDataOptions()
        options.userFeatures = ["user_stats:region", "user_stats:visits"]
        options.itemFeatures = ["item_stats:category", "item_stats:price"]
        options.split = try TimeSplit(validationStart: at(40), testStart: at(70))
        return options
    }

    @Test func eventFeaturesAreAsOfEachEventInTimeOrder() throws {
        let (dir, db) = try Self.movingUser()
        defer { dir.remove() }
        let data = try TrainingData.load(from: db, options: try Self.options())
        #expect(data.log.times == [Self.at(10), Self.at(60), Self.at(85), Self.at(95)])
        #expect(data.log.userIDs == [1, 1, 2, 1])
        #expect(data.log.positives == [true, true, false, true])
        let region = try #require(data.eventFeatures.column("user_stats:region"))
        // Day 10 sees "north"; day 60 and day 95 see the move; user 2 has no features.
        #expect((0 ..< 4).map { region.text(at: $0) } == [Self.north, Self.south, nil, Self.south])
        let price = try #require(data.eventFeatures.column("item_stats__price"))
        #expect((0 ..< 4).map { price.text(at: $0) } == ["12.5", "12.5", "12.5", nil])
        // Entity features as of just before T1 (day 40) and T2 (day 70).
        let before = try #require(data.validationFeatures.users.column("user_stats:region"))
        let after = try #require(data.testFeatures.users.column("user_stats:region"))
        #expect(data.validationFeatures.users.ids == [1] && before.text(at: 0) == Self.north)
        // User 2's only row is after T2, so as of T2 only user 1 is known.
        #expect(data.testFeatures.users.ids == [1] && after.text(at: 0) == Self.south)
    }

    @Test func splitWindowsAndEvaluationSetsFollowTheCutOffs() throws {
        let (dir, db) = try Self.movingUser()
        defer { dir.remove() }
        let data = try TrainingData.load(from: db, options: try Self.options())
        let validation = data.window(.validation), test = data.window(.test)
        #expect(validation.positiveCount == 1 && test.positiveCount == 2)
        #expect(validation.cutoff == Self.at(40) && test.cutoff == Self.at(70))
        // Test window: user 1 booked item 8 on day 95 (new); item 7 was booked before T2.
        let set = data.evaluationSet(.test)
        #expect(set.users == [1] && set.relevant == [[8]] && set.excluded == [[7]])
        #expect(set.catalogue == [7] && set.coldUserCount == 0)
        // Validation window [T1, T2): user 1 booked item 7 on day 60, but already on day 10.
        #expect(data.evaluationSet(.validation).users.isEmpty)
    }

    @Test func lineageRecordsVersionsAndRebuildsTheSameSet() throws {
        let (dir, db) = try Self.movingUser()
        defer { dir.remove() }
        let data = try TrainingData.load(from: db, options: try Self.options())
        let lineage = try #require(data.lineage)
        #expect(lineage.tables.map(\.view) == ["interactions", "user_stats", "item_stats"])
        #expect(lineage.tables.allSatisfy { $0.version == 1 })
        #expect(lineage.userFeatures == ["user_stats:region", "user_stats:visits"])
        #expect(lineage.rows == 4 && lineage.positives == 3)
        // New rows arrive in every view.
        try db.ingest([try RecordBatch(["user_id": .int64([3]), "item_id": .int64([7]), "event_ts": .timestamp([Self.at(20)]),
                                        "label": .int64([1])])], into: "interactions")
        try db.ingest([try RecordBatch(["user_id": .int64([1]), "event_ts": .timestamp([Self.at(30)]),
                                        "region": .string(["ëast"]), "visits": .int64([5])])], into: "user_stats")
        let latest = try TrainingData.load(from: db, options: try Self.options())
        #expect(latest.lineage?.fingerprint != lineage.fingerprint)
        #expect(latest.lineage?.version(of: "interactions") == 2)
        let rebuilt = try TrainingData.load(from: db, options: TrainingDataOptions(reproducing: lineage))
        #expect(rebuilt.lineage?.fingerprint == lineage.fingerprint)
        #expect(rebuilt.log == data.log && rebuilt.eventFeatures == data.eventFeatures)
        #expect(rebuilt.testFeatures == data.testFeatures && rebuilt.lineage?.tables.map(\.version) == [1, 1, 1])
        // The lineage survives JSON (the registry stores it in a manifest).
        let decoded = try JSONDecoder().decode(TrainingLineage.self, from: try JSONEncoder().encode(lineage))
        #expect(decoded == lineage)
    }

    @Test func unknownViewsColumnsAndFeaturesAreNamed() throws {
        let (dir, db) = try Self.movingUser()
        defer { dir.remove() }
        func failure(_ change: (inout TrainingDataOptions) -> Void) throws -> RecommenderError? {
            var options = try Self.options()
            change(&options)
            do { _ = try TrainingData.load(from: db, options: options) } catch let e as RecommenderError { return e }
            return nil
        }
        let view = try failure { $0.interactionsView = "clicks" }
        #expect(view?.code == .unknownFeature && view?.description.contains("clicks") == true)
        let column = try failure { $0.labelColumn = "booked" }
        #expect(column?.code == .unknownFeature && column?.message.contains("booked") == true)
        let feature = try failure { $0.userFeatures = ["user_stats:age"] }
        #expect(feature?.code == .unknownFeature && feature?.message.contains("user_stats:age") == true)
        let pairView = try failure { $0.userFeatures = ["interactions:label"] }
        #expect(pairView?.code == .invalidInput && pairView?.message.contains("keyed by") == true)
        let malformed = try failure { $0.itemFeatures = ["item_stats:"] }
        #expect(malformed?.code == .invalidInput)
        let version = try failure { $0.asOf = ["interactions": .version(9)] }
        #expect(version != nil)
    }

    @Test func unicodeSegmentsRouteAndSurviveTheArtifact() throws {
        let (dir, db) = try Self.movingUser()
        defer { dir.remove() }
        let data = try TrainingData.load(from: db, options: try Self.options())
        let spec = ModelSpec.segmented(.init(feature: "user_stats:region", inner: .popularity(.init()), minimumPositives: 1))
        let model = try #require(try spec.fit(data) as? SegmentedModel)
        #expect(model.segments == [Self.south] && model.segment(of: 1) == Self.south)
        let decoded = try #require(try ModelArtifact.decode(model.encode()) as? SegmentedModel)
        #expect(decoded.segments == [Self.south] && decoded.recommend(user: 1, k: 3).segment == Self.south)
    }

    @Test func anEmptyInteractionsViewIsAnEmptyWindow() throws {
        let dir = try TemporaryDirectory(prefix: "recommender-empty")
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(Catalog(entities: [Entity(name: "user", joinKeys: ["user_id"]), Entity(name: "item", joinKeys: ["item_id"])],
                             featureViews: [FeatureView(name: "interactions", entities: ["user", "item"], timestampField: "event_ts", online: false,
                                                        schema: [FeatureField(name: "user_id", type: .int64), FeatureField(name: "item_id", type: .int64),
                                                                 FeatureField(name: "event_ts", type: .timestamp), FeatureField(name: "label", type: .int64)])]))
        var options = TrainingDataOptions()
        options.userFeatures = []
        options.itemFeatures = []
        do {
            _ = try TrainingData.load(from: db, options: options)
            Issue.record("an empty view was accepted")
        } catch let e as RecommenderError {
            #expect(e.code == .emptyWindow && e.message.contains("interactions"))
        }
    }

    @Test func featuresCanBeLeftOut() throws {
        let (dir, db) = try Self.movingUser()
        defer { dir.remove() }
        var options = try Self.options()
        options.userFeatures = []
        options.itemFeatures = []
        let data = try TrainingData.load(from: db, options: options)
        #expect(data.eventFeatures.columns.isEmpty && data.testFeatures.users.ids.isEmpty)
        #expect(data.lineage?.tables.map(\.view) == ["interactions"])
        let model = try ModelSpec.als(HandMade.als).fit(data)
        #expect(model.knows(user: 1))
    }

    @Test func marketplaceTrainingDataHasTheDefaultSplitAndFeatures() throws {
        let tiny = try MarketplaceFixture.tiny()
        let data = tiny.data
        #expect(data.log.count == MarketplaceGenerator.Scale.tiny.sizes.interactions)
        let times = data.log.times
        let train = times.filter { $0 < data.split.validationStart }.count
        let test = times.filter { $0 >= data.split.testStart }.count
        #expect(abs(Double(train) / Double(times.count) - 0.8) < 0.01)
        #expect(abs(Double(test) / Double(times.count) - 0.1) < 0.01)
        for name in ["user_stats__region", "user_stats__fav_category", "user_stats__is_member", "item_stats__category",
                     "item_stats__region", "item_stats__price", "item_stats__popularity"] {
            #expect(data.eventFeatures.columns[name] != nil, "missing \(name)")
        }
        guard case .categorical(_, let vocabulary)? = data.eventFeatures.column("item_stats:category") else {
            Issue.record("category is not categorical"); return
        }
        #expect(Set(vocabulary).isSubset(of: Set(MarketplaceGenerator.categories)))
        // Every item with an interaction before T2 has a category as of T2 (snapshot or its events).
        let window = data.window(.test)
        guard case .categorical(let codes, _)? = window.itemFeatures.column("item_stats:category") else { return }
        let seen = Set(data.log.itemIDs[..<data.log.firstRow(atOrAfter: data.split.testStart)])
        for (k, id) in window.itemIDs.enumerated() where seen.contains(id) { #expect(codes[k] >= 0, "item \(id)") }
        #expect(data.lineage?.tables.map(\.view) == ["interactions", "user_stats", "item_stats"])
    }
}
