import Foundation
import Larder
import LarderColumnar
import LarderTestSupport
import Testing

/// Requests the point-in-time join must refuse, output names, and the summary's lineage, on
/// one fixed random world (see HistoricalDifferentialTests.swift).
@Suite struct HistoricalRequestTests {
    static let world: Result<PITWorld, any Error> = Result { try PITWorld.make(seed: 0x5EED_FFFF) }

    static func spine(_ pairs: KeyValuePairs<String, Column>) throws -> RecordBatch { try RecordBatch(pairs) }
    static let goodSpine: KeyValuePairs<String, Column> = [
        "user_id": .int64([1, 2]), "shop": .string(["a", "b"]),
        "event_timestamp": .timestamp([PITWorld.base + 5 * PITWorld.step, PITWorld.base + 9 * PITWorld.step]),
    ]

    /// Expects `body` to throw a DatabaseError with `code` whose message names `name`.
    static func expectError(_ code: DatabaseError.Code, naming name: String, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(code) naming '\(name)', nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as DatabaseError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(name), "message does not name '\(name)': \(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a DatabaseError \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func unknownNamesAreRefused() throws {
        let world = try Self.world.get()
        let spine = try Self.spine(Self.goodSpine)
        Self.expectError(.unknownName, naming: "nope") {
            _ = try world.db.historicalFeatures(spine: spine, features: .references([FeatureReference(view: "nope", feature: "score")]))
        }
        Self.expectError(.unknownName, naming: "nope") {
            _ = try world.db.historicalFeatures(spine: spine, features: .references([FeatureReference(view: "nope", feature: nil)]))
        }
        Self.expectError(.unknownName, naming: "missing_feature") {
            _ = try world.db.historicalFeatures(spine: spine, features: .references([FeatureReference(view: "u", feature: "missing_feature")]))
        }
        Self.expectError(.unknownName, naming: "no_service") {
            _ = try world.db.historicalFeatures(spine: spine, features: .service("no_service"))
        }
        // A later good reference does not excuse an earlier bad one.
        Self.expectError(.unknownName, naming: "zzz") {
            _ = try world.db.historicalFeatures(spine: spine, features: .references([
                FeatureReference(view: "u", feature: "score"), FeatureReference(view: "s", feature: "zzz"),
            ]))
        }
    }

    @Test func spinesThatDoNotFitAreRefused() throws {
        let world = try Self.world.get()
        let us = FeatureSelection.references([FeatureReference(view: "us", feature: "score")])
        let time = Column.timestamp([PITWorld.base + 5 * PITWorld.step])
        Self.expectError(.invalidInput, naming: "shop") {
            _ = try world.db.historicalFeatures(spine: try Self.spine(["user_id": .int64([1]), "event_timestamp": time]), features: us)
        }
        Self.expectError(.invalidInput, naming: "user_id") {
            _ = try world.db.historicalFeatures(spine: try Self.spine(["user_id": .string(["1"]), "shop": .string(["a"]), "event_timestamp": time]),
                                                features: us)
        }
        Self.expectError(.invalidInput, naming: "shop") {
            _ = try world.db.historicalFeatures(spine: try Self.spine(["user_id": .int64([1]), "shop": .int64([1]), "event_timestamp": time]),
                                                features: us)
        }
        // No timestamp column at all; a named one that is missing; a named one that is not a timestamp.
        Self.expectError(.invalidInput, naming: "timestamp") {
            _ = try world.db.historicalFeatures(spine: try Self.spine(["user_id": .int64([1]), "shop": .string(["a"])]), features: us)
        }
        var options = HistoricalOptions()
        options.spineTimestampColumn = "when"
        Self.expectError(.invalidInput, naming: "when") {
            _ = try world.db.historicalFeatures(spine: try Self.spine(Self.goodSpine), features: us, options: options)
        }
        options.spineTimestampColumn = "label"
        Self.expectError(.invalidInput, naming: "label") {
            _ = try world.db.historicalFeatures(spine: try Self.spine(["user_id": .int64([1]), "shop": .string(["a"]), "event_timestamp": time,
                                                                      "label": .string(["x"])]), features: us, options: options)
        }
        // A version the table never had.
        var asOf = HistoricalOptions()
        asOf.asOf["us"] = .version(99)
        #expect(throws: (any Error).self) {
            _ = try world.db.historicalFeatures(spine: try Self.spine(Self.goodSpine), features: us, options: asOf)
        }
    }

    @Test func plainFeatureNamesAndTheirClashes() throws {
        let world = try Self.world.get()
        let spine = try Self.spine(Self.goodSpine)
        var options = HistoricalOptions()
        options.fullFeatureNames = false
        let result = try world.db.historicalFeatures(spine: spine, features: .references([
            FeatureReference(view: "u", feature: "tag"), FeatureReference(view: "us", feature: "ratio"), FeatureReference(view: "s", feature: "label"),
        ]), options: options)
        #expect(result.batch.schema.names == ["user_id", "shop", "event_timestamp", "tag", "ratio", "label"])
        #expect(result.batch.schema.field(named: "ratio")?.type == .float32)
        // The same plain name from two views, or a feature named like a spine column: refused.
        Self.expectError(.invalidInput, naming: "score") {
            _ = try world.db.historicalFeatures(spine: spine, features: .references([
                FeatureReference(view: "u", feature: "score"), FeatureReference(view: "s", feature: "score"),
            ]), options: options)
        }
        Self.expectError(.invalidInput, naming: "score") {
            _ = try world.db.historicalFeatures(spine: spine, features: .references([FeatureReference(view: "us", feature: nil),
                                                                                     FeatureReference(view: "u", feature: nil)]), options: options)
        }
        let clashing = try Self.spine(["user_id": .int64([1]), "shop": .string(["a"]),
                                       "event_timestamp": .timestamp([PITWorld.base]), "tag": .string(["mine"])])
        Self.expectError(.invalidInput, naming: "tag") {
            _ = try world.db.historicalFeatures(spine: clashing, features: .references([FeatureReference(view: "u", feature: "tag")]), options: options)
        }
        // Full names never clash.
        let full = try world.db.historicalFeatures(spine: clashing, features: .references([
            FeatureReference(view: "u", feature: "tag"), FeatureReference(view: "u", feature: "score"), FeatureReference(view: "s", feature: "score"),
        ]))
        #expect(full.batch.schema.names == ["user_id", "shop", "event_timestamp", "tag", "u__tag", "u__score", "s__score"])
    }

    @Test func lineageNamesVersionsAndCommitTimes() throws {
        let world = try Self.world.get()
        let spine = try Self.spine(Self.goodSpine)
        var options = HistoricalOptions()
        let u = try #require(world.view("u")), s = try #require(world.view("s"))
        options.asOf["s"] = .version(Int64(s.commits.count - 1))
        let result = try world.db.historicalFeatures(spine: spine, features: .references([
            FeatureReference(view: "s", feature: "label"), FeatureReference(view: "u", feature: nil),
        ]), options: options)
        let lineage = result.summary.views
        try #require(lineage.count == 2)
        #expect(lineage[0].view == "s" && lineage[1].view == "u")
        #expect(lineage[0].version == Int64(s.commits.count - 1) && lineage[0].selectedBy == "version \(s.commits.count - 1)")
        #expect(lineage[1].version == Int64(u.commits.count) && lineage[1].selectedBy == "latest")
        #expect(lineage[1].features == u.features)
        for item in lineage {
            let history = try world.db.history(of: item.view)
            let entry = try #require(history.first { $0.version == item.version })
            #expect(item.committedAt == entry.timestamp, "\(item.view) version \(item.version)")
        }
        #expect(result.summary.rows == 2 && result.summary.chunks == 1)
        #expect(result.summary.leakage.passed)
        // The summary is what `larder historical --json` prints: it survives JSON.
        let data = try JSONEncoder().encode(result.summary)
        #expect(try JSONDecoder().decode(HistoricalSummary.self, from: data) == result.summary)
    }

    @Test func emptySpineGivesAnEmptyResultWithTheFullSchema() throws {
        let world = try Self.world.get()
        let spine = try RecordBatch(["user_id": .int64([]), "shop": .string([]), "event_timestamp": .timestamp([])])
        let result = try world.db.historicalFeatures(spine: spine, features: .references([FeatureReference(view: "u", feature: nil)]))
        #expect(result.batch.rowCount == 0)
        let u = try #require(world.view("u"))
        #expect(result.batch.schema.names == ["user_id", "shop", "event_timestamp"] + u.features.map { "u__\($0)" })
        #expect(result.summary.rows == 0 && result.summary.views.first?.matched == 0)
    }

    @Test func leakageCheckCoversEveryMatch() throws {
        // A spine row per (user, shop) pair at the latest grid time: most of them match.
        let world = try Self.world.get()
        var users: [Int64] = [], shops: [String] = []
        for user in 1 ... 3 as ClosedRange<Int64> { for shop in ["a", "b", "ä"] { users.append(user); shops.append(shop) } }
        let spine = try RecordBatch(["user_id": .int64(users), "shop": .string(shops),
                                     "event_timestamp": .timestamp(users.map { _ in PITWorld.base + 6 * PITWorld.step })])
        var options = HistoricalOptions()
        options.availableAt = true
        let result = try world.db.historicalFeatures(spine: spine, features: .service("svc"), options: options)
        let matched = result.summary.views.map(\.matched).reduce(0, +)
        #expect(matched > 0)
        #expect(result.summary.leakage.checked == matched)
        #expect(result.summary.leakage.violations == 0 && result.summary.leakage.examples.isEmpty)
        #expect(result.summary.availableAt)
    }
}
