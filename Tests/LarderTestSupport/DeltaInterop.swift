import Foundation

/// A Delta Lake reader that `scripts/interop/read_delta.py` can use. Both replay the log with
/// delta-rs; they decode the Parquet files with different readers.
public enum DeltaEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    /// delta-rs end to end: `DeltaTable.scan()` (DataFusion, the arrow-rs Parquet reader).
    case deltalake
    /// `polars.read_delta`: delta-rs lists the files, Polars' own Rust reader decodes them.
    case polars

    public var description: String { rawValue }
}

/// Delta Lake interop: read any version of a table with delta-rs or Polars, and see its
/// history as delta-rs does, to compare with what Larder reads and writes.
///
/// ```swift
/// @Test(.enabled(if: Interop.shouldRun, Comment(rawValue: Interop.skipMessage)))
/// func deltaRsReadsOurTable() throws {
///     try Interop.requireAvailable()
///     let theirs = try Interop.readDelta(tablePath, engine: .deltalake, version: 2)
///     #expect(theirs == CanonicalTable(ourBatch).sortedRows())
/// }
/// ```
///
/// Rows come back sorted (Delta defines no order across files): by `sortBy`, then by every
/// column in order. ``CanonicalTable/sortedRows(by:)`` sorts a Larder result the same way.
extension Interop {
    /// `Fixtures/delta/`: tables written by delta-rs, `TABLE.vN.expected.json` per version,
    /// and `manifest.json` (see its `README.md`).
    public static var deltaFixturesDirectory: URL {
        fixturesDirectory.appendingPathComponent("delta", isDirectory: true)
    }

    /// The path of the fixture table `Fixtures/delta/<name>/`.
    public static func deltaFixturePath(_ name: String) -> String {
        deltaFixturesDirectory.appendingPathComponent(name, isDirectory: true).path
    }

    /// Reads one version of a Delta table with `engine` through `read_delta.py`.
    ///
    /// - Parameters:
    ///   - path: The table's directory (the one holding `_delta_log/`).
    ///   - engine: Which reader decodes the data files.
    ///   - version: The table version to read; the latest when nil.
    ///   - sortBy: Columns to sort rows by first; then every column in order.
    ///   - filter: A SQL predicate (`"id >= 10 AND ts IS NOT NULL"`): only matching rows are
    ///     returned. Both engines first skip files by their `add.stats`, so a filtered read
    ///     tests the statistics a writer put in the log.
    /// - Returns: The rows in canonical form, sorted.
    /// - Throws: ``InteropError`` quoting the script's error when the table, the version or
    ///   a sort column does not exist or the engine cannot read the table; also when the
    ///   tools are unavailable.
    public static func readDelta(
        _ path: String, engine: DeltaEngine, version: Int? = nil, sortBy: [String]? = nil,
        filter: String? = nil
    ) throws -> CanonicalTable {
        try readDeltaSnapshot(path, engine: engine, version: version, sortBy: sortBy, filter: filter).table
    }

    /// Like ``readDelta(_:engine:version:sortBy:filter:)``, and also says which version was
    /// read (useful when `version` is nil).
    public static func readDeltaSnapshot(
        _ path: String, engine: DeltaEngine, version: Int? = nil, sortBy: [String]? = nil,
        filter: String? = nil
    ) throws -> DeltaSnapshot {
        var arguments = [path, "--engine", engine.rawValue]
        if let version { arguments += ["--version", String(version)] }
        if let sortBy { arguments += ["--sort-by", sortBy.joined(separator: ",")] }
        if let filter { arguments += ["--filter", filter] }
        let output = try run(script: "read_delta.py", arguments: arguments)
        let snapshot: DeltaSnapshot
        do {
            let table = try CanonicalTable(json: output.stdout)
            let read = try JSONDecoder().decode(VersionKey.self, from: output.stdout)
            snapshot = DeltaSnapshot(version: read.version, table: table)
        } catch {
            throw InteropError("read_delta.py --engine \(engine) printed JSON that does not decode: \(error)")
        }
        if let version, snapshot.version != version {
            throw InteropError("read_delta.py --engine \(engine) read version \(snapshot.version) of \(path), not \(version)")
        }
        return snapshot
    }

    /// The table's history as delta-rs sees it (`delta_history.py`), oldest version first.
    /// - Throws: ``InteropError`` quoting the script's error when delta-rs cannot read it.
    public static func deltaHistory(_ path: String) throws -> [DeltaHistoryEntry] {
        try deltaHistoryReport(path).entries
    }

    /// The whole output of `delta_history.py`: entries, latest version and where the commit
    /// information came from.
    public static func deltaHistoryReport(_ path: String) throws -> DeltaHistory {
        let output = try run(script: "delta_history.py", arguments: [path])
        do {
            return try JSONDecoder().decode(DeltaHistory.self, from: output.stdout)
        } catch {
            throw InteropError("delta_history.py printed JSON that does not decode: \(error)")
        }
    }

    private struct VersionKey: Decodable { var version: Int }
}

/// One version of a Delta table as a tool read it.
public struct DeltaSnapshot: Sendable, Equatable {
    /// The table version read.
    public var version: Int
    /// Its rows, sorted.
    public var table: CanonicalTable
}

/// The output of `scripts/interop/delta_history.py`.
public struct DeltaHistory: Decodable, Sendable, Equatable {
    /// The table path given to the script.
    public var table: String
    /// The latest version delta-rs found.
    public var latestVersion: Int
    /// `deltalake.DeltaTable.history()`, or the commit files when delta-rs's history
    /// disagrees with them (it skips commits without `commitInfo`).
    public var commitInfoSource: String
    /// One entry per version with a commit file, oldest first.
    public var entries: [DeltaHistoryEntry]

    enum CodingKeys: String, CodingKey {
        case table, entries, commitInfoSource
        case latestVersion = "latest_version"
    }
}

/// One version in a Delta table's history, as delta-rs sees it.
public struct DeltaHistoryEntry: Decodable, Sendable, Equatable {
    /// The table version.
    public var version: Int
    /// `commitInfo.timestamp`, milliseconds since the epoch; nil without commitInfo.
    public var timestamp: Int64?
    /// `commitInfo.operation` (`WRITE`, `DELETE`, `OPTIMIZE`, ...); nil without commitInfo.
    public var operation: String?
    /// `commitInfo.operationParameters`, values as text (non-strings as compact JSON).
    public var operationParameters: [String: String]
    /// Every other `commitInfo` key (`userMetadata`, `engineInfo`, `operationMetrics`,
    /// custom keys), values as text (non-strings as compact JSON with sorted keys).
    public var other: [String: String]
    /// Active data files at this version.
    public var fileCount: Int
    /// Rows at this version, counted by a delta-rs scan.
    public var rowCount: Int
    /// The sum of the active files' `numRecords` stats; nil when a file has none.
    public var statsRowCount: Int?
    /// The protocol in force at this version.
    public var `protocol`: DeltaProtocolInfo
    /// The schema at this version.
    public var columns: [DeltaColumnInfo]

    /// `commitInfo.userMetadata`, if any.
    public var userMetadata: String? { other["userMetadata"] }
}

/// A Delta `protocol` action.
public struct DeltaProtocolInfo: Codable, Sendable, Equatable {
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    public var readerFeatures: [String]?
    public var writerFeatures: [String]?

    public init(minReaderVersion: Int, minWriterVersion: Int,
                readerFeatures: [String]? = nil, writerFeatures: [String]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }
}

/// A top-level column of a Delta schema: its Delta type as text (`long`, `timestamp`,
/// `array<float>`).
public struct DeltaColumnInfo: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    public var nullable: Bool

    public init(name: String, type: String, nullable: Bool) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

// MARK: - Fixtures

/// `Fixtures/delta/manifest.json`: what each fixture table holds, version by version.
public struct DeltaFixtureManifest: Decodable, Sendable {
    /// One fixture table.
    public struct Table: Decodable, Sendable {
        /// The folder name under `Fixtures/delta/`.
        public var name: String
        /// `reads`, or `must refuse: <why>` for tables Larder's reader must reject.
        public var larder: String
        /// The engines that read every version to its expected JSON.
        public var engines: [String]
        public var `protocol`: DeltaProtocolInfo
        public var columns: [DeltaColumnInfo]
        public var versions: [Version]

        /// Whether Larder must refuse to read the table (an unsupported protocol feature).
        public var larderMustRefuse: Bool { larder.hasPrefix("must refuse") }
    }

    /// One version of a fixture table.
    public struct Version: Decodable, Sendable {
        public var version: Int
        public var about: String
        public var operation: String?
        public var operationParameters: [String: String]?
        /// Action kinds in the commit file and how many of each.
        public var actions: [String: Int]
        /// The distinct `dataChange` values of the commit's add and remove actions.
        public var dataChange: [Bool]
        public var files: Int
        public var rows: Int
        /// The expected JSON's file name in `Fixtures/delta/`.
        public var expected: String
    }

    public var writer: String
    public var tables: [Table]

    /// Loads `Fixtures/delta/manifest.json`.
    public static func load() throws -> DeltaFixtureManifest {
        let url = Interop.deltaFixturesDirectory.appendingPathComponent("manifest.json")
        return try JSONDecoder().decode(DeltaFixtureManifest.self, from: Data(contentsOf: url))
    }

    /// The table called `name`, if any.
    public func table(named name: String) -> Table? { tables.first { $0.name == name } }
}

extension CanonicalTable {
    /// The expected contents of version `version` of the Delta fixture `Fixtures/delta/<name>/`
    /// (`<name>.v<version>.expected.json`), rows sorted as ``sortedRows(by:)`` sorts them.
    public static func expected(forDeltaFixture name: String, version: Int) throws -> CanonicalTable {
        try CanonicalTable(contentsOf: Interop.deltaFixturesDirectory
            .appendingPathComponent("\(name).v\(version).expected.json"))
    }

    // MARK: - Row order

    /// The table with its rows sorted as `read_delta.py` sorts them (`canonical.sort_rows`):
    /// by the `columns` given, then by every column in order. Nulls first; floats by value
    /// with -0.0 before 0.0 and NaN last; arrays element by element, a prefix first; strings
    /// (and binary's hex) by Unicode code point, not by Swift's canonical equivalence.
    /// Unknown column names are ignored.
    public func sortedRows(by columns: [String]? = nil) -> CanonicalTable {
        let keyColumns = (columns ?? []).compactMap { name in self.columns.firstIndex { $0.name == name } }
            + Array(self.columns.indices)
        let rows = (0 ..< numRows).sorted { a, b in
            for c in keyColumns {
                let column = self.columns[c]
                let order = Self.compare(column.values[a], column.values[b], asFloat: column.isFloat)
                if order != 0 { return order < 0 }
            }
            return false
        }
        let sorted = self.columns.map { column in
            CanonicalColumn(name: column.name, type: column.type, values: rows.map { column.values[$0] })
        }
        return CanonicalTable(numRows: numRows, columns: sorted)
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` in a column.
    static func compare(_ a: CanonicalValue, _ b: CanonicalValue, asFloat: Bool) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.array(let x), .array(let y)):
            for (u, v) in zip(x, y) {
                let order = compare(u, v, asFloat: asFloat)
                if order != 0 { return order }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        default:
            break
        }
        if asFloat, let x = a.double, let y = b.double {
            return compareFloats(x, y)
        }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.number(let x), .number(let y)): return compareFloats(x, y)
        case (.string(let x), .string(let y)):
            let u = Array(x.unicodeScalars.lazy.map(\.value)), v = Array(y.unicodeScalars.lazy.map(\.value))
            if u == v { return 0 }
            return u.lexicographicallyPrecedes(v) ? -1 : 1
        default:
            let x = a.description, y = b.description
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }

    private static func compareFloats(_ x: Double, _ y: Double) -> Int {
        switch (x.isNaN, y.isNaN) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): break
        }
        if x != y { return x < y ? -1 : 1 }
        if x.sign == y.sign { return 0 }
        return x.sign == .minus ? -1 : 1
    }
}
