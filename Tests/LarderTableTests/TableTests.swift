import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing
@testable import LarderTable

/// Every table operation is one commit, and every version reads back as it was.
@Suite struct TableTests {
    static let schema: Schema = {
        do {
            return try Schema([Field("user_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false),
                               Field("spend", .float64), Field("city", .string)])
        } catch { preconditionFailure("\(error)") }
    }()

    static func rows(_ ids: [Int64], ts: Int64 = 1_767_225_600_000_000) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            .int64(ids), .timestamp(ids.map { ts + $0 * 1_000_000 }),
            .float64(ids.map { Double($0) / 2 }), .string(ids.map { $0 % 3 == 0 ? nil : "c\($0 % 5)" }),
        ])
    }

    static func ids(_ batch: RecordBatch) -> [Int64] {
        (batch.column(named: "user_id")?.int64Values ?? []).sorted()
    }

    @Test func createAppendReadEveryVersion() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema, sortColumns: ["user_id", "event_ts"])
        try table.append([Self.rows([3, 1, 2])])
        try table.append([Self.rows([10, 11]), Self.rows([12])])
        let latest = try table.snapshot()
        #expect(latest.version == 2)
        #expect(latest.files.count == 2)
        #expect(latest.rowCount == 6)
        #expect(Self.ids(try latest.read()) == [1, 2, 3, 10, 11, 12])
        #expect(Self.ids(try table.snapshot(version: 1).read()) == [1, 2, 3])
        #expect(try table.snapshot(version: 0).read().rowCount == 0)
        // Files are sorted by the sort columns.
        let first = try ParquetFile(path: latest.absolutePath(of: latest.files[0])).read()
        #expect(first.column(named: "user_id")?.int64Values == [1, 2, 3])
        #expect(throws: TableError.self) { try table.snapshot(version: 9) }
    }

    @Test func reopenedTableSeesEveryCommit() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        try table.append([Self.rows([1])])
        let other = try Table.open(at: dir.path)
        try other.append([Self.rows([2])])
        #expect(try table.snapshot().version == 2)
        #expect(Self.ids(try table.snapshot().read()) == [1, 2])
        #expect(throws: TableError.self) { try Table.create(at: dir.path, schema: Self.schema) }
        #expect { try Table.open(at: dir.file("nope")) } throws: { ($0 as? TableError)?.code == .notFound }
    }

    @Test func deleteRewritesOnlyFilesWithMatchingRows() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        try table.append([Self.rows([1, 2, 3])])
        try table.append([Self.rows([10, 11, 12])])
        try table.append([Self.rows([20, 21])])
        let before = try table.snapshot()
        let result = try table.delete(where: [.isIn("user_id", [.int64(2), .int64(20), .int64(21)])])
        #expect(result.version == 4)
        #expect(result.rowsRemoved == 3)
        #expect(result.filesRemoved == 2)      // the file of 10..12 is untouched
        #expect(result.filesAdded == 1)        // 1 and 3 survive in a rewritten file
        let after = try table.snapshot()
        #expect(Self.ids(try after.read()) == [1, 3, 10, 11, 12])
        #expect(after.files.contains { $0.path == before.files[1].path })
        #expect(Self.ids(try table.snapshot(version: 3).read()) == [1, 2, 3, 10, 11, 12, 20, 21])
        // Nothing matches: no commit.
        #expect(try table.delete(where: [.equals("user_id", .int64(999))]).version == nil)
        #expect(throws: TableError.self) { try table.delete(where: [.equals("nope", .int64(1))]) }
        #expect(throws: TableError.self) { try table.delete(where: [.equals("user_id", .string("x"))]) }
    }

    @Test func overwriteReplacesEverything() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        try table.append([Self.rows([1, 2])])
        let r = try table.overwrite([Self.rows([7])])
        #expect(r.filesRemoved == 1 && r.filesAdded == 1)
        #expect(Self.ids(try table.snapshot().read()) == [7])
        #expect(Self.ids(try table.snapshot(version: 1).read()) == [1, 2])
    }

    @Test func badAppendsWriteNothing() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        let wrongType = try RecordBatch(["user_id": .string(["x"]), "event_ts": .timestamp([0]), "spend": .float64([1]), "city": .string(["a"])])
        #expect { try table.append([wrongType]) } throws: { ($0 as? TableError)?.code == .schemaMismatch }
        let missing = try RecordBatch(["user_id": .int64([1])])
        #expect { try table.append([missing]) } throws: { error in
            let e = error as? TableError
            return e?.code == .schemaMismatch && e?.message.contains("event_ts") == true
        }
        var b = ColumnBuilder(type: .int64); b.appendNull()
        let nullKey = try RecordBatch(["user_id": b.finish(), "event_ts": .timestamp([0]), "spend": .float64([1]), "city": .string(["a"])])
        #expect { try table.append([nullKey]) } throws: { ($0 as? TableError)?.code == .schemaMismatch }
        #expect(try table.snapshot().version == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".parquet") }.isEmpty)
    }

    @Test func compactionKeepsRowsAndSortsThem() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema, sortColumns: ["user_id", "event_ts"])
        for chunk in [[5, 1], [4, 2], [3, 9], [8, 7]] as [[Int64]] { try table.append([Self.rows(chunk)]) }
        let before = try table.snapshot()
        let r = try table.compact(targetFileRows: 100)
        #expect(r.version == 5 && r.filesRemoved == 4 && r.filesAdded == 1)
        let after = try table.snapshot()
        #expect(after.files.count == 1)
        let rows = try after.read()
        #expect(rows.column(named: "user_id")?.int64Values == [1, 2, 3, 4, 5, 7, 8, 9])
        #expect(CanonicalTable(try before.read().sorted(by: [SortKey("user_id")])) == CanonicalTable(rows))
        let history = try table.history(limit: 1)
        #expect(history.first?.operation == "OPTIMIZE")
        #expect(history.first?.dataChange == false)
        #expect(try table.compact(targetFileRows: 100).version == nil)   // nothing left to do
    }

    @Test func historyRecordsOperationsAndMetadata() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        var options = CommitOptions()
        options.metadata = ["job": "nightly", "run": "42"]
        try table.append([Self.rows([1, 2, 3])], options: options)
        try table.delete(where: [.equals("user_id", .int64(2))])
        let h = try table.history()
        #expect(h.map(\.version) == [2, 1, 0])
        #expect(h.map(\.operation) == ["DELETE", "WRITE", "CREATE TABLE"])
        #expect(h[1].metadata == ["job": "nightly", "run": "42"])
        #expect(h[1].rowsAdded == 3 && h[1].filesAdded == 1)
        #expect(h[0].rowsRemoved == 1 && h[0].filesRemoved == 1 && h[0].filesAdded == 1)
        #expect(h[0].timestamp >= h[1].timestamp)
    }

    @Test func timeTravelByCommitTime() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        try table.append([Self.rows([1])])
        let t1 = try table.snapshot().timestamp
        try table.append([Self.rows([2])])
        let asOf = try table.snapshot(asOf: t1)
        #expect(asOf.version <= 2)
        #expect(Self.ids(try asOf.read()).contains(1))
        #expect(try table.snapshot(asOf: Int64.max / 2).version == 2)
        #expect(throws: TableError.self) { try table.snapshot(asOf: 0) }
    }

    @Test func idempotentWritersCommitOnce() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        var options = CommitOptions()
        options.transaction = Transaction(appId: "sync-1", version: 5)
        #expect(try table.append([Self.rows([1])], options: options).version == 1)
        #expect(try table.append([Self.rows([1])], options: options).version == nil)
        options.transaction = Transaction(appId: "sync-1", version: 4)
        #expect(try table.append([Self.rows([1])], options: options).version == nil)
        options.transaction = Transaction(appId: "sync-1", version: 6)
        #expect(try table.append([Self.rows([2])], options: options).version == 2)
        #expect(try table.snapshot().transactions == ["sync-1": 6])
        #expect(Self.ids(try table.snapshot().read()) == [1, 2])
    }

    @Test func scansSkipFilesAndRowGroupsByStatistics() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema)
        for start in stride(from: Int64(0), to: 400, by: 100) { try table.append([Self.rows(Array(start ..< start + 100))]) }
        let snap = try table.snapshot()
        let r = try snap.scan(columns: ["user_id"], where: [.range("user_id", lower: .int64(150), upper: .int64(160))])
        #expect(r.filesRead == 1 && r.filesSkipped == 3)
        #expect(Self.ids(try r.combined(schema: snap.schema.projectedForScan(["user_id"]))) == Array(150 ... 160))
        let all = try snap.scan(columns: ["city"], where: [.equals("city", .string("c1"))])
        let expected: Int = (0 ..< 400).filter { (i: Int) -> Bool in i % 3 != 0 && i % 5 == 1 }.count
        let got: Int = all.batches.reduce(0) { (n: Int, b: RecordBatch) -> Int in n + b.rowCount }
        #expect(got == expected)
        #expect(all.batches.allSatisfy { $0.schema.names == ["city"] })
    }

    @Test func checkpointsLetOpenSkipReplay() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: Self.schema, configuration: [TableConfiguration.checkpointInterval: "5"])
        for i in 0 ..< 12 { try table.append([Self.rows([Int64(i)])]) }
        let log = TableLog(root: dir.path, storage: PosixStorage())
        #expect(log.checkpointVersions() == [5, 10])
        // Remove the early commits: the state must come from the checkpoint.
        for v in 0 ... 9 { try FileManager.default.removeItem(atPath: log.commitPath(Int64(v))) }
        let reopened = try Table.open(at: dir.path)
        #expect(try reopened.snapshot().version == 12)
        #expect(Self.ids(try reopened.snapshot().read()) == (0 ..< 12).map { Int64($0) })
    }
}

/// Lost races: non-conflicting commits retry at the next version; conflicting ones fail
/// with `.conflict` and write nothing.
@Suite struct TableConflictTests {
    @Test func deleteOfAFileAnotherCommitRemovedConflicts() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: TableTests.schema)
        try table.append([TableTests.rows([1, 2, 3])])
        let stale = try #require(try table.prepareDelete(where: [.equals("user_id", .int64(1))], options: .init()))
        try Table.open(at: dir.path).delete(where: [.equals("user_id", .int64(2))])
        #expect { try table.commit(stale, options: .init()) } throws: { ($0 as? TableError)?.code == .conflict }
        #expect(try table.snapshot().version == 2)
        #expect(TableTests.ids(try table.snapshot().read()) == [1, 3])
    }

    @Test func deleteRetriesPastAConcurrentAppend() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: TableTests.schema)
        try table.append([TableTests.rows([1, 2, 3])])
        let stale = try #require(try table.prepareDelete(where: [.equals("user_id", .int64(1))], options: .init()))
        try Table.open(at: dir.path).append([TableTests.rows([4])])
        let result = try table.commit(stale, options: .init())
        #expect(result.version == 3 && result.retries == 1)
        #expect(TableTests.ids(try table.snapshot().read()) == [2, 3, 4])
    }

    @Test func overwriteConflictsWithAConcurrentAppend() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.path, schema: TableTests.schema)
        try table.append([TableTests.rows([1])])
        let read = try table.latestState()
        try Table.open(at: dir.path).append([TableTests.rows([2])])
        let pending = PendingCommit(operation: "WRITE", rule: .noChangeSinceRead, readState: read)
        #expect { try table.commit(pending, options: .init()) } throws: { ($0 as? TableError)?.code == .conflict }
    }

    @Test func threadsAppendingConcurrentlyLoseNothing() async throws {
        let dir = try TemporaryDirectory()
        _ = try Table.create(at: dir.path, schema: TableTests.schema)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0 ..< 4 {
                group.addTask {
                    let table = try Table.open(at: dir.path)     // one object per writer, like separate processes
                    for i in 0 ..< 5 { try table.append([TableTests.rows([Int64(w * 100 + i)])]) }
                }
            }
            try await group.waitForAll()
        }
        let snap = try Table.open(at: dir.path).snapshot()
        #expect(snap.version == 20)
        #expect(TableTests.ids(try snap.read()) == (0 ..< 4).flatMap { w in (0 ..< 5).map { Int64(w * 100 + $0) } }.sorted())
    }
}
