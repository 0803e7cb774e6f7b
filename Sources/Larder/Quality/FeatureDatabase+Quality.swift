import Foundation
import LarderColumnar
import LarderParquet
import LarderQuality
import LarderTable

/// One on-demand validation of a view's data (``FeatureDatabase/validate(view:at:suite:options:)``).
public struct QualityReport: Sendable {
    public var view: String
    /// The table version validated.
    public var version: Int64
    public var suite: String
    public var result: ValidationResult
    public var rows: Int
    /// Of ``rows``, those whose metrics came from states stored with their commits (by the
    /// ingest's quality gate) instead of a scan.
    public var reusedRows: Int
    /// Seconds spent validating (excluding reading).
    public var validateSeconds: Double
    /// Seconds spent reading the view's files.
    public var readSeconds: Double
}

extension FeatureDatabase {
    /// The expectation suite called `name` in the current catalog.
    /// - Throws: `.unknownName` naming the known suites; `.invalidDefinitions` if its stored
    ///   JSON no longer parses (it was checked at apply, so this means a damaged catalog).
    public func expectationSuite(_ name: String) throws -> ExpectationSuite {
        try Self.expectationSuite(name, in: catalog())
    }

    /// The suite called `name` in `catalog`, parsed.
    static func expectationSuite(_ name: String, in catalog: Catalog) throws -> ExpectationSuite {
        guard let definition = catalog.expectationSuites.first(where: { $0.name == name }) else {
            let known = catalog.expectationSuites.map(\.name)
            throw DatabaseError(.unknownName, "no expectation suite '\(name)' "
                + Definitions.knownList(known, kind: "expectation suites"))
        }
        do {
            return try ExpectationSuite(json: definition.expectationsJSON, name: name)
        } catch {
            throw DatabaseError(.invalidDefinitions, "expectation suite '\(name)': \(error.message)")
        }
    }

    /// Validates `view` as of a version against its suite (or `suite`, by name) in one pass.
    /// - Throws: `.unknownName` for an unknown view, suite or version; `.invalidInput` when the
    ///   view has no suite and none is given, or the suite does not fit the view's columns.
    public func validate(view viewName: String, at selector: VersionSelector = .latest, suite suiteName: String? = nil,
                         options: ValidationOptions = .init()) throws -> QualityReport {
        let view = try featureView(viewName)
        guard let name = suiteName ?? view.expectationSuite else {
            throw DatabaseError(.invalidInput, "view '\(view.name)' has no expectation_suite; name one with --suite")
        }
        let suite = try expectationSuite(name)
        let snapshot = try snapshot(of: view.name, at: selector)
        let schema = try Self.columnsNeeded(by: suite, in: snapshot.schema)
        let validator: SuiteValidator
        do {
            validator = try SuiteValidator(suite: suite, schema: schema)
        } catch let error {
            throw DatabaseError(.invalidInput, "expectation suite '\(name)' does not fit view '\(view.name)' at version \(snapshot.version): \(error.message)")
        }
        // Per commit that wrote some of the version's files: its stored state, or a scan.
        let store = QualityStateStore(tablePath: snapshot.tablePath)
        var groups: [Int64: [Snapshot.DataFile]] = [:]
        for file in snapshot.files { groups[file.addedVersion, default: []].append(file) }
        var states: [ValidationState] = []
        var reused = 0, scanned = 0
        var readSeconds = 0.0, validateSeconds = 0.0
        // Consecutive commits without a usable state are scanned together, in one parallel pass.
        var pending: [Snapshot.DataFile] = []
        func scanPending() throws {
            guard !pending.isEmpty else { return }
            let readStart = Date()
            let batches = try snapshot.scan(files: pending, columns: schema.names).batches
            let validateStart = Date()
            states.append(validator.state(for: batches, options: options))
            validateSeconds += Date().timeIntervalSince(validateStart)
            readSeconds += validateStart.timeIntervalSince(readStart)
            scanned += batches.reduce(0) { $0 + $1.rowCount }
            pending = []
        }
        for version in groups.keys.sorted() {
            let files = groups[version] ?? []
            if let stored = store.state(version: version, files: files, validator: validator, options: options) {
                try scanPending()
                states.append(stored)
                reused += stored.rowCount
            } else {
                pending += files
            }
        }
        try scanPending()
        let finishStart = Date()
        let result = validator.finish(merging: states, options: options)
        validateSeconds += Date().timeIntervalSince(finishStart)
        return QualityReport(view: view.name, version: snapshot.version, suite: name, result: result,
                             rows: reused + scanned, reusedRows: reused,
                             validateSeconds: validateSeconds, readSeconds: readSeconds)
    }

    /// The part of `schema` that `suite` reads: every column when it has table-level column
    /// expectations (count, names), else only the columns its expectations name (at least one,
    /// so row counts still see every row).
    static func columnsNeeded(by suite: ExpectationSuite, in schema: Schema) throws -> Schema {
        if suite.expectations.contains(where: { $0.type.hasPrefix("expect_table_column") }) { return schema }
        let named = Set(suite.expectations.flatMap(\.columns))
        var fields = schema.fields.filter { named.contains($0.name) }
        if fields.isEmpty, let first = schema.fields.first { fields = [first] }
        return try Schema(fields)
    }

    /// Profiles `view` as of a version: per-column statistics and histograms.
    public func profile(view viewName: String, at selector: VersionSelector = .latest,
                        options: ProfileOptions = .init()) throws -> (version: Int64, profile: TableProfile) {
        let snapshot = try snapshot(of: viewName, at: selector)
        let batches = try snapshot.scan().batches
        do {
            return (snapshot.version, try Profiler.profile(batches, schema: snapshot.schema, options: options))
        } catch {
            throw DatabaseError(.invalidInput, "cannot profile view '\(viewName)': \(error)")
        }
    }

    /// Measures drift of `view` between two versions (reference → current).
    public func drift(view viewName: String, from reference: VersionSelector, to current: VersionSelector = .latest,
                      options: DriftOptions = .init()) throws -> DriftReport {
        let view = try featureView(viewName)
        let a = try snapshot(of: view.name, at: reference)
        let b = try snapshot(of: view.name, at: current)
        return try compareForDrift(reference: Self.nonEmpty(try a.scan().batches, a.schema),
                                   current: Self.nonEmpty(try b.scan().batches, b.schema),
                                   options: Self.featureColumns(options, view: view, keys: try keys(of: view, in: catalog()), schema: b.schema))
    }

    /// Measures drift of `view`'s features between a training set (a Parquet file written by
    /// `historical`: `view__feature` or plain feature columns) and a version of the view.
    public func drift(view viewName: String, trainingSet path: String, to current: VersionSelector = .latest,
                      options: DriftOptions = .init()) throws -> DriftReport {
        let view = try featureView(viewName)
        let b = try snapshot(of: view.name, at: current)
        let file: ParquetFile
        do { file = try ParquetFile(path: path) } catch { throw DatabaseError(.invalidInput, "\(error)", file: path) }
        var renamed: [(file: String, column: String)] = []
        for field in view.schema where b.schema.index(of: field.name) != nil {
            if file.schema.index(of: view.name + "__" + field.name) != nil {
                renamed.append((view.name + "__" + field.name, field.name))
            } else if file.schema.index(of: field.name) != nil {
                renamed.append((field.name, field.name))
            }
        }
        let skip = Set(try keys(of: view, in: catalog()) + [view.timestampField] + (view.createdTimestampColumn.map { [$0] } ?? []))
        let features = renamed.filter { !skip.contains($0.column) }
        guard !features.isEmpty else {
            throw DatabaseError(.invalidInput, "training set has none of view '\(view.name)''s features (as \(view.name)__NAME or NAME)", file: path)
        }
        var reference: [RecordBatch] = []
        do {
            for batch in try file.readBatches(columns: features.map(\.file)) {
                let schema = try Schema(zip(batch.schema.fields, features).map { Field($1.column, $0.type) })
                reference.append(try RecordBatch(schema: schema, columns: batch.columns))
            }
        } catch { throw DatabaseError(.invalidInput, "\(error)", file: path) }
        var opts = options
        if opts.columns == nil { opts.columns = features.map(\.column) }
        let currentSchema = try Schema(features.compactMap { f in b.schema.index(of: f.column).map { b.schema.fields[$0] } })
        let current = try b.scan(columns: currentSchema.names).batches
        return try compareForDrift(reference: Self.nonEmpty(reference, currentSchema), current: Self.nonEmpty(current, currentSchema),
                                   options: opts)
    }

    private func compareForDrift(reference: [RecordBatch], current: [RecordBatch], options: DriftOptions) throws -> DriftReport {
        do {
            return try Drift.compare(reference: reference, current: current, options: options)
        } catch {
            throw DatabaseError(.invalidInput, "\(error)")
        }
    }

    /// Drift compares every column unless told otherwise; for a view the keys and timestamps
    /// always move, so the default is its feature columns.
    static func featureColumns(_ options: DriftOptions, view: FeatureView, keys: [String], schema: Schema) -> DriftOptions {
        guard options.columns == nil else { return options }
        var opts = options
        let skip = Set(keys + [view.timestampField] + (view.createdTimestampColumn.map { [$0] } ?? []))
        opts.columns = view.schema.map(\.name).filter { !skip.contains($0) && schema.index(of: $0) != nil }
        return opts
    }

    /// `[RecordBatch.empty(schema)]` for a version without rows, so its columns are known.
    static func nonEmpty(_ batches: [RecordBatch], _ schema: Schema) -> [RecordBatch] {
        batches.isEmpty ? [RecordBatch.empty(schema)] : batches
    }
}
