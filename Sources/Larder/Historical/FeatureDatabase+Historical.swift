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
    /// time, then the greatest created time, then the later commit; no candidate gives nulls.
    /// The output keeps every spine row once, in the spine's order, its own columns untouched.
    /// - Throws: `.unknownName` for an unknown view, feature or service; `.invalidInput` when
    ///   the spine lacks a key or timestamp column or has one of the wrong type. Checked before
    ///   any table is read.
    public func historicalFeatures(spine: RecordBatch, features: FeatureSelection,
                                   options: HistoricalOptions = .init()) throws -> HistoricalResult {
        var batches: [RecordBatch] = []
        var opts = options
        opts.batchRows = max(options.batchRows, spine.rowCount)
        let summary = try historicalFeatures(spineChunks: [spine], features: features, options: opts) { batches.append($0) }
        let batch = batches.count == 1 ? batches[0] : try RecordBatch.concatenate(batches)
        return HistoricalResult(batch: batch, summary: summary)
    }

    /// Point-in-time features for the spine in a Parquet file, streamed out in batches of
    /// `options.batchRows` rows, in the spine's order.
    public func historicalFeatures(spineFile: String, features: FeatureSelection, options: HistoricalOptions = .init(),
                                   output: (RecordBatch) throws -> Void) throws -> HistoricalSummary {
        fatalError("not yet implemented")
    }

    /// Point-in-time features for the spine in a Parquet file, written to `outputPath` as Parquet
    /// (replaced atomically; nothing is left behind on failure).
    @discardableResult
    public func writeHistoricalFeatures(spineFile: String, features: FeatureSelection, to outputPath: String,
                                        options: HistoricalOptions = .init()) throws -> HistoricalSummary {
        fatalError("not yet implemented")
    }

    /// The latest features of every entity of `features`' views as of `time` (µs since the
    /// epoch): one row per entity key that has a row within its ttl, keys first, no spine.
    /// All requested views must share the same keys.
    public func entitySnapshot(features: FeatureSelection, at time: Int64,
                               options: HistoricalOptions = .init()) throws -> HistoricalResult {
        fatalError("not yet implemented")
    }

    func historicalFeatures(spineChunks: [RecordBatch], features: FeatureSelection, options: HistoricalOptions,
                            output: (RecordBatch) throws -> Void) throws -> HistoricalSummary {
        fatalError("not yet implemented")
    }
}
