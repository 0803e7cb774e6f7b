import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing
@testable import LarderTable

/// Several processes write one table at once: put-if-absent commits let exactly one win each
/// version, and the losers retry, so no commit is lost or applied twice. (Threads writing at
/// once are `TableConflictTests.threadsAppendingConcurrentlyLoseNothing`.)
@Suite struct MultiProcessTests {
    static let writers = 3
    static let commitsPerWriter = 15

    struct Commit: Hashable {
        var version: Int64
        var ids: [Int64]
    }

    /// Runs the writers at once; each one's reported commits, in its order.
    static func runAppendWriters(table path: String, seed: UInt64) throws -> [[Commit]] {
        let out = try TemporaryDirectory(prefix: "larder-writers")
        var processes: [Process] = []
        for w in 1 ... writers {
            let p = Process()
            p.executableURL = StressTool.executable
            p.arguments = [path, "--mode", "append", "--seed", "\(seed + UInt64(w))", "--writer-id", "\(w)",
                           "--count", "\(commitsPerWriter)"]
            FileManager.default.createFile(atPath: out.file("\(w).out"), contents: nil)
            FileManager.default.createFile(atPath: out.file("\(w).err"), contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: out.fileURL("\(w).out"))
            p.standardError = try FileHandle(forWritingTo: out.fileURL("\(w).err"))
            processes.append(p)
        }
        for p in processes { try p.run() }
        var reports: [[Commit]] = []
        for (i, p) in processes.enumerated() {
            p.waitUntilExit()
            let err = (try? String(contentsOfFile: out.file("\(i + 1).err"), encoding: .utf8)) ?? ""
            #expect(p.terminationReason == .exit && p.terminationStatus == 0, "writer \(i + 1) failed: \(err)")
            let text = try String(contentsOfFile: out.file("\(i + 1).out"), encoding: .utf8)
            reports.append(text.split(separator: "\n").compactMap { line -> Commit? in
                let parts = line.split(separator: " ")
                guard parts.count == 3, parts[0] == "committed", let v = Int64(parts[1]) else {
                    Issue.record("writer \(i + 1) printed '\(line)'")
                    return nil
                }
                return Commit(version: v, ids: parts[2].split(separator: ",").compactMap { Int64($0) })
            })
        }
        return reports
    }

    @Test func processesAppendingAtOnceLoseNothing() throws {
        try #require(StressTool.isBuilt, "build \(StressTool.name) first (swift build builds it)")
        let dir = try TemporaryDirectory(prefix: "larder-multi")
        let path = dir.file("table")
        // No table yet: the writers race to create it too, and exactly one creation wins.
        let reports = try Self.runAppendWriters(table: path, seed: UInt64.random(in: 0 ... 1 << 40))
        let commits = reports.flatMap { $0 }
        let total = Self.writers * Self.commitsPerWriter
        #expect(reports.map(\.count) == Array(repeating: Self.commitsPerWriter, count: Self.writers))

        // Every reported version is distinct; together they are versions 1...total.
        #expect(Set(commits.map(\.version)) == Set(1 ... Int64(total)))
        // Each writer's versions increase (it waits for its commit before the next).
        for r in reports { #expect(r.map(\.version) == r.map(\.version).sorted()) }

        let table = try Table.open(at: path)
        let snapshot = try table.snapshot()
        #expect(snapshot.version == Int64(total))
        // Every id every writer reported is present exactly once.
        let ids = try snapshot.read(columns: ["user_id"]).column(named: "user_id")?.int64Values ?? []
        #expect(ids.sorted() == commits.flatMap(\.ids).sorted())
        #expect(Set(ids).count == ids.count)

        // Each version holds exactly its writer's rows on top of the version before.
        let history = try table.history()
        #expect(history.map(\.version) == Array((0 ... Int64(total)).reversed()))
        #expect(history.last?.operation == "CREATE TABLE")
        let byVersion = Dictionary(uniqueKeysWithValues: commits.map { ($0.version, $0) })
        for entry in history where entry.version > 0 {
            #expect(entry.operation == "WRITE")
            #expect(entry.rowsAdded == Int64(byVersion[entry.version]?.ids.count ?? -1), "version \(entry.version)")
        }
        for c in commits {
            let added = try table.snapshot(version: c.version).files.filter { $0.addedVersion == c.version }
            #expect(added.count == 1, "version \(c.version)")
            if let file = added.first {
                let rows = TableTests.ids(try ParquetFile(path: snapshot.absolutePath(of: file)).read())
                #expect(rows == c.ids, "version \(c.version)")
            }
        }
    }

    @Test func deletesAndCompactionsRetryPastAppendsFromOtherProcesses() throws {
        try #require(StressTool.isBuilt, "build \(StressTool.name) first (swift build builds it)")
        let dir = try TemporaryDirectory(prefix: "larder-multi")
        let path = dir.file("table")
        _ = try Table.create(at: path, schema: TableTests.schema, sortColumns: ["user_id", "event_ts"])
        // Mixed-mode ids are seed * 10_000 + n: at least 10^7, above the appenders' (< 4 * 10^6).
        let seed = UInt64.random(in: 1000 ... 900_000)
        let mixed = try ChildProcess(StressTool.executable, [path, "--seed", "\(seed)", "--mode", "mixed", "--count", "40"])
        // Once it has committed, it started from the empty table; then the appenders join in.
        var report = CrashSafetyTests.ChildReport()
        while report.committed.isEmpty, let line = mixed.nextLine() { report.take(line) }
        let appends = try Self.runAppendWriters(table: path, seed: seed)
        while let line = mixed.nextLine() { report.take(line) }
        mixed.process.waitUntilExit()
        #expect(mixed.process.terminationReason == .exit && mixed.process.terminationStatus == 0, "\(mixed.standardError)")
        #expect(report.malformed.isEmpty && report.unreportedIntent == nil)

        let appended = appends.flatMap { $0 }
        let versions = report.committed.map(\.version) + appended.map(\.version)
        #expect(versions.sorted() == Array(1 ... Int64(versions.count)), "every version distinct, none missing")
        let appenderIDs = Set(appended.flatMap(\.ids))
        let table = try Table.open(at: path)
        // The mixed writer's view at each of its versions, and the appenders' rows beside it.
        for (v, ids) in report.committed {
            let all = TableTests.ids(try table.snapshot(version: v).read(columns: ["user_id"]))
            #expect(all.filter { !appenderIDs.contains($0) } == ids, "version \(v)")
            #expect(all.filter { appenderIDs.contains($0) } == appended.filter { $0.version < v }.flatMap(\.ids).sorted(),
                    "version \(v)")
        }
        let final = TableTests.ids(try table.snapshot().read(columns: ["user_id"]))
        #expect(final == (Set(report.committed.last?.ids ?? []).union(appenderIDs)).sorted())
        let interleaved = zip(report.committed, report.committed.dropFirst()).filter { $1.version - $0.version > 1 }.count
        print("multi-process: \(report.committed.count) mixed commits, \(interleaved) with appends in between")
    }
}
