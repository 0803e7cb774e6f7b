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
        // Distinct keys: each sorted file repeats a key in runs, so drop adjacent repeats
        // first, then sort what is left.
        var pieces: [RecordBatch] = []
        for batch in try snapshot.scan(columns: keys).batches where batch.rowCount > 0 {
            var keep: [Int] = [0]
            for i in 1 ..< batch.rowCount where batch.columns.contains(where: { $0.compareRows(i - 1, i) != 0 }) { keep.append(i) }
            pieces.append(keep.count == batch.rowCount ? batch : try batch.take(keep))
        }
        let keySchema = try Schema(keys.compactMap { snapshot.schema.field(named: $0) })
        let all = pieces.isEmpty ? RecordBatch.empty(keySchema)
            : try RecordBatch.concatenate(try pieces.map { try RecordBatch(schema: keySchema, columns: $0.columns) })
        let distinct = try Self.distinctRows(all)
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
}
