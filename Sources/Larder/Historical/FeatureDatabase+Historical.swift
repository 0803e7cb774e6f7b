import Foundation
import LarderColumnar
import LarderParquet
import LarderTable

/// A point-in-time result held in memory: the spine's columns untouched, then each view's
/// features, one row per spine row in the spine's order.
public struct HistoricalResult: Sendable {
    public var batch: RecordBatch
    public var summary: HistoricalSummary
}

extension FeatureDatabase {
    /// Point-in-time features for every row of `spine`.
    ///
    /// For each spine row (keys, ts) and each requested view, the winner among the view's rows
    /// with the same keys and `ts - ttl <= event_ts <= ts` is the one with the greatest event
    /// time, then the greatest created time, then the later commit (within a commit, the later
    /// row of the input); no candidate gives nulls. The output keeps every spine row once, in
    /// the spine's order, its own columns untouched, followed by the features (`view__feature`).
    ///
    /// ```swift
    /// let result = try db.historicalFeatures(spine: interactions, features: .service("ranker_v1"))
    /// print(result.summary.views.map { "\($0.view): \($0.matched) matched at v\($0.version)" })
    /// ```
    /// - Throws: `.unknownName` for an unknown view, feature or service; `.invalidInput` when
    ///   the spine lacks a key or timestamp column or has one of the wrong type. These are
    ///   checked before any table is read.
    public func historicalFeatures(spine: RecordBatch, features: FeatureSelection,
                                   options: HistoricalOptions = .init()) throws -> HistoricalResult {
        let plan = try planHistorical(spineSchema: spine.schema, features: features, options: options)
        let step = max(1, options.spineChunkRows)
        var start = 0
        var emptyDone = false
        var batches: [RecordBatch] = []
        var opts = options
        opts.batchRows = Int.max
        let summary = try executeHistorical(plan, options: opts, total: spine.rowCount, nextChunk: {
            if spine.rowCount == 0 {
                defer { emptyDone = true }
                return emptyDone ? nil : spine
            }
            guard start < spine.rowCount else { return nil }
            defer { start += step }
            return step >= spine.rowCount ? spine : spine.slice(start ..< min(spine.rowCount, start + step))
        }, output: { batches.append($0) })
        let batch = batches.isEmpty ? RecordBatch.empty(plan.outputSchema)
            : batches.count == 1 ? batches[0] : try RecordBatch.concatenate(batches)
        return HistoricalResult(batch: batch, summary: summary)
    }

    /// Point-in-time features for the spine in a Parquet file, streamed to `output` in batches
    /// of `options.batchRows` rows, in the spine's order. The spine is read in chunks of at
    /// most `options.spineChunkRows` rows, so it need not fit in memory.
    public func historicalFeatures(spineFile: String, features: FeatureSelection, options: HistoricalOptions = .init(),
                                   output: (RecordBatch) throws -> Void) throws -> HistoricalSummary {
        let (spine, plan) = try planSpineFile(spineFile, features: features, options: options)
        return try executeHistorical(plan, options: options, total: spine.rowCount, nextChunk: spine.next, output: output)
    }

    /// Point-in-time features for the spine in a Parquet file, written to `outputPath` as
    /// Parquet. The file appears only when complete (written under a temporary name, then
    /// renamed); on failure nothing is left behind and an existing file is untouched.
    @discardableResult
    public func writeHistoricalFeatures(spineFile: String, features: FeatureSelection, to outputPath: String,
                                        options: HistoricalOptions = .init(),
                                        parquet: ParquetWriteOptions = .init()) throws -> HistoricalSummary {
        let (spine, plan) = try planSpineFile(spineFile, features: features, options: options)
        let writer: ParquetWriter
        do { writer = try ParquetWriter(path: outputPath, schema: plan.outputSchema, options: parquet) } catch {
            throw DatabaseError(.io, "cannot write the training set", file: outputPath, underlying: error)
        }
        do {
            let start = Date()
            // The writer takes each joined chunk whole: it cuts row groups itself, and slicing
            // the chunk into `batchRows` pieces first would copy the training set twice (once
            // into the slices, once back into a row group), all of it fresh memory.
            var whole = options
            whole.batchRows = Int.max
            var summary = try executeHistorical(plan, options: whole, total: spine.rowCount, nextChunk: spine.next,
                                                output: { try writer.write($0) })
            let closing = Date()
            try writer.close()
            summary.seconds["output", default: 0] += Date().timeIntervalSince(closing)
            summary.seconds["total"] = Date().timeIntervalSince(start)
            return summary
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Opens a spine file and plans the request against its schema; spine errors name the file.
    private func planSpineFile(_ spineFile: String, features: FeatureSelection,
                               options: HistoricalOptions) throws -> (SpineFileReader, HistoricalPlan) {
        let spine = try SpineFileReader(path: spineFile, chunkRows: options.spineChunkRows)
        do {
            return (spine, try planHistorical(spineSchema: spine.schema, features: features, options: options))
        } catch var e as DatabaseError {
            if e.code == .invalidInput && e.file == nil { e.file = spineFile }
            throw e
        }
    }

    /// Joins each spine chunk with every view of `plan` and hands the rows to `output`.
    func executeHistorical(_ plan: HistoricalPlan, options: HistoricalOptions, total: Int?,
                           nextChunk: () throws -> RecordBatch?, output: (RecordBatch) throws -> Void) throws -> HistoricalSummary {
        let started = Date()
        var summary = HistoricalSummary()
        summary.spineTimestampColumn = plan.spineTime
        summary.availableAt = options.availableAt
        summary.views = plan.views.map { r in
            ViewLineage(view: r.view.name, version: r.snapshot.version, committedAt: r.snapshot.timestamp, selectedBy: r.selectedBy,
                        features: r.features, ttl: r.view.ttl, matched: 0, filesRead: 0, filesSkipped: 0,
                        rowGroupsRead: 0, rowGroupsSkipped: 0)
        }
        func lap(_ phase: String, _ since: Date) { summary.seconds[phase, default: 0] += Date().timeIntervalSince(since) }
        var clock = Date()
        while let chunk = try nextChunk() {
            lap("spine", clock)
            summary.chunks += 1
            options.progress?("join", summary.rows, total)
            guard let time = chunk.column(named: plan.spineTime), let times = time.int64Values else {
                throw DatabaseError(.invalidInput, "the spine has no timestamp column '\(plan.spineTime)'")
            }
            // Sort the chunk once per distinct key set, then join the views side by side.
            clock = Date()
            let keySets = plan.views.map(\.keys).reduce(into: [[String]]()) { if !$0.contains($1) { $0.append($1) } }
            let spines = try concurrentMap(keySets, threads: options.threads) { keys in
                let keyColumns = try keys.map { key in
                    guard let c = chunk.column(named: key) else {
                        throw DatabaseError(.invalidInput, "the spine has no column '\(key)'")
                    }
                    return c
                }
                return try SortedSpine(keyColumns: keyColumns, time: time)
            }
            lap("sort", clock)
            clock = Date()
            let availableAt = options.availableAt
            let rowCount = chunk.rowCount
            let joins = try concurrentMap(Array(plan.views.indices), threads: options.threads) { i in
                let request = plan.views[i]
                let spine = spines[keySets.firstIndex(of: request.keys) ?? 0]
                return try ViewJoin(request: request, spine: spine, spineTimes: times, chunkRows: rowCount,
                                    availableAt: availableAt).run()
            }
            lap("join", clock)
            var columns = chunk.columns
            for (i, request) in plan.views.enumerated() {
                let joined = joins[i]
                columns += joined.features
                if request.timeOutputName != nil { columns.append(joined.eventTimes) }
                summary.views[i].matched += joined.matched
                summary.views[i].filesRead += joined.filesRead
                summary.views[i].filesSkipped += joined.filesSkipped
                summary.views[i].rowGroupsRead += joined.rowGroupsRead
                summary.views[i].rowGroupsSkipped += joined.rowGroupsSkipped
                for (step, t) in joined.seconds { summary.seconds["join: \(step)", default: 0] += t }
                summary.leakage.checked += joined.leakage.checked
                summary.leakage.violations += joined.leakage.violations
                summary.leakage.examples += joined.leakage.examples.prefix(10 - summary.leakage.examples.count)
            }
            guard summary.leakage.passed else {
                throw DatabaseError(.internalError, "the point-in-time result failed its leakage check (\(summary.leakage.violations) rows; a bug in Larder, please report it): \(summary.leakage.examples.joined(separator: "; "))")
            }
            clock = Date()
            let batch = try RecordBatch(schema: plan.outputSchema, columns: columns)
            let step = max(1, options.batchRows)
            if step >= batch.rowCount {
                try output(batch)
            } else {
                for start in stride(from: 0, to: batch.rowCount, by: step) {
                    try output(batch.slice(start ..< min(batch.rowCount, start + step)))
                }
            }
            summary.rows += chunk.rowCount
            lap("output", clock)
            clock = Date()
        }
        options.progress?("done", summary.rows, total)
        summary.seconds["total"] = Date().timeIntervalSince(started)
        return summary
    }
}

/// Reads a spine Parquet file in chunks of at most `chunkRows` rows: whole row groups while
/// they fit, slices of a row group that is larger on its own.
final class SpineFileReader {
    let path: String
    let schema: Schema
    let rowCount: Int
    private let file: ParquetFile
    private let chunkRows: Int
    private var nextGroup = 0
    /// A row group larger than a chunk, and how much of it was handed out.
    private var pending: (batch: RecordBatch, done: Int)?
    private var emittedEmpty = false

    init(path: String, chunkRows: Int) throws {
        self.path = path
        do { file = try ParquetFile(path: path) } catch {
            throw DatabaseError(.invalidInput, "cannot read the spine", file: path, underlying: error)
        }
        schema = file.schema
        rowCount = file.rowCount
        self.chunkRows = max(1, chunkRows)
    }

    func next() throws -> RecordBatch? {
        if let (batch, done) = pending {
            let end = min(batch.rowCount, done + chunkRows)
            pending = end < batch.rowCount ? (batch, end) : nil
            return batch.slice(done ..< end)
        }
        guard nextGroup < file.rowGroupCount else {
            // An empty spine still yields one (empty) chunk, so the output has its schema.
            if rowCount == 0 && !emittedEmpty { emittedEmpty = true; return RecordBatch.empty(schema) }
            return nil
        }
        var groups: [Int] = []
        var rows = 0
        while nextGroup < file.rowGroupCount && (groups.isEmpty || rows + file.rowCount(ofRowGroup: nextGroup) <= chunkRows) {
            rows += file.rowCount(ofRowGroup: nextGroup)
            groups.append(nextGroup)
            nextGroup += 1
        }
        let batch: RecordBatch
        do { batch = try file.read(rowGroups: groups) } catch {
            throw DatabaseError(.invalidInput, "cannot read the spine", file: path, underlying: error)
        }
        guard batch.rowCount > chunkRows else { return batch }
        pending = (batch, 0)
        return try next()
    }
}
