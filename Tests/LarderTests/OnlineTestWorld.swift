import Foundation
import LarderColumnar
import LarderOnline
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// A small database for online-store tests: view `stats` keyed by `user_id`, with a created
/// time, an int64 `x` (nullable), a string `s` and a 4-dim vector `v`.
enum OnlineTestWorld {
    static func yaml(ttl: String? = nil, online: Bool = true) -> String {
        """
        entities:
          - name: user
            join_keys: [user_id]
        feature_views:
          - name: stats
            entities: [user]
            timestamp_field: event_ts
            created_timestamp_column: created_ts
            online: \(online)
        \(ttl.map { "    ttl: \($0)\n" } ?? "")    schema:
              - {name: user_id, dtype: int64}
              - {name: event_ts, dtype: timestamp}
              - {name: created_ts, dtype: timestamp}
              - {name: x, dtype: int64}
              - {name: s, dtype: string}
              - {name: v, dtype: "array<float32>", dim: 4}
        """
    }

    struct Row {
        var user: Int64
        var event: Int64
        var created: Int64
        var x: Int64?
    }

    static func create(_ dir: TemporaryDirectory, ttl: String? = nil) throws -> FeatureDatabase {
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: yaml(ttl: ttl)))
        return db
    }

    static func batch(_ rows: [Row]) throws -> RecordBatch {
        var x = ColumnBuilder(type: .int64, capacity: rows.count)
        var v = ColumnBuilder(type: .vector(dimension: 4), capacity: rows.count)
        for row in rows {
            if let value = row.x { x.append(int64: value) } else { x.appendNull() }
            let f = Float(row.x ?? -1)
            try v.append(vector: [f, f + 0.5, Float(row.user), Float(row.event)])
        }
        let schema = try Schema([
            Field("user_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false),
            Field("created_ts", .timestamp), Field("x", .int64), Field("s", .string), Field("v", .vector(dimension: 4)),
        ])
        return try RecordBatch(schema: schema, columns: [
            .int64(rows.map(\.user)), .timestamp(rows.map(\.event)), .timestamp(rows.map(\.created)),
            x.finish(), .string(rows.map { row in row.x.map { "s\($0)" } }), v.finish(),
        ])
    }

    static let features = FeatureSelection.references([FeatureReference(view: "stats", feature: nil)])

    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    /// Checks that the online store answers for every user in `users` exactly what the offline
    /// entity snapshot as of now answers: the same values and event time, or not found.
    static func expectOnlineEqualsOffline(_ db: FeatureDatabase, users: [Int64], _ context: String,
                                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let offline = try db.entitySnapshot(features: features, at: now)
        var expected: [Int64: [String: Value]] = [:]
        let ids = try #require(offline.batch.column(named: "user_id")?.int64Values)
        for (row, id) in ids.enumerated() {
            var values: [String: Value] = [:]
            for name in ["x", "s", "v"] { values[name] = offline.batch.column(named: "stats__" + name)?[row] ?? .null }
            expected[id] = values
        }
        let keys = try RecordBatch(["user_id": .int64(users)])
        let online = try db.onlineFeatures(features, entities: keys)
        let event = try db.entitySnapshotEvents(users: users)
        var mismatches: [String] = []
        for (i, user) in users.enumerated() {
            for name in ["x", "s", "v"] {
                let column = try #require(online["stats__" + name])
                let want = expected[user]?[name]
                switch column.statuses[i] {
                case .notFound:
                    if want != nil { mismatches.append("user \(user) \(name): online not found, offline \(want!)") }
                case .present, .null:
                    if want != column.values[i] {
                        mismatches.append("user \(user) \(name): online \(column.values[i]), offline \(want.map { "\($0)" } ?? "no row")")
                    }
                    if column.eventTimestamps[i] != event[user] {
                        mismatches.append("user \(user): online event \(column.eventTimestamps[i] ?? -1), offline \(event[user] ?? -1)")
                    }
                case .outsideMaxAge:
                    mismatches.append("user \(user) \(name): unexpected outside max age")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(context): \(mismatches.prefix(10).joined(separator: "; "))", sourceLocation: sourceLocation)
    }
}

extension FeatureDatabase {
    /// The event time of each user's point-in-time winner as of now (offline).
    func entitySnapshotEvents(users: [Int64]) throws -> [Int64: Int64] {
        var options = HistoricalOptions()
        options.includeFeatureTimestamps = true
        let snapshot = try entitySnapshot(features: OnlineTestWorld.features, at: OnlineTestWorld.now, options: options)
        var out: [Int64: Int64] = [:]
        guard let ids = snapshot.batch.column(named: "user_id")?.int64Values,
              let events = snapshot.batch.column(named: "stats__event_ts") else { return out }
        for (row, id) in ids.enumerated() where events.isValid(row) { out[id] = events.int64Values?[row] }
        return out
    }
}
