import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderTable

/// A writer killed with SIGKILL at any moment leaves a table that opens at its last committed
/// version, with every committed row present and no partial commit visible.
///
/// A real child process (`larder-table-stress --mode mixed`) appends, deletes and compacts in
/// a loop, reporting each commit; the test kills it at a moment chosen by the child's own
/// output (right after it announces an operation, so it is mid-operation), then checks the
/// table against what the child had reported.
@Suite struct CrashSafetyTests {
    static let rounds = 50

    /// What one child reported: commits (version and the ids it then holds) and, when it was
    /// killed after announcing an operation whose outcome it never reported, that intent.
    struct ChildReport {
        var committed: [(version: Int64, ids: [Int64])] = []
        var unreportedIntent: [Int64]?
        var malformed: [String] = []

        mutating func take(_ line: String) {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            switch parts.first {
            case "intent" where parts.count == 3:
                unreportedIntent = parts[2].split(separator: ",").compactMap { Int64($0) }
            case "committed" where parts.count == 2:
                guard let v = Int64(parts[1]), let ids = unreportedIntent else { malformed.append(line); return }
                committed.append((v, ids))
                unreportedIntent = nil
            case "noop":
                unreportedIntent = nil
            default:
                malformed.append(line)
            }
        }
    }

    @Test func killedWritersLeaveTheLastCommittedVersion() throws {
        try #require(StressTool.isBuilt, "build \(StressTool.name) first (swift build builds it)")
        let dir = try TemporaryDirectory(prefix: "larder-crash")
        let path = dir.file("table")
        let table0 = try Table.create(at: path, schema: TableTests.schema, sortColumns: ["user_id", "event_ts"])
        #expect(try table0.snapshot().version == 0)

        let masterSeed = UInt64.random(in: 1 ... 900)
        var random = SplitMix(seed: masterSeed)
        var expected: [Int64: [Int64]] = [0: []]     // every version's ids, as reported
        var latest: Int64 = 0
        var unreportedPublished = 0
        var killStages: [Int: Int] = [:]
        let watcher = try Self.makeWatcher(path)

        for round in 0 ..< Self.rounds {
            let context = "master seed \(masterSeed), round \(round)"
            let seed = masterSeed * 1000 + UInt64(round)
            let commitsBeforeKill = Int.random(in: 1 ... 4, using: &random)
            let intentsBeforeKill = Int.random(in: 1 ... 3, using: &random)
            let filesBeforeKill = Int.random(in: 0 ... 4, using: &random)
            let child = try ChildProcess(StressTool.executable, [path, "--seed", "\(seed)", "--mode", "mixed"])
            var report = ChildReport()
            var intentsAfter = 0
            var killed = false
            while let line = child.nextLine() {
                report.take(line)
                if !killed && report.committed.count >= commitsBeforeKill && line.hasPrefix("intent") {
                    intentsAfter += 1
                    if intentsAfter == intentsBeforeKill {
                        // The child has just announced an operation. Let it get a few files
                        // into place first (an append or delete makes four: the data file's
                        // temporary, the data file, the commit's temporary, the commit), so
                        // kills land at every stage, from before any write to after publishing.
                        Self.waitForFiles(filesBeforeKill, of: child.process, watcher: watcher)
                        child.kill()
                        killed = true
                        killStages[filesBeforeKill, default: 0] += 1
                    }
                }
            }
            child.kill()
            try #require(killed, "the child exited on its own (\(context)): \(child.standardError)")
            #expect(report.malformed.isEmpty, "\(context): \(report.malformed)")
            #expect(child.process.terminationReason == .uncaughtSignal, "\(context)")

            // Versions are consecutive after what the table held when the child started.
            let versions = report.committed.map(\.version)
            #expect(versions == Array(latest + 1 ..< latest + 1 + Int64(versions.count)), "\(context)")
            for (v, ids) in report.committed { expected[v] = ids }
            let lastReported = versions.last ?? latest

            // The table opens at the last reported version, or one more when the killed
            // commit was published before the child could report it.
            let table = try Table.open(at: path)
            let snapshot = try table.snapshot()
            if snapshot.version == lastReported + 1, let intent = report.unreportedIntent {
                expected[snapshot.version] = intent
                unreportedPublished += 1
            } else {
                #expect(snapshot.version == lastReported, "\(context)")
            }
            latest = snapshot.version
            #expect(TableTests.ids(try snapshot.read(columns: ["user_id"])) == expected[latest], "\(context)")
            for v in versions {
                #expect(TableTests.ids(try table.snapshot(version: v).read(columns: ["user_id"])) == expected[v],
                        "\(context), version \(v)")
            }
            try Self.expectWholeLog(at: path, latest: latest, context)
            #expect(try table.history().map(\.version) == Array((0 ... latest).reversed()), "\(context)")
        }

        // Every version ever reported still reads as it was.
        let table = try Table.open(at: path)
        #expect(Set(expected.keys) == Set(0 ... latest))
        for v in 0 ... latest {
            #expect(TableTests.ids(try table.snapshot(version: v).read(columns: ["user_id"])) == expected[v], "version \(v)")
        }

        // Vacuum with no retention removes what killed writers left behind (files no commit
        // refers to, temporaries) and keeps every file of the latest version.
        let everAdded = try Self.filesEverAdded(table, latest: latest)
        let before = try FileManager.default.contentsOfDirectory(atPath: path)
        let orphans = Set(before.filter { ($0.hasSuffix(".parquet") && !everAdded.contains($0)) || $0.contains(".parquet.tmp-") })
        let final = try table.snapshot()
        let vacuumed = try table.vacuum(retention: 0, orphanMinimumAge: 0)
        #expect(orphans.isSubset(of: vacuumed.removedFiles), "orphans \(orphans), removed \(vacuumed.removedFiles)")
        #expect(Set(vacuumed.removedFiles).isDisjoint(with: final.files.map(\.path)))
        let after = try FileManager.default.contentsOfDirectory(atPath: path)
        #expect(Set(after) == Set(final.files.map(\.path)).union(["_delta_log"]).union(before.filter { $0 == "_larder" }))
        #expect(TableTests.ids(try Table.open(at: path).snapshot().read(columns: ["user_id"])) == expected[latest])
        // What the run exercised (the kill moments are random, so these are not asserted).
        print("crash safety: \(Self.rounds) kills (after n new files: \(killStages.sorted { $0.key < $1.key })), \(latest) versions, "
              + "\(unreportedPublished) published but unreported, \(orphans.count) orphans vacuumed")
    }

    #if os(Linux)
    static func makeWatcher(_ path: String) throws -> DirectoryWatcher {
        try DirectoryWatcher([path, path + "/_delta_log"])
    }

    /// Waits until `count` entries appear in the table's folders (or the child exits).
    static func waitForFiles(_ count: Int, of process: Process, watcher: DirectoryWatcher) {
        watcher.reset()
        for _ in 0 ..< count {
            guard watcher.waitForEvent(whileRunning: process) else { return }
        }
    }
    #else
    /// Without inotify, every kill lands right after the announcement.
    struct NoWatcher {}
    static func makeWatcher(_ path: String) throws -> NoWatcher { NoWatcher() }
    static func waitForFiles(_ count: Int, of process: Process, watcher: NoWatcher) {}
    #endif

    /// Every commit file parses, line by line, as JSON actions; commits 0...latest are all
    /// there and nothing beyond; anything else in the log is a publish's temporary file.
    static func expectWholeLog(at path: String, latest: Int64, _ context: String) throws {
        let log = path + "/_delta_log"
        let names = try FileManager.default.contentsOfDirectory(atPath: log)
        let commits = names.filter { $0.utf8.count == 25 && $0.hasSuffix(".json") }
        #expect(Set(commits) == Set((0 ... latest).map(TableLog.commitName)), "\(context)")
        for name in names where !commits.contains(name) {
            #expect(name.hasPrefix(".") && name.contains(".json.tmp-"), "\(context): unexpected \(name) in the log")
        }
        for name in commits {
            let text = try String(contentsOfFile: log + "/" + name, encoding: .utf8)
            #expect(text.hasSuffix("\n"), "\(context): \(name) is cut short")
            for line in text.split(separator: "\n") {
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?.count == 1, "\(context): \(name) holds a line that is not one action: \(line.prefix(80))")
            }
        }
    }

    /// The paths of every data file any commit up to `latest` added.
    static func filesEverAdded(_ table: Table, latest: Int64) throws -> Set<String> {
        var out = Set<String>()
        for v in 0 ... latest {
            for case .add(let a) in try table.log.readCommit(v).actions { out.insert(a.path) }
        }
        return out
    }
}

/// SplitMix64, so a failing run's master seed replays its choices.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
