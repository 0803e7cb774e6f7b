import Foundation
import LarderColumnar
import LarderQuality
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// The metrics the ingest gate stores with each commit, merged by `validate` instead of
/// rescanning, and the cases where it must scan instead.
@Suite struct QualityStateReuseTests {
    typealias Gate = QualityGateTests

    /// The result of scanning every row of the view's version from scratch with the suite.
    static func fromScratch(_ db: FeatureDatabase, version: Int64? = nil, suite: String = "checks") throws -> ValidationResult {
        let snapshot = try db.snapshot(of: "user_stats", at: version.map { .version($0) } ?? .latest)
        let validator = try SuiteValidator(suite: try db.expectationSuite(suite), schema: snapshot.schema)
        return validator.validate(try snapshot.scan().batches)
    }

    /// Success, unexpected and element counts and observed values, per expectation.
    static func summary(_ result: ValidationResult) -> [String] {
        result.results.map { r in
            "\(r.expectation.type) \(r.success) \(r.result.unexpectedCount.map(String.init) ?? "-") "
                + "\(r.result.elementCount.map(String.init) ?? "-") \(r.result.observedValue?.jsonText() ?? "-")"
        }
    }

    static func storedFiles(_ db: FeatureDatabase) -> [String] {
        let dir = db.path + "/tables/user_stats/" + QualityStateStore.directoryName
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func validateMergesTheStatesStoredByTheGate() throws {
        let dir = try TemporaryDirectory()
        let db = try Gate.database(dir, policy: "warn")
        try db.ingest([try Gate.batch([1, 2, 3])], into: "user_stats")
        try db.ingest([try Gate.batch([4, 150, 5], nullCity: [5])], into: "user_stats")
        try db.ingest([try Gate.batch([6, 7, 300])], into: "user_stats")
        #expect(Self.storedFiles(db).count == 3)

        let report = try db.validate(view: "user_stats")
        #expect(report.rows == 9)
        #expect(report.reusedRows == 9)
        #expect(!report.result.success)
        #expect(Self.summary(report.result) == Self.summary(try Self.fromScratch(db)))
        let between = try #require(report.result.results.first { $0.expectation.type == "expect_column_values_to_be_between" })
        #expect(between.result.unexpectedCount == 2)

        // An earlier version merges only the commits it has.
        let v2 = try db.validate(view: "user_stats", at: .version(2))
        #expect(v2.rows == 6 && v2.reusedRows == 6)
        #expect(Self.summary(v2.result) == Self.summary(try Self.fromScratch(db, version: 2)))
    }

    @Test func commitsWithoutAStoredStateAreScanned() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        // First without a gate: nothing stored.
        let ungated = Gate.yaml(policy: "warn").replacingOccurrences(of: "    expectation_suite: checks\n    on_invalid: warn\n", with: "")
        #expect(ungated != Gate.yaml(policy: "warn"))
        try db.apply(try Definitions.parse(yaml: ungated))
        try db.ingest([try Gate.batch([1, 200])], into: "user_stats")
        #expect(Self.storedFiles(db).isEmpty)
        try db.apply(try Definitions.parse(yaml: Gate.yaml(policy: "warn")))
        try db.ingest([try Gate.batch([3, 4, 5])], into: "user_stats")

        let report = try db.validate(view: "user_stats")
        #expect(report.rows == 5)
        #expect(report.reusedRows == 3)
        #expect(Self.summary(report.result) == Self.summary(try Self.fromScratch(db)))
    }

    @Test func compactionAndDamageFallBackToScanning() throws {
        let dir = try TemporaryDirectory()
        let db = try Gate.database(dir, policy: "warn")
        try db.ingest([try Gate.batch([1, 2, 300])], into: "user_stats")
        try db.ingest([try Gate.batch([4, 5])], into: "user_stats")

        // A damaged state file is not trusted: that commit's files are scanned.
        let files = Self.storedFiles(db)
        #expect(files.count == 2)
        let damaged = db.path + "/tables/user_stats/" + QualityStateStore.directoryName + "/" + files[0]
        try Data("{\"version\": 1, \"files\": [".utf8).write(to: URL(fileURLWithPath: damaged))
        let afterDamage = try db.validate(view: "user_stats")
        #expect(afterDamage.rows == 5 && afterDamage.reusedRows == 2)
        #expect(Self.summary(afterDamage.result) == Self.summary(try Self.fromScratch(db)))

        // Compaction rewrites the files: no stored state covers the new ones.
        _ = try db.compact(view: "user_stats")
        let compacted = try db.validate(view: "user_stats")
        #expect(compacted.rows == 5 && compacted.reusedRows == 0)
        #expect(Self.summary(compacted.result) == Self.summary(try Self.fromScratch(db)))
    }

    @Test func anotherSuiteOrCompleteResultsDoNotReuse() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        let extra = """
          - name: other
            expectations:
              - {type: expect_column_max_to_be_between, kwargs: {column: visits_7d, min_value: 0, max_value: 10}}
        """
        try db.apply(try Definitions.parse(yaml: Gate.yaml(policy: "warn", extraExpectation: extra)))
        try db.ingest([try Gate.batch([1, 2, 30])], into: "user_stats")
        let other = try db.validate(view: "user_stats", suite: "other")
        #expect(other.reusedRows == 0 && !other.result.success)
        #expect(Self.summary(other.result) == Self.summary(try Self.fromScratch(db, suite: "other")))
        // The stored state kept 20 unexpected rows; COMPLETE wants all of them.
        let complete = try db.validate(view: "user_stats", options: ValidationOptions(resultFormat: .complete))
        #expect(complete.reusedRows == 0)
        #expect(try db.validate(view: "user_stats").reusedRows == 3)
    }

    @Test func statesThatGrowWithTheDataAreNotStored() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        let unique = """
          - name: keys
            expectations:
              - {type: expect_column_values_to_be_unique, kwargs: {column: user_id}}
        """
        let yaml = Gate.yaml(policy: "warn", extraExpectation: unique).replacingOccurrences(of: "expectation_suite: checks", with: "expectation_suite: keys")
        try db.apply(try Definitions.parse(yaml: yaml))
        try db.ingest([try Gate.batch([1, 2, 3])], into: "user_stats")
        #expect(Self.storedFiles(db).count == 1)
        let rows = QualityStateStore.maximumRetainedValues + 1
        try db.ingest([try Gate.batch((10 ..< Int64(10 + rows)).map { $0 })], into: "user_stats")
        #expect(Self.storedFiles(db).count == 1)
        let report = try db.validate(view: "user_stats")
        #expect(report.rows == rows + 3 && report.reusedRows == 3)
        #expect(report.result.success)
    }
}
