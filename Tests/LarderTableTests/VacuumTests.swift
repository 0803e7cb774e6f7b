import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing
@testable import LarderTable

/// Vacuum removes data files that no version inside the retention window references, and
/// orphans (files no commit refers to, temporaries of crashed writes) older than the window;
/// never a file such a version needs.
///
/// The tests date the log by hand (each commit's `commitInfo.timestamp`, each data file's
/// modification time) days apart, and pass `now` explicitly: no test waits for a clock.
@Suite struct VacuumTests {
    static let day: Int64 = 86_400_000_000
    static let millisecond: Int64 = 1000

    /// A table whose five versions are `days` before `now`:
    ///
    /// | version | days ago | operation | live files |
    /// | --- | --- | --- | --- |
    /// | 0 | 40 | create | |
    /// | 1 | 30 | append 1, 2, 3 | a |
    /// | 2 | 20 | append 10, 11 | a, b |
    /// | 3 | 10 | delete 2 | b, a' |
    /// | 4 | 3 | compact | c |
    struct Fixture {
        let dir: TemporaryDirectory
        let now: Int64
        let a: String, b: String, aPrime: String, c: String
        var path: String { dir.path }
        func table() throws -> Table { try Table.open(at: dir.path) }
    }

    static func fixture() throws -> Fixture {
        let dir = try TemporaryDirectory(prefix: "larder-vacuum")
        let table = try Table.create(at: dir.path, schema: TableTests.schema, sortColumns: ["user_id"])
        try table.append([TableTests.rows([1, 2, 3])])
        try table.append([TableTests.rows([10, 11])])
        try table.delete(where: [.equals("user_id", .int64(2))])
        try table.compact()
        let files = (1 ... 4).map { v in (try? table.snapshot(version: v).files.filter { $0.addedVersion == v }.map(\.path)) ?? [] }
        try #require(files.map(\.count) == [1, 1, 1, 1])
        let now = Table.nowMillis() * 1000
        try backdate(dir.path, commitTimes: [40, 30, 20, 10, 3].map { now - $0 * day })
        return Fixture(dir: dir, now: now, a: files[0][0], b: files[1][0], aPrime: files[2][0], c: files[3][0])
    }

    /// Sets commit `v`'s `commitInfo.timestamp` to `commitTimes[v]` (microseconds) and the
    /// modification time of each data file to the time of the commit that added it.
    static func backdate(_ path: String, commitTimes: [Int64]) throws {
        for (v, micros) in commitTimes.enumerated() {
            let file = path + "/_delta_log/" + TableLog.commitName(Int64(v))
            var lines: [String] = []
            for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                if var info = object["commitInfo"] as? [String: Any] {
                    info["timestamp"] = micros / 1000
                    let data = try JSONSerialization.data(withJSONObject: ["commitInfo": info], options: [.sortedKeys])
                    lines.append(String(decoding: data, as: UTF8.self))
                } else {
                    if let add = object["add"] as? [String: Any], let p = add["path"] as? String {
                        try setModified(path + "/" + p, micros: micros)
                    }
                    lines.append(String(line))
                }
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        }
    }

    static func setModified(_ path: String, micros: Int64) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(micros) / 1e6)],
                                              ofItemAtPath: path)
    }

    static func exists(_ fixture: Fixture, _ name: String) -> Bool {
        FileManager.default.fileExists(atPath: fixture.path + "/" + name)
    }

    static func readIDs(_ table: Table, version: Int64) throws -> [Int64] {
        TableTests.ids(try table.snapshot(version: version).read(columns: ["user_id"]))
    }

    @Test func commitTimesComeFromTheBackdatedLog() throws {
        let f = try Self.fixture()
        let history = try f.table().history()
        #expect(history.map(\.timestamp) == [3, 10, 20, 30, 40].map { (f.now - $0 * Self.day) / 1000 * 1000 })
        #expect(try f.table().snapshot().timestamp == history[0].timestamp)
    }

    @Test func filesRemovedBeforeTheWindowAreDeleted() throws {
        let f = try Self.fixture()
        let table = try f.table()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: f.path + "/" + f.a)[.size] as? Int)
        let result = try table.vacuum(now: f.now)      // default retention: 7 days; version 3 starts it
        #expect(result.removedFiles == [f.a])
        #expect(result.bytesFreed == size)
        #expect(!Self.exists(f, f.a))
        #expect([f.b, f.aPrime, f.c].allSatisfy { Self.exists(f, $0) })
        // Version 3 was current when the window began: it still reads, as does the latest.
        #expect(try Self.readIDs(table, version: 3) == [1, 3, 10, 11])
        #expect(try Self.readIDs(table, version: 4) == [1, 3, 10, 11])
        // Version 2 ended before the window: its file is gone, and reading it says so.
        #expect(throws: (any Error).self) { try Self.readIDs(table, version: 2) }
        // Nothing more to do.
        #expect(try table.vacuum(now: f.now).removedFiles.isEmpty)
    }

    @Test func filesAVersionInsideTheWindowNeedsAreKept() throws {
        let f = try Self.fixture()
        let table = try f.table()
        let history = try table.history()
        let removedA = try #require(history.first { $0.version == 3 }).timestamp
        // The window begins just before version 3 removed a: version 2, which reads a, was
        // still current inside it.
        let wide = try table.vacuum(retention: f.now - removedA + Self.millisecond, now: f.now)
        #expect(wide.removedFiles.isEmpty)
        #expect(try Self.readIDs(table, version: 2) == [1, 2, 3, 10, 11])
        // Just after it: a is needed by no version inside the window.
        let narrow = try table.vacuum(retention: f.now - removedA - Self.millisecond, now: f.now)
        #expect(narrow.removedFiles == [f.a])
        #expect(try Self.readIDs(table, version: 3) == [1, 3, 10, 11])
        // A window reaching back past every commit keeps every file of every version.
        let f2 = try Self.fixture()
        let all = try f2.table()
        #expect(try all.vacuum(retention: 365 * Self.day, now: f2.now).removedFiles.isEmpty)
        for v in 1 ... 4 { #expect(try Self.readIDs(all, version: Int64(v)).count > 0) }
    }

    @Test func theLatestVersionsFilesAreNeverDeleted() throws {
        let f = try Self.fixture()
        let table = try f.table()
        // Even when its file is older than the window and the window is empty.
        try Self.setModified(f.path + "/" + f.c, micros: f.now - 400 * Self.day)
        let result = try table.vacuum(retention: 0, now: f.now + 365 * Self.day)
        #expect(Set(result.removedFiles) == [f.a, f.b, f.aPrime])
        #expect(Self.exists(f, f.c))
        #expect(try Self.readIDs(table, version: 4) == [1, 3, 10, 11])
        #expect(try Self.readIDs(try Table.open(at: f.path), version: 4) == [1, 3, 10, 11])
    }

    @Test func orphansOlderThanTheWindowAreDeleted() throws {
        let f = try Self.fixture()
        let table = try f.table()
        // Data files of writers that died before committing, and temporaries of writes cut short.
        let oldOrphan = "part-00000-old-orphan-c000.zstd.parquet", newOrphan = "part-00000-new-orphan-c000.zstd.parquet"
        for name in [oldOrphan, newOrphan] {
            _ = try ParquetWriter.write([try TableTests.rows([99])], to: f.path + "/" + name)
        }
        let oldTemporary = ".part-00000-x-c000.zstd.parquet.tmp-4242-1", newTemporary = ".part-00000-y-c000.zstd.parquet.tmp-4242-2"
        for name in [oldTemporary, newTemporary] {
            FileManager.default.createFile(atPath: f.path + "/" + name, contents: Data("PAR1 cut short".utf8))
        }
        try Self.setModified(f.path + "/" + oldOrphan, micros: f.now - 8 * Self.day)
        try Self.setModified(f.path + "/" + oldTemporary, micros: f.now - 8 * Self.day)
        try Self.setModified(f.path + "/" + newOrphan, micros: f.now - 1 * Self.day)
        try Self.setModified(f.path + "/" + newTemporary, micros: f.now - 1 * Self.day)
        // Files that are not data files are left alone, however old.
        let other = "notes.txt"
        FileManager.default.createFile(atPath: f.path + "/" + other, contents: Data("keep".utf8))
        try Self.setModified(f.path + "/" + other, micros: f.now - 100 * Self.day)

        let result = try table.vacuum(now: f.now)
        #expect(Set(result.removedFiles) == [f.a, oldOrphan, oldTemporary])
        #expect([newOrphan, newTemporary, other, f.b, f.aPrime, f.c].allSatisfy { Self.exists(f, $0) })
        #expect(!Self.exists(f, oldOrphan) && !Self.exists(f, oldTemporary))
        // Once they are older than the window, the younger ones go too (and so do the files
        // version 4 replaced: the window now starts after it).
        let later = try table.vacuum(now: f.now + 6 * Self.day + Self.day / 2)
        #expect(Set(later.removedFiles) == [newOrphan, newTemporary, f.b, f.aPrime])
        #expect(try Self.readIDs(table, version: 4) == [1, 3, 10, 11])
    }

    @Test func dryRunReportsWithoutDeleting() throws {
        let f = try Self.fixture()
        let table = try f.table()
        let orphan = "part-00000-orphan-c000.zstd.parquet"
        _ = try ParquetWriter.write([try TableTests.rows([99])], to: f.path + "/" + orphan)
        try Self.setModified(f.path + "/" + orphan, micros: f.now - 30 * Self.day)
        let before = try DirectoryInventory(f.path)
        let dry = try table.vacuum(retention: 0, now: f.now, dryRun: true)
        #expect(try DirectoryInventory(f.path) == before)
        #expect(Set(dry.removedFiles) == [f.a, f.b, f.aPrime, orphan])
        let real = try table.vacuum(retention: 0, now: f.now)
        #expect(real == dry)
        #expect(try DirectoryInventory(f.path) != before)
    }

    @Test func theLogAndLarderFoldersAreNeverTouched() throws {
        let dir = try TemporaryDirectory(prefix: "larder-vacuum")
        let table = try Table.create(at: dir.path, schema: TableTests.schema,
                                     configuration: [TableConfiguration.checkpointInterval: "2"])
        for i in 0 ..< 4 { try table.append([TableTests.rows([Int64(i)])]) }
        try table.compact()
        let now = Table.nowMillis() * 1000
        // Parquet files inside the two folders, and everything in them made old.
        for folder in ["_delta_log", "_larder"] {
            _ = try ParquetWriter.write([try TableTests.rows([7])], to: dir.path + "/\(folder)/part-stray.parquet")
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path + "/" + folder) {
                try Self.setModified(dir.path + "/\(folder)/" + name, micros: now - 100 * Self.day)
            }
        }
        #expect(!TableLog(root: dir.path, storage: PosixStorage()).checkpointVersions().isEmpty)
        let log = try DirectoryInventory(dir.path + "/_delta_log")
        let larder = try DirectoryInventory(dir.path + "/_larder")
        let result = try table.vacuum(retention: 0, now: now + 365 * Self.day)
        #expect(result.removedFiles.count == 4)          // the four appended files, compacted away
        #expect(result.removedFiles.allSatisfy { !$0.hasPrefix("_") && !$0.contains("/") })
        #expect(try DirectoryInventory(dir.path + "/_delta_log") == log)
        #expect(try DirectoryInventory(dir.path + "/_larder") == larder)
        #expect(TableTests.ids(try Table.open(at: dir.path).snapshot().read()) == [0, 1, 2, 3])
    }

    @Test func negativeRetentionIsRefused() throws {
        let f = try Self.fixture()
        let before = try DirectoryInventory(f.path)
        #expect { try f.table().vacuum(retention: -1) } throws: { ($0 as? TableError)?.code == .invalidArgument }
        #expect(try DirectoryInventory(f.path) == before)
    }
}
