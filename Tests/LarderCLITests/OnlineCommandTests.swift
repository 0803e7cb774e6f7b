import Foundation
import Larder
import LarderColumnar
import LarderTable
import LarderTestSupport
import Testing

/// `larder materialize`, `get` and `verify-online` end to end, damaged stores, and syncs
/// killed with SIGKILL at every stage of a publish.
@Suite(.serialized) struct OnlineCommandTests {
    @Test func materializeGetAndVerifyOnAMarketplace() throws {
        let (dir, db, data) = try DatabaseCommandTests.setUp()
        defer { withExtendedLifetime(dir) {} }
        for view in ["user_stats", "item_stats", "user_item"] {
            #expect(try CommandLineTool.run(["ingest", "--db", db, view, data + "/\(view).parquet"]).status == 0)
        }
        let full = try CommandLineTool.run(["materialize", "--db", db, "--json"])
        #expect(full.status == 0, "\(full.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])
        let views = try #require(report["views"] as? [[String: Any]])
        #expect(views.compactMap { $0["view"] as? String } == ["user_stats", "item_stats", "user_item"])
        #expect(views.allSatisfy { $0["mode"] as? String == "full" && ($0["rowsWritten"] as? Int ?? 0) > 0 })
        let again = try CommandLineTool.run(["materialize", "--db", db, "--incremental"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("user_stats: up to date at version 1"))

        let verify = try CommandLineTool.run(["verify-online", "--db", db, "--sample", "100"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("0 mismatches"))

        // A user the marketplace has, as Feast's response shape.
        let database = try FeatureDatabase.open(at: db)
        let user = try #require(database.snapshot(of: "user_stats").read(columns: ["user_id"]).column(named: "user_id")?.int64Values?.first)
        let get = try CommandLineTool.run(["get", "--db", db, "--features", "user_stats:visits_7d", "--entity", "user_id=\(user)",
                                           "--entity", "user_id=-5", "--json"])
        #expect(get.status == 0, "\(get.stderr)")
        let response = try #require(try JSONSerialization.jsonObject(with: Data(get.stdout.utf8)) as? [String: Any])
        #expect((response["metadata"] as? [String: Any])?["feature_names"] as? [String] == ["user_id", "user_stats__visits_7d"])
        let results = try #require(response["results"] as? [[String: Any]])
        #expect(results.count == 2)
        let statuses = try #require(results[1]["statuses"] as? [String])
        #expect(statuses.count == 2 && statuses[1] == "NOT_FOUND")
        #expect(["PRESENT", "NULL_VALUE", "OUTSIDE_MAX_AGE"].contains(statuses[0]))

        // New rows not yet synced: verify-online reports skew and exits 1; a sync fixes it.
        let batch = try database.snapshot(of: "user_stats").read()
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let newer = try batch.slice(0 ..< 1).settingTimes(to: now - 3_600_000_000)
        try database.ingest([newer], into: "user_stats")
        let skew = try CommandLineTool.run(["verify-online", "--db", db, "--view", "user_stats", "--sample", "1000"])
        #expect(skew.status == 1)
        #expect(skew.stdout.contains("mismatches (the store reflects version 1"))
        #expect(try CommandLineTool.run(["materialize", "--db", db, "--incremental", "--view", "user_stats"]).status == 0)
        #expect(try CommandLineTool.run(["verify-online", "--db", db, "--view", "user_stats", "--sample", "1000"]).status == 0)
    }

    @Test func badRequestsExitWithAMessage() throws {
        let (dir, db, data) = try DatabaseCommandTests.setUp()
        defer { withExtendedLifetime(dir) {} }
        #expect(try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet"]).status == 0)
        let notYet = try CommandLineTool.run(["get", "--db", db, "--features", "user_stats", "--entity", "user_id=1"])
        #expect(notYet.status == 1)
        #expect(notYet.stderr.contains("larder materialize"))
        #expect(try CommandLineTool.run(["materialize", "--db", db, "--view", "user_stats"]).status == 0)
        let cases: [([String], Int32, String)] = [
            (["get", "--db", db, "--features", "user_stats:nope", "--entity", "user_id=1"], 1, "no feature 'nope'"),
            (["get", "--db", db, "--features", "nope", "--entity", "user_id=1"], 1, "no feature view 'nope'"),
            (["get", "--db", db, "--features", "user_stats", "--entity", "user_id=x"], 1, "key 'user_id' is int64"),
            (["get", "--db", db, "--features", "user_stats", "--entity", "item_id=1"], 1, "'item_id' is not a key"),
            (["get", "--db", db, "--features", "user_stats"], 2, "--entity"),
            (["materialize", "--db", db, "--incremental", "--end", "2026-01-01T00:00:00Z"], 2, "cannot be combined"),
            (["materialize", "--db", db, "--view", "nope"], 1, "no feature view 'nope'"),
        ]
        for (arguments, status, needle) in cases {
            let run = try CommandLineTool.run(arguments)
            #expect(run.status == status, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(needle), "\(arguments): \(run.stderr)")
        }
    }

    @Test func aDamagedStoreFailsUntilRebuilt() throws {
        let (dir, db, data) = try DatabaseCommandTests.setUp()
        #expect(try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet"]).status == 0)
        #expect(try CommandLineTool.run(["materialize", "--db", db, "--view", "user_stats"]).status == 0)
        let store = dir.file("db/online/user_stats")
        let base = try #require(try FileManager.default.contentsOfDirectory(atPath: store).first { $0.hasPrefix("base-") })
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: store + "/" + base))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: size - 100)
        try handle.close()
        for arguments in [["get", "--db", db, "--features", "user_stats", "--entity", "user_id=1"],
                          ["materialize", "--db", db, "--incremental"]] {
            let run = try CommandLineTool.run(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains("larder materialize --rebuild"), "\(arguments): \(run.stderr)")
        }
        #expect(try CommandLineTool.run(["materialize", "--db", db, "--rebuild"]).status == 0)
        #expect(try CommandLineTool.run(["get", "--db", db, "--features", "user_stats", "--entity", "user_id=1"]).status == 0)
        #expect(try CommandLineTool.run(["verify-online", "--db", db, "--view", "user_stats"]).status == 0)
    }

    #if os(Linux)
    /// `larder materialize --incremental` killed with SIGKILL after 0 to 5 files appeared in the
    /// store directory (before any write, after the data file, after its rename, after the new
    /// CURRENT, after publishing): the store always opens, holds exactly the table as of the
    /// version its CURRENT names, and the next sync completes.
    @Test func killedSyncsLeaveAWholeStateAndTheNextSyncCompletes() throws {
        let dir = try TemporaryDirectory(prefix: "larder-online-kill")
        let path = dir.file("db")
        let database = try FeatureDatabase.create(at: path)
        try database.apply(try Definitions.parse(yaml: Self.yaml))
        var random = SplitMix64(seed: UInt64.random(in: 1 ... 1_000_000))
        let seedNote = "seed \(random.state)"
        var nextX: Int64 = 0
        func ingest(_ count: Int) throws {
            let users = (0 ..< count).map { _ in Int64.random(in: 0 ..< 60, using: &random) }
            let events = users.map { _ in Int64.random(in: 0 ..< 1000, using: &random) }
            let xs = users.map { _ in nextX += 1; return nextX }
            try database.ingest([try RecordBatch(["user_id": .int64(users), "event_ts": .timestamp(events), "x": .int64(xs)])], into: "stats")
        }
        try ingest(100)
        #expect(try CommandLineTool.run(["materialize", "--db", path]).status == 0)
        let store = path + "/online/stats"
        let watcher = try DirectoryWatcher([store])
        var stages: [Int: Int] = [:]
        for round in 0 ..< 24 {
            let context = "\(seedNote), round \(round)"
            try ingest(Int.random(in: 1 ... 20, using: &random))
            if Bool.random(using: &random) {
                try database.table(for: "stats").delete(where: [.isIn("x", (0 ..< 4).map { _ in .int64(Int64.random(in: 0 ..< nextX, using: &random)) })])
            }
            let files = Int.random(in: 0 ... 5, using: &random)
            watcher.reset()
            let child = try ChildProcess(CommandLineTool.executable, ["materialize", "--db", path, "--incremental"])
            for _ in 0 ..< files { guard watcher.waitForEvent(whileRunning: child.process) else { break } }
            child.kill()
            child.process.waitUntilExit()
            stages[files, default: 0] += 1
            try Self.expectWholeState(database, context)
            if round % 3 == 2 {
                let sync = try CommandLineTool.run(["materialize", "--db", path, "--incremental"])
                #expect(sync.status == 0, "\(context): \(sync.stderr)")
                let reader = try database.onlineReader(features: .references([FeatureReference(view: "stats", feature: nil)]))
                #expect(try reader.read(entities: [["user_id": .int64(0)]]).tableVersions["stats"] == database.snapshot(of: "stats").version)
                try Self.expectWholeState(database, context + " after a complete sync")
            }
        }
        #expect(stages.count >= 3, "kills should land at several stages: \(stages)")
    }

    /// The store opens and equals the offline answer at the version it records.
    static func expectWholeState(_ database: FeatureDatabase, _ context: String) throws {
        let features = FeatureSelection.references([FeatureReference(view: "stats", feature: nil)])
        let users = Array(Int64(0) ..< 60)
        let online = try database.onlineFeatures(features, entities: try RecordBatch(["user_id": .int64(users)]))
        let version = try #require(online.tableVersions["stats"])
        var options = HistoricalOptions()
        options.asOf["stats"] = .version(version)
        let spine = try RecordBatch(["user_id": .int64(users), "event_timestamp": .timestamp([Int64](repeating: 1 << 50, count: users.count))])
        let offline = try database.historicalFeatures(spine: spine, features: features, options: options)
        #expect(online["stats__x"]?.values == offline.batch.column(named: "stats__x")?.values, "\(context) (store at version \(version))")
    }
    #endif

    static let yaml = """
    entities:
      - name: user
        join_keys: [user_id]
    feature_views:
      - name: stats
        entities: [user]
        timestamp_field: event_ts
        schema:
          - {name: user_id, dtype: int64}
          - {name: event_ts, dtype: timestamp}
          - {name: x, dtype: int64}
    """
}

extension RecordBatch {
    /// The batch with every timestamp column set to `micros` (a fresh row within any ttl).
    func settingTimes(to micros: Int64) throws -> RecordBatch {
        var columns = self.columns
        for (i, field) in schema.fields.enumerated() where field.type == .timestamp {
            columns[i] = .timestamp([Int64](repeating: micros, count: rowCount))
        }
        return try RecordBatch(schema: schema, columns: columns)
    }
}
