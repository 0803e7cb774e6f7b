import LarderColumnar
import LarderParquet

extension Table {
    /// Rewrites small files into larger ones sorted by the table's sort columns, as one
    /// `dataChange=false` commit (readers see the same rows before and after).
    /// - Parameter targetFileRows: rows per output file; files with fewer than half of it are
    ///   compacted, together with any file whose commits lie between theirs (see
    ///   ``CommitOrder``). Nothing is committed when fewer than two files qualify.
    /// - Throws: `.conflict` when a concurrent commit removed one of the files.
    @discardableResult
    public func compact(targetFileRows: Int = 4 << 20, options: CommitOptions = .init()) throws -> CommitResult {
        let state = try latestState()
        let snapshot = try makeSnapshot(state)
        var chosen = snapshot.files.filter { ($0.rowCount ?? 0) < max(1, targetFileRows / 2) }
        guard chosen.count >= 2 else { return CommitResult() }
        // Take every file whose commits fall inside the range being merged, so live files'
        // commit ranges stay disjoint and ties keep resolving to the later commit.
        var range = chosen.map(\.commitOrder).reduce(into: chosen[0].commitOrder) {
            $0.firstVersion = min($0.firstVersion, $1.firstVersion)
            $0.lastVersion = max($0.lastVersion, $1.lastVersion)
        }
        while true {
            let inside = snapshot.files.filter { $0.commitOrder.overlaps(range) }
            let first = inside.map(\.commitOrder.firstVersion).min() ?? range.firstVersion
            let last = inside.map(\.commitOrder.lastVersion).max() ?? range.lastVersion
            chosen = inside
            if first == range.firstVersion && last == range.lastVersion { break }
            range.firstVersion = first
            range.lastVersion = last
        }
        chosen.sort { ($0.commitOrder, $0.path) < ($1.commitOrder, $1.path) }
        var pending = PendingCommit(operation: "OPTIMIZE", rule: .removedFilesStillLive, readState: state)
        do {
            let batches = try chosen.map { try ParquetFile(path: snapshot.absolutePath(of: $0)).read().conforming(to: snapshot.schema) }
            let rowCount = batches.reduce(0) { $0 + $1.rowCount }
            var fileOptions = options
            fileOptions.maxFileRows = targetFileRows
            pending.adds = try writeDataFiles(batches, snapshot: snapshot, options: fileOptions, dataChange: false,
                                              versions: range.firstVersion ... range.lastVersion)
            pending.removes = chosen.map { RemoveFile(path: $0.path, deletionTimestamp: nil, dataChange: false, size: $0.size) }
            pending.parameters = ["targetFileRows": "\(targetFileRows)", "sortColumns": snapshot.sortColumns.joined(separator: ",")]
            pending.metrics = ["numRemovedFiles": Int64(chosen.count), "numAddedFiles": Int64(pending.adds.count),
                               "numRows": Int64(rowCount)]
            var result = try commit(pending, options: options)
            result.rowsAdded = 0
            return result
        } catch {
            discard(pending.adds)
            throw error
        }
    }

    /// What ``vacuum(retention:now:dryRun:)`` removed.
    public struct VacuumResult: Sendable, Hashable {
        /// Paths relative to the table root.
        public var removedFiles: [String]
        public var bytesFreed: Int
    }

    /// Removes data files that no version inside the retention window needs: files removed
    /// from the table before the window began, and orphans of writers that crashed before
    /// committing (files no commit refers to, older than the window).
    ///
    /// A version is inside the window when it was the latest version at some time during the
    /// last `retention`; every file such a version references is kept, so time travel to any
    /// of them keeps working.
    /// - Parameters:
    ///   - retention: microseconds; default 7 days.
    ///   - orphanMinimumAge: files no commit refers to are removed only when older than this
    ///     too (default 1 hour), so a writer that has written its data files but not yet
    ///     committed them never loses them, even with a retention of 0.
    ///   - now: the current time in microseconds (for tests); default the clock.
    public func vacuum(retention: Int64 = 7 * 86_400_000_000, orphanMinimumAge: Int64 = 3_600_000_000,
                       now: Int64? = nil, dryRun: Bool = false) throws -> VacuumResult {
        guard retention >= 0, orphanMinimumAge >= 0 else {
            throw TableError(.invalidArgument, "retention and orphan age must not be negative", path: path)
        }
        let latest = try latestState()
        let nowMicros = now ?? Table.nowMillis() * 1000
        let windowStartMillis = (nowMicros - retention) / 1000
        // The version current when the window began (or the first), and every later one.
        let first = latest.version(atOrBefore: windowStartMillis) ?? 0
        var keep = Set(try log.state(at: first).files.keys)
        // Every file any commit ever added or removed: the rest are orphans of dead writers.
        var known = keep
        for v in 0 ... latest.version {
            for action in try log.readCommit(v).actions {
                switch action {
                case .add(let a):
                    known.insert(a.path)
                    if v > first { keep.insert(a.path) }
                case .remove(let r): known.insert(r.path)
                default: break
                }
            }
        }
        let orphanCutoffMillis = (nowMicros - max(retention, orphanMinimumAge)) / 1000
        var result = VacuumResult(removedFiles: [], bytesFreed: 0)
        for name in try storage.list(path).sorted() {
            let isTemporary = name.hasPrefix(".") && name.contains(".parquet.tmp-")
            guard name.hasSuffix(".parquet") || isTemporary, !name.hasPrefix("_") else { continue }
            guard isTemporary || !keep.contains(name) else { continue }
            let file = path + "/" + name
            guard let attributes = try? storage.attributes(file), !attributes.isDirectory else { continue }
            // A file some commit removed waits out the retention; an orphan also its minimum age.
            let isOrphan = isTemporary || !known.contains(name)
            let cutoff = isOrphan ? orphanCutoffMillis : windowStartMillis
            let noWait = retention == 0 && (!isOrphan || orphanMinimumAge == 0)
            guard noWait || attributes.modified / 1000 < cutoff else { continue }
            if !dryRun { try storage.remove(file) }
            result.removedFiles.append(name)
            result.bytesFreed += attributes.size
        }
        // Temporary commit files of writers that died before publishing.
        for name in try storage.list(log.logDirectory).sorted() where name.hasPrefix(".") && name.contains(".json.tmp-") {
            let file = log.logDirectory + "/" + name
            guard let attributes = try? storage.attributes(file),
                  attributes.modified / 1000 < orphanCutoffMillis || (retention == 0 && orphanMinimumAge == 0) else { continue }
            if !dryRun { try storage.remove(file) }
            result.removedFiles.append("_delta_log/" + name)
            result.bytesFreed += attributes.size
        }
        if !dryRun && !result.removedFiles.isEmpty { try storage.syncDirectory(path) }
        return result
    }
}
