import LarderColumnar
import LarderTable

extension FeatureDatabase {
    /// The latest row of every entity of `view` in `snapshot` with an event time at or before
    /// `end` (nil: no bound), by the point-in-time rules without a ttl: greatest event time,
    /// then created time, then the later commit. Columns: `keys`, the event time, then
    /// `columns` (any other table columns, e.g. the created time and the features).
    ///
    /// Runs as the as-of join does: the distinct keys (read from the key columns alone) form
    /// the spine, the merge reads keys and times, and only the winning rows' other columns are
    /// decoded. Materialization uses it to build an online store from a large table.
    func latestRows(of view: FeatureView, keys: [String], snapshot: Snapshot, end: Int64?, columns: [String]) throws -> RecordBatch {
        let distinct = try Self.distinctKeys(keys, in: [snapshot])
        let keySchema = distinct.schema
        let outputSchema = try Schema(keySchema.fields + [Field(view.timestampField, .timestamp, nullable: false)]
            + columns.compactMap { snapshot.schema.field(named: $0) }.map { Field($0.name, $0.type, nullable: true) })
        guard distinct.rowCount > 0 else { return RecordBatch.empty(outputSchema) }

        var unbounded = view
        unbounded.ttl = nil
        let request = ViewRequest(view: unbounded, keys: keys, features: columns, snapshot: snapshot, selectedBy: "latest",
                                  outputNames: columns, timeOutputName: nil)
        let time = Column.timestamp([Int64](repeating: end ?? .max, count: distinct.rowCount))
        let spine = try SortedSpine(keyColumns: distinct.columns, time: time)
        let joined = try ViewJoin(request: request, spine: spine, spineTimes: time.int64Values ?? [],
                                  chunkRows: distinct.rowCount, availableAt: false).run()
        let batch = try RecordBatch(schema: try Schema(keySchema.fields + [Field(view.timestampField, .timestamp, nullable: true)]
            + columns.compactMap { snapshot.schema.field(named: $0) }.map { Field($0.name, $0.type, nullable: true) }),
                                    columns: distinct.columns + [joined.eventTimes] + joined.features)
        // Keys whose rows all lie after `end` have no winner.
        let matched = joined.eventTimes.validity ?? Bitmap(count: batch.rowCount, value: true)
        let kept = matched.allSet ? batch : try batch.filter(matched)
        return try RecordBatch(schema: outputSchema, columns: kept.columns)
    }

    /// The distinct values of `keys` over `snapshots` (which must agree on the keys' types),
    /// sorted. Only the key columns are read; sorted files repeat a key in runs, so adjacent
    /// repeats are dropped per batch before the sort.
    static func distinctKeys(_ keys: [String], in snapshots: [Snapshot]) throws -> RecordBatch {
        guard let first = snapshots.first else { throw DatabaseError(.invalidInput, "no feature views to read keys from") }
        let keySchema = try Schema(keys.compactMap { first.schema.field(named: $0) })
        var pieces: [RecordBatch] = []
        for snapshot in snapshots {
            for batch in try snapshot.scan(columns: keys).batches where batch.rowCount > 0 {
                var keep: [Int] = [0]
                for i in 1 ..< batch.rowCount where batch.columns.contains(where: { $0.compareRows(i - 1, i) != 0 }) { keep.append(i) }
                let deduplicated = keep.count == batch.rowCount ? batch : try batch.take(keep)
                pieces.append(try RecordBatch(schema: keySchema, columns: deduplicated.columns))
            }
        }
        let all = pieces.isEmpty ? RecordBatch.empty(keySchema) : try RecordBatch.concatenate(pieces)
        return try distinctRows(all)
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
