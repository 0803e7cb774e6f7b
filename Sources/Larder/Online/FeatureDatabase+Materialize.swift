import Foundation
import LarderColumnar
import LarderOnline
import LarderTable

extension FeatureDatabase {
    /// Brings the online stores of the views with `online: true` up to date with their tables.
    ///
    /// A full materialization rebuilds each store from the view's latest table version: the
    /// point-in-time winner per entity (greatest event time, then created time, then the later
    /// commit), among rows up to ``MaterializeOptions/end`` when set. An incremental one replays
    /// the commits after the version the store reflects (its `CURRENT` records it): rows of
    /// appended files are merged newest-wins, entities whose rows a delete removed are
    /// recomputed from the table (their newest remaining row, or a tombstone), compactions are
    /// skipped; a store that cannot be followed (none yet, a changed schema, an overwrite, a
    /// vacuumed file) is rebuilt. Each view's sync publishes once, atomically: a sync that dies
    /// leaves the previous state readable, and the next one replays the same commits.
    ///
    /// ```swift
    /// try db.materialize()                                       // full
    /// try db.materialize(.init(mode: .incremental))              // after each ingest
    /// ```
    /// - Throws: `.unknownName` for an unknown view, `.invalidInput` for a view that is not
    ///   online; ``OnlineStoreError`` (with the advice to rebuild) when an incremental sync
    ///   finds the store damaged; the table's errors.
    @discardableResult
    public func materialize(_ options: MaterializeOptions = .init()) throws -> MaterializeResult {
        let catalog = try catalog()
        let views: [FeatureView]
        if let names = options.views {
            views = try names.map { name in
                let view = try featureView(name)
                guard view.online else {
                    throw DatabaseError(.invalidInput, "view '\(name)' is not online (`online: false` in its definition)")
                }
                return view
            }
        } else {
            views = catalog.featureViews.filter(\.online)
        }
        var result = MaterializeResult()
        for view in views {
            result.views.append(try materialize(view: view, catalog: catalog, options: options))
        }
        return result
    }

    private func materialize(view: FeatureView, catalog: Catalog, options: MaterializeOptions) throws -> ViewMaterialization {
        let start = Date()
        let directory = OnlineViewPlan.directory(databasePath: path, view: view.name)
        var report = try OnlineSyncLock.withLock(directory: directory) { () throws -> ViewMaterialization in
            let table = try table(for: view.name)
            let snapshot = try table.snapshot()
            let plan = try OnlineViewPlan(view: view, catalog: catalog, databasePath: path, tableSchema: snapshot.schema)
            var writer = try OnlineStoreWriter(directory: directory, schema: plan.schema)
            writer.maxOverlays = options.maxOverlays
            var reason: String?
            var from: Int64?
            if options.mode == .incremental {
                let store: OnlineStore?
                do {
                    // The checks readers make: a sync never builds on a store readers would refuse.
                    store = try OnlineStore.open(directory: directory, verification: .automatic)
                } catch let error as OnlineStoreError where error.code == .notFound {
                    store = nil
                }
                if let store {
                    from = store.tableVersion
                    if store.schema != plan.schema {
                        reason = "the view's online schema changed"
                    } else if store.tableVersion > snapshot.version {
                        reason = "the store reflects version \(store.tableVersion) but the table is at version \(snapshot.version) (recreated?)"
                    } else if store.tableVersion == snapshot.version {
                        return ViewMaterialization(view: view.name, mode: "none", fromVersion: from, toVersion: snapshot.version,
                                                   overlays: store.overlayCount)
                    } else {
                        switch try incrementalSync(plan: plan, table: table, snapshot: snapshot, from: store.tableVersion, writer: writer) {
                        case .done(let report): return report
                        case .rebuild(let why): reason = why
                        }
                    }
                } else {
                    reason = "no online store yet"
                }
            }
            var report = try fullBuild(plan: plan, snapshot: snapshot, end: options.end, writer: writer)
            report.reason = reason
            report.fromVersion = from
            return report
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// Rebuilds the store from `snapshot`.
    private func fullBuild(plan: OnlineViewPlan, snapshot: Snapshot, end: Int64?,
                           writer: OnlineStoreWriter) throws -> ViewMaterialization {
        // Only each entity's latest row is read in full (the as-of join's two passes).
        let others = plan.readColumns.filter { !plan.keys.contains($0) && $0 != plan.view.timestampField }
        let latest = try latestRows(of: plan.view, keys: plan.keys, snapshot: snapshot, end: end, columns: others)
        let input = [try plan.onlineInput(latest, end: end)]
        let publication = try wrapOnline { try writer.build(base: input, tableVersion: snapshot.version) }
        return ViewMaterialization(view: plan.view.name, mode: "full", toVersion: snapshot.version,
                                   rowsRead: snapshot.rowCount ?? latest.rowCount,
                                   rowsWritten: publication.rowCount, tombstones: publication.tombstoneCount,
                                   overlays: publication.overlayCount, folded: publication.folded)
    }

    private enum IncrementalOutcome {
        case done(ViewMaterialization)
        case rebuild(String)
    }

    /// Replays the commits `from + 1 ... snapshot.version` as one overlay.
    private func incrementalSync(plan: OnlineViewPlan, table: Table, snapshot: Snapshot, from: Int64,
                                 writer: OnlineStoreWriter) throws -> IncrementalOutcome {
        let changes: [TableChange]
        do {
            changes = try table.changes(after: from, through: snapshot.version)
        } catch {
            return .rebuild("the log after version \(from) cannot be replayed (\(error))")
        }
        var upsertFiles: [Snapshot.DataFile] = []
        var deleteFiles: [Snapshot.DataFile] = []
        for change in changes {
            if change.metadataChanged {
                return .rebuild("commit \(change.version) changed the table's metadata")
            }
            let removed = change.removed.filter(\.dataChange).map(\.file)
            let added = change.added.filter(\.dataChange).map(\.file)
            if removed.isEmpty {
                upsertFiles += added
            } else if change.operation == "DELETE" {
                // The added files hold the surviving rows of the removed ones: their keys are
                // among the removed files' keys, which are recomputed from the table.
                deleteFiles += removed
            } else {
                return .rebuild("commit \(change.version) (\(change.operation)) replaced data")
            }
        }
        upsertFiles.sort { $0.commitOrder < $1.commitOrder }

        var rowsRead = 0
        let upserts: [RecordBatch]
        var affected = Set<OnlineKey>()
        do {
            upserts = try snapshot.scan(files: upsertFiles, columns: plan.readColumns).batches
            for batch in try snapshot.scan(files: deleteFiles, columns: plan.keys).batches {
                rowsRead += batch.rowCount
                try Self.forEachKey(of: batch, plan: plan) { key, _ in affected.insert(key) }
            }
        } catch {
            return .rebuild("a file of a commit after version \(from) cannot be read (vacuumed?): \(error)")
        }
        rowsRead += upserts.reduce(0) { $0 + $1.rowCount }

        var upsertInput: [RecordBatch] = []
        for batch in upserts {
            let converted = try plan.onlineInput(batch, end: nil)
            upsertInput.append(affected.isEmpty ? converted : try Self.rows(of: converted, plan: plan) { !affected.contains($0) })
        }

        // Entities a delete touched: their newest remaining rows replace what the store holds.
        var replacements: [RecordBatch] = []
        var removals: [RecordBatch] = []
        if !affected.isEmpty {
            var remaining = Set<OnlineKey>()
            var predicates: [ColumnPredicate] = []
            if plan.keys.count == 1, affected.count <= 4096 {
                predicates = [.isIn(plan.keys[0], affected.map { $0.values(schema: plan.schema)[0] })]
            }
            let files = snapshot.files.sorted { $0.commitOrder < $1.commitOrder }
            for batch in try snapshot.scan(files: files, columns: plan.readColumns, where: predicates).batches {
                rowsRead += batch.rowCount
                let kept = try Self.rows(of: try plan.onlineInput(batch, end: nil), plan: plan) { key in
                    guard affected.contains(key) else { return false }
                    remaining.insert(key)
                    return true
                }
                if kept.rowCount > 0 { replacements.append(kept) }
            }
            let gone = affected.subtracting(remaining)
            if !gone.isEmpty { removals.append(try Self.tombstones(for: Array(gone), plan: plan)) }
        }

        let publication = try wrapOnline {
            try writer.writeOverlay(upserts: upsertInput, replacements: replacements, removals: removals,
                                    tableVersion: snapshot.version)
        }
        return .done(ViewMaterialization(
            view: plan.view.name, mode: "incremental", fromVersion: from, toVersion: snapshot.version,
            commits: changes.count, rowsRead: rowsRead, rowsWritten: publication.rowCount,
            tombstones: publication.tombstoneCount, keysRecomputed: affected.count,
            overlays: publication.overlayCount, folded: publication.folded))
    }

    /// Online store errors pass through as they are (they carry the store's path and the
    /// advice to rebuild); writer input errors become `.invalidInput`.
    private func wrapOnline<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as OnlineStoreError where error.code == .invalidArgument {
            throw DatabaseError(.invalidInput, error.message, file: error.path)
        }
    }
}

// MARK: - Keys

extension FeatureDatabase {
    /// Calls `body` with each row's key (rows with a null key are skipped).
    static func forEachKey(of batch: RecordBatch, plan: OnlineViewPlan, _ body: (OnlineKey, Int) throws -> Void) throws {
        let columns = try plan.keys.map { name -> Column in
            guard let column = batch.column(named: name) else {
                throw DatabaseError(.internalError, "a scan of view '\(plan.view.name)' lacks key column '\(name)'")
            }
            return column
        }
        var values = [Value](repeating: .null, count: columns.count)
        for row in 0 ..< batch.rowCount {
            var isNull = false
            for (i, column) in columns.enumerated() {
                values[i] = column[row]
                if values[i].isNull { isNull = true }
            }
            if isNull { continue }
            try body(try OnlineKey(values, schema: plan.schema), row)
        }
    }

    /// The rows of `batch` whose key satisfies `keep`.
    static func rows(of batch: RecordBatch, plan: OnlineViewPlan, where keep: (OnlineKey) -> Bool) throws -> RecordBatch {
        var mask = [Bool](repeating: false, count: batch.rowCount)
        try forEachKey(of: batch, plan: plan) { key, row in mask[row] = keep(key) }
        return try batch.filter(mask)
    }

    /// A removal batch: the keys, with event and created times `Int64.min` so that any row
    /// committed later brings the entity back.
    static func tombstones(for keys: [OnlineKey], plan: OnlineViewPlan) throws -> RecordBatch {
        var builders = plan.schema.keys.map { ColumnBuilder(type: $0.type, capacity: keys.count) }
        for key in keys {
            for (i, value) in key.values(schema: plan.schema).enumerated() { try builders[i].append(value) }
        }
        var fields = plan.schema.keys
        var columns: [Column] = []
        for i in builders.indices { columns.append(builders[i].finish()) }
        fields.append(Field(plan.schema.eventTimestampColumn, .timestamp, nullable: false))
        columns.append(Column.timestamp([Int64](repeating: .min, count: keys.count)))
        fields.append(Field(plan.schema.createdTimestampColumn, .timestamp, nullable: false))
        columns.append(Column.timestamp([Int64](repeating: .min, count: keys.count)))
        return try RecordBatch(schema: try Schema(fields), columns: columns)
    }
}
