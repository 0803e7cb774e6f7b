import Foundation
import LarderTestSupport
import Synchronization
import Testing

@testable import LarderTable

/// PosixStorage's operations and FaultInjectingStorage's failures and crashes, on real files.
@Suite struct StorageTests {
    let storage = PosixStorage()

    /// Both ways of publishing: renameat2(RENAME_NOREPLACE) (with its automatic fallback) and
    /// the forced link + unlink fallback.
    static let strategies: [PosixStorage.PublishStrategy] = [.renameNoReplace, .linkAndUnlink]

    // MARK: Helpers

    /// Runs `body`, expecting a TableError with `code` that names `path`.
    @discardableResult
    func expectError(_ code: TableError.Code, naming path: String,
                     sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) -> TableError? {
        let error = #expect(throws: TableError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.code == code, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.path == path, sourceLocation: sourceLocation)
        #expect(error.map { "\($0)".contains(path) } == true, sourceLocation: sourceLocation)
        return error
    }

    /// Names in `directory` that look like temporary files (hidden, `.tmp-` inside).
    func temporaries(in directory: String) throws -> [String] {
        try storage.list(directory).filter { $0.hasPrefix(".") && $0.contains(".tmp-") }
    }

    func bytes(_ value: UInt8, count: Int) -> [UInt8] {
        [UInt8](repeating: value, count: count)
    }

    // MARK: Directories and listing

    @Test func createDirectoryMakesMissingParents() throws {
        let dir = try TemporaryDirectory()
        let nested = dir.file("a/b/c")
        try storage.createDirectory(nested)
        #expect(try storage.attributes(nested).isDirectory)
        try storage.createDirectory(nested)  // existing: fine
        try storage.createDirectory(nested + "/")
        #expect(try storage.list(dir.file("a/b")) == ["c"])
    }

    @Test func createDirectoryOverAFileThrowsNamingThePath() throws {
        let dir = try TemporaryDirectory()
        try storage.writeDurably([1], to: dir.file("f"))
        expectError(.io, naming: dir.file("f")) { try storage.createDirectory(dir.file("f")) }
        #expect(throws: TableError.self) { try storage.createDirectory(dir.file("f/sub")) }
    }

    @Test func existsSeesFilesDirectoriesAndDanglingLinks() throws {
        let dir = try TemporaryDirectory()
        #expect(storage.exists(dir.path))
        #expect(!storage.exists(dir.file("missing")))
        try storage.writeDurably([], to: dir.file("empty"))
        #expect(storage.exists(dir.file("empty")))
        try FileManager.default.createSymbolicLink(atPath: dir.file("dangling"), withDestinationPath: dir.file("nowhere"))
        #expect(storage.exists(dir.file("dangling")))
    }

    @Test func listReturnsEntryNamesWithoutDotEntries() throws {
        let dir = try TemporaryDirectory()
        #expect(try storage.list(dir.path).isEmpty)
        for name in ["00000000000000000000.json", "part-1.parquet", "x y"] {
            try storage.writeDurably([7], to: dir.file(name))
        }
        try storage.createDirectory(dir.file("_delta_log"))
        #expect(Set(try storage.list(dir.path)) == ["00000000000000000000.json", "part-1.parquet", "x y", "_delta_log"])
    }

    @Test func listMissingDirectoryThrowsNotFound() throws {
        let dir = try TemporaryDirectory()
        expectError(.notFound, naming: dir.file("nope")) { _ = try storage.list(dir.file("nope")) }
    }

    @Test func listAFileThrowsIO() throws {
        let dir = try TemporaryDirectory()
        try storage.writeDurably([1], to: dir.file("f"))
        expectError(.io, naming: dir.file("f")) { _ = try storage.list(dir.file("f")) }
    }

    // MARK: Reading, attributes, removal

    @Test func readReturnsTheWholeFile() throws {
        let dir = try TemporaryDirectory()
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        try storage.writeDurably(big, to: dir.file("big"))
        #expect(try storage.read(dir.file("big")) == big)
        try storage.writeDurably([], to: dir.file("empty"))
        #expect(try storage.read(dir.file("empty")) == [])
    }

    @Test func readMissingFileThrowsNotFoundNamingThePath() throws {
        let dir = try TemporaryDirectory()
        let error = expectError(.notFound, naming: dir.file("gone.json")) { _ = try storage.read(dir.file("gone.json")) }
        #expect(error?.message.contains("No such file") == true)  // the OS's own text
    }

    @Test func readADirectoryThrowsIO() throws {
        let dir = try TemporaryDirectory()
        expectError(.io, naming: dir.path) { _ = try storage.read(dir.path) }
    }

    @Test func attributesGiveSizeKindAndModificationTime() throws {
        let dir = try TemporaryDirectory()
        try storage.writeDurably(bytes(3, count: 1234), to: dir.file("f"))
        let attributes = try storage.attributes(dir.file("f"))
        #expect(attributes.size == 1234)
        #expect(!attributes.isDirectory)
        let date = try #require(FileManager.default.attributesOfItem(atPath: dir.file("f"))[.modificationDate] as? Date)
        let expected = date.timeIntervalSince1970 * 1_000_000
        #expect(abs(Double(attributes.modified) - expected) < 2)  // same clock, microseconds
        #expect(try storage.attributes(dir.path).isDirectory)
        expectError(.notFound, naming: dir.file("missing")) { _ = try storage.attributes(dir.file("missing")) }
    }

    @Test func removeDeletesAndToleratesMissingFiles() throws {
        let dir = try TemporaryDirectory()
        try storage.writeDurably([1, 2], to: dir.file("f"))
        try storage.remove(dir.file("f"))
        #expect(!storage.exists(dir.file("f")))
        try storage.remove(dir.file("f"))
        try storage.createDirectory(dir.file("d"))
        expectError(.io, naming: dir.file("d")) { try storage.remove(dir.file("d")) }
    }

    @Test func syncDirectoryAcceptsDirectoriesAndReportsMissingOnes() throws {
        let dir = try TemporaryDirectory()
        try storage.syncDirectory(dir.path)
        expectError(.notFound, naming: dir.file("missing")) { try storage.syncDirectory(dir.file("missing")) }
    }

    // MARK: Durable writes

    @Test func writeDurablyCreatesThenReplacesLeavingNoTemporaries() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("_last_checkpoint")
        try storage.writeDurably(bytes(1, count: 5000), to: path)
        #expect(try storage.read(path) == bytes(1, count: 5000))
        try storage.writeDurably(bytes(2, count: 10), to: path)
        #expect(try storage.read(path) == bytes(2, count: 10))
        #expect(try storage.list(dir.path) == ["_last_checkpoint"])
    }

    @Test func writeDurablyIntoMissingDirectoryThrowsNamingTheTarget() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("no/such/dir/file")
        expectError(.notFound, naming: path) { try storage.writeDurably([1], to: path) }
        #expect(try storage.list(dir.path).isEmpty)
    }

    @Test func writeDurablyIsAtomicForAConcurrentReader() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("f")
        let large = bytes(0xAA, count: 1 << 20), small = bytes(0xBB, count: 10)
        try storage.writeDurably(large, to: path)
        let done = Atomic<Bool>(false)
        let torn = Atomic<Int>(0), reads = Atomic<Int>(0)
        let storage = self.storage
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            if worker == 0 {
                for round in 0..<40 { try? storage.writeDurably(round % 2 == 0 ? small : large, to: path) }
                done.store(true, ordering: .releasing)
            } else {
                repeat {
                    let seen = (try? storage.read(path)) ?? []
                    if seen != large && seen != small { torn.add(1, ordering: .relaxed) }
                    reads.add(1, ordering: .relaxed)
                } while !done.load(ordering: .acquiring)
            }
        }
        #expect(torn.load(ordering: .relaxed) == 0)
        #expect(reads.load(ordering: .relaxed) >= 1)
        #expect(try storage.read(path) == large)
        #expect(try temporaries(in: dir.path).isEmpty)
    }

    @Test func temporaryNamesAreHiddenSiblingsThatNeverLookLikeLogEntries() throws {
        let target = "/t/_delta_log/00000000000000000007.json"
        let a = PosixStorage.temporaryPath(for: target), b = PosixStorage.temporaryPath(for: target)
        #expect(a != b)
        let (directory, name) = splitPath(a)
        #expect(directory == "/t/_delta_log")
        #expect(name.hasPrefix(".00000000000000000007.json.tmp-\(getpid())-"))
        #expect(!name.hasSuffix(".json"))
        #expect(PosixStorage.isTemporaryName(name))
        #expect(!PosixStorage.isTemporaryName("00000000000000000007.json"))
        #expect(splitPath(PosixStorage.temporaryPath(for: "f")).directory == ".")
    }

    @Test func splitPathHandlesRootsRelativePathsAndTrailingSlashes() {
        #expect(splitPath("a/b/c") == ("a/b", "c"))
        #expect(splitPath("c") == (".", "c"))
        #expect(splitPath("/c") == ("/", "c"))
        #expect(splitPath("/a/b/") == ("/a", "b"))
        #expect(splitPath("a//b") == ("a", "b"))
    }

    // MARK: Put-if-absent

    @Test(arguments: strategies)
    func publishIfAbsentPublishesOnceAndNeverOverwrites(strategy: PosixStorage.PublishStrategy) throws {
        let storage = PosixStorage(publishStrategy: strategy)
        let dir = try TemporaryDirectory()
        let path = dir.file("00000000000000000000.json")
        #expect(try storage.publishIfAbsent(bytes(1, count: 100), at: path))
        let before = try storage.attributes(path)
        #expect(try storage.publishIfAbsent(bytes(2, count: 7), at: path) == false)
        #expect(try storage.read(path) == bytes(1, count: 100))
        #expect(try storage.attributes(path) == before)
        #expect(try storage.list(dir.path) == ["00000000000000000000.json"])
    }

    @Test(arguments: strategies)
    func publishIfAbsentTreatsADanglingLinkAsExisting(strategy: PosixStorage.PublishStrategy) throws {
        let storage = PosixStorage(publishStrategy: strategy)
        let dir = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir.file("x"), withDestinationPath: dir.file("nowhere"))
        #expect(try storage.publishIfAbsent([1], at: dir.file("x")) == false)
        #expect(!storage.exists(dir.file("nowhere")))
        #expect(try temporaries(in: dir.path).isEmpty)
    }

    @Test(arguments: strategies)
    func publishIfAbsentIntoMissingDirectoryThrowsNamingTheTarget(strategy: PosixStorage.PublishStrategy) throws {
        let storage = PosixStorage(publishStrategy: strategy)
        let dir = try TemporaryDirectory()
        let path = dir.file("_delta_log/00000000000000000000.json")
        expectError(.notFound, naming: path) { _ = try storage.publishIfAbsent([1], at: path) }
    }

    @Test(arguments: strategies)
    func racingPublishersExactlyOneWins(strategy: PosixStorage.PublishStrategy) throws {
        let storage = PosixStorage(publishStrategy: strategy)
        let dir = try TemporaryDirectory()
        for round in 0..<25 {
            let path = dir.file(String(format: "%020d.json", round))
            let winners = Mutex<[Int]>([]), failures = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 8) { writer in
                do {
                    let payload = [UInt8](repeating: UInt8(writer), count: 1000 + writer)
                    if try storage.publishIfAbsent(payload, at: path) { winners.withLock { $0.append(writer) } }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
            #expect(failures.load(ordering: .relaxed) == 0)
            let won = winners.withLock { $0 }
            try #require(won.count == 1, "round \(round): winners \(won)")
            #expect(try storage.read(path) == [UInt8](repeating: UInt8(won[0]), count: 1000 + won[0]))
        }
        #expect(try temporaries(in: dir.path).isEmpty)
        #expect(try storage.list(dir.path).count == 25)
    }

    // MARK: Injected I/O failures

    @Test(arguments: [DurableWriteStep.beforeWrite, .afterWrite, .afterSync])
    func injectedPublishFailureRemovesTheTemporaryAndPublishesNothing(step: DurableWriteStep) throws {
        let dir = try TemporaryDirectory()
        let faulty = FaultInjectingStorage()
        faulty.inject(.failPublish(call: 2, at: step))
        let first = dir.file("00000000000000000000.json"), second = dir.file("00000000000000000001.json")
        #expect(try faulty.publishIfAbsent([0], at: first))
        expectError(.io, naming: second) { _ = try faulty.publishIfAbsent([1], at: second) }
        #expect(try storage.list(dir.path) == ["00000000000000000000.json"])
        #expect(!faulty.hasCrashed)
        #expect(try faulty.publishIfAbsent([1], at: second))  // the storage stays usable: call 3
        #expect(try faulty.read(second) == [1])
        #expect(faulty.publishCalls == 3)
    }

    @Test func injectedFailureAfterRenameLeavesThePublishedFile() throws {
        let dir = try TemporaryDirectory()
        let faulty = FaultInjectingStorage()
        faulty.inject(.failPublish(call: 1, at: .afterRename))
        let path = dir.file("00000000000000000000.json")
        expectError(.io, naming: path) { _ = try faulty.publishIfAbsent([9], at: path) }
        #expect(try storage.list(dir.path) == ["00000000000000000000.json"])
        #expect(try faulty.read(path) == [9])
    }

    @Test(arguments: DurableWriteStep.allCases)
    func injectedWriteFailureKeepsTheOldFileUntilTheRename(step: DurableWriteStep) throws {
        let dir = try TemporaryDirectory()
        let faulty = FaultInjectingStorage()
        let path = dir.file("_last_checkpoint")
        try faulty.writeDurably([1], to: path)
        faulty.inject(.failWrite(call: 2, at: step))
        expectError(.io, naming: path) { try faulty.writeDurably([2, 2], to: path) }
        #expect(try storage.read(path) == (step == .afterRename ? [2, 2] : [1]))
        #expect(try storage.list(dir.path) == ["_last_checkpoint"])
        #expect(faulty.writeCalls == 2)
    }

    // MARK: Simulated crashes

    struct CrashCase: Sendable, CustomStringConvertible {
        var strategy: PosixStorage.PublishStrategy
        var step: DurableWriteStep
        var description: String { "\(strategy), \(step)" }
    }

    static let crashCases = strategies.flatMap { strategy in
        DurableWriteStep.allCases.map { CrashCase(strategy: strategy, step: $0) }
    }

    /// After a crash, every throwing operation reports it.
    func expectDead(_ faulty: FaultInjectingStorage, in dir: TemporaryDirectory) {
        let path = dir.file("anything")
        #expect(faulty.hasCrashed)
        let calls: [(String, () throws -> Void)] = [
            ("createDirectory", { try faulty.createDirectory(dir.file("d")) }),
            ("list", { _ = try faulty.list(dir.path) }),
            ("read", { _ = try faulty.read(path) }),
            ("writeDurably", { try faulty.writeDurably([1], to: path) }),
            ("publishIfAbsent", { _ = try faulty.publishIfAbsent([1], at: path) }),
            ("remove", { try faulty.remove(path) }),
            ("attributes", { _ = try faulty.attributes(dir.path) }),
            ("syncDirectory", { try faulty.syncDirectory(dir.path) }),
        ]
        for (name, call) in calls {
            let error = #expect(throws: TableError.self, "\(name)") { try call() }
            #expect(error?.code == .simulatedCrash, "\(name)")
        }
        #expect(!storage.exists(path))
        #expect(!storage.exists(dir.file("d")))
    }

    @Test(arguments: crashCases)
    func crashDuringPublishLeavesTheStateOfThatStep(crash: CrashCase) throws {
        let dir = try TemporaryDirectory()
        let faulty = FaultInjectingStorage(wrapping: PosixStorage(publishStrategy: crash.strategy))
        faulty.inject(.crashPublish(call: 2, at: crash.step))
        let first = dir.file("00000000000000000000.json"), second = dir.file("00000000000000000001.json")
        #expect(try faulty.publishIfAbsent([0], at: first))
        expectError(.simulatedCrash, naming: second) { _ = try faulty.publishIfAbsent([1, 1, 1], at: second) }

        #expect(try storage.read(first) == [0])
        #expect(storage.exists(second) == (crash.step == .afterRename))
        let leftovers = try temporaries(in: dir.path)
        switch crash.step {
        case .beforeWrite, .afterRename:
            #expect(leftovers.isEmpty)
        case .afterWrite, .afterSync:
            // A crashed process cleans nothing up: its temporary file, complete, remains.
            try #require(leftovers.count == 1)
            #expect(leftovers[0].hasPrefix(".00000000000000000001.json.tmp-"))
            #expect(try storage.read(dir.file(leftovers[0])) == [1, 1, 1])
        }
        if crash.step == .afterRename { #expect(try storage.read(second) == [1, 1, 1]) }
        expectDead(faulty, in: dir)
        #expect(faulty.exists(first))  // exists cannot throw: it keeps answering
        #expect(faulty.publishCalls == 3)
    }

    @Test(arguments: DurableWriteStep.allCases)
    func crashDuringWriteKeepsTheOldFileUntilTheRename(step: DurableWriteStep) throws {
        let dir = try TemporaryDirectory()
        let faulty = FaultInjectingStorage()
        let path = dir.file("_last_checkpoint")
        try faulty.writeDurably([1], to: path)
        faulty.inject(.crashWrite(call: 2, at: step))
        expectError(.simulatedCrash, naming: path) { try faulty.writeDurably([2, 2], to: path) }
        #expect(try storage.read(path) == (step == .afterRename ? [2, 2] : [1]))
        let leftovers = try temporaries(in: dir.path)
        #expect(leftovers.count == ((step == .afterWrite || step == .afterSync) ? 1 : 0))
        expectDead(faulty, in: dir)
    }

    @Test func faultsFireOnlyOnTheirCallAndOperation() throws {
        let dir = try TemporaryDirectory()
        let faulty = FaultInjectingStorage()
        faulty.inject(.crashWrite(call: 1, at: .afterSync))   // writes only: publishes unaffected
        faulty.inject(.failPublish(call: 2))
        #expect(try faulty.publishIfAbsent([1], at: dir.file("a")))
        #expect(throws: TableError.self) { _ = try faulty.publishIfAbsent([2], at: dir.file("b")) }
        #expect(try faulty.publishIfAbsent([3], at: dir.file("c")))
        #expect(!faulty.hasCrashed)
        _ = try faulty.list(dir.path)
        _ = try faulty.read(dir.file("a"))
        _ = faulty.exists(dir.file("a"))
        #expect(faulty.publishCalls == 3)
        #expect(faulty.callCount(.list) == 1)
        #expect(faulty.callCount(.read) == 1)
        #expect(faulty.callCount(.exists) == 1)
        #expect(faulty.writeCalls == 0)
        #expect(throws: TableError.self) { try faulty.writeDurably([4], to: dir.file("d")) }
        #expect(faulty.hasCrashed)
    }
}
