import Dispatch
import Synchronization
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
///
/// Bytes handed to ``enqueue(_:)`` are written in order on a background queue, so the caller
/// can encode the next row groups while the kernel copies these into the page cache; every
/// other call first waits for them (and reports their error).
final class FileOutput {
    let path: String
    let temporaryPath: String
    private var fd: Int32
    /// Bytes written or queued so far: the offset the next bytes will have.
    private(set) var offset: Int = 0
    private let queue = DispatchQueue(label: "larder.parquet.file-output")
    private let queued = DispatchGroup()
    private let queuedFailure = FailureBox()

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
        try drain()
        try Self.writeAll(fd, bytes, path: path)
        offset += bytes.count
    }

    /// Queues `bytes` to be written after everything written or queued before.
    func enqueue(_ bytes: [UInt8]) {
        offset += bytes.count
        let fd = fd, path = path, failure = queuedFailure
        queued.enter()
        queue.async { [queued] in
            defer { queued.leave() }
            guard !failure.isSet else { return }
            do {
                try bytes.withUnsafeBytes { try Self.writeAll(fd, $0, path: path) }
            } catch {
                failure.set(error as? ParquetError ?? ParquetError(.io, "write failed: \(error)", path: path))
            }
        }
    }

    /// Waits for queued writes; rethrows the first one's failure.
    func drain() throws {
        queued.wait()
        if let failure = queuedFailure.value { throw failure }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "write failed: \(String(cString: strerror(errno)))", path: path)
            }
            done += n
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes (optionally to stable storage), closes, and renames to the final path.
    func publish(fsync doSync: Bool) throws {
        try drain()
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
        queued.wait()
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

/// The first failure of a queued write.
private final class FailureBox: Sendable {
    private let failure = Mutex<ParquetError?>(nil)
    var isSet: Bool { failure.withLock { $0 != nil } }
    var value: ParquetError? { failure.withLock { $0 } }
    func set(_ error: ParquetError) { failure.withLock { if $0 == nil { $0 = error } } }
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
