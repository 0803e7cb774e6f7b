/// LarderTable: versioned tables whose history is a Delta Lake transaction log.
///
/// Every change is one atomic commit, a new version: data files (Parquet) are written and
/// fsynced first, then the commit file `_delta_log/%020d.json` is published put-if-absent, so
/// of two writers racing for a version exactly one wins; the loser re-reads the log and
/// retries when the commits do not conflict. Any version can be read again (time travel), and
/// delta-rs, polars or Spark read the same tables (reader version 1, writer version 2).

import Foundation
import LarderColumnar
import LarderParquet
import Synchronization

/// Configuration keys Larder stores in the table's `metaData.configuration`.
public enum TableConfiguration {
    /// Comma-separated columns the files are sorted by (entity keys, event time, created time).
    public static let sortColumns = "larder.sortColumns"
    /// Commits between Larder checkpoints (default 100).
    public static let checkpointInterval = "larder.checkpointInterval"
}

/// A versioned table in a directory. Safe to share between threads; several processes may
/// open and write the same table.
public final class Table: Sendable {
    /// The table's root directory.
    public let path: String
    let storage: any TableStorage
    let log: TableLog
    /// The newest state this object has seen, to replay only newer commits.
    private let cache = Mutex<TableState?>(nil)

    init(path: String, storage: any TableStorage) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.storage = storage
        self.log = TableLog(root: self.path, storage: storage)
    }

    /// Opens the table at `path`.
    /// - Throws: ``TableError`` `.notFound` when there is no table; `.corrupt` or
    ///   `.unsupported` for a log Larder cannot read.
    public static func open(at path: String, storage: any TableStorage = PosixStorage()) throws -> Table {
        let table = Table(path: path, storage: storage)
        // Decode the schema too, so a table Larder cannot read fails here, not on first read.
        _ = try table.makeSnapshot(try table.latestState())
        return table
    }

    /// Creates a table with `schema` at `path` (version 0).
    /// - Parameters:
    ///   - sortColumns: columns its files are sorted by; ingest and compaction keep that order.
    ///   - configuration: extra `metaData.configuration` entries.
    /// - Throws: `.alreadyExists` if a table is there; `.invalidArgument` for an unknown sort column.
    public static func create(at path: String, schema: Schema, name: String? = nil, sortColumns: [String] = [],
                              configuration: [String: String] = [:], storage: any TableStorage = PosixStorage()) throws -> Table {
        for c in sortColumns where schema.index(of: c) == nil {
            throw TableError(.invalidArgument, "sort column '\(c)' is not in the schema \(schema)", path: path)
        }
        let table = Table(path: path, storage: storage)
        try storage.createDirectory(table.log.logDirectory)
        var config = configuration
        if !sortColumns.isEmpty { config[TableConfiguration.sortColumns] = sortColumns.joined(separator: ",") }
        let now = Table.nowMillis()
        let metadata = MetadataAction(id: UUID().uuidString.lowercased(), name: name, description: nil,
                                      schemaString: DeltaSchema.encode(schema), partitionColumns: [],
                                      configuration: config, createdTime: now)
        let actions: [DeltaAction] = [
            .commitInfo(CommitInfo(timestamp: now, operation: "CREATE TABLE", operationParameters: [:], operationMetrics: [:],
                                   metadata: [:], engineInfo: Table.engineInfo)),
            .protocol(.larder), .metadata(metadata),
        ]
        let bytes = Array((actions.map { $0.encoded() }.joined(separator: "\n") + "\n").utf8)
        guard try storage.publishIfAbsent(bytes, at: table.log.commitPath(0)) else {
            throw TableError(.alreadyExists, "a table already exists here", path: table.path)
        }
        return table
    }

    static let engineInfo = "larder/" + LarderVersion.string

    static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    // MARK: Snapshots

    /// The latest state, replaying only commits newer than the cached one.
    func latestState() throws -> TableState {
        let cached = cache.withLock { $0 }
        let state = try log.state(from: cached)
        cache.withLock { current in
            if (current?.version ?? -1) < state.version { current = state }
        }
        return state
    }

    /// The latest version.
    public func snapshot() throws -> Snapshot {
        try makeSnapshot(try latestState())
    }

    /// The table as of `version`.
    /// - Throws: `.invalidArgument` if the version does not exist.
    public func snapshot(version: Int64) throws -> Snapshot {
        let cached = cache.withLock { $0 }
        return try makeSnapshot(try log.state(at: version, from: cached))
    }

    /// The table as of time `micros` (since the epoch): the last version committed at or
    /// before it.
    /// - Throws: `.invalidArgument` if the table did not exist yet.
    public func snapshot(asOf micros: Int64) throws -> Snapshot {
        let latest = try latestState()
        let millis = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        guard let version = latest.version(atOrBefore: millis) else {
            throw TableError(.invalidArgument, "the table was created after \(Timestamp.iso8601(micros: micros))", path: path)
        }
        return try snapshot(version: version)
    }

    func makeSnapshot(_ state: TableState) throws -> Snapshot {
        guard let metadata = state.metadata else { throw TableError(.corrupt, "no metaData action", path: path) }
        var (schema, undeclared): (Schema, [String])
        do {
            (schema, undeclared) = try DeltaSchema.decode(metadata.schemaString)
        } catch var e as TableError {
            e.path = e.path ?? path
            throw e
        }
        if !undeclared.isEmpty, let file = state.files.values.min(by: { $0.add.path < $1.add.path }) {
            // Vectors from another writer: the dimension is in the data.
            let parquet = try ParquetFile(path: path + "/" + file.add.path)
            var fields = schema.fields
            for (i, f) in fields.enumerated() where undeclared.contains(f.name) {
                if let t = parquet.schema.field(named: f.name)?.type { fields[i].type = t }
            }
            schema = try Schema(fields)
        }
        return Snapshot(tablePath: path, state: state, schema: schema)
    }

    // MARK: History

    /// One entry of ``history(limit:)``.
    public struct HistoryEntry: Sendable, Hashable {
        public var version: Int64
        /// Microseconds since the epoch.
        public var timestamp: Int64
        public var operation: String
        public var filesAdded: Int
        public var filesRemoved: Int
        public var rowsAdded: Int64
        public var rowsRemoved: Int64
        /// Whether the commit changed data (compaction does not).
        public var dataChange: Bool
        /// Caller-supplied metadata.
        public var metadata: [String: String]
        public var parameters: [String: String]
    }

    /// Commits, newest first (at most `limit`).
    public func history(limit: Int? = nil) throws -> [HistoryEntry] {
        let versions = try log.commitVersions()
        var out: [HistoryEntry] = []
        for v in versions.reversed() {
            if let limit, out.count >= limit { break }
            let (actions, fileTime) = try log.readCommit(v)
            var entry = HistoryEntry(version: v, timestamp: fileTime * 1000, operation: "UNKNOWN", filesAdded: 0, filesRemoved: 0,
                                     rowsAdded: 0, rowsRemoved: 0, dataChange: false, metadata: [:], parameters: [:])
            var rowsFromStats: Int64 = 0
            var rowsFromMetrics: Int64?
            for action in actions {
                switch action {
                case .add(let a):
                    entry.filesAdded += 1
                    entry.dataChange = entry.dataChange || a.dataChange
                    rowsFromStats += Int64(FileStatistics.rowCount(a.stats) ?? 0)
                case .remove(let r):
                    entry.filesRemoved += 1
                    entry.dataChange = entry.dataChange || r.dataChange
                case .commitInfo(let c):
                    if let t = c.timestamp { entry.timestamp = t * 1000 }
                    entry.operation = c.operation ?? entry.operation
                    entry.metadata = c.metadata
                    entry.parameters = c.operationParameters
                    entry.rowsRemoved = c.operationMetrics["numRemovedRows"] ?? c.operationMetrics["numDeletedRows"] ?? 0
                    rowsFromMetrics = c.operationMetrics["numAddedRows"] ?? c.operationMetrics["numOutputRows"]
                default:
                    break
                }
            }
            entry.rowsAdded = entry.dataChange ? (rowsFromMetrics ?? rowsFromStats) : 0
            out.append(entry)
        }
        return out
    }
}

extension FileStatistics {
    /// The `numRecords` of a stats string, without decoding the rest.
    static func rowCount(_ stats: String?) -> Int? {
        guard let stats, let range = stats.range(of: "\"numRecords\":") else { return nil }
        return Int(stats[range.upperBound...].prefix { $0.isNumber })
    }
}
