import LarderColumnar
import LarderParquet

extension Table {
    /// Appends `batches` as one commit (a new version). Files are sorted by the table's sort
    /// columns.
    /// - Throws: ``TableError`` `.schemaMismatch` (naming the column) when a batch does not fit
    ///   the table's schema — nothing is written then; `.io`; `.conflict` only when the
    ///   table's metadata changed concurrently.
    @discardableResult
    public func append(_ batches: [RecordBatch], options: CommitOptions = .init()) throws -> CommitResult {
        try write(batches, operation: "WRITE", mode: "Append", rule: .none, replacing: false, options: options)
    }

    /// Replaces the table's rows with `batches` as one commit.
    /// - Throws: as ``append(_:options:)``; `.conflict` when another commit changed the table's
    ///   files after this one read them.
    @discardableResult
    public func overwrite(_ batches: [RecordBatch], options: CommitOptions = .init()) throws -> CommitResult {
        try write(batches, operation: "WRITE", mode: "Overwrite", rule: .noChangeSinceRead, replacing: true, options: options)
    }

    private func write(_ batches: [RecordBatch], operation: String, mode: String, rule: PendingCommit.ConflictRule,
                       replacing: Bool, options: CommitOptions) throws -> CommitResult {
        let state = try latestState()
        let snapshot = try makeSnapshot(state)
        if let txn = options.transaction, let seen = state.transactions[txn.appId], seen >= txn.version {
            return CommitResult()
        }
        let conformed = try conform(batches, to: snapshot.schema)
        let rowCount = conformed.reduce(0) { $0 + $1.rowCount }
        if rowCount == 0 && !replacing { return CommitResult() }   // nothing to append
        var pending = PendingCommit(operation: operation, parameters: ["mode": mode], rule: rule, readState: state)
        if rowCount > 0 {
            pending.adds = try writeDataFiles(conformed, snapshot: snapshot, options: options, dataChange: true)
        }
        if replacing {
            pending.removes = state.files.values.map { RemoveFile(path: $0.add.path, deletionTimestamp: nil, dataChange: true, size: $0.add.size) }
        }
        pending.metrics = ["numAddedRows": Int64(rowCount), "numFiles": Int64(pending.adds.count)]
        if replacing { pending.metrics["numRemovedFiles"] = Int64(pending.removes.count) }
        do {
            return try commit(pending, options: options)
        } catch {
            discard(pending.adds)
            throw error
        }
    }

    /// Deletes the rows that satisfy every predicate (e.g. `.isIn("user_id", ids)` to forget
    /// users), as one commit. Only files that hold such rows are rewritten; files whose
    /// statistics rule the predicates out are not even opened.
    /// - Throws: `.invalidArgument` for an unknown column or a value of the wrong type;
    ///   `.conflict` when another commit removed a file this delete rewrites.
    @discardableResult
    public func delete(where predicates: [ColumnPredicate], options: CommitOptions = .init()) throws -> CommitResult {
        guard let pending = try prepareDelete(where: predicates, options: options) else { return CommitResult() }
        do {
            return try commit(pending, options: options)
        } catch {
            discard(pending.adds)
            throw error
        }
    }

    /// Writes the rewritten files of a delete and returns the commit to publish, or nil when
    /// no row matches. Separate from the commit so tests can publish from a stale read.
    func prepareDelete(where predicates: [ColumnPredicate], options: CommitOptions) throws -> PendingCommit? {
        guard !predicates.isEmpty else {
            throw TableError(.invalidArgument, "delete needs at least one predicate; use overwrite with no rows to empty a table", path: path)
        }
        let state = try latestState()
        let snapshot = try makeSnapshot(state)
        for p in predicates where snapshot.schema.index(of: p.column) == nil {
            throw TableError(.invalidArgument, "no column '\(p.column)'; the table has \(snapshot.schema.names.joined(separator: ", "))", path: path)
        }
        var pending = PendingCommit(operation: "DELETE", rule: .removedFilesStillLive, readState: state)
        pending.parameters = ["predicate": predicates.map { "\($0)" }.joined(separator: " AND ")]
        var deleted: Int64 = 0
        do {
            for file in snapshot.files {
                if let stats = file.statistics,
                   !predicates.allSatisfy({ $0.mayMatch(stats.columns[$0.column], rowCount: stats.rowCount) }) {
                    continue
                }
                let batch = try ParquetFile(path: snapshot.absolutePath(of: file)).read().conforming(to: snapshot.schema)
                var mask = Bitmap(count: batch.rowCount, value: true)
                do {
                    for p in predicates { mask = mask & (try p.evaluate(on: batch)) }
                } catch {
                    throw TableError(.invalidArgument, "predicate does not fit the table: \(error)", path: path)
                }
                let hits = mask.setCount
                guard hits > 0 else { continue }
                deleted += Int64(hits)
                pending.removes.append(RemoveFile(path: file.path, deletionTimestamp: nil, dataChange: true, size: file.size))
                if hits < batch.rowCount {
                    let kept = try batch.filter(~mask)
                    // The surviving rows keep their place in commit order.
                    var add = try writeDataFile(kept, schema: snapshot.schema, options: options, dataChange: true)
                    add.tags = file.commitOrder.tags(ownCommit: false)
                    pending.adds.append(add)
                }
            }
        } catch {
            discard(pending.adds)
            throw error
        }
        guard !pending.removes.isEmpty else { return nil }
        pending.metrics = ["numDeletedRows": deleted, "numRemovedFiles": Int64(pending.removes.count),
                           "numAddedFiles": Int64(pending.adds.count)]
        return pending
    }

    /// Checks `batches` against the table's schema and joins them.
    func conform(_ batches: [RecordBatch], to schema: Schema) throws -> [RecordBatch] {
        var ordered: [RecordBatch] = []
        for var batch in batches {
            // Columns are matched by name, in any order.
            if batch.schema.names != schema.names, Set(batch.schema.names) == Set(schema.names), batch.schema.count == schema.count {
                batch = try batch.project(schema.names)
            }
            ordered.append(batch)
            guard batch.schema.names == schema.names else {
                let missing = schema.names.filter { batch.schema.index(of: $0) == nil }
                let extra = batch.schema.names.filter { schema.index(of: $0) == nil }
                var why = "columns \(batch.schema.names) do not match the table's \(schema.names)"
                if !missing.isEmpty { why += "; missing \(missing.joined(separator: ", "))" }
                if !extra.isEmpty { why += "; unknown \(extra.joined(separator: ", "))" }
                throw TableError(.schemaMismatch, why, path: path)
            }
            for (f, (g, column)) in zip(schema.fields, zip(batch.schema.fields, batch.columns)) {
                guard f.type == g.type else {
                    throw TableError(.schemaMismatch, "column '\(f.name)' is \(g.type) but the table has \(f.type)", path: path)
                }
                if !f.isNullable && column.nullCount > 0 {
                    throw TableError(.schemaMismatch, "column '\(f.name)' holds \(column.nullCount) nulls but the table's column is not nullable", path: path)
                }
            }
        }
        return try ordered.map { try $0.conforming(to: schema) }
    }
}
