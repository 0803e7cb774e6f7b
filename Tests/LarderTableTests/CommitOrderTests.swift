import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing
@testable import LarderTable

/// Commit order survives rewrites: files carry `larder.part` and, once rewritten, the range of
/// commits they hold; compaction takes every file inside the range it merges.
@Suite struct CommitOrderTests {
    static let schema: Schema = {
        do { return try Schema([Field("k", .int64, nullable: false), Field("v", .int64)]) } catch { preconditionFailure("\(error)") }
    }()

    static func rows(_ keys: [Int64], value: Int64) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [.int64(keys), .int64(keys.map { _ in value })])
    }

    /// Rows in commit order: files by (commit order, path), rows by position.
    static func rowsInCommitOrder(_ snapshot: Snapshot) throws -> [(k: Int64, v: Int64)] {
        var out: [(Int64, Int64)] = []
        for file in snapshot.files.sorted(by: { ($0.commitOrder, $0.path) < ($1.commitOrder, $1.path) }) {
            let batch = try ParquetFile(path: snapshot.absolutePath(of: file)).read()
            let k = batch.columns[0].int64Values ?? [], v = batch.columns[1].int64Values ?? []
            out += zip(k, v).map { ($0, $1) }
        }
        return out
    }

    @Test func appendsTagPartsAndCoverTheirOwnCommit() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.file("t"), schema: Self.schema, sortColumns: ["k"])
        var options = CommitOptions()
        options.maxFileRows = 2
        try table.append([try Self.rows([5, 1, 3, 2, 4], value: 1)], options: options)
        let files = try table.snapshot().files
        #expect(files.count == 3)
        #expect(Set(files.map(\.commitOrder.part)) == [0, 1, 2])
        #expect(files.allSatisfy { $0.commitOrder.firstVersion == 1 && $0.commitOrder.lastVersion == 1 })
        // Parts are consecutive ranges of the sorted rows.
        #expect(try Self.rowsInCommitOrder(try table.snapshot()).map(\.k) == [1, 2, 3, 4, 5])
    }

    @Test func compactionTakesEveryFileInsideTheRangeAndKeepsCommitOrder() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.file("t"), schema: Self.schema, sortColumns: ["k"])
        // v1 small, v2 large, v3 small: the small files' range 1...3 includes the large file.
        try table.append([try Self.rows([7, 7], value: 1)])
        try table.append([try Self.rows(Array(0 ..< 40), value: 2)])
        try table.append([try Self.rows([7], value: 3)])
        try table.append([try Self.rows(Array(100 ..< 140), value: 4)])
        let result = try table.compact(targetFileRows: 20)
        #expect(result.filesRemoved == 3, "the large v2 file lies inside 1...3 and must be merged too")
        let snapshot = try table.snapshot()
        let merged = snapshot.files.filter { $0.addedVersion == result.version }
        #expect(!merged.isEmpty && merged.allSatisfy { $0.commitOrder.firstVersion == 1 && $0.commitOrder.lastVersion == 3 })
        #expect(snapshot.files.contains { $0.addedVersion == 4 && $0.commitOrder.firstVersion == 4 })
        // Key 7's rows still read in commit order: v1, v1, v2, v3.
        let sevens = try Self.rowsInCommitOrder(snapshot).filter { $0.k == 7 }.map(\.v)
        #expect(sevens == [1, 1, 2, 3])
    }

    @Test func deleteKeepsTheSourceFilesPlaceInCommitOrder() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.file("t"), schema: Self.schema, sortColumns: ["k"])
        try table.append([try Self.rows([1, 2, 3], value: 1)])
        try table.append([try Self.rows([1, 2], value: 2)])
        try table.delete(where: [.equals("k", .int64(3))])
        let snapshot = try table.snapshot()
        let rewritten = try #require(snapshot.files.first { $0.addedVersion == 3 })
        #expect(rewritten.commitOrder.firstVersion == 1 && rewritten.commitOrder.lastVersion == 1)
        #expect(try Self.rowsInCommitOrder(snapshot).map(\.v) == [1, 1, 2, 2])
    }

    @Test func tagsRoundTripThroughTheLogAndCheckpoints() throws {
        let dir = try TemporaryDirectory()
        let table = try Table.create(at: dir.file("t"), schema: Self.schema, sortColumns: ["k"],
                                     configuration: [TableConfiguration.checkpointInterval: "2"])
        try table.append([try Self.rows([1], value: 1)])
        try table.append([try Self.rows([1], value: 2)])
        try table.compact(targetFileRows: 10)
        try table.append([try Self.rows([1], value: 3)])
        let reopened = try Table.open(at: dir.file("t")).snapshot()
        let orders = reopened.files.map(\.commitOrder).sorted()
        #expect(orders.map(\.firstVersion) == [1, 4])
        #expect(orders.map(\.lastVersion) == [2, 4])
        let log = try String(contentsOfFile: dir.file("t") + "/_delta_log/00000000000000000003.json", encoding: .utf8)
        #expect(log.contains("\"larder.firstVersion\":\"1\"") && log.contains("\"larder.lastVersion\":\"2\""))
    }
}

