import Foundation
import LarderColumnar
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// Exact ties (same key, event time and created time) go to the row from the later commit,
/// and stay so after compaction and deletes rewrite the files.
@Suite struct HistoricalTieTests {
    static let yaml = """
    entities:
      - name: user
        join_keys: [user_id]
    feature_views:
      - name: stats
        entities: [user]
        timestamp_field: event_ts
        created_timestamp_column: created_ts
        schema:
          - {name: user_id, dtype: int64}
          - {name: event_ts, dtype: timestamp}
          - {name: created_ts, dtype: timestamp}
          - {name: x, dtype: int64}
    """

    static func rows(_ users: [Int64], x: Int64, event: Int64 = 100, created: Int64 = 50) throws -> RecordBatch {
        try RecordBatch(["user_id": .int64(users), "event_ts": .timestamp(users.map { _ in event }),
                         "created_ts": .timestamp(users.map { _ in created }), "x": .int64(users.map { _ in x })])
    }

    static func spine() throws -> RecordBatch {
        try RecordBatch(["user_id": .int64([1, 1, 9]), "event_ts": .timestamp([100, 99, 100])])
    }

    static func xs(_ db: FeatureDatabase, asOf: Int64? = nil) throws -> [Int64?] {
        var options = HistoricalOptions()
        if let asOf { options.asOf["stats"] = .version(asOf) }
        let result = try db.historicalFeatures(spine: try spine(), features: .references([FeatureReference(view: "stats", feature: "x")]),
                                               options: options)
        let column = try #require(result.batch.column(named: "stats__x"))
        return (0 ..< column.count).map { column.isValid($0) ? column.int64Values?[$0] : nil }
    }

    @Test func laterCommitWinsBeforeAndAfterCompaction() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: Self.yaml))
        try db.ingest([try Self.rows([1], x: 1)], into: "stats")              // v1
        try db.ingest([try Self.rows([1], x: 2)], into: "stats")              // v2: same key, event, created
        try db.ingest([try Self.rows(Array(100 ..< 400), x: 0)], into: "stats") // v3: other users, a larger file
        try db.ingest([try Self.rows([2], x: 4)], into: "stats")              // v4
        #expect(try Self.xs(db) == [2, nil, nil])
        #expect(try Self.xs(db, asOf: 1) == [1, nil, nil])
        let compacted = try db.compact(view: "stats", targetFileRows: 100)
        #expect(compacted.version != nil)
        #expect(try Self.xs(db) == [2, nil, nil], "compaction must not change which tied row wins")
    }

    @Test func laterCommitWinsAfterADeleteRewritesTheEarlierFile() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: Self.yaml))
        try db.ingest([try Self.rows([1, 2], x: 1)], into: "stats")           // v1
        try db.ingest([try Self.rows([1], x: 2)], into: "stats")              // v2
        try db.table(for: "stats").delete(where: [.equals("user_id", .int64(2))]) // v3 rewrites v1's file
        #expect(try Self.xs(db) == [2, nil, nil], "the rewritten v1 rows must still lose to v2")
    }

    @Test func laterCreatedTimeBeatsLaterCommit() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: Self.yaml))
        try db.ingest([try Self.rows([1], x: 1, created: 60)], into: "stats")
        try db.ingest([try Self.rows([1], x: 2, created: 50)], into: "stats")
        #expect(try Self.xs(db) == [1, nil, nil])
    }

    /// A null created time is the lowest for ties but unknown for availability: available-at
    /// mode skips the row and falls back to an earlier one created in time.
    @Test func nullCreatedTimeIsNotAvailable() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: Self.yaml))
        let rows = try RecordBatch(["user_id": .int64([1, 1]), "event_ts": .timestamp([90, 100]),
                                    "created_ts": .timestamp([95, 0], validity: Bitmap([true, false])), "x": .int64([1, 2])])
        try db.ingest([rows], into: "stats")
        let features = FeatureSelection.references([FeatureReference(view: "stats", feature: "x")])
        let spine = try RecordBatch(["user_id": .int64([1]), "event_ts": .timestamp([100])])
        let plain = try db.historicalFeatures(spine: spine, features: features)
        #expect(plain.batch.column(named: "stats__x")?.int64Values == [2])
        var options = HistoricalOptions()
        options.availableAt = true
        let available = try db.historicalFeatures(spine: spine, features: features, options: options)
        #expect(available.batch.column(named: "stats__x")?.int64Values == [1])
        #expect(available.summary.leakage.passed && available.summary.leakage.checked == 1)
    }
}
