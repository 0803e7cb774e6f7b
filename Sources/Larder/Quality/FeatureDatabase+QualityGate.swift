import Foundation
import LarderColumnar
import LarderQuality
import LarderTable

/// What the quality gate decided for one ingest.
public struct QualityGateOutcome: Sendable {
    /// The suite that was checked.
    public var suite: String
    /// The view's `on_invalid` policy (``InvalidRowPolicy/reject`` when the view sets none).
    public var policy: InvalidRowPolicy
    /// The result over the rows that were offered.
    public var result: ValidationResult
    /// The result over the rows committed, when quarantine removed some (else nil: the same as
    /// ``result``).
    public var committedResult: ValidationResult?
    /// Rows moved to `<view>__quarantine`.
    public var quarantinedRows: Int
    /// The quarantine table's version holding them, if any.
    public var quarantineVersion: Int64?

    /// The metadata keys recorded with the commit (shown by `larder history`):
    /// `quality` a one-line verdict, `quality_result` the committed rows' result as GE JSON.
    public var commitMetadata: [String: String] {
        let judged = committedResult ?? result
        let s = result.statistics
        var verdict = result.success ? "passed" : "failed"
        verdict += " \(s.successfulExpectations)/\(s.evaluatedExpectations) suite=\(suite) on_invalid=\(policy.rawValue)"
        if quarantinedRows > 0 { verdict += " quarantined=\(quarantinedRows)" }
        var out = ["quality": verdict, "quality_result": judged.jsonText()]
        if let v = quarantineVersion { out["quarantine_version"] = "\(v)" }
        return out
    }
}

extension FeatureDatabase {
    /// The name of the table that holds `view`'s quarantined rows.
    public static func quarantineTableName(of view: String) -> String { view + "__quarantine" }

    /// The extra columns of a quarantine table, after the view's own.
    static let quarantineColumns = [
        Field("_failed_expectations", .string),
        Field("_quarantined_at", .timestamp),
        Field("_source", .string),
    ]

    /// Runs `view`'s suite over the rows of one ingest and applies its `on_invalid` policy.
    ///
    /// - `reject` (the default): throws `.validationFailed` when any expectation fails; nothing
    ///   is committed.
    /// - `quarantine`: rows that fail a failed row-level expectation go to `<view>__quarantine`
    ///   with the failing expectations named per row; the rest is validated again and commits.
    ///   A failed table-level or aggregate expectation (row count, mean, ...) names no row, so
    ///   it rejects the ingest, as does a failure that remains after the rows are removed.
    /// - `warn`: everything commits; the failures are recorded with the commit.
    func applyQualityGate(_ batches: [RecordBatch], view: FeatureView, suiteName: String, catalog: Catalog, schema: Schema,
                          source: String?, transaction: Transaction?)
        throws -> (accepted: [RecordBatch], outcome: QualityGateOutcome, state: ValidationState) {
        let suite = try Self.expectationSuite(suiteName, in: catalog)
        // The columns the suite reads, as `validate` reads them, so the state stored with the
        // commit carries the same fingerprint and can stand in for scanning it later.
        let needed = try Self.columnsNeeded(by: suite, in: schema)
        let validator: SuiteValidator
        do {
            validator = try SuiteValidator(suite: suite, schema: needed)
        } catch let error {
            throw DatabaseError(.invalidDefinitions, "expectation suite '\(suiteName)' of view '\(view.name)': \(error.message)")
        }
        let project = { (batches: [RecordBatch]) throws -> [RecordBatch] in
            needed.fields.count == schema.fields.count ? batches : try batches.map { try $0.project(needed.names) }
        }
        let policy = view.onInvalid ?? .reject
        let state = validator.state(for: try project(batches))
        let result = validator.finish(state)
        var outcome = QualityGateOutcome(suite: suiteName, policy: policy, result: result, committedResult: nil,
                                         quarantinedRows: 0, quarantineVersion: nil)
        if result.success || policy == .warn { return (batches, outcome, state) }
        guard policy == .quarantine else {
            throw Self.rejection(view: view.name, result: result, source: source, why: "nothing was committed")
        }
        let failed = result.failures
        let unattributable = failed.filter { $0.expectation.scope != .row }
        guard unattributable.isEmpty else {
            let names = unattributable.map { Self.label($0) }.joined(separator: ", ")
            throw Self.rejection(view: view.name, result: result, source: source,
                                 why: "\(names) judge\(unattributable.count == 1 ? "s" : "") the batch as a whole, so no rows can be quarantined; nothing was committed")
        }
        let failures = validator.failingRows(try project(batches), expectations: Set(failed.map(\.index)))
        var accepted: [RecordBatch] = []
        var quarantined: [RecordBatch] = []
        // Rows failing the same expectations share one reason text.
        var reasonText: [[Int]: String] = [:]
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        for (batch, rows) in zip(batches, failures) {
            guard !rows.isEmpty else { accepted.append(batch); continue }
            var keep = [Bool](repeating: true, count: batch.rowCount)
            var reasons: [String?] = []
            reasons.reserveCapacity(rows.count)
            for failure in rows {
                keep[failure.row] = false
                if let known = reasonText[failure.expectations] {
                    reasons.append(known)
                } else {
                    let text = failure.expectations.map { Self.label(suite.expectations[$0]) }.joined(separator: "; ")
                    reasonText[failure.expectations] = text
                    reasons.append(text)
                }
            }
            if rows.count < batch.rowCount { accepted.append(try batch.filter(keep)) }
            var bad = try batch.take(rows.map(\.row))
            bad = try bad.appending(column: .string(reasons), field: Self.quarantineColumns[0])
            bad = try bad.appending(column: .timestamp([Int64](repeating: now, count: rows.count)), field: Self.quarantineColumns[1])
            bad = try bad.appending(column: .string([String?](repeating: source, count: rows.count)), field: Self.quarantineColumns[2])
            quarantined.append(bad)
        }
        let committedState = validator.state(for: try project(accepted))
        let committed = validator.finish(committedState)
        guard committed.success else {
            throw Self.rejection(view: view.name, result: committed, source: source,
                                 why: "the rows left after quarantining still fail; nothing was committed")
        }
        outcome.committedResult = committed
        outcome.quarantinedRows = quarantined.reduce(0) { $0 + $1.rowCount }
        outcome.quarantineVersion = try appendQuarantine(quarantined, view: view.name, tableSchema: schema, transaction: transaction)
        return (accepted, outcome, committedState)
    }

    /// Appends quarantined rows to `<view>__quarantine`, creating it on first use. With a
    /// transaction the append is idempotent like the ingest itself.
    private func appendQuarantine(_ batches: [RecordBatch], view: String, tableSchema: Schema,
                                  transaction: Transaction?) throws -> Int64? {
        let path = tablePath(Self.quarantineTableName(of: view))
        let table: Table
        if FileManager.default.fileExists(atPath: path + "/_delta_log") {
            table = try Table.open(at: path)
            let wanted = try Schema(tableSchema.fields + Self.quarantineColumns)
            if try table.snapshot().schema.fields != wanted.fields {
                // The view evolved: follow it additively (new nullable columns), like the view's table.
                try table.updateSchema(wanted, sortColumns: [], allowBreaking: true)
            }
        } else {
            table = try Table.create(at: path, schema: try Schema(tableSchema.fields + Self.quarantineColumns),
                                     name: Self.quarantineTableName(of: view), sortColumns: [])
        }
        var options = CommitOptions()
        options.metadata = ["operation": "quarantine", "view": view]
        options.transaction = transaction.map { Transaction(appId: $0.appId + "/quarantine", version: $0.version) }
        return try table.append(batches, options: options).version
    }

    /// "expect_column_values_to_be_between(visits_7d)".
    static func label(_ expectation: Expectation) -> String {
        let columns = expectation.columns
        return expectation.type + (columns.isEmpty ? "" : "(" + columns.joined(separator: ", ") + ")")
    }

    static func label(_ result: ExpectationResult) -> String { label(result.expectation) }

    /// A `.validationFailed` error that lists the failed expectations with their counts.
    static func rejection(view: String, result: ValidationResult, source: String?, why: String) -> DatabaseError {
        let failed = result.failures
        var lines: [String] = []
        for r in failed.prefix(10) {
            var line = "  " + label(r)
            if let n = r.result.unexpectedCount {
                let pct = r.result.unexpectedPercent.map { String(format: " (%.3g%%)", $0) } ?? ""
                line += ": \(n) unexpected\(pct)"
                if let sample = r.result.partialUnexpectedList, !sample.isEmpty {
                    line += ", e.g. " + sample.prefix(3).map { $0.jsonText() }.joined(separator: ", ")
                }
            } else if let observed = r.result.observedValue {
                line += ": observed \(observed.jsonText())"
            }
            lines.append(line)
        }
        if failed.count > 10 { lines.append("  … and \(failed.count - 10) more") }
        let head = "view '\(view)': \(failed.count) of \(result.statistics.evaluatedExpectations) expectations of suite '\(result.suiteName)' failed; \(why)"
        var error = DatabaseError(.validationFailed, head + ":\n" + lines.joined(separator: "\n"), file: source)
        error.validationResult = result
        return error
    }
}
