import Foundation
import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Synchronization
import Testing

/// Readers during publishes see whole states only; a writer stopped between any two steps of
/// a publish leaves the previous state (or the complete new one) readable.
@Suite struct OnlineConcurrencyTests {
    typealias Data = OnlineTestData

    static let keys = 300

    /// Publish `i` sets every key's score and event time to `i`: a reader that finds two keys
    /// with different scores in one snapshot has seen a torn state.
    static func generation(_ i: Int64) throws -> RecordBatch {
        try Data.scores((0 ..< keys).map { (Int64($0), i, i, 0) })
    }

    /// Checks one snapshot: every key present with the same score; returns it.
    static func consistentScore(_ store: OnlineStore) -> Int64? {
        let first = store.lookup(Int64(0))?.int64(0)
        for key in 1 ..< Int64(keys) where store.lookup(key)?.int64(0) != first { return nil }
        return first
    }

    final class Flag: Sendable {
        let done = Atomic<Bool>(false)
        let failures = Mutex<[String]>([])
        func fail(_ message: String) { failures.withLock { $0.append(message) } }
    }

    /// Runs `body` on a new thread; the returned semaphore is signalled when it ends.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            finished.signal()
        }
        thread.start()
        return finished
    }

    @Test func readersNeverSeeATornStateWhileAWriterPublishes() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let path = dir.path
        let writer = try OnlineStoreWriter(directory: path, schema: Data.scoreSchema(), maxOverlays: 3)
        try writer.build(base: [Self.generation(0)], tableVersion: 0)
        let flag = Flag()
        let publishes: Int64 = 40
        let counts = Mutex<(refreshes: Int, opens: Int)>((0, 0))

        // Reader 1 keeps one store and refreshes it: scores only grow, every snapshot whole.
        let refresher = Self.spawn {
            do {
                var store = try OnlineStore.open(directory: path)
                var last: Int64 = 0
                var rounds = 0
                while !flag.done.load(ordering: .acquiring) || rounds < 3 {
                    if try store.refresh() { counts.withLock { $0.refreshes += 1 } }
                    guard let score = Self.consistentScore(store) else { flag.fail("torn snapshot at generation \(store.generation)"); return }
                    if score < last { flag.fail("score went back from \(last) to \(score)") }
                    last = score
                    rounds += 1
                }
            } catch {
                flag.fail("refreshing reader: \(error)")
            }
        }
        // Reader 2 opens the store afresh each round, racing the writer's removal of old files.
        let opener = Self.spawn {
            do {
                var rounds = 0
                while !flag.done.load(ordering: .acquiring) || rounds < 3 {
                    let store = try OnlineStore.open(directory: path)
                    if Self.consistentScore(store) == nil { flag.fail("torn snapshot at generation \(store.generation)") }
                    counts.withLock { $0.opens += 1 }
                    rounds += 1
                }
            } catch {
                flag.fail("opening reader: \(error)")
            }
        }
        for i in 1 ... publishes {
            try writer.writeOverlay(upserts: [Self.generation(i)], tableVersion: i)
        }
        flag.done.store(true, ordering: .releasing)
        refresher.wait()
        opener.wait()

        #expect(flag.failures.withLock { $0 } == [])
        #expect(counts.withLock { $0.opens } >= 3)
        let final = try OnlineStore.open(directory: path, verification: .full)
        #expect(Self.consistentScore(final) == publishes)
        #expect(final.tableVersion == publishes)
    }

    @Test func rowsOfAnOldSnapshotStayReadableAfterItsFilesAreRemoved() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        try writer.build(base: [Self.generation(1)], tableVersion: 1)
        var store = try OnlineStore.open(directory: dir.path)
        let oldRow = try #require(store.lookup(Int64(5)))
        let oldFiles = store.files
        try writer.build(base: [Self.generation(2)], tableVersion: 2)
        for name in oldFiles { #expect(!FileManager.default.fileExists(atPath: dir.file(name))) }
        // The old snapshot and a row taken from it still read the unlinked file.
        #expect(oldRow.int64(0) == 1)
        #expect(Self.consistentScore(store) == 1)
        #expect(try store.refresh())
        #expect(Self.consistentScore(store) == 2)
        #expect(try store.refresh() == false)
    }

    @Test func refreshKeepsTheMappedBaseWhenOnlyAnOverlayWasAdded() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        try writer.build(base: [Self.generation(1)], tableVersion: 1)
        var store = try OnlineStore.open(directory: dir.path)
        let base = store.state.base
        try writer.writeOverlay(upserts: [Data.scores([(7, 70, 9, 0)])], tableVersion: 2)
        #expect(try store.refresh())
        #expect(store.state.base === base)
        #expect(store.lookup(Int64(7))?.int64(0) == 70)
        #expect(store.lookup(Int64(8))?.int64(0) == 1)
    }

    /// A writer stopped at each step of an overlay publish: readers see the old state before
    /// CURRENT is renamed and the new one after; the next writer cleans up and succeeds.
    @Test(arguments: PublishStep.allCases)
    func crashAtEachPublishStepLeavesAReadableState(step: PublishStep) throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let schema = try Data.scoreSchema()
        try OnlineStoreWriter(directory: dir.path, schema: schema).build(base: [Self.generation(1)], tableVersion: 1)
        var crashing = try OnlineStoreWriter(directory: dir.path, schema: schema)
        crashing.faultHook = { reached in
            if reached == step { throw OnlineStoreError(.simulatedCrash, "stopped at \(reached)") }
        }
        Data.expectCode(.simulatedCrash) { try crashing.writeOverlay(upserts: [Self.generation(2)], tableVersion: 2) }

        let store = try OnlineStore.open(directory: dir.path, verification: .full)
        #expect(Self.consistentScore(store) == (step == .currentRenamed ? 2 : 1))

        let writer = try OnlineStoreWriter(directory: dir.path, schema: schema)
        try writer.writeOverlay(upserts: [Self.generation(3)], tableVersion: 3)
        let after = try OnlineStore.open(directory: dir.path, verification: .full)
        #expect(Self.consistentScore(after) == 3)
        // Nothing is left but LOCK, CURRENT and the files CURRENT names.
        let names = Set(try Posix.listDirectory(dir.path))
        #expect(names == Set(after.files + ["CURRENT", "LOCK"]))
    }

    @Test func concurrentWritersTakeTurns() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let path = dir.path
        let schema = try Data.scoreSchema()
        try OnlineStoreWriter(directory: path, schema: schema).build(base: [Data.scores([(0, 0, 0, 0)])], tableVersion: 0)
        let flag = Flag()
        // Two writers in two threads, each adding its own keys; no write may be lost.
        let threads = (0 ..< 2).map { w in
            Self.spawn {
                do {
                    let writer = try OnlineStoreWriter(directory: path, schema: schema, maxOverlays: 4)
                    for i in 0 ..< 10 {
                        let key = Int64(1 + w * 100 + i)
                        try writer.writeOverlay(upserts: [Data.scores([(key, key, 1, 0)])], tableVersion: 1)
                    }
                } catch {
                    flag.fail("writer \(w): \(error)")
                }
            }
        }
        for t in threads { t.wait() }
        #expect(flag.failures.withLock { $0 } == [])
        let store = try OnlineStore.open(directory: path, verification: .full)
        for w in 0 ..< 2 {
            for i in 0 ..< 10 {
                let key = Int64(1 + w * 100 + i)
                #expect(store.lookup(key)?.int64(0) == key)
            }
        }
    }
}
