import Foundation
import LarderTestSupport
import Testing

/// `larder validate`, `profile`, `drift`, the gate's report on `ingest`, and idempotent
/// `ingest --transaction`, run as a user would.
@Suite(.serialized) struct QualityCommandTests {
    /// The tiny marketplace with a suite on user_stats; `maxVisits` decides whether its data passes.
    static func setUp(maxVisits: Int, policy: String) throws -> (dir: TemporaryDirectory, db: String, data: String) {
        let (dir, db, data) = try DatabaseCommandTests.setUp()
        var yaml = try String(contentsOfFile: data + "/definitions.yaml", encoding: .utf8)
        yaml += """

        expectation_suites:
          - name: user_stats_checks
            expectations:
              - {type: expect_column_values_to_not_be_null, kwargs: {column: user_id}}
              - {type: expect_column_values_to_be_between, kwargs: {column: visits_7d, min_value: 0, max_value: \(maxVisits)}}
              - {type: expect_table_row_count_to_be_between, kwargs: {min_value: 1}}

        """
        yaml = yaml.replacingOccurrences(of: "  - name: user_stats\n",
                                         with: "  - name: user_stats\n    expectation_suite: user_stats_checks\n    on_invalid: \(policy)\n")
        let defs = dir.file("checked.yaml")
        try yaml.write(toFile: defs, atomically: true, encoding: .utf8)
        let apply = try CommandLineTool.run(["apply", "--db", db, defs])
        #expect(apply.status == 0, "\(apply.stderr)")
        return (dir, db, data)
    }

    @Test func validateReportsAndFailsWithExitCodeOne() throws {
        let (dir, db, data) = try Self.setUp(maxVisits: 3, policy: "warn")
        let ingest = try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("quality: suite user_stats_checks failed 2/3 (on_invalid: warn)"))
        let history = try CommandLineTool.run(["history", "--db", db, "user_stats"])
        #expect(history.stdout.contains("quality=failed 2/3"))

        let html = dir.file("report.html")
        let validate = try CommandLineTool.run(["validate", "--db", db, "user_stats", "--json", "--html", html])
        #expect(validate.status == 1)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(validate.stdout.utf8)) as? [String: Any])
        #expect(result["success"] as? Bool == false)
        let results = try #require(result["results"] as? [[String: Any]])
        #expect(results.map { $0["success"] as? Bool } == [true, false, true])
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.replacingOccurrences(of: "<wbr>", with: "").contains("expect_column_values_to_be_between") && page.contains("<svg"))

        // Version 0 is the empty table: only the row count fails.
        let empty = try CommandLineTool.run(["validate", "--db", db, "user_stats", "--version", "0"])
        #expect(empty.status == 1, "\(empty.stdout)\(empty.stderr)")
        #expect(empty.stdout.contains("FAIL  expect_table_row_count_to_be_between"))
        #expect(empty.stdout.contains("ok    expect_column_values_to_be_between(visits_7d)"))
    }

    @Test func rejectedIngestLeavesTheViewAsItWas() throws {
        let (dir, db, data) = try Self.setUp(maxVisits: 3, policy: "reject")
        defer { withExtendedLifetime(dir) {} }
        let ingest = try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet"])
        #expect(ingest.status == 1)
        #expect(ingest.stderr.contains("expect_column_values_to_be_between(visits_7d)") && ingest.stderr.contains("nothing was committed"))
        let history = try CommandLineTool.run(["history", "--db", db, "user_stats", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 1)  // only the table's creation
    }

    @Test func profileSuggestsASuiteThatValidates() throws {
        let (dir, db, data) = try Self.setUp(maxVisits: 1000, policy: "reject")
        #expect(try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet"]).status == 0)
        let suite = dir.file("suggested.json")
        let profile = try CommandLineTool.run(["profile", "--db", db, "user_stats", "--out", suite])
        #expect(profile.status == 0, "\(profile.stderr)")
        #expect(profile.stdout.contains("visits_7d"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: suite))) as? [String: Any])
        let expectations = try #require(json["expectations"] as? [[String: Any]])
        #expect(!expectations.isEmpty)
        // A suite suggested from the data accepts the same data.
        var yaml = try String(contentsOfFile: data + "/definitions.yaml", encoding: .utf8)
        yaml += "\nexpectation_suites:\n  - name: suggested\n    file: \(suite)\n"
        let defs = dir.file("suggested.yaml")
        try yaml.write(toFile: defs, atomically: true, encoding: .utf8)
        #expect(try CommandLineTool.run(["apply", "--db", db, defs]).status == 0)
        let validate = try CommandLineTool.run(["validate", "--db", db, "user_stats", "--suite", "suggested"])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
    }

    @Test func driftBetweenVersionsAndIdempotentIngest() throws {
        let (dir, db, data) = try Self.setUp(maxVisits: 1000, policy: "reject")
        defer { withExtendedLifetime(dir) {} }
        let first = try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet", "--transaction", "daily:1"])
        #expect(first.status == 0 && first.stdout.contains("as version 1"), "\(first.stdout)\(first.stderr)")
        let retry = try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet", "--transaction", "daily:1"])
        #expect(retry.status == 0 && retry.stdout.contains("nothing ingested"), "\(retry.stdout)\(retry.stderr)")
        let bad = try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet", "--transaction", "daily"])
        #expect(bad.status == 2)

        // The same data twice: no drift between version 1 and 2.
        #expect(try CommandLineTool.run(["ingest", "--db", db, "user_stats", data + "/user_stats.parquet", "--transaction", "daily:2"]).status == 0)
        let same = try CommandLineTool.run(["drift", "--db", db, "user_stats", "--from", "1", "--to", "2", "--json"])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any])
        #expect(report["drifted"] as? Bool == false)
        let columns = try #require(report["columns"] as? [[String: Any]])
        #expect(columns.contains { $0["name"] as? String == "visits_7d" })
        let neither = try CommandLineTool.run(["drift", "--db", db, "user_stats"])
        #expect(neither.status == 2)
    }
}
