#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``TableStorage`` on the local file system through POSIX calls.
///
/// Durable writes go through a temporary sibling named `.<name>.tmp-<pid>-<counter>`, which
/// can never match a Delta log entry (`^\d{20}\.json$`) and is removed when the write fails.
/// The temporary is fsynced before it is renamed (or linked) into place, and the directory is
/// fsynced after, so a completed call survives a power cut.
///
/// ```swift
/// let storage = PosixStorage()
/// let won = try storage.publishIfAbsent(bytes, at: "t/_delta_log/00000000000000000001.json")
/// ```
public struct PosixStorage: TableStorage {
    /// How ``publishIfAbsent(_:at:)`` moves the temporary file into place.
    enum PublishStrategy: Sendable {
        /// `renameat2(RENAME_NOREPLACE)`, falling back to `link` + `unlink` when the kernel or
        /// file system cannot do it (`ENOSYS`, `EINVAL`, `ENOTSUP`).
        case renameNoReplace
        /// Always `link` + `unlink` (tests use it to exercise the fallback).
        case linkAndUnlink
    }

    let publishStrategy: PublishStrategy

    /// Creates a storage for the local file system.
    public init() {
        self.publishStrategy = .renameNoReplace
    }

    /// Creates a storage that publishes with `strategy` (tests force the fallback with it).
    init(publishStrategy: PublishStrategy) {
        self.publishStrategy = publishStrategy
    }

    /// Creates `path` and any missing parents (`mkdir -p`); an existing directory is fine.
    /// - Throws: ``TableError`` `.io` when something that is not a directory is in the way.
    public func createDirectory(_ path: String) throws {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        switch code {
        case EEXIST:
            try requireDirectory(path, code: code)
        case ENOENT:
            let parent = splitPath(path).directory
            guard parent != path, !path.isEmpty else {
                throw PosixCalls.error("create directory", path: path, errno: code)
            }
            try createDirectory(parent)
            if mkdir(path, 0o755) == 0 { return }
            let retry = errno
            guard retry == EEXIST else { throw PosixCalls.error("create directory", path: path, errno: retry) }
            try requireDirectory(path, code: retry)  // another thread or process made it first
        default:
            throw PosixCalls.error("create directory", path: path, errno: code)
        }
    }

    private func requireDirectory(_ path: String, code: Int32) throws {
        guard case .success(let info) = PosixCalls.status(path), PosixCalls.isDirectory(info) else {
            throw PosixCalls.error("create directory (something that is not a directory is there)",
                                   path: path, errno: code)
        }
    }

    /// Whether anything (file, directory, even a dangling symbolic link) exists at `path`.
    public func exists(_ path: String) -> Bool {
        if case .success = PosixCalls.status(path, followLinks: false) { return true }
        return false
    }

    /// The entry names of `directory` (without `.` and `..`), unsorted.
    /// - Throws: ``TableError`` `.notFound` when the directory is missing, `.io` otherwise.
    public func list(_ directory: String) throws -> [String] {
        guard let handle = opendir(directory) else {
            throw PosixCalls.error("list directory", path: directory, errno: errno)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                let code = errno
                if code != 0 { throw PosixCalls.error("list directory", path: directory, errno: code) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// The whole contents of the file at `path`.
    /// - Throws: ``TableError`` `.notFound` when the file is missing, `.io` otherwise.
    public func read(_ path: String) throws -> [UInt8] {
        let fd = try PosixCalls.openFile(path, flags: O_RDONLY, what: "open for reading")
        defer { PosixCalls.closeQuietly(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PosixCalls.error("stat", path: path, errno: errno) }
        if PosixCalls.isDirectory(info) { throw PosixCalls.error("read", path: path, errno: EISDIR) }
        return try PosixCalls.readAll(fd, sizeHint: Int(info.st_size), path: path)
    }

    /// Replaces `path` with `bytes` atomically and durably (temporary sibling, fsync, rename,
    /// directory fsync). Readers see the old file or the new one, never a mix.
    /// - Throws: ``TableError`` `.io` (`.notFound` when the directory is missing); the
    ///   temporary file is removed and `path` is unchanged.
    public func writeDurably(_ bytes: [UInt8], to path: String) throws {
        _ = try place(bytes, at: path, replacing: true)
    }

    /// Publishes `bytes` at `path` only if nothing is there, atomically and durably.
    /// - Returns: false when `path` already existed (another writer won); nothing changed then.
    /// - Throws: ``TableError`` `.io` (`.notFound` when the directory is missing); the
    ///   temporary file is removed and nothing is published.
    public func publishIfAbsent(_ bytes: [UInt8], at path: String) throws -> Bool {
        try place(bytes, at: path, replacing: false)
    }

    /// Removes the file at `path`; a missing file is not an error.
    public func remove(_ path: String) throws {
        if unlink(path) == 0 { return }
        let code = errno
        if code == ENOENT { return }
        throw PosixCalls.error("remove", path: path, errno: code)
    }

    /// Size, modification time (microseconds) and kind of `path`, following symbolic links.
    /// - Throws: ``TableError`` `.notFound` when nothing is there.
    public func attributes(_ path: String) throws -> FileAttributes {
        switch PosixCalls.status(path) {
        case .success(let info):
            return FileAttributes(size: Int(info.st_size),
                                  modified: PosixCalls.modifiedMicroseconds(info),
                                  isDirectory: PosixCalls.isDirectory(info))
        case .failure(let failure):
            throw PosixCalls.error("stat", path: path, errno: failure.code)
        }
    }

    /// fsyncs the directory `path`, making entries created or renamed in it durable.
    ///
    /// File systems that cannot fsync a directory (`EINVAL`) are accepted as they are.
    public func syncDirectory(_ path: String) throws {
        let fd = try PosixCalls.openFile(path, flags: O_RDONLY | O_DIRECTORY, what: "open directory to fsync it")
        defer { PosixCalls.closeQuietly(fd) }
        while fsync(fd) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EINVAL { return }
            throw PosixCalls.error("fsync directory", path: path, errno: code)
        }
    }
}
