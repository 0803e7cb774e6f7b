import Foundation
import LarderColumnar
import LarderQuality
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// The quality gate at ingest (reject / quarantine / warn), suites refused at apply, and
/// on-demand validation, profiling and drift over versions.
@Suite struct QualityGateTests {
    static func yaml(policy: String, extraExpectation: String = "") -> String {
        """
        entities:
          - name: user
            join_keys: [user_id]
        expectation_suites:
          - name: checks
            expectations:
              - {type: expect_column_values_to_not_be_null, kwargs: {column: city}}
              - {type: expect_column_values_to_be_between, kwargs: {column: visits_7d, min_value: 0, max_value: 100}}
        \(extraExpectation)
        feature_views:
          - name: user_stats
            entities: [user]
            timestamp_field: event_ts
            created_timestamp_column: created_ts
            expectation_suite: checks
            on_invalid: \(policy)
            schema:
              - {name: user_id, dtype: int64}
              - {name: event_ts, dtype: timestamp}
              - {name: created_ts, dtype: timestamp}
              - {name: visits_7d, dtype: int64}
              - {name: city, dtype: string}
        """
    }

    /// `ids` with visits = id, so ids above 100 break the between expectation; `nullCity`
    /// rows have no city.
    static func batch(_ ids: [Int64], nullCity: Set<Int64> = []) throws -> RecordBatch {
        try RecordBatch([
            "user_id": .int64(ids), "event_ts": .timestamp(ids.map { 1_767_225_600_000_000 + $0 }),
            "created_ts": .timestamp(ids.map { 1_767_225_700_000_000 + $0 }), "visits_7d": .int64(ids),
            "city": .string(ids.map { nullCity.contains($0) ? nil : "c\($0)" }),
        ])
    }

    static func database(_ dir: TemporaryDirectory, policy: String) throws -> FeatureDatabase {
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: yaml(policy: policy)))
        return db
    }

    @Test func rejectCommitsNothingAndSaysWhy() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir, policy: "reject")
        try db.ingest([try Self.batch([1, 2, 3])], into: "user_stats")
        let before = try db.snapshot(of: "user_stats").version
        #expect {
            try db.ingest([try Self.batch([4, 150, 5])], into: "user_stats")
        } throws: { error in
            guard let e = error as? DatabaseError, e.code == .validationFailed, let result = e.validationResult else { return false }
            return e.message.contains("expect_column_values_to_be_between(visits_7d)") && e.message.contains("1 unexpected")
                && e.message.contains("nothing was committed") && !result.success && result.statistics.unsuccessfulExpectations == 1
        }
        #expect(try db.snapshot(of: "user_stats").version == before)
        #expect(try db.snapshot(of: "user_stats").read().rowCount == 3)
    }

    @Test func quarantineMovesFailingRowsAndCommitsTheRest() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir, policy: "quarantine")
        let result = try db.ingest([try Self.batch([1, 200, 2, 300], nullCity: [300, 2])], into: "user_stats")
        let quality = try #require(result.quality)
        #expect(!quality.result.success)
        #expect(quality.committedResult?.success == true)
        #expect(quality.quarantinedRows == 3)
        #expect(result.rows == 1)
        let kept = try db.snapshot(of: "user_stats").read()
        #expect(kept.column(named: "user_id")?.int64Values == [1])
        let bad = try db.snapshot(of: "user_stats__quarantine").read()
        let ids = try #require(bad.column(named: "user_id")?.int64Values)
        let reasons = try #require(bad.column(named: "_failed_expectations")).values
        var byID: [Int64: String] = [:]
        for (id, reason) in zip(ids, reasons) { if case .string(let s) = reason { byID[id] = s } }
        #expect(byID[200] == "expect_column_values_to_be_between(visits_7d)")
        #expect(byID[2] == "expect_column_values_to_not_be_null(city)")
        #expect(byID[300] == "expect_column_values_to_not_be_null(city); expect_column_values_to_be_between(visits_7d)")
        // The verdict is recorded with the commit.
        let entry = try #require(try db.history(of: "user_stats", limit: 1).first)
        #expect(entry.metadata["quality"]?.hasPrefix("failed 0/2") == true)
        #expect(entry.metadata["quality"]?.contains("quarantined=3") == true)
        #expect(entry.metadata["quality_result"]?.contains("\"success\":true") == true)
    }

    @Test func quarantineRejectsWhenNoRowCanBeBlamed() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        let extra = "      - {type: expect_column_mean_to_be_between, kwargs: {column: visits_7d, min_value: 0, max_value: 10}}"
        try db.apply(try Definitions.parse(yaml: Self.yaml(policy: "quarantine", extraExpectation: extra)))
        #expect {
            try db.ingest([try Self.batch([50, 60])], into: "user_stats")
        } throws: { error in
            (error as? DatabaseError)?.code == .validationFailed && "\(error)".contains("as a whole")
        }
        #expect(try db.snapshot(of: "user_stats").read().rowCount == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.file("db") + "/tables/user_stats__quarantine"))
    }

    @Test func warnCommitsEverythingAndRecords() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir, policy: "warn")
        let result = try db.ingest([try Self.batch([1, 500])], into: "user_stats")
        #expect(result.rows == 2)
        #expect(result.quality?.result.success == false)
        let entry = try #require(try db.history(of: "user_stats", limit: 1).first)
        #expect(entry.metadata["quality"]?.hasPrefix("failed 1/2") == true)
        #expect(entry.metadata["quality"]?.contains("on_invalid=warn") == true)
    }

    @Test func applyRefusesSuitesThatDoNotFitTheView() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        let unknownColumn = Self.yaml(policy: "reject").replacingOccurrences(of: "column: city}", with: "column: town}")
        #expect { try db.apply(try Definitions.parse(yaml: unknownColumn)) } throws: { error in
            guard let e = error as? DatabaseError else { return false }
            return e.code == .invalidDefinitions && e.message.contains("town") && e.message.contains("user_stats") && e.line != nil
        }
        let unknownType = Self.yaml(policy: "reject").replacingOccurrences(of: "expect_column_values_to_not_be_null", with: "expect_column_values_to_be_purple")
        #expect { try db.apply(try Definitions.parse(yaml: unknownType)) } throws: { error in
            "\(error)".contains("expect_column_values_to_be_purple")
        }
        let wrongType = Self.yaml(policy: "reject").replacingOccurrences(of: "column: visits_7d, min_value", with: "column: city, min_value")
        #expect(throws: DatabaseError.self) { try db.apply(try Definitions.parse(yaml: wrongType)) }
        #expect(try db.catalog().featureViews.isEmpty)
    }

    @Test func validateProfileAndDriftByVersion() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir, policy: "warn")
        try db.ingest([try Self.batch(Array(1 ... 50))], into: "user_stats")
        try db.ingest([try Self.batch(Array(1000 ... 1049))], into: "user_stats")
        let v1 = try db.validate(view: "user_stats", at: .version(1))
        #expect(v1.result.success && v1.rows == 50)
        let latest = try db.validate(view: "user_stats")
        #expect(!latest.result.success && latest.rows == 100)
        #expect(latest.result.results[1].result.unexpectedCount == 50)
        let profile = try db.profile(view: "user_stats", at: .version(1)).profile
        #expect(profile.rowCount == 50)
        #expect(profile.columns.first { $0.name == "visits_7d" }?.numeric?.max.doubleValue == 50)
        let drift = try db.drift(view: "user_stats", from: .version(1), to: .latest)
        #expect(drift.drifted)
        #expect(drift.columns.contains { $0.name == "visits_7d" && $0.drifted })
        #expect(!drift.columns.contains { $0.name == "user_id" || $0.name == "event_ts" })
        let same = try db.drift(view: "user_stats", from: .version(1), to: .version(1))
        #expect(!same.drifted)
    }
}
