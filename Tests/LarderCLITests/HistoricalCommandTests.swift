import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// `larder historical` end to end on a generated marketplace.
@Suite(.serialized) struct HistoricalCommandTests {
    @Test func buildsATrainingSetAndReportsItsLineage() throws {
        let (dir, db, data) = try DatabaseCommandTests.setUp()
        for view in ["user_stats", "item_stats", "user_item"] {
            let ingest = try CommandLineTool.run(["ingest", "--db", db, view, data + "/\(view).parquet"])
            #expect(ingest.status == 0, "\(ingest.stderr)")
        }
        let out = dir.file("train.parquet")
        let run = try CommandLineTool.run(["historical", "--db", db, "--spine", data + "/interactions.parquet",
                                           "--service", "ranker_v1", "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let spine = try ParquetFile(path: data + "/interactions.parquet")
        #expect(summary["rows"] as? Int == spine.rowCount)
        let views = try #require(summary["views"] as? [[String: Any]])
        #expect(views.compactMap { $0["view"] as? String } == ["user_stats", "item_stats", "user_item"])
        #expect(views.allSatisfy { ($0["version"] as? Int) == 1 && ($0["matched"] as? Int ?? 0) > 0 })
        let leakage = try #require(summary["leakage"] as? [String: Any])
        #expect(leakage["violations"] as? Int == 0 && (leakage["checked"] as? Int ?? 0) > 0)
        let written = try ParquetFile(path: out)
        #expect(written.rowCount == spine.rowCount)
        #expect(written.schema.names.starts(with: spine.schema.names))
        #expect(written.schema.names.contains("user_item__last_rating"))

        // --as-of pins a view to version 0 (empty); --features takes a whole view.
        let pinned = try CommandLineTool.run(["historical", "--db", db, "--spine", data + "/interactions.parquet",
                                              "--features", "user_stats:visits_7d,item_stats", "--as-of", "user_stats=0",
                                              "--out", dir.file("pinned.parquet"), "--json"])
        #expect(pinned.status == 0, "\(pinned.stderr)")
        let pinnedSummary = try #require(try JSONSerialization.jsonObject(with: Data(pinned.stdout.utf8)) as? [String: Any])
        let pinnedViews = try #require(pinnedSummary["views"] as? [[String: Any]])
        #expect(pinnedViews.first?["matched"] as? Int == 0 && pinnedViews.first?["version"] as? Int == 0)
        #expect((pinnedViews.last?["features"] as? [String])?.count == 6)
        let plain = try CommandLineTool.run(["historical", "--db", db, "--spine", data + "/interactions.parquet",
                                             "--features", "user_stats:visits_7d", "--plain-names", "--out", dir.file("plain.parquet")])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try ParquetFile(path: dir.file("plain.parquet")).schema.names.last == "visits_7d")
    }

    @Test func badRequestsExitWithAMessageAndWriteNothing() throws {
        let (dir, db, data) = try DatabaseCommandTests.setUp()
        let out = dir.file("bad.parquet")
        let unknown = try CommandLineTool.run(["historical", "--db", db, "--spine", data + "/interactions.parquet",
                                               "--features", "user_stats:nope", "--out", out])
        #expect(unknown.status == 1 && unknown.stderr.contains("no feature 'nope'"), "\(unknown.stderr)")
        let spine = try CommandLineTool.run(["historical", "--db", db, "--spine", data + "/items.parquet",
                                             "--service", "ranker_v1", "--out", out])
        #expect(spine.status == 1 && spine.stderr.contains("no timestamp column"), "\(spine.stderr)")
        let usage = try CommandLineTool.run(["historical", "--db", db, "--spine", data + "/interactions.parquet", "--out", out])
        #expect(usage.status == 2)
        let asOf = try CommandLineTool.run(["historical", "--db", db, "--spine", data + "/interactions.parquet",
                                            "--service", "ranker_v1", "--as-of", "user_stats", "--out", out])
        #expect(asOf.status == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
