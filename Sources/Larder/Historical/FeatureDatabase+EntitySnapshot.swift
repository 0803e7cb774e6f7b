import LarderColumnar
import LarderTable

extension FeatureDatabase {
    /// The latest features of every entity as of `time` (µs since the epoch), without a spine:
    /// one row per entity key found in the requested views (at the versions `options` selects)
    /// that has a row within its ttl at `time`, keys first, then the features. Every view must
    /// have the same keys. The same point-in-time rules apply as for
    /// ``historicalFeatures(spine:features:options:)`` at spine time `time`, including
    /// available-at mode.
    /// - Throws: `.invalidInput` when the views' keys differ; the errors of `historicalFeatures`.
    public func entitySnapshot(features: FeatureSelection, at time: Int64,
                               options: HistoricalOptions = .init()) throws -> HistoricalResult {
        let catalog = try catalog()
        let viewNames = try Self.references(in: features, catalog: catalog).map(\.view)
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var keys: [String]?
        var snapshots: [Snapshot] = []
        for name in viewNames {
            guard let view = catalog.featureView(named: name) else {
                throw DatabaseError(.unknownName, "no feature view '\(name)'")
            }
            let viewKeys = try self.keys(of: view, in: catalog)
            if let keys, keys != viewKeys {
                throw DatabaseError(.invalidInput, "an entity snapshot needs views with the same keys; '\(name)' is keyed by \(viewKeys.joined(separator: ", ")), not \(keys.joined(separator: ", "))")
            }
            keys = viewKeys
            snapshots.append(try snapshot(of: name, at: options.asOf[name] ?? .latest))
        }
        guard let keys else { throw DatabaseError(.invalidInput, "no features requested") }
        let distinct = try Self.distinctKeys(keys, in: snapshots)

        // Join the distinct keys as a spine, all at `time`.
        var timeName = "event_timestamp"
        while keys.contains(timeName) { timeName = "_" + timeName }
        let spine = try RecordBatch(schema: try Schema(distinct.schema.fields + [Field(timeName, .timestamp, nullable: false)]),
                                    columns: distinct.columns + [.timestamp([Int64](repeating: time, count: distinct.rowCount))])
        var opts = options
        opts.spineTimestampColumn = timeName
        opts.includeFeatureTimestamps = true
        let result = try historicalFeatures(spine: spine, features: features, options: opts)

        // Keep entities some view matched; drop the spine time (and the event times unless asked).
        let timeColumns = result.summary.views.map { "\($0.view)__" + (catalog.featureView(named: $0.view)?.timestampField ?? "") }
        var matched = Bitmap(count: result.batch.rowCount, value: false)
        for name in timeColumns {
            if let c = result.batch.column(named: name) { matched = matched | (c.validity ?? Bitmap(count: c.count, value: true)) }
        }
        let kept = try result.batch.filter(matched)
        let names = kept.schema.names.filter { $0 != timeName && (options.includeFeatureTimestamps || !timeColumns.contains($0)) }
        var summary = result.summary
        summary.rows = kept.rowCount
        return HistoricalResult(batch: try kept.project(names), summary: summary)
    }
}
