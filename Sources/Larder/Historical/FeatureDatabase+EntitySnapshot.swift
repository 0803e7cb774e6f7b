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
        let viewNames = try Self.viewNames(in: features, catalog: catalog)
        var keys: [String]?
        var keySchema: Schema?
        var batches: [RecordBatch] = []
        for name in viewNames {
            guard let view = catalog.featureView(named: name) else {
                throw DatabaseError(.unknownName, "no feature view '\(name)'")
            }
            let viewKeys = try self.keys(of: view, in: catalog)
            if let keys, keys != viewKeys {
                throw DatabaseError(.invalidInput, "an entity snapshot needs views with the same keys; '\(name)' is keyed by \(viewKeys.joined(separator: ", ")), not \(keys.joined(separator: ", "))")
            }
            keys = viewKeys
            let snapshot = try snapshot(of: name, at: options.asOf[name] ?? .latest)
            let read = try snapshot.scan(columns: viewKeys)
            if keySchema == nil { keySchema = try Schema(viewKeys.compactMap { snapshot.schema.field(named: $0) }) }
            batches += read.batches
        }
        guard let keys, let keySchema else { throw DatabaseError(.invalidInput, "no features requested") }
        let all = batches.isEmpty ? RecordBatch.empty(keySchema) : try RecordBatch.concatenate(batches.map { try RecordBatch(schema: keySchema, columns: $0.columns) })
        let distinct = try Self.distinctRows(all)

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

    /// The distinct views of `selection`, in first-mention order.
    static func viewNames(in selection: FeatureSelection, catalog: Catalog) throws -> [String] {
        let refs: [FeatureReference]
        switch selection {
        case .references(let r): refs = r
        case .service(let name):
            guard let service = catalog.featureService(named: name) else {
                throw DatabaseError(.unknownName, "no feature service '\(name)'")
            }
            refs = service.features
        }
        return refs.map(\.view).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The distinct rows of `batch`, sorted.
    static func distinctRows(_ batch: RecordBatch) throws -> RecordBatch {
        guard batch.rowCount > 1 else { return batch }
        let order = try batch.sortIndices(by: batch.columns.indices.map { SortKey(column: $0) })
        var keep: [Int] = [order[0]]
        for k in 1 ..< order.count {
            let a = order[k - 1], b = order[k]
            if batch.columns.contains(where: { $0.compareRows(a, b) != 0 }) { keep.append(b) }
        }
        return try batch.take(keep)
    }
}
