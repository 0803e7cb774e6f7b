#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls ``PosixStorage`` uses: they retry on `EINTR`, loop
/// over short reads and writes, and turn failures into ``TableError``s that name the path and
/// carry the operating system's text (`.notFound` for `ENOENT`, `.io` otherwise).
///
/// Names differ from the C functions on purpose, so the C functions stay callable here.
enum PosixCalls {
    /// A ``TableError`` for a failed call: "could not `what`: <strerror>".
    static func error(_ what: String, path: String, errno code: Int32) -> TableError {
        let text = String(cString: strerror(code))
        return TableError(code == ENOENT ? .notFound : .io, "could not \(what): \(text)", path: path)
    }

    /// `open(2)`, retried on `EINTR`.
    /// - Parameter reportedPath: the path errors name (the target when opening a temporary).
    static func openFile(_ path: String, flags: Int32, mode: mode_t = 0, what: String,
                         reportedPath: String? = nil) throws -> Int32 {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            throw error(what, path: reportedPath ?? path, errno: code)
        }
    }

    /// Writes all of `bytes` to `fd`, looping over short writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                // Linux moves at most ~2 GiB per call; ask for less so the count stays exact.
                let chunk = min(buffer.count - offset, 1 << 30)
                let n = write(fd, base + offset, chunk)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    // write returning 0 for a non-empty buffer would loop forever: report it.
                    throw error(what, path: path, errno: n == 0 ? EIO : errno)
                }
            }
        }
    }

    /// Reads `fd` to its end. `sizeHint` (the size `fstat` reported) sizes the first buffer;
    /// a file that grew meanwhile is still read to its end.
    static func readAll(_ fd: Int32, sizeHint: Int, path: String) throws -> [UInt8] {
        var failure: Int32 = 0
        var result = [UInt8](unsafeUninitializedCapacity: max(sizeHint, 0)) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < buffer.count {
                let n = read(fd, base + count, buffer.count - count)
                if n > 0 {
                    count += n
                } else if n == 0 {
                    return
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw error("read", path: path, errno: failure) }
        if result.count < sizeHint { return result }  // the file shrank; we read to its end
        // The file may have grown since fstat: read on until end of file.
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                result.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return result
            } else if errno != EINTR {
                throw error("read", path: path, errno: errno)
            }
        }
    }

    /// `fsync(2)`, retried on `EINTR`.
    static func syncFile(_ fd: Int32, what: String, path: String) throws {
        while fsync(fd) != 0 {
            let code = errno
            if code == EINTR { continue }
            throw error(what, path: path, errno: code)
        }
    }

    /// `close(2)`, reporting failure (after fsync, a failing close still means lost data on
    /// some file systems). Not retried on `EINTR`: on Linux the descriptor is gone anyway.
    static func closeFile(_ fd: Int32, what: String, path: String) throws {
        if close(fd) != 0 {
            let code = errno
            if code == EINTR { return }
            throw error(what, path: path, errno: code)
        }
    }

    /// `close(2)` on a path that is already failing or read-only: errors are ignored.
    static func closeQuietly(_ fd: Int32) {
        _ = close(fd)
    }

    /// `unlink(2)`, ignoring errors (cleanup of a temporary file).
    static func unlinkQuietly(_ path: String) {
        _ = unlink(path)
    }

    /// `stat(2)` (or `lstat(2)` when `followLinks` is false); the error number on failure.
    static func status(_ path: String, followLinks: Bool = true) -> Result<stat, SystemErrno> {
        var info = stat()
        let rc = followLinks ? stat(path, &info) : lstat(path, &info)
        return rc == 0 ? .success(info) : .failure(SystemErrno(code: errno))
    }

    /// Whether `info` describes a directory.
    static func isDirectory(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Modification time of `info` in microseconds since the Unix epoch.
    static func modifiedMicroseconds(_ info: stat) -> Int64 {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }
}

/// An `errno` value, as the failure of a `Result`.
struct SystemErrno: Error, Sendable {
    var code: Int32
}

/// Splits `path` into its directory and last component: `a/b/c` → (`a/b`, `c`),
/// `c` → (`.`, `c`), `/c` → (`/`, `c`). Trailing slashes are ignored.
func splitPath(_ path: String) -> (directory: String, name: String) {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
    let name = String(trimmed[trimmed.index(after: slash)...])
    var directory = trimmed[..<slash]
    while directory.count > 1 && directory.hasSuffix("/") { directory = directory.dropLast() }
    return (directory.isEmpty ? "/" : String(directory), name)
}
