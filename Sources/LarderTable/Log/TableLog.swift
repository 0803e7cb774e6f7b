import Foundation

/// Reads and writes one table's log: `_delta_log/%020d.json` commits and Larder's own
/// checkpoints in `_larder/checkpoint.%020d.json` (the full state at a version, so opening a
/// table with many commits replays at most a checkpoint interval of JSON files; Delta readers
/// ignore the `_larder` folder, and Delta's vacuum skips folders starting with `_`).
struct TableLog: Sendable {
    let root: String
    let storage: any TableStorage

    var logDirectory: String { root + "/_delta_log" }
    var larderDirectory: String { root + "/_larder" }

    func commitPath(_ version: Int64) -> String { logDirectory + "/" + Self.commitName(version) }

    static func commitName(_ version: Int64) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
    }

    static func checkpointName(_ version: Int64) -> String {
        "checkpoint." + commitName(version)
    }

    /// The versions of every commit file, sorted.
    func commitVersions() throws -> [Int64] {
        let names: [String]
        do {
            names = try storage.list(logDirectory)
        } catch let e as TableError where e.code == .notFound {
            throw TableError(.notFound, "no Delta table here (no _delta_log folder)", path: root)
        }
        return names.compactMap { name -> Int64? in
            guard name.utf8.count == 25, name.hasSuffix(".json") else { return nil }
            return Int64(name.prefix(20))
        }.sorted()
    }

    /// Whether the log holds Delta Parquet checkpoints (written by other tools).
    func hasDeltaCheckpoints() -> Bool {
        ((try? storage.list(logDirectory)) ?? []).contains { $0.hasSuffix(".checkpoint.parquet") || $0 == "_last_checkpoint" }
    }

    /// The actions of commit `version`.
    func readCommit(_ version: Int64) throws -> (actions: [DeltaAction], fileTimestamp: Int64) {
        let path = commitPath(version)
        let bytes: [UInt8]
        do {
            bytes = try storage.read(path)
        } catch let e as TableError where e.code == .notFound {
            throw TableError(.corrupt, "commit \(version) is missing from the log", path: path)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        var actions: [DeltaAction] = []
        do {
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.allSatisfy(\.isWhitespace) {
                actions.append(try DeltaAction.decode(line: line))
            }
        } catch var e as TableError {
            e.path = path
            if e.code == .corrupt { e.message = "commit \(version): " + e.message }
            throw e
        }
        let millis = ((try? storage.attributes(path))?.modified ?? 0) / 1000
        return (actions, millis)
    }

    // MARK: Checkpoints

    /// Versions that have a Larder checkpoint, sorted.
    func checkpointVersions() -> [Int64] {
        ((try? storage.list(larderDirectory)) ?? []).compactMap { name -> Int64? in
            guard name.hasPrefix("checkpoint."), name.hasSuffix(".json") else { return nil }
            return Int64(name.dropFirst("checkpoint.".count).prefix(20))
        }.sorted()
    }

    func readCheckpoint(_ version: Int64) throws -> TableState {
        let path = larderDirectory + "/" + Self.checkpointName(version)
        do {
            let state = try JSONDecoder().decode(TableState.self, from: Data(try storage.read(path)))
            guard state.version == version else { throw TableError(.corrupt, "checkpoint holds version \(state.version)") }
            return state
        } catch let e as TableError {
            throw TableError(e.code, e.message, path: path)
        } catch {
            throw TableError(.corrupt, "checkpoint does not decode: \(error)", path: path)
        }
    }

    /// Writes a checkpoint of `state`, then removes all but the newest `keep` checkpoints
    /// (older versions are reached from the log, which vacuum never removes).
    func writeCheckpoint(_ state: TableState, keep: Int = 2) throws {
        try storage.createDirectory(larderDirectory)
        let data = try JSONEncoder().encode(state)
        try storage.writeDurably(Array(data), to: larderDirectory + "/" + Self.checkpointName(state.version))
        for old in checkpointVersions().dropLast(max(keep, 1)) {
            try? storage.remove(larderDirectory + "/" + Self.checkpointName(old))
        }
    }

    // MARK: Replay

    /// The state at `version` (default: the latest), from the nearest checkpoint at or before
    /// it (or `cached`, if that is nearer) plus the commits after it.
    func state(at version: Int64? = nil, from cached: TableState? = nil) throws -> TableState {
        let versions = try commitVersions()
        guard let latest = versions.last else {
            if hasDeltaCheckpoints() {
                throw TableError(.unsupported, "the log has only Delta Parquet checkpoints, which Larder does not read yet", path: root)
            }
            throw TableError(.notFound, "the table has no commits", path: root)
        }
        let target = version ?? latest
        guard target >= 0, target <= latest else {
            throw TableError(.invalidArgument, "version \(target) does not exist; the table has versions up to \(latest)", path: root)
        }
        var state = TableState()
        if let cached, cached.version <= target { state = cached }
        if let checkpoint = checkpointVersions().last(where: { $0 <= target }), checkpoint > state.version {
            state = (try? readCheckpoint(checkpoint)) ?? state
        }
        if state.version < 0, versions.first != 0 {
            if hasDeltaCheckpoints() {
                throw TableError(.unsupported, "the log starts after version 0 and has only Delta Parquet checkpoints before it, which Larder does not read yet", path: root)
            }
            throw TableError(.corrupt, "commit 0 is missing from the log", path: root)
        }
        var v = state.version + 1
        while v <= target {
            let (actions, time) = try readCommit(v)
            do {
                try state.apply(actions, version: v, fileTimestamp: time)
            } catch var e as TableError {
                e.path = commitPath(v)
                throw e
            }
            v += 1
        }
        guard state.metadata != nil, state.protocolAction != nil else {
            throw TableError(.corrupt, "the log has no metaData or protocol action up to version \(target)", path: root)
        }
        return state
    }
}
