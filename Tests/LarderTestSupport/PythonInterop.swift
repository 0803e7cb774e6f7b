import Foundation

/// Runs the Python interoperability scripts in `scripts/interop/` (pyarrow, DuckDB, Polars)
/// from tests, so Larder's files can be checked against what other tools read and write.
///
/// ## Which Python
/// `LARDER_PYTHON` when set, else `.venv/bin/python` under the package root when it exists
/// (`make setup` creates it). The tools count as available when that interpreter imports
/// `pyarrow`, `duckdb` and `polars`; the answer is computed once per test process.
///
/// ## The rule for interop tests
/// An interop test runs when the tools are available, and is **skipped** with a reason when
/// they are not — unless `LARDER_INTEROP=1` (set by `make test` and CI), in which case missing
/// tools make it **fail**. Write interop tests like this:
///
/// ```swift
/// @Test(.enabled(if: Interop.shouldRun, Comment(rawValue: Interop.skipMessage)))
/// func duckdbReadsOurFile() throws {
///     try Interop.requireAvailable()        // fails here when required but missing
///     let table = try Interop.readParquet(path, engine: .duckdb)
///     ...
/// }
/// ```
///
/// (`.enabled(if:_:)` reports the test as skipped with its comment when the condition is
/// false; `shouldRun` is false only when the tools are missing and not required.)
public enum Interop {
    /// A Parquet reader that `read_parquet.py` can use; each is the tool's own reader.
    public enum Engine: String, CaseIterable, Sendable, CustomStringConvertible {
        case pyarrow, duckdb, polars
        public var description: String { rawValue }
    }

    /// Whether interop tests must run: `LARDER_INTEROP=1` in the environment.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["LARDER_INTEROP"] == "1"
    }

    /// The package root (the folder holding `Package.swift`), found from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // LarderTestSupport
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()

    /// `scripts/interop/` under the package root.
    public static var scriptsDirectory: URL {
        packageRoot.appendingPathComponent("scripts/interop", isDirectory: true)
    }

    /// `Fixtures/` under the package root.
    public static var fixturesDirectory: URL {
        packageRoot.appendingPathComponent("Fixtures", isDirectory: true)
    }

    /// `Fixtures/parquet/`: pyarrow-written files, each with `NAME.expected.json` beside it.
    public static var parquetFixturesDirectory: URL {
        fixturesDirectory.appendingPathComponent("parquet", isDirectory: true)
    }

    /// The interpreter to use, if one is configured or `.venv/bin/python` exists.
    public static var python: String? {
        if let configured = ProcessInfo.processInfo.environment["LARDER_PYTHON"], !configured.isEmpty {
            return configured
        }
        let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// Whether the interpreter exists and imports pyarrow, duckdb and polars (checked once).
    public static var isAvailable: Bool { availability.problem == nil }

    /// Why the tools are unavailable, or nil when they are available.
    public static var unavailableReason: String? { availability.problem }

    /// The condition for `.enabled(if:)`: available, or required (so the test runs and fails).
    public static var shouldRun: Bool { isRequired || isAvailable }

    /// The comment for `.enabled(if:)`, shown when an interop test is skipped.
    public static let skipMessage =
        "Python interop tools (pyarrow, duckdb, polars) not available: run `make setup`; "
        + "set LARDER_INTEROP=1 to make their absence a failure"

    /// Throws ``InteropError`` saying what is missing when the tools are unavailable.
    /// Call it first in every interop test (see the type's documentation).
    public static func requireAvailable() throws {
        if let problem = availability.problem {
            let prefix = isRequired ? "LARDER_INTEROP=1 but the" : "The"
            throw InteropError("\(prefix) Python interop tools are not available: \(problem). "
                + "Run `make setup` (or `bash scripts/setup-python.sh`).")
        }
    }

    /// Runs `scripts/interop/<script>` with the interop Python.
    ///
    /// - Parameters:
    ///   - script: A file name in `scripts/interop/`, e.g. `"read_parquet.py"`.
    ///   - arguments: Its command-line arguments.
    ///   - timeout: Seconds after which the script is terminated (a failure).
    /// - Returns: Its standard output, standard error and exit status (always 0).
    /// - Throws: ``InteropError`` naming the script and quoting its standard error when it
    ///   cannot start, exits non-zero or times out; also when the tools are unavailable.
    public static func run(
        script: String, arguments: [String], timeout: TimeInterval = 300
    ) throws -> InteropOutput {
        try requireAvailable()
        guard let python else { throw InteropError("no Python interpreter configured") }
        let scriptPath = scriptsDirectory.appendingPathComponent(script).path
        let output = try execute(python, [scriptPath] + arguments, timeout: timeout)
        guard output.status == 0 else {
            let command = ([script] + arguments).joined(separator: " ")
            let how = output.timedOut ? "timed out after \(Int(timeout)) s" : "exited with status \(output.status)"
            throw InteropError("scripts/interop/\(script) \(how) (\(command)):\n\(output.stderr)")
        }
        return output
    }

    /// Reads a Parquet file with `engine` through `read_parquet.py`.
    /// - Throws: ``InteropError`` if the engine cannot read it or its output does not decode.
    public static func readParquet(_ path: String, engine: Engine) throws -> CanonicalTable {
        let output = try run(script: "read_parquet.py", arguments: [path, "--engine", engine.rawValue])
        do {
            return try CanonicalTable(json: output.stdout)
        } catch {
            throw InteropError("read_parquet.py --engine \(engine) printed JSON that does not decode: \(error)")
        }
    }

    /// Writes `table` as a Parquet file with pyarrow through `write_parquet.py`.
    /// - Parameter options: Extra options, e.g. `["--compression", "zstd", "--data-page-version", "2.0"]`.
    /// - Throws: ``InteropError`` if the script fails.
    public static func writeParquet(_ table: CanonicalTable, to path: String, options: [String] = []) throws {
        let dir = try TemporaryDirectory(prefix: "larder-interop")
        let input = dir.fileURL("table.json")
        try table.jsonData().write(to: input)
        _ = try run(script: "write_parquet.py", arguments: [input.path, path] + options)
    }

    // MARK: - Private

    private struct Availability: Sendable {
        var problem: String?
    }

    private static let availability: Availability = probe()

    private static func probe() -> Availability {
        guard let python else {
            let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
            return Availability(problem: "LARDER_PYTHON is not set and \(venv) does not exist")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return Availability(problem: "\(python) (LARDER_PYTHON) is not an executable file")
        }
        do {
            let output = try execute(python, ["-c", "import pyarrow, duckdb, polars"], timeout: 120)
            if output.status != 0 {
                let lastLine = output.stderr.split(separator: "\n").last.map(String.init) ?? ""
                return Availability(problem: "\(python) cannot import pyarrow, duckdb and polars (\(lastLine))")
            }
        } catch {
            return Availability(problem: "\(python) does not start: \(error)")
        }
        return Availability(problem: nil)
    }

    /// Runs a process to completion; standard output and error go to files, so neither pipe
    /// can fill up and stall the child.
    private static func execute(_ executable: String, _ arguments: [String], timeout: TimeInterval) throws -> InteropOutput {
        let dir = try TemporaryDirectory(prefix: "larder-process")
        let outURL = dir.fileURL("stdout"), errURL = dir.fileURL("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
              FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else { throw InteropError("cannot create output files in \(dir.path)") }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle

        let watchdog = Watchdog(process)
        try process.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { watchdog.fire() }
        process.waitUntilExit()
        watchdog.disarm()

        let stdout = try Data(contentsOf: outURL)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        return InteropOutput(stdout: stdout, stderr: stderr, status: process.terminationStatus,
                             timedOut: watchdog.didFire)
    }
}

/// Terminates a process that outlives its timeout.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private let process: Process
    private var armed = true
    private var fired = false

    init(_ process: Process) { self.process = process }

    func fire() {
        lock.lock()
        defer { lock.unlock() }
        guard armed, process.isRunning else { return }
        fired = true
        process.terminate()
    }

    func disarm() {
        lock.lock()
        armed = false
        lock.unlock()
    }

    var didFire: Bool {
        lock.lock()
        defer { lock.unlock() }
        return fired
    }
}

/// What a finished script printed and returned.
public struct InteropOutput: Sendable {
    /// Everything written to standard output.
    public var stdout: Data
    /// Everything written to standard error, decoded as UTF-8.
    public var stderr: String
    /// The exit status.
    public var status: Int32
    /// Whether the process was terminated for exceeding its timeout.
    public var timedOut: Bool

    /// Standard output decoded as UTF-8.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// A failure of the interop harness: tools missing, a script that failed, bad output.
public struct InteropError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the script's standard error when there is one.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

// MARK: - Canonical JSON

/// A table in the canonical JSON of `scripts/interop/read_parquet.py` (the format is
/// documented in `scripts/interop/canonical.py`): what a tool read from a Parquet file, or what
/// `Fixtures/parquet/NAME.expected.json` says a file holds. The `engine` key that
/// `read_parquet.py` adds is informational and not decoded, so tables from different engines
/// compare equal when their contents agree.
public struct CanonicalTable: Codable, Equatable, Sendable {
    /// The number of rows.
    public var numRows: Int
    /// The columns, in file order.
    public var columns: [CanonicalColumn]

    public init(numRows: Int, columns: [CanonicalColumn]) {
        self.numRows = numRows
        self.columns = columns
    }

    enum CodingKeys: String, CodingKey {
        case numRows = "num_rows"
        case columns
    }

    /// Decodes canonical JSON.
    /// - Throws: `DecodingError` if `json` is not a canonical table.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(CanonicalTable.self, from: json)
    }

    /// Loads a canonical JSON file, e.g. a fixture's `NAME.expected.json`.
    /// - Throws: The file system's error, or `DecodingError`.
    public init(contentsOf url: URL) throws {
        try self.init(json: try Data(contentsOf: url))
    }

    /// The expected contents of the Parquet fixture `Fixtures/parquet/<name>.parquet`.
    /// - Parameter name: The fixture's name without extension, e.g. `"zstd_v2_dict"`.
    public static func expected(forFixture name: String) throws -> CanonicalTable {
        try CanonicalTable(contentsOf: Interop.parquetFixturesDirectory
            .appendingPathComponent("\(name).expected.json"))
    }

    /// Canonical JSON, as `write_parquet.py` reads it.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The column called `name`, if any.
    public func column(named name: String) -> CanonicalColumn? {
        columns.first { $0.name == name }
    }

    /// Human-readable differences from `other` (at most `limit`), empty when equal; for test
    /// failure messages.
    public func differences(from other: CanonicalTable, limit: Int = 10) -> [String] {
        var out: [String] = []
        if numRows != other.numRows { out.append("num_rows: \(numRows) vs \(other.numRows)") }
        if columns.map(\.name) != other.columns.map(\.name) {
            out.append("columns: \(columns.map(\.name)) vs \(other.columns.map(\.name))")
        }
        for (mine, theirs) in zip(columns, other.columns) where out.count < limit {
            if mine.type != theirs.type {
                out.append("\(mine.name): type \(mine.type) vs \(theirs.type)")
            }
            for (row, (a, b)) in zip(mine.values, theirs.values).enumerated() where !mine.valueMatches(a, b) {
                out.append("\(mine.name)[\(row)]: \(a) vs \(b)")
                if out.count >= limit { break }
            }
            if mine.values.count != theirs.values.count {
                out.append("\(mine.name): \(mine.values.count) values vs \(theirs.values.count)")
            }
        }
        return Array(out.prefix(limit))
    }
}

/// One column of a ``CanonicalTable``.
public struct CanonicalColumn: Codable, Equatable, Sendable {
    /// The column name.
    public var name: String
    /// Larder's type name: `int32`, `int64`, `float32`, `float64`, `bool`, `string`, `binary`,
    /// `timestamp`, `date`, `array<float32>` (any list of float32), or `unsupported:<type>`.
    /// `write_parquet.py` also accepts `array<float32>[D]` (a fixed-size list).
    public var type: String
    /// One value per row.
    public var values: [CanonicalValue]

    public init(name: String, type: String, values: [CanonicalValue]) {
        self.name = name
        self.type = type
        self.values = values
    }

    /// Whether this column holds floats, compared by value rather than by text.
    public var isFloat: Bool {
        type == "float32" || type == "float64" || type.hasPrefix("array<float32>")
    }

    /// Whether row values `a` and `b` of this column are the same.
    public func valueMatches(_ a: CanonicalValue, _ b: CanonicalValue) -> Bool {
        isFloat ? a.matchesAsFloat(b) : a == b
    }

    /// Same name, type and values; float values compare bit for bit by value (see
    /// ``CanonicalValue/matchesAsFloat(_:)``), so "1e-05" from Swift equals Python's.
    public static func == (lhs: CanonicalColumn, rhs: CanonicalColumn) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.values.count == rhs.values.count
            && zip(lhs.values, rhs.values).allSatisfy { lhs.valueMatches($0, $1) }
    }
}

/// One value of canonical JSON. Integers (int32, int64, timestamps in microseconds, dates in
/// days) are `.int`; floats are `.string` holding Python's `repr` ("0.1", "-0.0", "nan",
/// "inf", "-inf"), bit-exact through ``double``; binary is a lowercase hex `.string`.
public enum CanonicalValue: Codable, Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case number(Double)
    case string(String)
    case array([CanonicalValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([CanonicalValue].self) {
            self = .array(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        }
    }

    /// A float in the canonical scheme: a string that parses back to the same double
    /// ("0.1", "-0.0", "nan", "inf", "-inf"). Its layout can differ from Python's repr
    /// (Swift's "9.5e+15" is Python's "9500000000000000.0"), which is why float columns compare
    /// by value (see ``CanonicalColumn``).
    public static func float(_ value: Double) -> CanonicalValue {
        if value.isNaN { return .string("nan") }
        if value.isInfinite { return .string(value < 0 ? "-inf" : "inf") }
        return .string("\(value)")
    }

    /// A float32 in the canonical scheme (widened exactly to a double, as Python does).
    public static func float(_ value: Float) -> CanonicalValue { .float(Double(value)) }

    /// Binary in the canonical scheme: lowercase hex.
    public static func binary(_ bytes: some Sequence<UInt8>) -> CanonicalValue {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return .string(String(decoding: text, as: UTF8.self))
    }

    /// The value as a double: `.int`, `.number`, or a float string ("nan", "inf", "-inf" too).
    public var double: Double? {
        switch self {
        case .int(let value): Double(value)
        case .number(let value): value
        case .string(let text): Double(text)
        default: nil
        }
    }

    /// The value as an integer, for `.int`.
    public var int: Int64? {
        if case .int(let value) = self { value } else { nil }
    }

    public var isNull: Bool { self == .null }

    /// Whether two float values (or arrays of them) hold the same doubles, bit for bit,
    /// whatever their text; all NaNs match each other. Non-float values compare with `==`.
    public func matchesAsFloat(_ other: CanonicalValue) -> Bool {
        switch (self, other) {
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.matchesAsFloat($1) }
        case (.string, .string), (.string, .number), (.number, .string), (.number, .number):
            guard let x = double, let y = other.double else { return self == other }
            return (x.isNaN && y.isNaN) || x.bitPattern == y.bitPattern
        default:
            return self == other
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let value): "[" + value.map(\.description).joined(separator: ",") + "]"
        }
    }
}
