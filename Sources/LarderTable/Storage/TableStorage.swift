/// The file operations a table performs, behind a protocol so tests can inject faults and
/// "crashes" between the steps of a commit (write, fsync, publish).
///
/// Paths are absolute or relative to the process's working directory. Implementations must
/// be safe to call from several threads.
public protocol TableStorage: Sendable {
    /// Creates `path` and any missing parents.
    func createDirectory(_ path: String) throws
    /// Whether something exists at `path`.
    func exists(_ path: String) -> Bool
    /// The names (not paths) of the entries of `directory`, unsorted. A missing directory is
    /// an error with code `.notFound`.
    func list(_ directory: String) throws -> [String]
    /// The whole contents of `path`.
    func read(_ path: String) throws -> [UInt8]
    /// Writes `bytes` to `path` durably: a temporary sibling is written and fsynced, renamed
    /// over `path`, and the directory fsynced. Readers see the old or the new file, never a mix.
    func writeDurably(_ bytes: [UInt8], to path: String) throws
    /// Publishes `bytes` at `path` only if nothing exists there (put-if-absent): a temporary
    /// sibling is written and fsynced, then moved into place with `renameat2(RENAME_NOREPLACE)`
    /// (or `link` + `unlink` where that is unsupported), and the directory fsynced.
    /// - Returns: false when `path` already existed (another writer won); nothing is changed then.
    func publishIfAbsent(_ bytes: [UInt8], at path: String) throws -> Bool
    /// Removes the file at `path`; removing a missing file is not an error.
    func remove(_ path: String) throws
    /// Size in bytes and modification time (microseconds since the epoch) of `path`.
    func attributes(_ path: String) throws -> FileAttributes
    /// fsyncs the directory `path`, making renames and creations in it durable.
    func syncDirectory(_ path: String) throws
}

/// Size and modification time of a file.
public struct FileAttributes: Hashable, Sendable {
    public var size: Int
    /// Microseconds since the Unix epoch.
    public var modified: Int64
    public var isDirectory: Bool

    public init(size: Int, modified: Int64, isDirectory: Bool) {
        self.size = size
        self.modified = modified
        self.isDirectory = isDirectory
    }
}
