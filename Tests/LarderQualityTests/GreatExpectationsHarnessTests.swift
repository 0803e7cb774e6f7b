import Foundation
import LarderColumnar
import LarderQuality
import LarderTestSupport
import Testing

// The harness of the Great Expectations interop test (GreatExpectationsInteropTests.swift):
// the fixtures' manifest, running scripts/interop/ge_validate.py, decoding its JSON, and
// comparing one GE result with one Larder result. The tests below check the harness itself.

/// Runs Great Expectations (from PyPI, pinned in scripts/requirements-interop.txt) through
/// `scripts/interop/ge_validate.py`, with the same skip / fail rule as ``Interop``.
enum GreatExpectations {
    /// `Tests/LarderQualityTests/Fixtures/ge/`.
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ge", isDirectory: true)

    /// Why GE cannot run (the interop tools or GE itself missing), or nil when it can.
    static let problem: String? = {
        if let reason = Interop.unavailableReason { return reason }
        do {
            _ = try Interop.run(script: "ge_validate.py", arguments: ["--version"], timeout: 120)
            return nil
        } catch {
            return "great_expectations does not import: \(error)"
        }
    }()

    /// The condition for `.enabled(if:)`: GE runs, or `LARDER_INTEROP=1` requires it to.
    static var shouldRun: Bool { Interop.isRequired || problem == nil }

    static let skipMessage = "Great Expectations is not installed in the interop venv: run `make setup`; "
        + "set LARDER_INTEROP=1 to make its absence a failure"

    /// Throws, saying what is missing, when GE cannot run.
    static func requireAvailable() throws {
        if let problem {
            throw InteropError("Great Expectations is not available: \(problem). Run `make setup`.")
        }
    }

    /// GE's results for `files` (Parquet, concatenated) and the suite file.
    static func validate(files: [String], suite: String, complete: Bool = false) throws -> GEReport {
        try requireAvailable()
        let output = try Interop.run(script: "ge_validate.py",
                                     arguments: files + ["--suite", suite] + (complete ? ["--complete"] : []))
        do {
            return try JSONDecoder().decode(GEReport.self, from: output.stdout)
        } catch {
            throw InteropError("ge_validate.py printed JSON that does not decode: \(error)\n\(output.stdoutText.prefix(2000))")
        }
    }
}

/// One case of `Fixtures/ge/manifest.json`: Parquet files and the suite to run over them.
struct GECase: Decodable, Sendable, CustomStringConvertible {
    var name: String
    var files: [String]
    var suite: String

    var description: String { name }
    var filePaths: [String] { files.map { GreatExpectations.fixturesDirectory.appendingPathComponent($0).path } }
    var suitePath: String { GreatExpectations.fixturesDirectory.appendingPathComponent(suite).path }

    /// The cases of the manifest; empty when it cannot be read (a test checks that it can).
    static let all: [GECase] = (try? load()) ?? []

    static func load() throws -> [GECase] {
        struct Manifest: Decodable { var cases: [GECase] }
        let url = GreatExpectations.fixturesDirectory.appendingPathComponent("manifest.json")
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url)).cases
    }
}

/// What `ge_validate.py` prints (its docstring documents the format).
struct GEReport: Decodable, Sendable {
    var suite: String
    var rows: Int
    var success: Bool
    var results: [GEResult]
}

/// One expectation's result from `ge_validate.py`.
struct GEResult: Decodable, Sendable {
    var index: Int
    var type: String
    var kwargs: [String: QualityJSON]
    var success: Bool
    var observedValue: QualityJSON?
    var elementCount: Int?
    var missingCount: Int?
    var unexpectedCount: Int?
    var unexpectedPercent: Double?
    var unexpectedPercentNonmissing: Double?
    var partialUnexpectedList: [QualityJSON]?
    var unexpectedList: [QualityJSON]?
    var unexpectedIndexList: [Int]?
    var exception: String?

    enum CodingKeys: String, CodingKey {
        case index, type, kwargs, success, exception
        case observedValue = "observed_value", elementCount = "element_count", missingCount = "missing_count"
        case unexpectedCount = "unexpected_count", unexpectedPercent = "unexpected_percent"
        case unexpectedPercentNonmissing = "unexpected_percent_nonmissing"
        case partialUnexpectedList = "partial_unexpected_list"
        case unexpectedList = "unexpected_list", unexpectedIndexList = "unexpected_index_list"
    }

    /// "#3 expect_column_values_to_be_between(column: visits)" for messages.
    var label: String {
        let column = kwargs["column"]?.stringValue
            ?? kwargs["column_list"]?.arrayValue.map { $0.compactMap(\.stringValue).joined(separator: ", ") }
            ?? [kwargs["column_A"]?.stringValue, kwargs["column_B"]?.stringValue].compactMap { $0 }.joined(separator: " > ")
        return "#\(index) \(type)(\(column))"
    }
}

/// Compares one GE result with Larder's for the same expectation. Every field GE reports must
/// be matched by Larder: success, exception, element / missing / unexpected counts, the two
/// unexpected percents and the observed value (numbers within ``tolerance``, timestamps as
/// instants whatever their ISO form). Fields GE leaves null are not compared.
enum GEComparison {
    /// Relative tolerance of float comparisons (aggregates summed in another order differ in
    /// the last bits).
    static let tolerance = 1e-9

    /// One field on which GE and Larder disagree.
    struct Difference: CustomStringConvertible, Equatable {
        /// GE's name of the field (`success`, `unexpected_count`, `observed_value`, ...), or
        /// `type` / `exception`.
        var field: String
        var ge: String
        var larder: String

        var description: String { "\(field): GE \(ge), Larder \(larder)" }
    }

    /// The differences, empty when Larder agrees with GE.
    static func differences(_ ge: GEResult, _ larder: ExpectationResult) -> [Difference] {
        var out: [Difference] = []
        if larder.expectation.type != ge.type { out.append(Difference(field: "type", ge: ge.type, larder: larder.expectation.type)) }
        if ge.success != larder.success { out.append(Difference(field: "success", ge: "\(ge.success)", larder: "\(larder.success)")) }
        if ge.exception != nil || larder.exceptionInfo != nil {
            out.append(Difference(field: "exception", ge: ge.exception ?? "none", larder: larder.exceptionInfo ?? "none"))
        }
        let details = larder.result
        func count(_ name: String, _ mine: Int?, _ theirs: Int?) {
            if let mine, mine != theirs { out.append(Difference(field: name, ge: "\(mine)", larder: theirs.map(String.init) ?? "nil")) }
        }
        count("element_count", ge.elementCount, details.elementCount)
        count("missing_count", ge.missingCount, details.missingCount)
        count("unexpected_count", ge.unexpectedCount, details.unexpectedCount)
        func percent(_ name: String, _ mine: Double?, _ theirs: Double?) {
            guard let mine else { return }
            if theirs.map({ numbersMatch(mine, $0) }) != true {
                out.append(Difference(field: name, ge: "\(mine)", larder: theirs.map { "\($0)" } ?? "nil"))
            }
        }
        percent("unexpected_percent", ge.unexpectedPercent, details.unexpectedPercent)
        percent("unexpected_percent_nonmissing", ge.unexpectedPercentNonmissing, details.unexpectedPercentNonmissing)
        if let observed = ge.observedValue, observed != .null {
            let larderObserved = details.observedValue ?? .null
            let matched = ge.type == "expect_table_columns_to_match_set"
                ? valuesMatch(sortedStrings(observed), sortedStrings(larderObserved))   // a set: order is presentation
                : valuesMatch(observed, larderObserved)
            if !matched {
                out.append(Difference(field: "observed_value", ge: observed.jsonText(), larder: larderObserved.jsonText()))
            }
        }
        return out
    }

    /// Whether two JSON values agree: numbers within ``tolerance`` (an integer equals the same
    /// float), strings that are both ISO 8601 timestamps as the same instant, other strings
    /// exactly, arrays and objects member by member.
    static func valuesMatch(_ a: QualityJSON, _ b: QualityJSON) -> Bool {
        switch (a, b) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            guard let x = a.numberValue, let y = b.numberValue else { return false }
            return numbersMatch(x, y)
        case (.string(let x), .string(let y)):
            if x == y { return true }
            guard let t = Timestamp.parseISO8601(x), let u = Timestamp.parseISO8601(y) else { return false }
            return t == u
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { valuesMatch($0, $1) }
        case (.object(let x), .object(let y)):
            return Set(x.keys) == Set(y.keys) && x.allSatisfy { key, value in y[key].map { valuesMatch(value, $0) } ?? false }
        default:
            return a == b
        }
    }

    static func numbersMatch(_ x: Double, _ y: Double) -> Bool {
        if x == y || (x.isNaN && y.isNaN) { return true }
        return abs(x - y) <= tolerance * max(1, abs(x), abs(y))
    }

    private static func sortedStrings(_ value: QualityJSON) -> QualityJSON {
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else { return value }
        return .array(items.compactMap(\.stringValue).sorted().map(QualityJSON.string))
    }
}

// MARK: - Tests of the harness

@Suite struct GreatExpectationsHarnessTests {
    @Test func manifestListsCasesWhoseFilesExist() throws {
        let cases = try GECase.load()
        #expect(cases.count >= 10)
        #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")
        for item in cases {
            #expect(!item.files.isEmpty, "\(item.name) has no file")
            for path in item.filePaths + [item.suitePath] {
                #expect(FileManager.default.fileExists(atPath: path), "\(item.name): \(path) is missing")
            }
        }
    }

    @Test func everySuiteLoadsInLarder() throws {
        for item in try GECase.load() {
            let suite = try ExpectationSuite(json: String(contentsOfFile: item.suitePath, encoding: .utf8))
            #expect(!suite.expectations.isEmpty, "\(item.suite) has no expectation")
        }
    }

    @Test func numbersMatchWithinTheTolerance() {
        #expect(GEComparison.valuesMatch(.double(457.04761904761904), .double(457.047619047619)))
        #expect(GEComparison.valuesMatch(.int(48), .double(48.0)))
        #expect(GEComparison.valuesMatch(.double(0.0), .double(-0.0)))
        #expect(!GEComparison.valuesMatch(.double(7.5), .double(7.5000001)))
        #expect(!GEComparison.valuesMatch(.int(0), .null))
        #expect(!GEComparison.valuesMatch(.double(1), .string("1")))
    }

    @Test func timestampsMatchAsInstants() {
        #expect(GEComparison.valuesMatch(.string("2026-01-01T00:00:00.791514+00:00"), .string("2026-01-01T00:00:00.791514Z")))
        #expect(GEComparison.valuesMatch(.string("2026-01-01T01:00:00+01:00"), .string("2026-01-01T00:00:00Z")))
        #expect(!GEComparison.valuesMatch(.string("2026-01-01T00:00:00.791514+00:00"), .string("2026-01-01T00:00:00.791515Z")))
        #expect(!GEComparison.valuesMatch(.string("yoga"), .string("Yoga")))
    }

    @Test func arraysAndObjectsMatchMemberByMember() {
        let ge: QualityJSON = ["quantiles": [0.25, 0.5], "values": [168.0, 415.0]]
        #expect(GEComparison.valuesMatch(ge, ["quantiles": [0.25, 0.5], "values": [168, 415]]))
        #expect(!GEComparison.valuesMatch(ge, ["quantiles": [0.25, 0.5], "values": [168, 416]]))
        #expect(!GEComparison.valuesMatch(ge, ["quantiles": [0.25, 0.5]]))
        #expect(!GEComparison.valuesMatch([1, 2], [1, 2, 3]))
    }

    @Test func aDifferenceInAnyComparedFieldIsReported() throws {
        let ge = GEResult(index: 0, type: "expect_column_values_to_be_between", kwargs: ["column": "v"], success: false,
                          observedValue: nil, elementCount: 10, missingCount: 2, unexpectedCount: 3,
                          unexpectedPercent: 37.5, unexpectedPercentNonmissing: 37.5)
        var details = ExpectationResultDetails()
        details.elementCount = 10
        details.missingCount = 2
        details.unexpectedCount = 3
        details.unexpectedPercent = 37.5
        details.unexpectedPercentNonmissing = 37.5
        let expectation = Expectation("expect_column_values_to_be_between", ["column": "v"])
        let same = ExpectationResult(expectation: expectation, index: 0, success: false, result: details)
        #expect(GEComparison.differences(ge, same).isEmpty)

        var other = same
        other.result.unexpectedCount = 4
        #expect(GEComparison.differences(ge, other).map(\.field) == ["unexpected_count"])
        other = same
        other.success = true
        #expect(GEComparison.differences(ge, other).map(\.field) == ["success"])
        other = same
        other.result.missingCount = nil
        #expect(GEComparison.differences(ge, other).map(\.field) == ["missing_count"])
        other = same
        other.result.unexpectedPercentNonmissing = 40
        #expect(GEComparison.differences(ge, other).map(\.field) == ["unexpected_percent_nonmissing"])
        other = same
        other.exceptionInfo = "boom"
        #expect(GEComparison.differences(ge, other) == [.init(field: "exception", ge: "none", larder: "boom")])

        let median = GEResult(index: 1, type: "expect_column_median_to_be_between", kwargs: ["column": "v"], success: false,
                              observedValue: .double(7.5))
        var details1 = ExpectationResultDetails()
        details1.observedValue = .int(7)
        let larder = ExpectationResult(expectation: Expectation("expect_column_median_to_be_between", ["column": "v"]),
                                       index: 1, success: false, result: details1)
        #expect(GEComparison.differences(median, larder) == [.init(field: "observed_value", ge: "7.5", larder: "7")])
    }

    // These run GE itself.

    @Test(.enabled(if: GreatExpectations.shouldRun, Comment(rawValue: GreatExpectations.skipMessage)))
    func theOldAndNewSuiteFormsGiveTheSameResults() throws {
        let item = try #require(GECase.all.first { $0.suite == "events_v0.json" })
        let old = try GreatExpectations.validate(files: item.filePaths, suite: item.suitePath)
        // The same expectations in the 1.x form, written from what Larder read of the 0.x file.
        let suite = try ExpectationSuite(json: String(contentsOfFile: item.suitePath, encoding: .utf8))
        #expect(suite.name == "events.v0")
        let dir = try TemporaryDirectory(prefix: "larder-ge")
        let converted = dir.fileURL("v1.json")
        try suite.jsonText().write(to: converted, atomically: true, encoding: .utf8)
        let new = try GreatExpectations.validate(files: item.filePaths, suite: converted.path)
        #expect(old.results.count == suite.expectations.count)
        #expect(old.results.map(\.success) == new.results.map(\.success))
        #expect(old.results.map(\.unexpectedCount) == new.results.map(\.unexpectedCount))
    }

    @Test(.enabled(if: GreatExpectations.shouldRun, Comment(rawValue: GreatExpectations.skipMessage)))
    func anUnknownColumnIsGEsExceptionNotACrash() throws {
        let dir = try TemporaryDirectory(prefix: "larder-ge")
        let suite = dir.fileURL("suite.json")
        try #"{"name": "s", "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "nope"}}]}"#
            .write(to: suite, atomically: true, encoding: .utf8)
        let events = GreatExpectations.fixturesDirectory.appendingPathComponent("events.parquet").path
        let report = try GreatExpectations.validate(files: [events], suite: suite.path)
        let result = try #require(report.results.first)
        #expect(!result.success)
        #expect(result.exception?.contains("nope") == true)
    }

    @Test(.enabled(if: GreatExpectations.shouldRun, Comment(rawValue: GreatExpectations.skipMessage)))
    func anUnknownExpectationTypeStopsTheScriptNamingIt() throws {
        try GreatExpectations.requireAvailable()
        let dir = try TemporaryDirectory(prefix: "larder-ge")
        let suite = dir.fileURL("suite.json")
        try #"{"name": "s", "expectations": [{"type": "expect_the_unexpected", "kwargs": {}}]}"#
            .write(to: suite, atomically: true, encoding: .utf8)
        let events = GreatExpectations.fixturesDirectory.appendingPathComponent("events.parquet").path
        do {
            _ = try Interop.run(script: "ge_validate.py", arguments: [events, "--suite", suite.path])
            Issue.record("ge_validate.py accepted an unknown expectation type")
        } catch let error as InteropError {
            #expect(error.message.contains("expect_the_unexpected"))
        }
    }
}
