import Foundation
import LarderColumnar
import LarderOnline
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// Materialization: full and incremental syncs bring every committed change to the online
/// store exactly once (late rows, ties, deletes, compactions), so the store answers what the
/// offline point-in-time join answers as of now.
@Suite struct OnlineMaterializeTests {
    typealias Row = OnlineTestWorld.Row

    @Test func incrementalSyncWithLateRowsAndDeletesMatchesOffline() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        let users = Array(Int64(0) ..< 12)
        try db.ingest([try OnlineTestWorld.batch(users.map { Row(user: $0, event: 100, created: 1, x: $0) })], into: "stats")
        let first = try db.materialize()
        #expect(first.views.map(\.mode) == ["full"])
        #expect(first.views[0].rowsWritten == 12)
        try OnlineTestWorld.expectOnlineEqualsOffline(db, users: users, "after the full build")

        // Late older rows (must not win), newer rows, an exact tie (the later commit wins).
        try db.ingest([try OnlineTestWorld.batch([Row(user: 0, event: 50, created: 9, x: 1000),
                                                  Row(user: 1, event: 200, created: 1, x: 1001),
                                                  Row(user: 2, event: 100, created: 1, x: 1002)])], into: "stats")
        // A delete of user 1's newer row: its older row (x = 1) must come back.
        try db.table(for: "stats").delete(where: [.equals("x", .int64(1001))])
        // A delete of every row of user 3: not found.
        try db.table(for: "stats").delete(where: [.equals("user_id", .int64(3))])
        // A late row for a new user, and one for user 4 older than its row.
        try db.ingest([try OnlineTestWorld.batch([Row(user: 20, event: 10, created: 0, x: 20),
                                                  Row(user: 4, event: 99, created: 5, x: 4000)])], into: "stats")
        let sync = try db.materialize(.init(mode: .incremental))
        let report = sync.views[0]
        #expect(report.mode == "incremental")
        #expect(report.fromVersion == 1)
        #expect(report.toVersion == 5)
        #expect(report.commits == 4)
        #expect(report.keysRecomputed >= 2)
        #expect(report.tombstones == 1)

        let result = try db.onlineFeatures(OnlineTestWorld.features, entities: try RecordBatch(["user_id": .int64([0, 1, 2, 3, 4, 20])]))
        #expect(result["stats__x"]?.values == [.int64(0), .int64(1), .int64(1002), .null, .int64(4), .int64(20)])
        #expect(result["stats__x"]?.statuses == [.present, .present, .present, .notFound, .present, .present])
        #expect(result.tableVersions["stats"] == 5)
        try OnlineTestWorld.expectOnlineEqualsOffline(db, users: users + [20], "after the incremental sync")

        // Nothing new: nothing to do.
        #expect(try db.materialize(.init(mode: .incremental)).views[0].mode == "none")
        // User 3 comes back with a row older than the rows that were deleted.
        try db.ingest([try OnlineTestWorld.batch([Row(user: 3, event: 1, created: 0, x: 3000)])], into: "stats")
        try db.materialize(.init(mode: .incremental))
        #expect(try db.onlineFeatures(OnlineTestWorld.features, entities: [["user_id": .int64(3)]])["x"]?.values == [.int64(3000)])
    }

    /// Random worlds: appends (late rows, ties across commits, nulls), deletes of whole users
    /// and of single rows, compactions, with incremental syncs at random points. After every
    /// sync the store must equal the offline snapshot for every user ever written.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomHistoriesSyncExactlyOnce(seed: UInt64) throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        var random = LarderTestSupport.SplitMix64(seed: seed)
        let users = Array(Int64(0) ..< 30)
        var nextX: Int64 = 1
        try db.ingest([try OnlineTestWorld.batch(users.map { Row(user: $0, event: 50, created: 0, x: $0) })], into: "stats")
        try db.materialize(.init(mode: .incremental))
        var syncs = 0, recomputed = 0
        for step in 0 ..< 40 {
            let table = try db.table(for: "stats")
            switch Int.random(in: 0 ..< 10, using: &random) {
            case 0 ..< 5:
                var rows: [Row] = []
                for _ in 0 ..< Int.random(in: 1 ... 8, using: &random) {
                    let x: Int64? = Int.random(in: 0 ..< 8, using: &random) == 0 ? nil : nextX
                    rows.append(Row(user: users.randomElement(using: &random)!, event: Int64.random(in: 0 ..< 120, using: &random),
                                    created: Int64.random(in: 0 ..< 3, using: &random), x: x))
                    nextX += 1
                }
                try db.ingest([try OnlineTestWorld.batch(rows)], into: "stats")
            case 5, 6:
                // Single rows (by value of x), so some users keep older rows.
                let victims = (0 ..< 3).map { _ in Value.int64(Int64.random(in: 0 ..< nextX, using: &random)) }
                try table.delete(where: [.isIn("x", victims)])
            case 7:
                try table.delete(where: [.equals("user_id", .int64(users.randomElement(using: &random)!))])
            default:
                try table.compact(targetFileRows: 16)
            }
            if Int.random(in: 0 ..< 3, using: &random) == 0 || step == 39 {
                let report = try db.materialize(.init(mode: .incremental)).views[0]
                #expect(report.mode != "full", "step \(step): \(report.reason ?? "")")
                recomputed += report.keysRecomputed
                if ProcessInfo.processInfo.environment["ONLINE_DEBUG"] != nil {
                    print("seed \(seed) step \(step): \(report)")
                    for change in try db.table(for: "stats").changes(after: report.fromVersion ?? 0) {
                        print("  v\(change.version) \(change.operation) +\(change.added.map { "\($0.file.path.prefix(12)) \($0.dataChange)" }) -\(change.removed.map { "\($0.file.path.prefix(12)) \($0.dataChange)" })")
                    }
                }
                syncs += 1
                try OnlineTestWorld.expectOnlineEqualsOffline(db, users: users, "seed \(seed), step \(step)")
            }
        }
        #expect(syncs > 5)
        #expect(recomputed > 0, "the history should include deletes")
    }

    @Test func newerRowsWinAndTiesGoToTheLaterCommit() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 100, created: 5, x: 1)])], into: "stats")
        try db.materialize()
        func x() throws -> Value? { try db.onlineFeatures(OnlineTestWorld.features, entities: [["user_id": .int64(1)]])["x"]?.values.first }
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 100, created: 4, x: 2)])], into: "stats")
        try db.materialize(.init(mode: .incremental))
        #expect(try x() == .int64(1), "an older created time does not replace")
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 99, created: 50, x: 3)])], into: "stats")
        try db.materialize(.init(mode: .incremental))
        #expect(try x() == .int64(1), "an older event time does not replace")
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 100, created: 5, x: 4)])], into: "stats")
        try db.materialize(.init(mode: .incremental))
        #expect(try x() == .int64(4), "an exact tie goes to the later commit")
        // Two commits in one sync, tied: the later one.
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 100, created: 5, x: 5)])], into: "stats")
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 100, created: 5, x: 6)])], into: "stats")
        try db.materialize(.init(mode: .incremental))
        #expect(try x() == .int64(6))
        // A full rebuild agrees.
        try db.materialize()
        #expect(try x() == .int64(6))
    }

    @Test func fullMaterializationUpToAnEndTime() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 100, created: 0, x: 1), Row(user: 1, event: 200, created: 0, x: 2),
                                                  Row(user: 2, event: 150, created: 0, x: 3)])], into: "stats")
        try db.materialize(.init(end: 100))
        let result = try db.onlineFeatures(OnlineTestWorld.features, entities: [["user_id": .int64(1)], ["user_id": .int64(2)]])
        #expect(result["x"]?.values == [.int64(1), .null])
        #expect(result["x"]?.statuses == [.present, .notFound])
        #expect(result["x"]?.eventTimestamps == [100, nil])
    }

    @Test func compactionsChangeNothingAndOverwritesRebuild() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 100, created: 0, x: 1)])], into: "stats")
        try db.ingest([try OnlineTestWorld.batch([Row(user: 2, event: 100, created: 0, x: 2)])], into: "stats")
        try db.materialize()
        try db.table(for: "stats").compact()
        let compacted = try db.materialize(.init(mode: .incremental)).views[0]
        #expect(compacted.mode == "incremental")
        #expect(compacted.rowsRead == 0)
        #expect(compacted.rowsWritten == 0)
        try db.table(for: "stats").overwrite([try OnlineTestWorld.batch([Row(user: 3, event: 1, created: 0, x: 3)])])
        let overwritten = try db.materialize(.init(mode: .incremental)).views[0]
        #expect(overwritten.mode == "full")
        #expect(overwritten.reason?.contains("replaced data") == true)
        try OnlineTestWorld.expectOnlineEqualsOffline(db, users: [1, 2, 3], "after an overwrite")
    }

    @Test func onlyOnlineViewsAreMaterialized() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: OnlineTestWorld.yaml(online: false)))
        #expect(try db.materialize().views.isEmpty)
        let error = #expect(throws: DatabaseError.self) { try db.materialize(.init(views: ["stats"])) }
        #expect(error?.code == .invalidInput)
        let unknown = #expect(throws: DatabaseError.self) { try db.materialize(.init(views: ["nope"])) }
        #expect(unknown?.code == .unknownName)
    }
}
