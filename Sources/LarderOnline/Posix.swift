#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLarderSys
import Synchronization

/// The system calls the online store uses, retried on `EINTR`, with failures turned into
/// ``OnlineStoreError``s that name the path and carry the operating system's text.
enum Posix {
    static func error(_ what: String, path: String, errno code: Int32) -> OnlineStoreError {
        OnlineStoreError(code == ENOENT ? .notFound : .io, "could not \(what): \(String(cString: strerror(code)))", path: path)
    }

    static func openFile(_ path: String, flags: Int32, mode: mode_t = 0, what: String) throws -> Int32 {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw error(what, path: path, errno: errno)
        }
    }

    static func closeQuietly(_ fd: Int32) { _ = close(fd) }

    /// The cores online (at least 1): how many threads a build's parallel steps use.
    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    static func closeFile(_ fd: Int32, path: String) throws {
        if close(fd) != 0 && errno != EINTR { throw error("close", path: path, errno: errno) }
    }

    /// `fdatasync(2)` through the shim; enough for files whose size was fixed before writing.
    static func syncData(_ fd: Int32, path: String) throws {
        while clarder_fdatasync(fd) != 0 {
            if errno == EINTR { continue }
            throw error("fdatasync", path: path, errno: errno)
        }
    }

    /// `fsync(2)`: data and metadata.
    static func sync(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw error("fsync", path: path, errno: errno)
        }
    }

    /// Opens `directory` and fsyncs it, making renames and unlinks in it durable.
    static func syncDirectory(_ directory: String) throws {
        let fd = try openFile(directory, flags: O_RDONLY | O_DIRECTORY, what: "open directory to fsync")
        defer { closeQuietly(fd) }
        try sync(fd, path: directory)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, base + offset, min(buffer.count - offset, 1 << 30))
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else {
                    throw error("write", path: path, errno: n == 0 ? EIO : errno)
                }
            }
        }
    }

    /// Reads a small file whole (`CURRENT`), at most `limit` bytes.
    static func readSmallFile(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        let fd = try openFile(path, flags: O_RDONLY, what: "open")
        defer { closeQuietly(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while result.count <= limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { result.append(contentsOf: chunk[0 ..< n]) } else if n == 0 { return result } else if errno != EINTR {
                throw error("read", path: path, errno: errno)
            }
        }
        throw OnlineStoreError.corrupt("the file is larger than \(limit) bytes", path: path)
    }

    /// Reserves `size` bytes of disk for `fd` so that writing through a mapping cannot hit a
    /// full disk (which would raise SIGBUS instead of an error).
    static func allocate(_ fd: Int32, size: Int, path: String) throws {
        guard size > 0 else { return }
        #if canImport(Glibc)
        let rc = posix_fallocate(fd, 0, off_t(size))
        if rc == 0 { return }
        if rc != EOPNOTSUPP && rc != EINVAL { throw error("reserve \(size) bytes", path: path, errno: rc) }
        #endif
        if ftruncate(fd, off_t(size)) != 0 { throw error("size the file to \(size) bytes", path: path, errno: errno) }
    }

    /// The names in `directory` (without `.` and `..`).
    static func listDirectory(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw error("list directory", path: directory, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates `path` and its missing parents.
    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            try makeDirectory(prefix)
            prefix += "/"
        }
    }

    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Creates `directory` (one level) unless it exists.
    static func makeDirectory(_ directory: String) throws {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw error("create directory", path: directory, errno: errno)
        }
    }
}

/// Makes temporary names unique within the process (with the pid, across processes).
private let temporaryCounter = Atomic<UInt64>(0)

extension Posix {
    /// `<dir>/.<name>.tmp-<pid>-<n>`: a sibling temporary for a durable write of `name`.
    static func temporaryPath(directory: String, name: String) -> String {
        let counter = temporaryCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(directory)/.\(name).tmp-\(getpid())-\(counter)"
    }

    static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }
}

/// A value handed to the tasks of one `DispatchQueue.concurrentPerform`, which returns only
/// after every task ran: the caller keeps what it points to alive and gives each task
/// disjoint memory to write.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
