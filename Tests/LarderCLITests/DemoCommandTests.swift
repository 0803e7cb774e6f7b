import Foundation
import LarderParquet
import LarderTestSupport
import Testing

/// `larder demo` at the tiny scale, run through the built binary: every stage of the story
/// shows in its output, and what it says matches what it left in the database.
@Suite struct DemoCommandTests {
    /// The numbers after `prefix` in `text` (e.g. "NDCG@10 " → every NDCG figure).
    static func numbers(after prefix: String, in text: String) throws -> [Double] {
        let pattern = try Regex(NSRegularExpression.escapedPattern(for: prefix) + #"(-?[0-9][0-9,]*(\.[0-9]+)?)"#)
        return text.matches(of: pattern).compactMap { match in
            match.output[1].substring.flatMap { Double($0.replacingOccurrences(of: ",", with: "")) }
        }
    }

    @Test func tinyDemoTellsTheWholeStory() throws {
        let dir = try TemporaryDirectory(prefix: "larder-demo")
        let out = try CommandLineTool.run(["demo", "--scale", "tiny", "--dir", dir.path])
        #expect(out.status == 0, "\(out.stderr)\n\(out.stdout)")
        let text = out.stdout
        for step in 1 ... 8 { #expect(text.contains("[\(step)/8] "), "step \(step) header") }

        // The quality gate: the interactions batch is rejected with the failed expectations named.
        #expect(text.contains("REJECTED by suite interactions_checks"))
        #expect(text.contains("FAIL  expect_column_values_to_be_in_set(label)"))
        #expect(text.contains("FAIL  expect_column_values_to_be_between(price_paid)"))
        #expect(text.contains("nothing was committed (interactions stays at version 1)"))

        // Quarantine: N > 0 rows, and the quarantine table holds exactly them with their reasons.
        let quarantined = try #require(try Self.numbers(after: "quarantined ", in: text).first, "\(text)")
        #expect(quarantined == 3)
        let db = dir.file("features.larder")
        let export = try CommandLineTool.run(["export", "--db", db, "user_stats__quarantine", "--out", dir.file("quarantine.parquet")])
        #expect(export.status == 0, "\(export.stderr)")
        let held = try ParquetFile(path: dir.file("quarantine.parquet")).read(columns: ["visits_7d", "region", "_failed_expectations"])
        #expect(Double(held.rowCount) == quarantined)
        let reasons = held.columns[2].values.map { "\($0)" }
        #expect(reasons.contains { $0.contains("expect_column_values_to_be_between(visits_7d)") })
        #expect(reasons.contains { $0.contains("expect_column_values_to_be_in_set(region)") })
        #expect(reasons.contains { $0.contains("expect_column_values_to_be_in_set(fav_category)") && $0.contains("visits_7d") },
                "one row fails two expectations and names both")

        // The point-in-time training set: one row per interaction, nothing from the future.
        #expect(try Self.numbers(after: "leakage violations ", in: text) == [0])
        let training = try ParquetFile(path: dir.file("training.parquet"))
        #expect(training.rowCount == 5000 && training.schema.names.contains("user_stats__visits_7d"))
        #expect(text.contains("5,000 interactions × "))

        // Two models trained with NDCG@10 in [0, 1]; the better one promoted to production.
        let ndcg = try Self.numbers(after: "NDCG@10 ", in: text.components(separatedBy: "\nSummary").last ?? "")
        #expect(ndcg.count == 2, "\(text)")
        #expect(ndcg.allSatisfy { (0 ... 1).contains($0) })
        #expect(text.contains("promoted marketplace_recommender v") && text.contains("-> production"))
        let models = try CommandLineTool.run(["models", "show", "--db", db, "marketplace_recommender", "--json"])
        #expect(models.status == 0, "\(models.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [String: Any])
        let stages = (document["versions"] as? [[String: Any]] ?? []).compactMap { $0["stage"] as? String }
        #expect(stages.sorted() == ["none", "production"], "\(models.stdout)")

        // The server moment: features over HTTP (today's snapshot is within the ttl), then recommendations.
        #expect(text.contains("feature server listening on 127.0.0.1:"))
        #expect(text.contains("POST /get-online-features  user "))
        #expect(text.contains("user_stats__visits_7d") && text.contains("PRESENT"))
        let overHTTP = text.contains("GET /recommend?user_id=")
        #expect(overHTTP || text.contains("recommendations served in-process"))
        #expect(text.contains("items: ") || text.contains("top 5 for user "))
        #expect(text.contains("feature server stopped"))

        // The summary.
        #expect(text.contains("\nSummary\n"))
        #expect(text.contains("online features") && text.contains("recommendations"))
        #expect(text.contains(try Regex(#"\n +total +[0-9]+\.[0-9]+ s\n"#)))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let scale = try CommandLineTool.run(["demo", "--scale", "huge"])
        #expect(scale.status == 2)
        #expect(scale.stderr.contains("--scale huge: expected tiny, small or medium"))
        let dir = try TemporaryDirectory()
        let file = dir.file("not-a-directory")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let notDirectory = try CommandLineTool.run(["demo", "--dir", file])
        #expect(notDirectory.status == 2)
        #expect(notDirectory.stderr.contains("is a file, not a directory"))
        let port = try CommandLineTool.run(["demo", "--port", "70000"])
        #expect(port.status == 2 && port.stderr.contains("--port 70000"))
    }
}
