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

/// Proves the Python harness itself: the scripts run, the three engines read the pyarrow
/// fixtures to exactly their `.expected.json`, and `write_parquet.py` round-trips.
@Suite struct InteropHarnessTests {
    @Test("interop tools are available whenever LARDER_INTEROP=1 requires them")
    func requiredMeansAvailable() throws {
        if Interop.isRequired {
            try Interop.requireAvailable()
        }
        if Interop.isAvailable {
            let python = try #require(Interop.python)
            #expect(FileManager.default.isExecutableFile(atPath: python))
        }
    }

    @Test("package root, scripts and fixtures resolve from the source path")
    func pathsResolve() {
        let files = FileManager.default
        #expect(files.fileExists(atPath: Interop.packageRoot.appendingPathComponent("Package.swift").path))
        #expect(files.fileExists(atPath: Interop.scriptsDirectory.appendingPathComponent("read_parquet.py").path))
        #expect(files.fileExists(atPath: Interop.parquetFixturesDirectory.appendingPathComponent("manifest.json").path))
    }

    @Test("every fixture in manifest.json has its file and a decodable expected.json")
    func fixturesMatchManifest() throws {
        struct Manifest: Decodable {
            struct File: Decodable { var file: String; var expected: String; var rows: Int }
            var files: [File]
        }
        let dir = Interop.parquetFixturesDirectory
        let manifest = try JSONDecoder().decode(
            Manifest.self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
        #expect(manifest.files.count >= 25)
        for entry in manifest.files {
            let parquet = try Data(contentsOf: dir.appendingPathComponent(entry.file))
            #expect(parquet.prefix(4) == Data("PAR1".utf8), "\(entry.file)")
            let expected = try CanonicalTable(contentsOf: dir.appendingPathComponent(entry.expected))
            #expect(expected.numRows == entry.rows, "\(entry.expected)")
            for column in expected.columns {
                #expect(column.values.count == entry.rows, "\(entry.expected): \(column.name)")
            }
        }
        let extremes = try #require(CanonicalTable.expected(forFixture: "zstd_v1_plain").column(named: "i64"))
        #expect(extremes.values.prefix(5) == [.int(0), .int(-1), .int(.max), .int(.min), .int(9_007_199_254_740_993)])
    }

    @Test("each engine reads the fixture to its expected JSON", .interop,
          arguments: Interop.Engine.allCases, ["zstd_v2_dict", "multi_rowgroup_pages_v1", "int96"])
    func engineMatchesExpected(engine: Interop.Engine, fixture: String) throws {
        try Interop.requireAvailable()
        let path = Interop.parquetFixturesDirectory.appendingPathComponent("\(fixture).parquet").path
        let expected = try CanonicalTable.expected(forFixture: fixture)
        let actual = try Interop.readParquet(path, engine: engine)
        #expect(actual == expected, "\(engine) on \(fixture): \(actual.differences(from: expected))")
        #expect(actual.numRows > 0)
    }

    @Test("write_parquet.py then read_parquet.py returns the same table", .interop)
    func writeThenReadRoundTrips() throws {
        try Interop.requireAvailable()
        let table = CanonicalTable(numRows: 3, columns: [
            CanonicalColumn(name: "id", type: "int64", values: [.int(1), .int(-2), .null]),
            CanonicalColumn(name: "x", type: "float32",
                            values: [.float(Float(0.1)), .string("nan"), .float(-0.0 as Double)]),
            CanonicalColumn(name: "ts", type: "timestamp",
                            values: [.int(0), .int(-1), .int(1_700_000_000_123_456)]),
            CanonicalColumn(name: "b", type: "binary",
                            values: [.binary([0, 255]), .binary([UInt8]()), .null]),
            CanonicalColumn(name: "v", type: "array<float32>",
                            values: [.array([.float(Float(1.5)), .float(Float(9.5e15))]), .null, .array([])]),
        ])
        let dir = try TemporaryDirectory()
        let path = dir.file("roundtrip.parquet")
        try Interop.writeParquet(table, to: path, options: ["--compression", "zstd", "--data-page-version", "2.0"])
        for engine in Interop.Engine.allCases {
            let back = try Interop.readParquet(path, engine: engine)
            #expect(back == table, "\(engine): \(back.differences(from: table))")
        }
    }

    @Test("a failing script throws an error naming it and quoting its stderr", .interop)
    func failingScriptReportsStderr() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        let missing = dir.file("does-not-exist.parquet")
        let error = try #require(throws: InteropError.self) {
            _ = try Interop.readParquet(missing, engine: .pyarrow)
        }
        #expect(error.message.contains("read_parquet.py"))
        #expect(error.message.contains("does-not-exist.parquet"))
    }

    @Test("float values compare by value, not by text")
    func floatComparisonIsByValue() {
        let python = CanonicalColumn(name: "f", type: "float64", values: [.string("9500000000000000.0"), .string("nan")])
        let swift = CanonicalColumn(name: "f", type: "float64", values: [.float(9.5e15), .float(Double.nan)])
        #expect(python == swift)
        let other = CanonicalColumn(name: "f", type: "float64", values: [.float(9.5e15), .float(-0.0)])
        #expect(python != other)
        #expect(CanonicalColumn(name: "z", type: "float64", values: [.string("0.0")])
            != CanonicalColumn(name: "z", type: "float64", values: [.string("-0.0")]))
    }

    @Test("a temporary directory exists until removed")
    func temporaryDirectoryLifecycle() throws {
        let dir = try TemporaryDirectory(prefix: "larder-harness")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(dir.file("a.txt") == dir.path + "/a.txt")
        try Data("x".utf8).write(to: dir.fileURL("a.txt"))
        dir.remove()
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}
