import LarderColumnar

/// What one commit changed: the files it added and removed, whether they changed data
/// (compaction does not), and whether it replaced the table's metadata (schema or
/// configuration). Consumers that follow a table incrementally (the online store's
/// materialization) replay these instead of diffing snapshots.
public struct TableChange: Sendable {
    /// The commit's version.
    public var version: Int64
    /// The commit's operation (`WRITE`, `DELETE`, `OPTIMIZE`, ...; `UNKNOWN` without commitInfo).
    public var operation: String
    /// The commit's `operationParameters` (e.g. `mode: Append|Overwrite`).
    public var parameters: [String: String]
    /// Whether the commit carried a `metaData` action (a schema or configuration change).
    public var metadataChanged: Bool
    /// The files the commit added, as they stand in the table after it, with their `add`'s
    /// `dataChange` flag.
    public var added: [(file: Snapshot.DataFile, dataChange: Bool)]
    /// The files the commit removed, as they stood in the table before it, with their
    /// `remove`'s `dataChange` flag. A file removed by a later vacuum is no longer readable.
    public var removed: [(file: Snapshot.DataFile, dataChange: Bool)]
}

extension Table {
    /// The commits after version `after` up to `through` (default: the latest), oldest first.
    ///
    /// One replay of the log from the state at `after`: each change's removed files are
    /// described as they were before the commit, its added files as they are after it.
    /// - Throws: ``TableError`` `.invalidArgument` when `after` or `through` does not exist
    ///   (or `through < after`), and the log's errors.
    public func changes(after: Int64, through: Int64? = nil) throws -> [TableChange] {
        let latest = try latestState().version
        let target = through ?? latest
        guard after >= 0, after <= target, target <= latest else {
            throw TableError(.invalidArgument, "no versions \(after) ..< \(target) in a table at version \(latest)", path: path)
        }
        var state = try log.state(at: after)
        var schema = try makeSnapshot(state).schema
        var out: [TableChange] = []
        var v = after + 1
        while v <= target {
            let (actions, time) = try log.readCommit(v)
            let before = state
            let schemaBefore = schema
            do {
                try state.apply(actions, version: v, fileTimestamp: time)
            } catch var e as TableError {
                e.path = log.commitPath(v)
                throw e
            }
            var change = TableChange(version: v, operation: "UNKNOWN", parameters: [:], metadataChanged: false,
                                     added: [], removed: [])
            for action in actions {
                switch action {
                case .metadata:
                    change.metadataChanged = true
                case .commitInfo(let c):
                    change.operation = c.operation ?? change.operation
                    change.parameters = c.operationParameters
                default:
                    break
                }
            }
            if change.metadataChanged { schema = try makeSnapshot(state).schema }
            for action in actions {
                switch action {
                case .add(let a):
                    if let live = state.files[a.path] {
                        change.added.append((Snapshot.DataFile(live: live, schema: schema), a.dataChange))
                    }
                case .remove(let r):
                    let live = before.files[r.path]
                        ?? TableState.LiveFile(add: AddFile(path: r.path, size: r.size ?? 0, modificationTime: 0, dataChange: r.dataChange), version: v)
                    change.removed.append((Snapshot.DataFile(live: live, schema: schemaBefore), r.dataChange))
                default:
                    break
                }
            }
            out.append(change)
            v += 1
        }
        return out
    }
}

extension Snapshot.DataFile {
    init(live: TableState.LiveFile, schema: Schema) {
        self.init(path: live.add.path, size: live.add.size, addedVersion: live.version,
                  commitOrder: CommitOrder(tags: live.add.tags, addedVersion: live.version),
                  stats: live.add.stats, schema: schema)
    }
}
