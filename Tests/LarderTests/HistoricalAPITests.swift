import Foundation
import LarderColumnar
import LarderParquet
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// The tiny marketplace ingested into a database, shared by the tests below.
private struct TinyDatabase: Sendable {
    let directory: TemporaryDirectory
    let db: FeatureDatabase
    let spineFile: String
    let spine: RecordBatch

    static let shared: Result<TinyDatabase, any Error> = Result { try TinyDatabase() }
    static func get() throws -> TinyDatabase { try shared.get() }

    private init() throws {
        directory = try TemporaryDirectory(prefix: "historical")
        let data = directory.file("gen")
        _ = try MarketplaceGenerator(scale: .tiny, seed: 11).write(to: data)
        db = try FeatureDatabase.create(at: directory.file("db"))
        try db.apply(try Definitions.load(path: data + "/definitions.yaml"))
        for view in ["user_stats", "item_stats", "user_item", "interactions"] {
            try db.ingest(files: [data + "/\(view).parquet"], into: view)
        }
        spineFile = data + "/interactions.parquet"
        spine = try ParquetFile(path: spineFile).read()
    }
}

@Suite struct HistoricalAPITests {
    static let ranker = FeatureSelection.service("ranker_v1")

    @Test func chunkedFileSpineGivesTheInMemoryAnswer() throws {
        let tiny = try TinyDatabase.get()
        let whole = try tiny.db.historicalFeatures(spine: tiny.spine, features: Self.ranker)
        var options = HistoricalOptions()
        options.spineChunkRows = 700
        options.batchRows = 333
        var batches: [RecordBatch] = []
        let summary = try tiny.db.historicalFeatures(spineFile: tiny.spineFile, features: Self.ranker, options: options) { batches.append($0) }
        #expect(summary.chunks > 1, "a 700-row chunk limit must split the \(tiny.spine.rowCount)-row spine")
        #expect(batches.allSatisfy { $0.rowCount <= 333 })
        #expect(summary.rows == tiny.spine.rowCount)
        #expect(summary.views.map(\.matched) == whole.summary.views.map(\.matched))
        let streamed = try RecordBatch.concatenate(batches)
        #expect(CanonicalTable(streamed) == CanonicalTable(whole.batch))
        // The in-memory call chunks too, with the same answer.
        let chunked = try tiny.db.historicalFeatures(spine: tiny.spine, features: Self.ranker, options: options)
        #expect(chunked.summary.chunks > 1 && CanonicalTable(chunked.batch) == CanonicalTable(whole.batch))
    }

    @Test func outputKeepsTheSpineAndAddsFullNames() throws {
        let tiny = try TinyDatabase.get()
        let result = try tiny.db.historicalFeatures(spine: tiny.spine, features: Self.ranker)
        #expect(Array(result.batch.schema.names.prefix(tiny.spine.schema.count)) == tiny.spine.schema.names)
        for (name, column) in zip(tiny.spine.schema.names, tiny.spine.columns) {
            #expect(result.batch.column(named: name) == column, "spine column \(name) must be untouched")
        }
        #expect(result.batch.schema.names.contains("user_stats__visits_7d"))
        #expect(result.batch.schema.names.contains("item_stats__popularity"))
        #expect(result.summary.views.map(\.view) == ["user_stats", "item_stats", "user_item"])
        #expect(result.summary.views.allSatisfy { $0.version == 1 && $0.selectedBy == "latest" })
        #expect(result.summary.leakage.checked == result.summary.views.reduce(0) { $0 + $1.matched })
        #expect(result.summary.leakage.passed)
        // Every view matched some rows and missed some (the tiny world has cold starts).
        #expect(result.summary.views.allSatisfy { $0.matched > 0 && $0.matched <= tiny.spine.rowCount })
    }

    @Test func writtenParquetMatchesAndFailuresLeaveNothing() throws {
        let tiny = try TinyDatabase.get()
        let dir = try TemporaryDirectory()
        let out = dir.file("train.parquet")
        let summary = try tiny.db.writeHistoricalFeatures(spineFile: tiny.spineFile, features: Self.ranker, to: out)
        let written = try ParquetFile(path: out).read()
        let memory = try tiny.db.historicalFeatures(spine: tiny.spine, features: Self.ranker)
        #expect(summary.rows == written.rowCount)
        #expect(CanonicalTable(written) == CanonicalTable(memory.batch))
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(throws: DatabaseError.self) {
            try tiny.db.writeHistoricalFeatures(spineFile: tiny.spineFile, features: .references([FeatureReference(view: "user_stats", feature: "nope")]), to: out)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before, "a refused request must not touch the output")
        #expect(throws: DatabaseError.self) {
            try tiny.db.writeHistoricalFeatures(spineFile: tiny.spineFile, features: .service("nope"), to: dir.file("none.parquet"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.parquet")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["train.parquet"])
    }

    @Test func asOfVersionZeroSeesNothing() throws {
        let tiny = try TinyDatabase.get()
        var options = HistoricalOptions()
        options.asOf["user_stats"] = .version(0)
        let result = try tiny.db.historicalFeatures(spine: tiny.spine, features: Self.ranker, options: options)
        let lineage = try #require(result.summary.views.first { $0.view == "user_stats" })
        #expect(lineage.version == 0 && lineage.matched == 0 && lineage.selectedBy == "version 0")
        #expect(result.batch.column(named: "user_stats__visits_7d")?.nullCount == tiny.spine.rowCount)
        #expect(result.summary.views.first { $0.view == "item_stats" }?.matched ?? 0 > 0)
    }

    /// The snapshot holds, per user with a row in the ttl window, what a spine row at that
    /// time would get.
    @Test func entitySnapshotAgreesWithASpineAtTheSameTime() throws {
        let tiny = try TinyDatabase.get()
        let time = MarketplaceGenerator.startMicros + 90 * 86_400_000_000
        let features = FeatureSelection.references([FeatureReference(view: "user_stats", feature: nil)])
        let snapshot = try tiny.db.entitySnapshot(features: features, at: time)
        let users = try #require(snapshot.batch.column(named: "user_id")?.int64Values)
        #expect(snapshot.batch.schema.names.first == "user_id")
        #expect(Set(users).count == users.count, "one row per entity")

        // Users with a row inside [time - 30d, time], straight from the data.
        let rows = try tiny.db.snapshot(of: "user_stats").read(columns: ["user_id", "event_ts"])
        let ids = try #require(rows.columns[0].int64Values), events = try #require(rows.columns[1].int64Values)
        let ttl: Int64 = 30 * 86_400_000_000
        let expected = Set(zip(ids, events).filter { $0.1 <= time && $0.1 >= time - ttl }.map(\.0))
        #expect(Set(users) == expected)
        #expect(!expected.isEmpty)

        let spine = try RecordBatch(["user_id": .int64(users), "event_ts": .timestamp(users.map { _ in time })])
        let joined = try tiny.db.historicalFeatures(spine: spine, features: features)
        for name in snapshot.batch.schema.names where name != "user_id" {
            #expect(snapshot.batch.column(named: name) == joined.batch.column(named: name), "\(name)")
        }
    }
}

