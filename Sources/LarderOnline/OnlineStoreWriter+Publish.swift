#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLarderSys

extension OnlineStoreWriter {
    static let lockName = "LOCK"

    /// Runs `body` holding the store's exclusive writer lock (`flock` on `<dir>/LOCK`).
    /// Before `body`, removes what crashed writers left: temporary files and data files that
    /// `CURRENT` does not name (readers never open those).
    func withLock<R>(_ body: () throws -> R) throws -> R {
        let path = directory + "/" + Self.lockName
        let fd = try Posix.openFile(path, flags: O_RDWR | O_CREAT, mode: 0o644, what: "open the writer lock")
        defer { Posix.closeQuietly(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw Posix.error("lock the store for writing", path: path, errno: errno)
        }
        defer { _ = flock(fd, LOCK_UN) }
        // A damaged CURRENT names nothing we can trust: leave the files until a rebuild
        // publishes a new CURRENT (which then removes them).
        if let current = try? CurrentPointer.read(directory: directory) {
            try removeUnreferencedFiles(keeping: current)
        }
        return try body()
    }

    /// The generation after `previous` and after every data file in the directory, so a new
    /// file never takes an existing name, even when `CURRENT` is damaged or gone.
    func nextGeneration(after previous: CurrentPointer?) throws -> UInt64 {
        var highest = previous?.generation ?? 0
        for name in try Posix.listDirectory(directory) where name.hasSuffix(".data") {
            let stem = name.dropLast(5)
            guard let dash = stem.lastIndex(of: "-"), let generation = UInt64(stem[stem.index(after: dash)...]) else { continue }
            highest = max(highest, generation)
        }
        return highest + 1
    }

    /// Builds the file, publishes it and returns what was published.
    func publish(_ builder: TableBuilder, kind: FileHeader.Kind, previous: CurrentPointer?,
                 existing: OnlineStore.State?, tableVersion: Int64) throws -> OnlinePublication {
        let generation = try nextGeneration(after: previous)
        let name = kind == .base ? CurrentPointer.baseName(generation) : CurrentPointer.overlayName(generation)
        let (file, header) = try builder.write(
            .init(kind: kind, generation: generation, tableVersion: tableVersion),
            existing: existing, directory: directory, name: name)
        let finalPath = directory + "/" + name
        do {
            try step(.dataWritten)
            try moveIntoPlace(file.temporaryPath, finalPath)
        } catch {
            if !isSimulatedCrash(error) { _ = unlink(file.temporaryPath) }
            throw error
        }
        var next: CurrentPointer
        if kind == .base {
            next = CurrentPointer(generation: generation, schemaHash: header.schemaHash, tableVersion: tableVersion,
                                  base: name, overlays: [])
        } else if let previous {
            next = previous
            next.generation = generation
            next.tableVersion = tableVersion
            next.overlays.append(name)
        } else {
            throw OnlineStoreError(.notFound, "an overlay needs a base", path: directory)
        }
        // From here a failure leaves the new data file in place; if CURRENT does not name
        // it, the next writer's cleanup removes it.
        try Posix.syncDirectory(directory)
        try step(.dataRenamed)
        try writeCurrent(next)
        try step(.currentRenamed)
        try removeUnreferencedFiles(keeping: next)
        return OnlinePublication(generation: generation, file: name, inputRows: builder.inputCount,
                                 rowCount: Int(header.rowCount), tombstoneCount: Int(header.tombstoneCount),
                                 overlayCount: next.overlays.count, folded: false)
    }

    /// Replaces `CURRENT`: temporary sibling, fsync, rename, fsync of the directory.
    private func writeCurrent(_ pointer: CurrentPointer) throws {
        let path = directory + "/" + CurrentPointer.fileName
        let temporary = Posix.temporaryPath(directory: directory, name: CurrentPointer.fileName)
        let fd = try Posix.openFile(temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644, what: "create a temporary CURRENT")
        var closed = false
        do {
            try Posix.writeAll(fd, pointer.encoded(), path: temporary)
            try Posix.sync(fd, path: temporary)
            closed = true
            try Posix.closeFile(fd, path: temporary)
            try step(.currentWritten)
            guard rename(temporary, path) == 0 else { throw Posix.error("rename the new CURRENT into place", path: path, errno: errno) }
        } catch {
            if !closed { Posix.closeQuietly(fd) }
            if !isSimulatedCrash(error) { _ = unlink(temporary) }
            throw error
        }
        try Posix.syncDirectory(directory)
    }

    /// Renames a synced data file to its final name, refusing to replace an existing file
    /// (`renameat2(RENAME_NOREPLACE)`, or `link` + `unlink` where unsupported).
    private func moveIntoPlace(_ temporary: String, _ path: String) throws {
        if clarder_rename_noreplace(temporary, path) == 0 { return }
        let code = errno
        switch code {
        case EEXIST:
            throw OnlineStoreError(.conflict, "a data file of this generation already exists; another writer that ignores the store's LOCK is publishing", path: path)
        case ENOSYS, EINVAL, ENOTSUP, EOPNOTSUPP:
            if link(temporary, path) != 0 {
                let linkError = errno
                if linkError == EEXIST {
                    throw OnlineStoreError(.conflict, "a data file of this generation already exists; another writer that ignores the store's LOCK is publishing", path: path)
                }
                throw Posix.error("publish the data file (link)", path: path, errno: linkError)
            }
            _ = unlink(temporary)
        default:
            throw Posix.error("publish the data file (rename)", path: path, errno: code)
        }
    }

    /// Removes temporary files and data files that `pointer` does not name. Readers that
    /// mapped a removed file keep reading it; readers that are about to open one see it
    /// missing, re-read `CURRENT` and retry.
    func removeUnreferencedFiles(keeping pointer: CurrentPointer?) throws {
        let keep = Set(pointer?.files ?? [])
        var removed = false
        for name in try Posix.listDirectory(directory) {
            let isData = (name.hasPrefix("base-") || name.hasPrefix("overlay-")) && name.hasSuffix(".data")
            guard Posix.isTemporaryName(name) || (isData && !keep.contains(name)) else { continue }
            if unlink(directory + "/" + name) == 0 { removed = true }
        }
        if removed { try Posix.syncDirectory(directory) }
    }

    private func step(_ step: PublishStep) throws {
        try faultHook?(step)
    }

    private func isSimulatedCrash(_ error: any Error) -> Bool {
        (error as? OnlineStoreError)?.code == .simulatedCrash
    }
}
