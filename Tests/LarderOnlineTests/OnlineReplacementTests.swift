import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Testing

/// Replacements and removals: overlay rows that replace the stored row even when it is newer
/// (materialization after an offline delete), and that stay in force through folds.
@Suite struct OnlineReplacementTests {
    typealias Data = OnlineTestData

    @Test func replacementsAndRemovalsOverrideNewerRows() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        try writer.build(base: [Data.scores([(1, 1, 100, 10), (2, 2, 100, 10), (3, 3, 100, 10)])], tableVersion: 1)
        let published = try writer.writeOverlay(
            upserts: [Data.scores([(3, 30, 50, 0)])],                      // older: ignored
            replacements: [Data.scores([(1, 10, 50, 0)])],                 // older, but replaces
            removals: [Data.deletions([(2, .min, .min)])], tableVersion: 2)
        #expect(published.rowCount == 2)
        #expect(published.tombstoneCount == 1)
        var store = try OnlineStore.open(directory: dir.path)
        #expect(Data.score(store, 1) == 10)
        #expect(Data.score(store, 2) == nil)
        #expect(Data.score(store, 3) == 3)
        // A later, older row brings a removed entity back (a removal is as old as can be) and
        // replaces a replacement only if it is not older.
        try writer.writeOverlay(upserts: [Data.scores([(2, 20, 1, 0), (1, 11, 49, 0)])], tableVersion: 3)
        try store.refresh()
        #expect(Data.score(store, 2) == 20)
        #expect(Data.score(store, 1) == 10)
    }

    @Test func foldsKeepTheNewestFilesRowNotTheNewestTimestamp() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        try writer.build(base: [Data.scores([(1, 1, 100, 10), (2, 2, 100, 10), (3, 3, 100, 10)])], tableVersion: 1)
        try writer.writeOverlay(upserts: [], replacements: [Data.scores([(1, 10, 50, 0)])],
                                removals: [Data.deletions([(2, .min, .min)])], tableVersion: 2)
        let folded = try writer.fold()
        #expect(folded.folded)
        let store = try OnlineStore.open(directory: dir.path)
        #expect(store.overlayCount == 0)
        #expect(Data.score(store, 1) == 10, "the replacement survives the fold")
        #expect(Data.score(store, 2) == nil, "the removal survives the fold")
        #expect(Data.score(store, 3) == 3)
        #expect(store.lookup(Int64(1))?.eventTimestamp == 50)
    }
}
