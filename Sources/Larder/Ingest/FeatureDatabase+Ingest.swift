import Foundation
import LarderColumnar
import LarderParquet
import LarderQuality
import LarderTable

/// What an ingest committed.
public struct IngestResult: Sendable {
    public var view: String
    /// The view table's new version, or nil when nothing was committed.
    public var version: Int64?
    public var rows: Int
    public var seconds: Double
    /// What the view's expectation suite said, when it has one.
    public var quality: QualityGateOutcome?
}

/// Progress of a long ingest, for progress bars.
public struct IngestProgress: Sendable {
    public var phase: String
    public var rowsDone: Int
    public var rowsTotal: Int?
}

/// Options for ingest.
public struct IngestOptions: Sendable {
    /// Caller metadata recorded in the commit (shown by `larder history`).
    public var metadata: [String: String] = [:]
    /// Makes the ingest idempotent: a second ingest with the same `(appId, version)` is skipped.
    public var transaction: Transaction?
    /// Called as work proceeds.
    public var progress: (@Sendable (IngestProgress) -> Void)?
    public init() {}
}

extension FeatureDatabase {
    /// Ingests record batches into `view` as one commit (a new version of its table), sorted by
    /// the view's keys, event time and created time.
    ///
    /// Columns are matched by name; int32 widens to int64, int64 narrows to int32 when every
    /// value fits, float32 widens to float64.
    /// - Throws: `.unknownName` for an unknown view; `.invalidInput` naming the column (and the
    ///   row, 1-based) when a batch does not fit the view — nothing is written then.
    @discardableResult
    public func ingest(_ batches: [RecordBatch], into viewName: String, options: IngestOptions = .init(),
                       source: String? = nil) throws -> IngestResult {
        let start = Date()
        let view = try featureView(viewName)
        let catalog = try catalog()
        let schema = try view.tableSchema(keys: keys(of: view, in: catalog))
        var conformed = try batches.map { try Self.conform($0, to: schema, view: view.name, source: source) }
        let table = try Table.open(at: tablePath(view.name))
        var commit = CommitOptions()
        commit.metadata = options.metadata
        var quality: QualityGateOutcome?
        var qualityState: ValidationState?
        if let suite = view.expectationSuite {
            let offered = conformed.reduce(0) { $0 + $1.rowCount }
            options.progress?(IngestProgress(phase: "validate", rowsDone: 0, rowsTotal: offered))
            let gated = try applyQualityGate(conformed, view: view, suiteName: suite, catalog: catalog, schema: schema, source: source,
                                             transaction: options.transaction)
            conformed = gated.accepted
            quality = gated.outcome
            qualityState = gated.state
            commit.metadata.merge(gated.outcome.commitMetadata) { _, new in new }
        }
        let rows = conformed.reduce(0) { $0 + $1.rowCount }
        if rows == 0, let quality, quality.quarantinedRows > 0 {
            // Every row went to quarantine: the view's table gets no empty commit.
            return IngestResult(view: view.name, version: nil, rows: 0, seconds: Date().timeIntervalSince(start), quality: quality)
        }
        options.progress?(IngestProgress(phase: "commit", rowsDone: 0, rowsTotal: rows))
        if let source { commit.metadata["source"] = source }
        commit.metadata["rows"] = "\(rows)"
        commit.transaction = options.transaction
        let result: CommitResult
        do {
            result = try table.append(conformed, options: commit)
        } catch let e as TableError where e.code == .schemaMismatch {
            throw DatabaseError(.invalidInput, "view '\(view.name)': \(e.message)", file: source)
        }
        options.progress?(IngestProgress(phase: "commit", rowsDone: rows, rowsTotal: rows))
        if let version = result.version, let qualityState, let snapshot = try? table.snapshot(version: version) {
            // Best effort: without it, the next validation scans this commit's files.
            QualityStateStore(tablePath: table.path).store(qualityState, version: version, snapshot: snapshot)
        }
        return IngestResult(view: view.name, version: result.version, rows: result.version == nil ? 0 : rows,
                            seconds: Date().timeIntervalSince(start), quality: quality)
    }

    /// Ingests Parquet or CSV files into `view` as one commit. Every file is read and checked
    /// before anything is written.
    /// - Parameter format: `parquet` or `csv`; nil picks by extension (`.csv`, `.tsv` → CSV).
    @discardableResult
    public func ingest(files: [String], into viewName: String, format: IngestFormat? = nil,
                       csv: CSVOptions = CSVOptions(), options: IngestOptions = .init()) throws -> IngestResult {
        guard !files.isEmpty else { throw DatabaseError(.invalidInput, "no input files") }
        let view = try featureView(viewName)
        let schema = try view.tableSchema(keys: keys(of: view, in: catalog()))
        var batches: [RecordBatch] = []
        var loaded = 0
        for file in files {
            let kind = format ?? IngestFormat(path: file)
            options.progress?(IngestProgress(phase: "read \((file as NSString).lastPathComponent)", rowsDone: loaded, rowsTotal: nil))
            switch kind {
            case .parquet:
                let parquet: ParquetFile
                do { parquet = try ParquetFile(path: file) } catch {
                    throw DatabaseError(.invalidInput, "\(error)", file: file)
                }
                let missing = schema.names.filter { parquet.schema.index(of: $0) == nil }
                let extra = parquet.schema.names.filter { schema.index(of: $0) == nil }
                if !missing.isEmpty || !extra.isEmpty {
                    var why = "columns do not match view '\(view.name)'"
                    if !missing.isEmpty { why += "; missing: \(missing.joined(separator: ", "))" }
                    if !extra.isEmpty { why += "; not in the view: \(extra.joined(separator: ", "))" }
                    throw DatabaseError(.invalidInput, why, file: file)
                }
                // Row groups stay separate batches: the commit joins them once, while sorting.
                let groups: [RecordBatch]
                do { groups = try parquet.readBatches(columns: schema.names) } catch {
                    throw DatabaseError(.invalidInput, "\(error)", file: file)
                }
                var rowOffset = 0
                for group in groups {
                    do {
                        batches.append(try Self.conform(group, to: schema, view: view.name, source: file))
                    } catch var e as DatabaseError {
                        // Row numbers count from the start of the file, not of the row group.
                        if let line = e.line {
                            e.line = line + rowOffset
                            e.message = e.message.replacingOccurrences(of: "row \(line),", with: "row \(line + rowOffset),")
                        }
                        throw e
                    }
                    rowOffset += group.rowCount
                }
            case .csv:
                for batch in try CSVReader.read(path: file, schema: schema, options: csv) {
                    batches.append(try Self.conform(batch, to: schema, view: view.name, source: file))
                }
            }
            loaded = batches.reduce(0) { $0 + $1.rowCount }
        }
        var opts = options
        opts.metadata["files"] = files.map { ($0 as NSString).lastPathComponent }.joined(separator: ",")
        return try ingest(batches, into: viewName, options: opts, source: files.count == 1 ? files[0] : nil)
    }

    /// Reorders, casts and checks `batch` against the view's table schema.
    static func conform(_ batch: RecordBatch, to schema: Schema, view: String, source: String?) throws -> RecordBatch {
        var columns: [Column] = []
        for field in schema.fields {
            guard let i = batch.schema.index(of: field.name) else {
                throw DatabaseError(.invalidInput, "column '\(field.name)' of view '\(view)' is missing (got \(batch.schema.names.joined(separator: ", ")))", file: source)
            }
            var column = batch.columns[i]
            if column.type != field.type {
                column = try cast(column, to: field.type, name: field.name, view: view, source: source)
            }
            if !field.isNullable, let validity = column.validity, let row = (0 ..< column.count).first(where: { !validity[$0] }) {
                throw DatabaseError(.invalidInput, "row \(row + 1), column '\(field.name)': null in a key or event-time column of view '\(view)'", file: source, line: row + 1)
            }
            columns.append(column)
        }
        for name in batch.schema.names where schema.index(of: name) == nil {
            throw DatabaseError(.invalidInput, "column '\(name)' is not in view '\(view)' (columns: \(schema.names.joined(separator: ", ")))", file: source)
        }
        do {
            return try RecordBatch(schema: schema, columns: columns)
        } catch {
            throw DatabaseError(.invalidInput, "batch does not fit view '\(view)': \(error)", file: source)
        }
    }

    static func cast(_ column: Column, to type: DataType, name: String, view: String, source: String?) throws -> Column {
        func mismatch() -> DatabaseError {
            DatabaseError(.invalidInput, "column '\(name)' is \(column.type) but view '\(view)' declares \(type)", file: source)
        }
        switch (column.storage, type) {
        case (.int32(let v), .int64):
            return try Column(type: .int64, storage: .int64(v.map(Int64.init)), validity: column.validity)
        case (.int64(let v), .int32) where column.type == .int64:
            var out = [Int32](repeating: 0, count: v.count)
            for i in v.indices where column.isValid(i) {
                guard let x = Int32(exactly: v[i]) else {
                    throw DatabaseError(.invalidInput, "row \(i + 1), column '\(name)': \(v[i]) does not fit int32", file: source, line: i + 1)
                }
                out[i] = x
            }
            return try Column(type: .int32, storage: .int32(out), validity: column.validity)
        case (.float32(let v), .float64):
            return try Column(type: .float64, storage: .float64(v.map(Double.init)), validity: column.validity)
        case (.bytes(let o, let d), .binary) where column.type == .string, (.bytes(let o, let d), .string) where column.type == .binary:
            if type == .string && String(validating: d, as: UTF8.self) == nil { throw mismatch() }
            return try Column(type: type, storage: .bytes(offsets: o, data: d), validity: column.validity)
        default:
            throw mismatch()
        }
    }
}

/// Input file formats.
public enum IngestFormat: String, Sendable, CaseIterable {
    case parquet, csv

    /// The format of `path` by its extension (CSV for `.csv`/`.tsv`, else Parquet).
    public init(path: String) {
        let lower = path.lowercased()
        self = lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".csv.txt") ? .csv : .parquet
    }
}
