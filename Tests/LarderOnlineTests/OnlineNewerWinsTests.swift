import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Testing

/// A row never replaces a newer one, by (event_ts, created_ts); ties go to the incoming row.
/// Overlays, tombstones and folds.
@Suite struct OnlineNewerWinsTests {
    typealias Data = OnlineTestData

    /// A store with keys 1, 2, 3 at event 100, created 10, scores 1, 2, 3.
    func makeStore(_ dir: TemporaryDirectory, maxOverlays: Int = 8) throws -> OnlineStoreWriter {
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema(), maxOverlays: maxOverlays)
        try writer.build(base: [Data.scores([(1, 1, 100, 10), (2, 2, 100, 10), (3, 3, 100, 10)])], tableVersion: 1)
        return writer
    }

    @Test func buildKeepsTheNewestRowPerKey() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        let published = try writer.build(base: [
            Data.scores([(1, 10, 100, 0), (1, 11, 300, 0), (1, 12, 200, 0)]),        // greatest event wins
            Data.scores([(2, 20, 100, 5), (2, 21, 100, 9), (2, 22, 100, 7)]),         // then greatest created
            Data.scores([(3, 30, 100, 5)]), Data.scores([(3, 31, 100, 5)]),           // full tie: the later row
        ], tableVersion: 1)
        #expect(published.inputRows == 8)
        #expect(published.rowCount == 3)
        let store = try OnlineStore.open(directory: dir.path)
        #expect(Data.score(store, 1) == 11)
        #expect(Data.score(store, 2) == 21)
        #expect(Data.score(store, 3) == 31)
    }

    @Test func overlayReplacesOlderRowsAndKeepsNewerOnes() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir)
        let published = try writer.writeOverlay(upserts: [Data.scores([
            (1, 100, 101, 0),   // newer event: replaces
            (2, 200, 99, 99),   // older event, newer created: ignored (event decides first)
            (3, 300, 100, 9),   // same event, older created: ignored
            (4, 400, 1, 1),     // new key: added
        ])], tableVersion: 2)
        #expect(published.rowCount == 2)
        #expect(published.overlayCount == 1)
        let store = try OnlineStore.open(directory: dir.path)
        #expect(store.overlayCount == 1)
        #expect(store.tableVersion == 2)
        #expect(Data.score(store, 1) == 100)
        #expect(Data.score(store, 2) == 2)
        #expect(Data.score(store, 3) == 3)
        #expect(Data.score(store, 4) == 400)
    }

    @Test func overlayTieGoesToTheIncomingRow() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir)
        try writer.writeOverlay(upserts: [Data.scores([(1, 111, 100, 10)])], tableVersion: 2)
        let store = try OnlineStore.open(directory: dir.path)
        #expect(Data.score(store, 1) == 111)
    }

    @Test func overlayComparesWithTheNewestOverlayNotJustTheBase() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir)
        try writer.writeOverlay(upserts: [Data.scores([(1, 50, 500, 0)])], tableVersion: 2)
        // Newer than the base's row, older than the first overlay's: ignored.
        let second = try writer.writeOverlay(upserts: [Data.scores([(1, 60, 400, 0)])], tableVersion: 3)
        #expect(second.rowCount == 0)
        let store = try OnlineStore.open(directory: dir.path)
        #expect(Data.score(store, 1) == 50)
        #expect(store.overlayCount == 2)
    }

    @Test func tombstonesDeleteAndKeepOlderRowsOut() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir)
        let deleted = try writer.writeOverlay(upserts: [], deletions: [Data.deletions([(1, 200, 0), (2, 50, 0)])], tableVersion: 2)
        #expect(deleted.tombstoneCount == 1)   // the deletion of key 2 is older than its row
        var store = try OnlineStore.open(directory: dir.path)
        #expect(store.lookup(Int64(1)) == nil)
        #expect(Data.score(store, 2) == 2)
        // An older row for the deleted key stays out; a newer one brings it back.
        try writer.writeOverlay(upserts: [Data.scores([(1, 7, 150, 0)])], tableVersion: 3)
        #expect(try store.refresh())
        #expect(store.lookup(Int64(1)) == nil)
        try writer.writeOverlay(upserts: [Data.scores([(1, 8, 250, 0)])], tableVersion: 4)
        #expect(try store.refresh())
        #expect(Data.score(store, 1) == 8)
    }

    @Test func foldMergesOverlaysIntoOneBase() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir)
        try writer.writeOverlay(upserts: [Data.scores([(1, 10, 200, 0), (4, 40, 1, 0)])], tableVersion: 2)
        try writer.writeOverlay(upserts: [Data.scores([(1, 11, 300, 0)])], deletions: [Data.deletions([(2, 500, 0)])], tableVersion: 3)
        let folded = try writer.fold()
        #expect(folded.folded)
        #expect(folded.overlayCount == 0)
        #expect(folded.rowCount == 4)          // keys 1, 3, 4 and the tombstone of 2
        #expect(folded.tombstoneCount == 1)
        let store = try OnlineStore.open(directory: dir.path, verification: .full)
        #expect(store.overlayCount == 0)
        #expect(store.files.count == 1)
        #expect(store.tableVersion == 3)
        #expect(Data.score(store, 1) == 11)
        #expect(store.lookup(Int64(2)) == nil)
        #expect(Data.score(store, 3) == 3)
        #expect(Data.score(store, 4) == 40)
        // The tombstone survives the fold: an older row for key 2 stays out.
        try writer.writeOverlay(upserts: [Data.scores([(2, 22, 400, 0)])], tableVersion: 4)
        #expect(try OnlineStore.open(directory: dir.path).lookup(Int64(2)) == nil)
        // Old files are gone from the directory.
        let names = try Posix.listDirectory(dir.path).filter { $0.hasSuffix(".data") }
        #expect(Set(names) == Set(try OnlineStore.open(directory: dir.path).files))
    }

    @Test func tooManyOverlaysFoldAutomatically() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir, maxOverlays: 2)
        for i in 0 ..< 2 {
            let p = try writer.writeOverlay(upserts: [Data.scores([(Int64(10 + i), Int64(i), 1, 0)])], tableVersion: Int64(2 + i))
            #expect(!p.folded)
        }
        let third = try writer.writeOverlay(upserts: [Data.scores([(12, 2, 1, 0)])], tableVersion: 4)
        #expect(third.folded)
        #expect(third.overlayCount == 0)
        let store = try OnlineStore.open(directory: dir.path)
        #expect(store.overlayCount == 0)
        #expect((10 ... 12).map { Data.score(store, Int64($0)) } == [0, 1, 2])
        #expect(Data.score(store, 1) == 1)
    }

    @Test func rebuildDropsOverlaysAndTombstones() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir)
        try writer.writeOverlay(upserts: [], deletions: [Data.deletions([(1, 900, 0)])], tableVersion: 2)
        try writer.build(base: [Data.scores([(1, 5, 1, 0)])], tableVersion: 3)
        let store = try OnlineStore.open(directory: dir.path)
        #expect(store.overlayCount == 0)
        #expect(Data.score(store, 1) == 5)
        #expect(store.lookup(Int64(2)) == nil)
    }

    @Test func overlayBeforeAnyBaseIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        Data.expectCode(.notFound) {
            try writer.writeOverlay(upserts: [Data.scores([(1, 1, 1, 1)])], tableVersion: 1)
        }
    }

    @Test func overlayWithAnotherSchemaIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        _ = try makeStore(dir)
        let other = try OnlineStoreWriter(directory: dir.path, schema: OnlineSchema(
            keys: [Field("user_id", .int64)], values: [Field("score", .int32)]))
        Data.expectCode(.schemaMismatch) {
            try other.writeOverlay(upserts: [], tableVersion: 2)
        }
    }

    @Test func badBatchesAreRefusedBeforeAnythingIsWritten() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try makeStore(dir)
        let before = try Posix.listDirectory(dir.path).sorted()
        Data.expectCode(.invalidArgument) {   // no event column
            try writer.writeOverlay(upserts: [RecordBatch(["user_id": .int64([1]), "score": .int64([1])])], tableVersion: 2)
        }
        Data.expectCode(.invalidArgument) {   // wrong value type
            try writer.build(base: [RecordBatch(["user_id": .int64([1]), "score": .int32([1]), "event_ts": .timestamp([1])])], tableVersion: 2)
        }
        Data.expectCode(.invalidArgument) {   // null key
            try writer.build(base: [RecordBatch(["user_id": .int64([1, 2], validity: Bitmap([true, false])),
                                                 "score": .int64([1, 2]), "event_ts": .timestamp([1, 1])])], tableVersion: 2)
        }
        #expect(try Posix.listDirectory(dir.path).sorted() == before)
        #expect(Data.score(try OnlineStore.open(directory: dir.path), 1) == 1)
    }

    /// A fold copies every type, nulls and string keys from the base and the overlays, and
    /// re-packs their heap data into the new base.
    @Test func foldKeepsEveryTypeAndStringKeys() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let fields = OnlineRoundTripTests.allTypes
        let schema = try OnlineSchema(keys: [Field("country", .string), Field("user", .string)], values: fields)
        var rng = SplitMix64(seed: 11)
        // Three generations of rows for 40 keys; each generation newer than the last.
        var expected: [[Value]: [Value]] = [:]
        func batch(_ keys: Range<Int>, generation: Int64) throws -> RecordBatch {
            let rows = keys.count
            let values = fields.map { RandomData.column($0.type, rows: rows, rng: &rng, nullProbability: 0.3) }
            let countries = keys.map { "c\($0 % 3)" }, users = keys.map { "user-\($0)-é" }
            for i in 0 ..< rows {
                expected[[.string(countries[i]), .string(users[i])]] = values.map { $0[i] }
            }
            return try RecordBatch(
                schema: Schema([Field("country", .string), Field("user", .string)] + fields + [Field("event_ts", .timestamp)]),
                columns: [.string(countries), .string(users)] + values + [.timestamp([Int64](repeating: generation, count: rows))])
        }
        let writer = try OnlineStoreWriter(directory: dir.path, schema: schema)
        try writer.build(base: [batch(0 ..< 40, generation: 1)], tableVersion: 1)
        try writer.writeOverlay(upserts: [batch(10 ..< 25, generation: 2)], tableVersion: 2)
        try writer.writeOverlay(upserts: [batch(20 ..< 30, generation: 3)], tableVersion: 3)
        let deleted = try OnlineKey([.string("c0"), .string("user-0-é")], schema: schema)
        try writer.writeOverlay(upserts: [], deletions: [RecordBatch([
            "country": .string(["c0"]), "user": .string(["user-0-é"]), "event_ts": .timestamp([9]),
        ])], tableVersion: 4)
        expected[[.string("c0"), .string("user-0-é")]] = nil

        func check(_ store: OnlineStore) throws {
            #expect(store.lookup(deleted) == nil)
            for (key, values) in expected {
                let row = try #require(store.lookup(try OnlineKey(key, schema: schema)))
                #expect(row.key == key)
                for c in fields.indices {
                    #expect(OnlineRoundTripTests.same(row.value(c), values[c]), "\(key) \(fields[c].name)")
                }
            }
        }
        try check(try OnlineStore.open(directory: dir.path, verification: .full))
        let folded = try writer.fold()
        #expect(folded.rowCount == 40)   // 39 rows and one tombstone
        try check(try OnlineStore.open(directory: dir.path, verification: .full))
    }
}
