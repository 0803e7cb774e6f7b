#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLarderSys
import Synchronization

/// Makes temporary names unique within the process (with the pid, across processes).
private let temporaryCounter = Atomic<UInt64>(0)

extension PosixStorage {
    /// The sibling temporary path for `path`: `<dir>/.<name>.tmp-<pid>-<counter>`.
    static func temporaryPath(for path: String) -> String {
        let (directory, name) = splitPath(path)
        let counter = temporaryCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(directory)/.\(name).tmp-\(getpid())-\(counter)"
    }

    /// Whether `name` is a temporary file of a durable write (see ``temporaryPath(for:)``).
    static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }

    /// The durable write shared by ``writeDurably(_:to:)`` and ``publishIfAbsent(_:at:)``:
    /// write a temporary sibling, fsync it, move it into place, fsync the directory.
    ///
    /// `checkpoint` runs between the steps (see ``DurableWriteStep``); ``FaultInjectingStorage``
    /// uses it to fail or crash the write there. When anything fails, the temporary file is
    /// removed, except when the error is a ``TableError`` `.simulatedCrash`: a crashed process
    /// cleans nothing up, so the files stay exactly as they were at that step.
    ///
    /// - Parameter replacing: true to replace an existing `path` (rename), false to publish
    ///   only if `path` is absent (rename-noreplace or link).
    /// - Returns: false when `replacing` is false and `path` already existed.
    func place(_ bytes: [UInt8], at path: String, replacing: Bool,
               checkpoint: (DurableWriteStep) throws -> Void = { _ in }) throws -> Bool {
        try checkpoint(.beforeWrite)
        let temporary = Self.temporaryPath(for: path)
        let temporaryName = splitPath(temporary).name
        let fd = try PosixCalls.openFile(temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644,
                                         what: "create temporary file \(temporaryName)", reportedPath: path)
        var closed = false
        var placed = false
        do {
            try PosixCalls.writeAll(fd, bytes, what: "write temporary file \(temporaryName)", path: path)
            try checkpoint(.afterWrite)
            try PosixCalls.syncFile(fd, what: "fsync temporary file \(temporaryName)", path: path)
            try checkpoint(.afterSync)
            closed = true
            try PosixCalls.closeFile(fd, what: "close temporary file \(temporaryName)", path: path)
            if replacing {
                if rename(temporary, path) != 0 {
                    throw PosixCalls.error("rename \(temporaryName) into place", path: path, errno: errno)
                }
            } else if try !moveIfAbsent(temporary, to: path) {
                PosixCalls.unlinkQuietly(temporary)
                return false
            }
            placed = true
            try checkpoint(.afterRename)
            try syncDirectory(splitPath(path).directory)
            return true
        } catch {
            if !closed { PosixCalls.closeQuietly(fd) }
            let crashed = (error as? TableError)?.code == .simulatedCrash
            if !crashed && !placed { PosixCalls.unlinkQuietly(temporary) }
            throw error
        }
    }

    /// Moves `temporary` to `path` unless `path` exists: `renameat2(RENAME_NOREPLACE)`, or
    /// `link` + `unlink` where that is unsupported.
    /// - Returns: false when `path` exists (`EEXIST`); `temporary` is then left for the caller.
    private func moveIfAbsent(_ temporary: String, to path: String) throws -> Bool {
        if publishStrategy == .renameNoReplace {
            if clarder_rename_noreplace(temporary, path) == 0 { return true }
            let code = errno
            switch code {
            case EEXIST: return false
            case ENOSYS, EINVAL, ENOTSUP, EOPNOTSUPP: break  // fall back to link + unlink
            default: throw PosixCalls.error("publish (rename without replacing)", path: path, errno: code)
            }
        }
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { return false }
            throw PosixCalls.error("publish (link)", path: path, errno: code)
        }
        // Published. A temporary that cannot be unlinked is only litter: it never matches a
        // log entry name, and vacuum can remove it.
        PosixCalls.unlinkQuietly(temporary)
        return true
    }
}
