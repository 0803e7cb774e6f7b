import Foundation
import LarderColumnar
import LarderParquet

/// An idempotent writer's identity: a commit carrying `(appId, version)` is applied at most
/// once; a retry with a version the table has already seen is skipped.
public struct Transaction: Sendable, Hashable {
    public var appId: String
    public var version: Int64
    public init(appId: String, version: Int64) {
        self.appId = appId
        self.version = version
    }
}

/// Options for a commit.
public struct CommitOptions: Sendable {
    /// Caller-supplied metadata recorded in the commit and shown by history.
    public var metadata: [String: String] = [:]
    /// Makes the commit idempotent (see ``Transaction``).
    public var transaction: Transaction?
    /// How data files are written. `fsync` is forced on: a commit never refers to data that
    /// is not on stable storage.
    public var parquet = ParquetWriteOptions()
    /// Rows per data file; larger writes are split.
    public var maxFileRows = 4 << 20
    /// Attempts before giving up when other writers keep winning the race for a version.
    public var maxAttempts = 1000
    public init() {}
}

/// The outcome of a commit.
public struct CommitResult: Sendable, Hashable {
    /// The version created, or nil when nothing was committed (an idempotent retry, or an
    /// operation with nothing to do).
    public var version: Int64?
    public var filesAdded = 0
    public var filesRemoved = 0
    public var rowsAdded: Int64 = 0
    public var rowsRemoved: Int64 = 0
    /// Races lost to other writers before this commit won.
    public var retries = 0
}

/// A commit being attempted: its actions and what it read, so a lost race can decide
/// between retrying at the next version and failing with a conflict.
struct PendingCommit {
    enum ConflictRule {
        /// Appends never conflict with other commits.
        case none
        /// The files the operation removes must still be live (delete, compaction).
        case removedFilesStillLive
        /// Nothing may have changed the table's files since it was read (overwrite).
        case noChangeSinceRead
    }

    var operation: String
    var parameters: [String: String] = [:]
    var metrics: [String: Int64] = [:]
    var adds: [AddFile] = []
    var removes: [RemoveFile] = []
    var rule: ConflictRule = .none
    /// A new `metaData` action (schema change), if any.
    var metadata: MetadataAction?
    /// The state the operation's reads were based on.
    var readState: TableState
}

extension Table {
    /// Publishes `pending` at the next version, retrying past versions that other writers
    /// take when their commits do not conflict with it.
    func commit(_ pending: PendingCommit, options: CommitOptions) throws -> CommitResult {
        var state = pending.readState
        var result = CommitResult()
        result.filesAdded = pending.adds.count
        result.filesRemoved = pending.removes.count
        result.rowsAdded = pending.adds.reduce(0) { $0 + Int64(FileStatistics.rowCount($1.stats) ?? 0) }
        result.rowsRemoved = pending.metrics["numDeletedRows"] ?? 0
        for attempt in 0 ..< max(1, options.maxAttempts) {
            if let txn = options.transaction, let seen = state.transactions[txn.appId], seen >= txn.version {
                return CommitResult()   // already applied by an earlier attempt or run
            }
            try checkConflicts(pending, current: state)
            let version = state.version + 1
            let now = max(Table.nowMillis(), state.commitTimestamps.last ?? 0)
            var actions: [DeltaAction] = [.commitInfo(CommitInfo(
                timestamp: now, operation: pending.operation, operationParameters: pending.parameters,
                operationMetrics: pending.metrics, metadata: options.metadata, engineInfo: Table.engineInfo))]
            if let metadata = pending.metadata { actions.append(.metadata(metadata)) }
            if let txn = options.transaction {
                actions.append(.txn(TransactionAction(appId: txn.appId, version: txn.version, lastUpdated: now)))
            }
            actions += pending.removes.map { r in
                var r = r
                r.deletionTimestamp = now
                return .remove(r)
            }
            actions += pending.adds.map { .add($0) }
            let bytes = Array((actions.map { $0.encoded() }.joined(separator: "\n") + "\n").utf8)
            if try storage.publishIfAbsent(bytes, at: log.commitPath(version)) {
                result.version = version
                result.retries = attempt
                writeCheckpointIfDue(after: state, actions: actions, version: version)
                return result
            }
            state = try latestState()    // lost the race: look at what won
        }
        throw TableError(.conflict, "gave up after \(options.maxAttempts) attempts: other writers kept committing first", path: path)
    }

    private func checkConflicts(_ pending: PendingCommit, current: TableState) throws {
        let read = pending.readState
        guard current.version > read.version else { return }
        if current.metadata != read.metadata || (pending.metadata != nil && current.version != read.version) {
            throw TableError(.conflict, "the table's metadata changed at a version after \(read.version); retry the \(pending.operation)", path: path)
        }
        switch pending.rule {
        case .none:
            break
        case .removedFilesStillLive:
            for r in pending.removes where current.files[r.path] == nil {
                throw TableError(.conflict, "\(r.path) was removed by a commit after version \(read.version); retry the \(pending.operation)", path: path)
            }
        case .noChangeSinceRead:
            if Set(current.files.keys) != Set(read.files.keys) {
                throw TableError(.conflict, "the table's files changed after version \(read.version); retry the \(pending.operation)", path: path)
            }
        }
    }

    private func writeCheckpointIfDue(after state: TableState, actions: [DeltaAction], version: Int64) {
        let interval = state.metadata?.configuration[TableConfiguration.checkpointInterval].flatMap { Int64($0) } ?? 100
        guard interval > 0, version % interval == 0 else { return }
        var next = state
        guard (try? next.apply(actions, version: version, fileTimestamp: Table.nowMillis())) != nil else { return }
        // Best effort: a missing checkpoint only makes the next open replay more commits.
        try? log.writeCheckpoint(next)
    }

    // MARK: Data files

    /// Writes rows `rows` (default all) of `batch` as one data file (fsynced) and returns its
    /// `add` action.
    func writeDataFile(_ batch: RecordBatch, rows: Range<Int>? = nil, schema: Schema, options: CommitOptions,
                       dataChange: Bool) throws -> AddFile {
        var parquet = options.parquet
        parquet.fsync = true
        let name = "part-00000-\(UUID().uuidString.lowercased())-c000.\(parquet.codec.fileSuffix).parquet"
        let summary: ParquetFileSummary
        do {
            let writer = try ParquetWriter(path: path + "/" + name, schema: batch.schema, options: parquet)
            do {
                try writer.write(batch, rows: rows ?? 0 ..< batch.rowCount)
            } catch {
                writer.abandon()
                throw error
            }
            summary = try writer.close()
        } catch {
            // The table error carries the kind (I/O); the Parquet error's own "(I/O error)" would repeat it.
            let detail = (error as? ParquetError).flatMap { e in
                e.code == .io ? (e.path.map { "\($0): " } ?? "") + e.message + (e.underlying.map { ": \($0)" } ?? "") : nil
            } ?? "\(error)"
            throw TableError(.io, "cannot write a data file: \(detail)", path: path)
        }
        let stats = FileStatistics(rowCount: summary.rowCount, columns: summary.statistics)
        return AddFile(path: name, size: Int64(summary.sizeBytes), modificationTime: Table.nowMillis(),
                       dataChange: dataChange, stats: stats.encoded(schema: schema))
    }

    /// Writes `batch` as files of at most `maxFileRows` rows; see the `[RecordBatch]` form.
    func writeDataFiles(_ batch: RecordBatch, snapshot: Snapshot, options: CommitOptions, dataChange: Bool,
                        versions: ClosedRange<Int64>? = nil) throws -> [AddFile] {
        try writeDataFiles([batch], snapshot: snapshot, options: options, dataChange: dataChange, versions: versions)
    }

    /// Writes the rows of `batches` (in order) as files of at most `maxFileRows` rows, sorted
    /// (stably) by the table's sort columns when it has them. Each file is tagged with its
    /// ``CommitOrder``: its part number, and `versions` when the rows come from earlier
    /// commits (compaction).
    ///
    /// The batches are never concatenated: the sort runs on the key columns alone, and each
    /// file's rows are gathered straight from the batches, one file at a time, so a large
    /// ingest holds its input plus one file's rows, not two copies of everything.
    func writeDataFiles(_ batches: [RecordBatch], snapshot: Snapshot, options: CommitOptions, dataChange: Bool,
                        versions: ClosedRange<Int64>? = nil) throws -> [AddFile] {
        let sources = batches.filter { $0.rowCount > 0 }
        let total = sources.reduce(0) { $0 + $1.rowCount }
        guard total > 0, let first = sources.first else { return [] }
        let order = try sortedOrder(sources, by: snapshot.sortColumns)
        var adds: [AddFile] = []
        var start = 0
        let step = max(1, options.maxFileRows)
        while start < total {
            let end = min(total, start + step)
            let rows: RecordBatch
            if sources.count == 1 && order == nil {
                rows = first
            } else {
                rows = try gatherRows(sources, order: order, range: start ..< end)
            }
            let range = sources.count == 1 && order == nil ? start ..< end : 0 ..< rows.rowCount
            var add = try writeDataFile(rows, rows: range, schema: snapshot.schema, options: options, dataChange: dataChange)
            let commitOrder = CommitOrder(firstVersion: versions?.lowerBound ?? 0, lastVersion: versions?.upperBound ?? 0, part: adds.count)
            add.tags = commitOrder.tags(ownCommit: versions == nil)
            adds.append(add)
            start = end
        }
        return adds
    }

    /// Where each output row comes from: `(batch, row)` pairs in sorted order, or nil when the
    /// rows are already in order (or the table has no sort columns).
    private func sortedOrder(_ sources: [RecordBatch], by keys: [String]) throws -> (pieces: [Int32], rows: [Int32])? {
        guard !keys.isEmpty else { return nil }
        let sortKeys = keys.map { SortKey($0, ascending: true, nullsFirst: true) }
        // Only the key columns are joined into one batch for the sort.
        let keyBatches = try sources.map { try $0.project(keys) }
        let keyBatch = keyBatches.count == 1 ? keyBatches[0] : try RecordBatch.concatenate(keyBatches)
        guard keyBatch.rowCount > 1, try !keyBatch.isSorted(by: sortKeys) else { return nil }
        let permutation = try keyBatch.sortIndices(by: sortKeys)
        var starts: [Int] = []
        var offset = 0
        for s in sources { starts.append(offset); offset += s.rowCount }
        var pieces = [Int32](repeating: 0, count: permutation.count)
        var rows = [Int32](repeating: 0, count: permutation.count)
        for (k, global) in permutation.enumerated() {
            // The last batch that starts at or before `global`.
            var low = 0, high = starts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= global { low = mid } else { high = mid - 1 }
            }
            pieces[k] = Int32(low)
            rows[k] = Int32(truncatingIfNeeded: global - starts[low])
        }
        return (pieces, rows)
    }

    /// Rows `range` of the output order, gathered from `sources` one column per task.
    private func gatherRows(_ sources: [RecordBatch], order: (pieces: [Int32], rows: [Int32])?, range: Range<Int>) throws -> RecordBatch {
        let pieces: [Int32], rows: [Int32]
        if let order {
            pieces = Array(order.pieces[range])
            rows = Array(order.rows[range])
        } else {
            // Input order: walk the batches.
            var p: [Int32] = [], r: [Int32] = []
            p.reserveCapacity(range.count)
            r.reserveCapacity(range.count)
            var offset = 0
            for (i, s) in sources.enumerated() {
                let lo = max(range.lowerBound, offset), hi = min(range.upperBound, offset + s.rowCount)
                if lo < hi {
                    for g in lo ..< hi { p.append(Int32(i)); r.append(Int32(truncatingIfNeeded: g - offset)) }
                }
                offset += s.rowCount
            }
            pieces = p
            rows = r
        }
        let schema = sources[0].schema
        let plan = try GatherPlan(pieces: pieces, rows: rows, sourceRowCounts: sources.map(\.rowCount))
        let columns = try concurrentMap(Array(0 ..< schema.count)) { c in
            try Column.gather(sources.map { $0.columns[c] }, plan: plan)
        }
        return try RecordBatch(schema: schema, columns: columns)
    }

    /// Removes data files a failed operation wrote before it could commit them.
    func discard(_ adds: [AddFile]) {
        for a in adds { try? storage.remove(path + "/" + a.path) }
    }
}

extension Codec {
    /// The codec's part of a data file name (`part-...-c000.zstd.parquet`).
    var fileSuffix: String {
        switch self {
        case .uncompressed: "uncompressed"
        case .snappy: "snappy"
        case .gzip: "gzip"
        case .lz4: "lz4"
        case .zstd: "zstd"
        case .lz4Raw: "lz4raw"
        }
    }
}
