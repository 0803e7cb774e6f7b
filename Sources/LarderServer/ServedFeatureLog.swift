import Foundation
import Larder
import LarderColumnar
import LarderTable
import Logging
import Synchronization

/// Served-feature logging: for a feature service with `log_served_features: true`, every
/// vector the server answers is appended to the offline table `<service>__served` (under
/// `<db>/tables/`, a Delta table like any view's), for training on exactly what was served.
///
/// Columns: the request's key columns, `served_at` (timestamp, the read time), then per
/// feature `view__feature` (its type, null unless present) and `view__feature__status`
/// (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE). Vectors are buffered in memory and
/// committed in batches (one commit per flush and service), by the server's background service
/// every `servedLogFlushInterval` and at shutdown; a buffer over `maxBufferedRows` drops new
/// vectors (counted and logged) rather than grow without bound.
final class ServedFeatureLog: Sendable {
    struct Entry: Sendable {
        let keys: RecordBatch
        let readTime: Int64
        let features: [OnlineFeatureValues]
    }

    let database: FeatureDatabase
    let logger: Logger
    let maxBufferedRows: Int
    private let pending = Mutex<(entries: [String: [Entry]], rows: Int, dropped: Int)>(([:], 0, 0))

    init(database: FeatureDatabase, logger: Logger, maxBufferedRows: Int = 1 << 20) {
        self.database = database
        self.logger = logger
        self.maxBufferedRows = maxBufferedRows
    }

    /// The table path of `service`'s log.
    static func tablePath(database: FeatureDatabase, service: String) -> String {
        database.path + "/tables/" + service + "__served"
    }

    func append(service: String, keys: RecordBatch, result: OnlineFeatureResult) {
        let entry = Entry(keys: keys, readTime: result.readTime, features: result.features)
        pending.withLock { state in
            guard state.rows + keys.rowCount <= maxBufferedRows else {
                state.dropped += keys.rowCount
                return
            }
            state.entries[service, default: []].append(entry)
            state.rows += keys.rowCount
        }
    }

    /// Commits every buffered vector (one commit per service). Failures are logged; the
    /// vectors of a failed commit are dropped (the log is best effort, serving is not).
    func flush() {
        let (entries, dropped) = pending.withLock { state in
            defer { state = ([:], 0, 0) }
            return (state.entries, state.dropped)
        }
        if dropped > 0 {
            logger.warning("served-feature log buffer full: vectors dropped", metadata: ["rows": "\(dropped)"])
        }
        for (service, list) in entries {
            do {
                let batch = try Self.batch(list)
                let path = Self.tablePath(database: database, service: service)
                let table: Table
                if FileManager.default.fileExists(atPath: path + "/_delta_log") {
                    table = try Table.open(at: path)
                } else {
                    table = try Table.create(at: path, schema: batch.schema, name: service + "__served")
                }
                _ = try table.append([batch])
                logger.debug("served-feature log flushed", metadata: ["service": "\(service)", "rows": "\(batch.rowCount)"])
            } catch {
                logger.error("served-feature log: commit failed, vectors dropped",
                             metadata: ["service": "\(service)", "rows": "\(list.reduce(0) { $0 + $1.keys.rowCount })", "error": "\(error)"])
            }
        }
    }

    /// The entries as one batch (they share a selection, so keys and features line up).
    static func batch(_ entries: [Entry]) throws -> RecordBatch {
        let first = entries[0]
        var fields = first.keys.schema.fields
        var columns: [Column] = try first.keys.columns.indices.map { c in try Column.concatenate(entries.map { $0.keys.columns[c] }) }
        let rows = entries.reduce(0) { $0 + $1.keys.rowCount }
        var servedAt: [Int64] = []
        servedAt.reserveCapacity(rows)
        for entry in entries { servedAt.append(contentsOf: repeatElement(entry.readTime, count: entry.keys.rowCount)) }
        fields.append(Field("served_at", .timestamp, nullable: false))
        columns.append(.timestamp(servedAt))
        for (f, feature) in first.features.enumerated() {
            var values = ColumnBuilder(type: feature.type, capacity: rows)
            var statuses: [String?] = []
            statuses.reserveCapacity(rows)
            for entry in entries {
                for value in entry.features[f].values { try values.append(value) }
                statuses.append(contentsOf: entry.features[f].statuses.map(\.rawValue))
            }
            fields.append(Field(feature.name, feature.type))
            columns.append(values.finish())
            fields.append(Field(feature.name + "__status", .string, nullable: false))
            columns.append(.string(statuses))
        }
        return try RecordBatch(schema: try Schema(fields), columns: columns)
    }
}
