import Foundation
import LarderTestSupport
import Testing

extension Trait where Self == ConditionTrait {
    /// Runs the test when the Python interop tools are available, or when `LARDER_INTEROP=1`
    /// requires them (then the test fails at `Interop.requireAvailable()` if they are missing);
    /// otherwise reports it skipped with the reason.
    static var interop: Self {
        .enabled(if: Interop.shouldRun, Comment(rawValue: Interop.skipMessage))
    }
}

/// Proves the Delta Lake side of the Python harness: the delta-rs fixtures are what their
/// manifest says, delta-rs and Polars read every fixture version to its expected JSON,
/// `delta_history.py` reports delta-rs's view of the history, and errors name the script.
@Suite struct DeltaHarnessTests {
    /// Every fixture table, by folder name (the manifest must list exactly these).
    static let fixtureTables = [
        "people", "all_types", "compacted", "with_checkpoint",
        "deletion_vectors_enabled", "deletion_vector_inline", "column_mapping",
    ]

    @Test("the manifest lists every fixture table, and every version has its expected JSON")
    func fixturesMatchManifest() throws {
        let manifest = try DeltaFixtureManifest.load()
        #expect(manifest.tables.map(\.name) == Self.fixtureTables)
        let files = FileManager.default
        for table in manifest.tables {
            let log = URL(fileURLWithPath: Interop.deltaFixturePath(table.name))
                .appendingPathComponent("_delta_log/00000000000000000000.json")
            #expect(files.fileExists(atPath: log.path), "\(table.name)")
            #expect(table.versions.map(\.version) == Array(0 ..< table.versions.count), "\(table.name)")
            for version in table.versions {
                let expected = try CanonicalTable.expected(forDeltaFixture: table.name, version: version.version)
                #expect(expected.numRows == version.rows, "\(version.expected)")
                #expect(expected.columns.map(\.name) == table.columns.map(\.name), "\(version.expected)")
                for column in expected.columns {
                    #expect(column.values.count == version.rows, "\(version.expected): \(column.name)")
                }
                #expect(expected.sortedRows() == expected, "\(version.expected) is not in canonical row order")
            }
        }
        let refused = manifest.tables.filter(\.larderMustRefuse).map(\.name)
        #expect(refused == ["deletion_vectors_enabled", "deletion_vector_inline", "column_mapping"])
    }

    @Test("people: five versions with the operations and row counts that made them")
    func peopleManifest() throws {
        let people = try #require(try DeltaFixtureManifest.load().table(named: "people"))
        #expect(people.versions.map(\.operation) == ["WRITE", "WRITE", "DELETE", "WRITE", "WRITE"])
        #expect(people.versions.map(\.rows) == [8, 14, 11, 4, 7])
        #expect(people.protocol == DeltaProtocolInfo(minReaderVersion: 1, minWriterVersion: 2))
        #expect(people.columns.map(\.type) == ["long", "string", "timestamp", "double", "boolean", "date"])
        let compacted = try #require(try DeltaFixtureManifest.load().table(named: "compacted"))
        let optimize = try #require(compacted.versions.last)
        #expect(optimize.operation == "OPTIMIZE")
        #expect(optimize.dataChange == [false])
        #expect(optimize.actions["remove"] == 5 && optimize.actions["add"] == 1)
    }

    @Test("each engine reads every version of the fixture to its expected JSON", .interop,
          arguments: DeltaEngine.allCases, Self.fixtureTables)
    func engineReadsEveryVersion(engine: DeltaEngine, fixture: String) throws {
        try Interop.requireAvailable()
        let table = try #require(try DeltaFixtureManifest.load().table(named: fixture))
        guard table.engines.contains(engine.rawValue) else { return }  // see the manifest's engines_note
        for version in table.versions.map(\.version) {
            let expected = try CanonicalTable.expected(forDeltaFixture: fixture, version: version)
            let actual = try Interop.readDelta(Interop.deltaFixturePath(fixture), engine: engine, version: version)
            #expect(actual == expected, "\(engine) on \(fixture) v\(version): \(actual.differences(from: expected))")
        }
    }

    @Test("without a version, the latest one is read and reported", .interop)
    func latestVersionIsRead() throws {
        try Interop.requireAvailable()
        let snapshot = try Interop.readDeltaSnapshot(Interop.deltaFixturePath("people"), engine: .deltalake)
        #expect(snapshot.version == 4)
        #expect(snapshot.table == (try CanonicalTable.expected(forDeltaFixture: "people", version: 4)))
    }

    @Test("--sort-by orders rows as sortedRows(by:) does", .interop, arguments: DeltaEngine.allCases)
    func sortByMatchesSwift(engine: DeltaEngine) throws {
        try Interop.requireAvailable()
        let path = Interop.deltaFixturePath("people")
        let actual = try Interop.readDelta(path, engine: engine, version: 1, sortBy: ["score", "name"])
        let expected = try CanonicalTable.expected(forDeltaFixture: "people", version: 1).sortedRows(by: ["score", "name"])
        #expect(actual == expected, "\(actual.differences(from: expected))")
        let ids = try #require(actual.column(named: "id")).values
        #expect(ids.first == .int(2))    // null score first
        #expect(ids.last == .int(11))    // NaN score last
    }

    @Test("--filter returns exactly the matching rows", .interop, arguments: DeltaEngine.allCases)
    func filterKeepsMatchingRows(engine: DeltaEngine) throws {
        try Interop.requireAvailable()
        let actual = try Interop.readDelta(Interop.deltaFixturePath("people"), engine: engine,
                                           version: 1, filter: "id >= 9 AND ts IS NOT NULL")
        let all = try CanonicalTable.expected(forDeltaFixture: "people", version: 1)
        let ids = try #require(all.column(named: "id")).values
        let ts = try #require(all.column(named: "ts")).values
        let expected = Self.rows(of: all) { (ids[$0].int ?? 0) >= 9 && !ts[$0].isNull }
        #expect(expected.numRows == 5)
        #expect(actual == expected, "\(actual.differences(from: expected))")
    }

    @Test("a max statistic below the data makes a filtered read lose rows: the harness sees bad stats",
          .interop, arguments: DeltaEngine.allCases)
    func wrongStatsLoseRows(engine: DeltaEngine) throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory(prefix: "larder-delta-stats")
        let copy = dir.fileURL("all_types")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Interop.deltaFixturePath("all_types")), to: copy)
        #expect(try Interop.readDelta(copy.path, engine: engine, filter: "id = 5").numRows == 1)

        let commit = copy.appendingPathComponent("_delta_log/00000000000000000000.json")
        let lines = try String(contentsOf: commit, encoding: .utf8).split(separator: "\n").map(String.init)
        let rewritten = try lines.map { line -> String in
            guard var action = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  var add = action["add"] as? [String: Any], let statsText = add["stats"] as? String,
                  var stats = try JSONSerialization.jsonObject(with: Data(statsText.utf8)) as? [String: Any],
                  var maxValues = stats["maxValues"] as? [String: Any]
            else { return line }
            maxValues["id"] = 4   // the file holds ids 0...9
            stats["maxValues"] = maxValues
            add["stats"] = String(decoding: try JSONSerialization.data(withJSONObject: stats), as: UTF8.self)
            action["add"] = add
            return String(decoding: try JSONSerialization.data(withJSONObject: action), as: UTF8.self)
        }
        #expect(rewritten != lines)
        try (rewritten.joined(separator: "\n") + "\n").write(to: commit, atomically: true, encoding: .utf8)
        #expect(try Interop.readDelta(copy.path, engine: engine, filter: "id = 5").numRows == 0)
        #expect(try Interop.readDelta(copy.path, engine: engine).numRows == 10)
    }

    @Test("history of people: five versions, their operations, files and rows", .interop)
    func peopleHistory() throws {
        try Interop.requireAvailable()
        let report = try Interop.deltaHistoryReport(Interop.deltaFixturePath("people"))
        #expect(report.latestVersion == 4)
        #expect(report.commitInfoSource == "deltalake.DeltaTable.history()")
        let history = report.entries
        #expect(history.map(\.version) == [0, 1, 2, 3, 4])
        #expect(history.map(\.operation) == ["WRITE", "WRITE", "DELETE", "WRITE", "WRITE"])
        #expect(history.map { $0.operationParameters["mode"] } == ["ErrorIfExists", "Append", nil, "Overwrite", "Append"])
        #expect(history[2].operationParameters["predicate"] == "id = 2 OR id = 5 OR id = 11")
        #expect(history.map(\.rowCount) == [8, 14, 11, 4, 7])
        #expect(history.map(\.fileCount) == [1, 2, 1, 1, 2])
        #expect(history.map(\.statsRowCount) == history.map(\.rowCount))
        #expect(history[4].userMetadata == "append after overwrite")
        #expect(history[4].other["larder.fixture"] == "people")
        #expect(history[3].userMetadata == nil)
        let timestamps = history.compactMap(\.timestamp)
        #expect(timestamps.count == 5 && timestamps == timestamps.sorted())
        #expect(history.allSatisfy { $0.protocol == DeltaProtocolInfo(minReaderVersion: 1, minWriterVersion: 2) })
        #expect(history[0].columns.first == DeltaColumnInfo(name: "id", type: "long", nullable: false))
    }

    @Test("history agrees with the manifest for every fixture", .interop, arguments: Self.fixtureTables)
    func historyMatchesManifest(fixture: String) throws {
        try Interop.requireAvailable()
        let table = try #require(try DeltaFixtureManifest.load().table(named: fixture))
        let history = try Interop.deltaHistory(Interop.deltaFixturePath(fixture))
        #expect(history.map(\.version) == table.versions.map(\.version))
        #expect(history.map(\.operation) == table.versions.map(\.operation))
        #expect(history.map(\.fileCount) == table.versions.map(\.files))
        #expect(history.map(\.rowCount) == table.versions.map(\.rows))
        #expect(history.last?.protocol == table.protocol)
    }

    @Test("a missing table, a plain folder or a missing version fails with the script's reason", .interop)
    func missingTableReportsScriptError() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory(prefix: "larder-delta")
        let missing = dir.file("no-such-table")
        let read = try #require(throws: InteropError.self) {
            _ = try Interop.readDelta(missing, engine: .deltalake)
        }
        #expect(read.message.contains("read_delta.py"))
        #expect(read.message.contains("no-such-table"))
        #expect(read.message.contains("no such directory"))

        let notDelta = try #require(throws: InteropError.self) {
            _ = try Interop.readDelta(dir.path, engine: .polars)
        }
        #expect(notDelta.message.contains("not a Delta table"))

        let tooNew = try #require(throws: InteropError.self) {
            _ = try Interop.readDelta(Interop.deltaFixturePath("people"), engine: .deltalake, version: 9)
        }
        #expect(tooNew.message.contains("no version 9"))

        let history = try #require(throws: InteropError.self) {
            _ = try Interop.deltaHistory(missing)
        }
        #expect(history.message.contains("delta_history.py"))
        #expect(history.message.contains("no-such-table"))
    }

    @Test("sortedRows restores the canonical order of a fixture from any row order")
    func sortedRowsMatchesPythonOrder() throws {
        for (fixture, version) in [("all_types", 0), ("people", 1), ("compacted", 5)] {
            let expected = try CanonicalTable.expected(forDeltaFixture: fixture, version: version)
            let reversed = CanonicalTable(numRows: expected.numRows, columns: expected.columns.map {
                CanonicalColumn(name: $0.name, type: $0.type, values: $0.values.reversed())
            })
            #expect(reversed.sortedRows() == expected, "\(fixture) v\(version)")
        }
    }

    /// The rows of `table` whose index passes `keep`, in order.
    static func rows(of table: CanonicalTable, where keep: (Int) -> Bool) -> CanonicalTable {
        let kept = (0 ..< table.numRows).filter(keep)
        return CanonicalTable(numRows: kept.count, columns: table.columns.map { column in
            CanonicalColumn(name: column.name, type: column.type, values: kept.map { column.values[$0] })
        })
    }

    @Test("sortedRows: nulls first, -0.0 before 0.0, NaN last, strings by code point")
    func sortedRowsEdgeCases() {
        let table = CanonicalTable(numRows: 6, columns: [
            CanonicalColumn(name: "f", type: "float64", values: [
                .string("nan"), .string("0.0"), .null, .string("-0.0"), .string("-inf"), .string("1e-300"),
            ]),
            CanonicalColumn(name: "s", type: "string", values: [
                .string("é"), .string("e\u{301}"), .string("b"), .string("a"), .null, .string(""),
            ]),
        ])
        let byFloat = table.sortedRows()
        #expect(byFloat.columns[0].values.map(\.description)
            == ["null", "\"-inf\"", "\"-0.0\"", "\"0.0\"", "\"1e-300\"", "\"nan\""])
        let byString = table.sortedRows(by: ["s"])
        // "e\u{301}" (U+0065 U+0301) sorts before "é" (U+00E9) by code point, though Swift's
        // `<` holds them equal.
        #expect(byString.columns[1].values == [.null, .string(""), .string("a"), .string("b"),
                                                .string("e\u{301}"), .string("é")])
    }
}
