import Foundation
import LarderColumnar
import LarderParquet
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// The database: a versioned catalog, tables created and evolved by apply, ingest that
/// writes nothing unless everything fits.
@Suite struct FeatureDatabaseTests {
    static let yaml = """
    entities:
      - name: user
        join_keys: [user_id]
    feature_views:
      - name: user_stats
        entities: [user]
        timestamp_field: event_ts
        created_timestamp_column: created_ts
        ttl: 30d
        schema:
          - {name: user_id, dtype: int64}
          - {name: event_ts, dtype: timestamp}
          - {name: created_ts, dtype: timestamp}
          - {name: visits_7d, dtype: int64}
          - {name: city, dtype: string}
    feature_services:
      - name: svc
        features: ["user_stats:visits_7d"]
    """

    static func batch(_ ids: [Int64], visits: [Int64]? = nil) throws -> RecordBatch {
        try RecordBatch([
            "user_id": .int64(ids), "event_ts": .timestamp(ids.map { 1_767_225_600_000_000 + $0 }),
            "created_ts": .timestamp(ids.map { 1_767_225_700_000_000 + $0 }), "visits_7d": .int64(visits ?? ids.map { $0 * 2 }),
            "city": .string(ids.map { "c\($0)" }),
        ])
    }

    static func database(_ dir: TemporaryDirectory) throws -> FeatureDatabase {
        let db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: yaml))
        return db
    }

    @Test func createOpenAndRefuse() throws {
        let dir = try TemporaryDirectory()
        _ = try FeatureDatabase.create(at: dir.file("db"))
        #expect { try FeatureDatabase.create(at: dir.file("db")) } throws: { ($0 as? DatabaseError)?.code == .alreadyExists }
        #expect { try FeatureDatabase.open(at: dir.file("none")) } throws: { ($0 as? DatabaseError)?.code == .notFound }
        #expect(try FeatureDatabase.open(at: dir.file("db")).catalog() == Catalog())
    }

    @Test func applyCreatesTablesAndVersionsTheCatalog() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        let t0 = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let table = try db.table(for: "user_stats")
        #expect(try table.snapshot().sortColumns == ["user_id", "event_ts", "created_ts"])
        #expect(try table.snapshot().schema.field(named: "user_id")?.isNullable == false)
        // Re-applying the same definitions changes nothing.
        #expect(try db.apply(try Definitions.parse(yaml: Self.yaml)).applied == false)
        // An additive change: a new nullable column at the end.
        let v2 = Self.yaml.replacingOccurrences(of: "      - {name: city, dtype: string}",
                                                with: "      - {name: city, dtype: string}\n      - {name: tier, dtype: int32}")
        try db.ingest([Self.batch([1, 2])], into: "user_stats")
        let r = try db.apply(try Definitions.parse(yaml: v2))
        #expect(r.applied && r.diff.breakingChanges.isEmpty)
        let rows = try db.snapshot(of: "user_stats").read()
        #expect(rows.rowCount == 2 && rows.column(named: "tier")?.nullCount == 2)
        #expect(try db.catalog().featureView(named: "user_stats")?.schema.count == 6)
        #expect(try db.catalog(asOf: t0).featureView(named: "user_stats")?.schema.count == 5)
        #expect(try db.catalogHistory().count == 2)
    }

    @Test func breakingChangesNeedPermission() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        try db.ingest([Self.batch([1, 2])], into: "user_stats")
        let retyped = Self.yaml.replacingOccurrences(of: "{name: city, dtype: string}", with: "{name: city, dtype: int64}")
        #expect { try db.apply(try Definitions.parse(yaml: retyped)) } throws: { error in
            let e = error as? DatabaseError
            return e?.code == .breakingChange && e?.message.contains("city") == true
        }
        #expect(try db.snapshot(of: "user_stats").read().rowCount == 2)     // nothing changed
        try db.apply(try Definitions.parse(yaml: retyped), allowBreaking: true)
        let snap = try db.snapshot(of: "user_stats")
        #expect(snap.schema.field(named: "city")?.type == .int64)
        #expect(try snap.read().rowCount == 0)
        #expect(try db.snapshot(of: "user_stats", at: .version(1)).read().rowCount == 2)   // history kept
    }

    @Test func ingestSortsCommitsOnceAndRecords() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        var options = IngestOptions()
        options.metadata = ["job": "test"]
        let r = try db.ingest([Self.batch([5, 3]), Self.batch([4, 1])], into: "user_stats", options: options)
        #expect(r.version == 1 && r.rows == 4)
        let rows = try db.snapshot(of: "user_stats").read()
        #expect(rows.column(named: "user_id")?.int64Values == [1, 3, 4, 5])
        #expect(try db.history(of: "user_stats").first?.metadata["job"] == "test")
    }

    @Test func ingestCastsSafeTypes() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        let narrow = try RecordBatch([
            "user_id": .int32([7]), "event_ts": .timestamp([1]), "created_ts": .timestamp([2]),
            "visits_7d": .int32([3]), "city": .string(["x"]),
        ])
        try db.ingest([narrow], into: "user_stats")
        #expect(try db.snapshot(of: "user_stats").read().column(named: "user_id")?.int64Values == [7])
    }

    @Test func badBatchesWriteNothingAndNameTheProblem() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        var keys = ColumnBuilder(type: .int64)
        keys.append(int64: 1); keys.appendNull()
        let nullKey = try RecordBatch(["user_id": keys.finish(), "event_ts": .timestamp([1, 2]), "created_ts": .timestamp([1, 2]),
                                       "visits_7d": .int64([1, 2]), "city": .string(["a", "b"])])
        let cases: [(RecordBatch, String)] = [
            (nullKey, "row 2, column 'user_id'"),
            (try RecordBatch(["user_id": .int64([1])]), "column 'event_ts' of view 'user_stats' is missing"),
            (try Self.batch([1]).appending(column: .int64([1]), field: Field("extra", .int64)), "column 'extra' is not in view"),
            (try RecordBatch(["user_id": .string(["1"]), "event_ts": .timestamp([1]), "created_ts": .timestamp([1]),
                              "visits_7d": .int64([1]), "city": .string(["a"])]), "column 'user_id' is string"),
        ]
        for (batch, message) in cases {
            #expect { try db.ingest([batch], into: "user_stats") } throws: { error in
                let e = error as? DatabaseError
                return e?.code == .invalidInput && e?.message.contains(message) == true
            }
        }
        #expect { try db.ingest([Self.batch([1])], into: "nope") } throws: { ($0 as? DatabaseError)?.code == .unknownName }
        #expect(try db.snapshot(of: "user_stats").version == 0)
    }

    @Test func ingestFilesParquetAndCSV() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        try ParquetWriter.write([Self.batch([1, 2])], to: dir.file("a.parquet"))
        let csv = "user_id,event_ts,created_ts,visits_7d,city\n3,2026-01-01T00:00:00Z,2026-01-01T01:00:00+01:00,4,Oslo\n4,2026-01-02T00:00:00Z,2026-01-02T00:00:00Z,,\n"
        try Data(csv.utf8).write(to: dir.fileURL("b.csv"))
        let r = try db.ingest(files: [dir.file("a.parquet"), dir.file("b.csv")], into: "user_stats")
        #expect(r.rows == 4 && r.version == 1)
        let rows = try db.snapshot(of: "user_stats").read()
        #expect(rows.column(named: "user_id")?.int64Values == [1, 2, 3, 4])
        #expect(rows.column(named: "visits_7d")?[3] == .null)
        #expect(rows.column(named: "created_ts")?[2] == .timestamp(1_767_225_600_000_000))
        // A bad second file: nothing from the first is written either.
        try Data("user_id,event_ts,created_ts,visits_7d,city\nx,2026-01-01T00:00:00Z,,1,a\n".utf8).write(to: dir.fileURL("bad.csv"))
        #expect { try db.ingest(files: [dir.file("a.parquet"), dir.file("bad.csv")], into: "user_stats") } throws: { error in
            let e = error as? DatabaseError
            return e?.code == .invalidInput && e?.file?.hasSuffix("bad.csv") == true && e?.line == 2
        }
        try ParquetWriter.write([try RecordBatch(["user_id": .int64([1])])], to: dir.file("narrow.parquet"))
        #expect { try db.ingest(files: [dir.file("narrow.parquet")], into: "user_stats") } throws: { error in
            (error as? DatabaseError)?.message.contains("missing: event_ts") == true
        }
        #expect(try db.snapshot(of: "user_stats").version == 1)
    }

    @Test func idempotentIngest() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        var options = IngestOptions()
        options.transaction = Transaction(appId: "loader", version: 1)
        #expect(try db.ingest([Self.batch([1])], into: "user_stats", options: options).version == 1)
        #expect(try db.ingest([Self.batch([1])], into: "user_stats", options: options).version == nil)
        #expect(try db.snapshot(of: "user_stats").read().rowCount == 1)
    }

    @Test func exportAnyVersionAndColumns() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        try db.ingest([Self.batch([1, 2])], into: "user_stats")
        try db.ingest([Self.batch([3])], into: "user_stats")
        let s = try db.export(view: "user_stats", to: dir.file("v1.parquet"), at: .version(1), columns: ["user_id", "city"])
        #expect(s.rowCount == 2)
        let back = try ParquetFile(path: dir.file("v1.parquet")).read()
        #expect(back.schema.names == ["user_id", "city"])
        #expect { try db.export(view: "user_stats", to: dir.file("x.parquet"), columns: ["nope"]) } throws: {
            ($0 as? DatabaseError)?.code == .unknownName
        }
        #expect { try db.export(view: "user_stats", to: dir.file("x.parquet"), at: .version(9)) } throws: {
            ($0 as? DatabaseError)?.code == .unknownName
        }
    }
}
