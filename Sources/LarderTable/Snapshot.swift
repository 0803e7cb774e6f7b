import LarderColumnar
import LarderParquet

/// A table as of one version: its schema, its data files and their statistics. Immutable;
/// reading a snapshot never sees later commits.
public struct Snapshot: Sendable {
    /// The table's root directory.
    public let tablePath: String
    public let version: Int64
    /// When the version was committed, in microseconds since the epoch.
    public let timestamp: Int64
    public let schema: Schema
    /// The live data files, oldest commit first (ties by path).
    public let files: [DataFile]
    /// The latest version each idempotent writer (appId) has committed.
    public let transactions: [String: Int64]
    /// The table's configuration (`metaData.configuration`).
    public let configuration: [String: String]
    let state: TableState

    /// One live data file.
    public struct DataFile: Sendable, Hashable {
        /// Path relative to the table root.
        public var path: String
        public var size: Int64
        /// The version whose commit added the file.
        public var addedVersion: Int64
        /// Where the file's rows stand in commit order (later rows win point-in-time ties).
        public var commitOrder: CommitOrder
        /// The `stats` JSON of the file's `add` action.
        let stats: String?
        let schema: Schema

        /// Row count and per-column statistics, when the log records them. Decoded on each
        /// access (snapshots of tables with many files would otherwise decode every file's
        /// statistics even when no one asks for them).
        public var statistics: FileStatistics? { FileStatistics.decode(stats, schema: schema) }

        /// The row count recorded in the log, without decoding the rest of the statistics.
        public var rowCount: Int? { FileStatistics.rowCount(stats) }
    }

    init(tablePath: String, state: TableState, schema: Schema) {
        self.tablePath = tablePath
        self.state = state
        self.version = state.version
        self.timestamp = (state.commitTimestamps.last ?? 0) * 1000
        self.schema = schema
        self.transactions = state.transactions
        self.configuration = state.metadata?.configuration ?? [:]
        self.files = state.files.values
            .sorted { ($0.version, $0.add.path) < ($1.version, $1.add.path) }
            .map { DataFile(path: $0.add.path, size: $0.add.size, addedVersion: $0.version,
                            commitOrder: CommitOrder(tags: $0.add.tags, addedVersion: $0.version),
                            stats: $0.add.stats, schema: schema) }
    }

    /// The columns the table's files are sorted by (entity keys, event time, created time),
    /// from the configuration key `larder.sortColumns`.
    public var sortColumns: [String] {
        configuration[TableConfiguration.sortColumns].map { $0.split(separator: ",").map(String.init) } ?? []
    }

    /// Rows in the snapshot, when every file records its row count.
    public var rowCount: Int? {
        var total = 0
        for f in files {
            guard let n = f.rowCount else { return nil }
            total += n
        }
        return total
    }

    /// The protocol's minimum reader version (1 for Larder's tables).
    public var protocolReaderVersion: Int { state.protocolAction?.minReaderVersion ?? 1 }
    /// The protocol's minimum writer version (2 for Larder's tables).
    public var protocolWriterVersion: Int { state.protocolAction?.minWriterVersion ?? 2 }

    /// The absolute path of a data file.
    public func absolutePath(of file: DataFile) -> String { tablePath + "/" + file.path }
}

/// What a scan read and what statistics let it skip.
public struct ScanResult: Sendable {
    /// Matching rows, one batch per row group read.
    public var batches: [RecordBatch]
    public var filesRead = 0
    public var filesSkipped = 0
    public var rowGroupsRead = 0
    public var rowGroupsSkipped = 0

    /// All batches as one.
    public func combined(schema: Schema) throws -> RecordBatch {
        if batches.isEmpty { return RecordBatch.empty(schema) }
        if batches.count == 1 { return batches[0] }
        return try RecordBatch.concatenate(batches)
    }
}

extension Snapshot {
    /// Reads `columns` (default all) of the rows that satisfy every predicate.
    ///
    /// Files whose log statistics rule a predicate out are not opened, and row groups whose
    /// footer statistics rule it out are not read (data skipping); the remaining rows are
    /// filtered exactly unless `filterRows` is false.
    /// - Throws: ``TableError`` `.invalidArgument` for an unknown column; Parquet errors of
    ///   damaged files, naming the file.
    public func scan(columns: [String]? = nil, where predicates: [ColumnPredicate] = [],
                     filterRows: Bool = true) throws -> ScanResult {
        try scan(files: files, columns: columns, where: predicates, filterRows: filterRows)
    }

    /// Like ``scan(columns:where:filterRows:)``, over `files` in the given order: some of the
    /// snapshot's files, or files of other versions of the same table (removed ones too, while
    /// vacuum has not deleted them), read under this snapshot's schema.
    public func scan(files: [DataFile], columns: [String]? = nil, where predicates: [ColumnPredicate] = [],
                     filterRows: Bool = true) throws -> ScanResult {
        for name in (columns ?? []) + predicates.map(\.column) where schema.index(of: name) == nil {
            throw TableError(.invalidArgument, "no column '\(name)'; the table has \(schema.names.joined(separator: ", "))", path: tablePath)
        }
        let wanted = columns ?? schema.names
        let readColumns = wanted + predicates.map(\.column).filter { !wanted.contains($0) }
        let outputSchema = try schema.projectedForScan(wanted)
        var result = ScanResult(batches: [])
        for file in files {
            if let stats = file.statistics,
               !predicates.allSatisfy({ $0.mayMatch(stats.columns[$0.column], rowCount: stats.rowCount) }) {
                result.filesSkipped += 1
                continue
            }
            result.filesRead += 1
            let parquet = try ParquetFile(path: absolutePath(of: file))
            // Columns added to the table after the file was written read as nulls.
            let present = readColumns.filter { parquet.schema.index(of: $0) != nil }
            let groups = parquet.rowGroups(matching: predicates.filter { present.contains($0.column) })
            result.rowGroupsRead += groups.count
            result.rowGroupsSkipped += parquet.rowGroupCount - groups.count
            guard !groups.isEmpty else { continue }
            for var batch in try parquet.readBatches(columns: present, rowGroups: groups) {
                if present.count != readColumns.count { batch = try batch.addingNullColumns(readColumns, from: schema) }
                if filterRows && !predicates.isEmpty {
                    var mask = Bitmap(count: batch.rowCount, value: true)
                    for p in predicates { mask = mask & (try p.evaluate(on: batch)) }
                    if mask.setCount == 0 { continue }
                    if mask.setCount < batch.rowCount { batch = try batch.filter(mask) }
                }
                if readColumns.count != wanted.count { batch = try batch.project(wanted) }
                result.batches.append(try batch.conforming(to: outputSchema))
            }
        }
        return result
    }

    /// Every row (of `columns`, default all) as one batch.
    public func read(columns: [String]? = nil) throws -> RecordBatch {
        try scan(columns: columns).combined(schema: try schema.projectedForScan(columns ?? schema.names))
    }
}

extension RecordBatch {
    /// The batch with `names` in that order, null columns (typed by `schema`) for the missing ones.
    func addingNullColumns(_ names: [String], from schema: Schema) throws -> RecordBatch {
        var fields: [Field] = [], columns: [Column] = []
        for name in names {
            if let c = column(named: name), let f = self.schema.field(named: name) {
                fields.append(f); columns.append(c)
            } else if let f = schema.field(named: name) {
                fields.append(Field(f.name, f.type, nullable: true))
                var builder = ColumnBuilder(type: f.type, capacity: rowCount)
                for _ in 0 ..< rowCount { builder.appendNull() }
                columns.append(builder.finish())
            }
        }
        return try RecordBatch(schema: Schema(fields), columns: columns)
    }
}

extension Schema {
    func projectedForScan(_ names: [String]) throws -> Schema {
        try Schema(names.compactMap { field(named: $0) })
    }
}

extension RecordBatch {
    /// The batch relabelled with `schema` (same types; nullability from `schema`). Files
    /// written before a column became nullable still read under the table's schema.
    func conforming(to schema: Schema) throws -> RecordBatch {
        if self.schema.fields == schema.fields { return self }
        do {
            return try RecordBatch(schema: schema, columns: columns)
        } catch {
            throw TableError(.schemaMismatch, "a data file's columns \(self.schema) do not match the table's schema \(schema)")
        }
    }
}
