#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file written with POSIX calls, optionally fsynced, published by rename.
///
/// Data goes to a temporary sibling (`.<name>.tmp-<pid>-<n>`) and appears under its final name
/// only when ``publish(fsync:)`` renames it, so a crash never leaves a half-written file under
/// the final name.
final class FileOutput {
    let path: String
    let temporaryPath: String
    private var fd: Int32
    private(set) var offset: Int = 0

    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) }
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let unique = FileOutput.counter.next()
        let tmpName = ".\(name).tmp-\(getpid())-\(unique)"
        temporaryPath = dir.map { "\($0)/\(tmpName)" } ?? tmpName
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot create: \(String(cString: strerror(errno)))", path: path)
        }
    }

    deinit { abandon() }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "write failed: \(String(cString: strerror(errno)))", path: path)
            }
            done += n
        }
        offset += bytes.count
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes (optionally to stable storage), closes, and renames to the final path.
    func publish(fsync doSync: Bool) throws {
        if doSync && fsync(fd) != 0 {
            throw ParquetError(.io, "fsync failed: \(String(cString: strerror(errno)))", path: path)
        }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ParquetError(.io, "cannot publish: \(message)", path: path)
        }
        if doSync { try FileOutput.syncDirectory(of: path) }
    }

    /// Closes and removes the temporary file, if still open.
    func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporaryPath)
    }

    static func syncDirectory(of path: String) throws {
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw ParquetError(.io, "cannot open directory to fsync", path: dir) }
        defer { close(dfd) }
        guard fsync(dfd) == 0 else { throw ParquetError(.io, "directory fsync failed", path: dir) }
    }

    private static let counter = Counter()
}

/// A thread-safe counter for unique temporary names.
private final class Counter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    func next() -> Int {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value
    }
}
