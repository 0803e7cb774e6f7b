#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file. Parquet files are immutable once published, so the
/// mapping is shared between threads without locks.
///
/// The mapping is released when the object is deinitialised. If another process truncates a
/// mapped file, reading past its new end raises SIGBUS; Larder never truncates published files.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The file's size in bytes.
    public let count: Int
    private let base: UnsafeRawPointer?

    /// Maps `path` read-only.
    /// - Throws: ``ParquetError`` `.io` naming the path and the OS error.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ParquetError(.io, "cannot open: \(String(cString: strerror(errno)))", path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw ParquetError(.io, "cannot stat: \(String(cString: strerror(errno)))", path: path)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw ParquetError(.io, "not a regular file", path: path)
        }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw ParquetError(.io, "cannot map \(count) bytes: \(String(cString: strerror(errno)))", path: path)
        }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Calls `body` with the whole file's bytes. The pointer must not escape `body`.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with bytes `range` of the file.
    /// - Throws: `.truncated` if the range lies outside the file.
    public func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw ParquetError(.truncated, "bytes \(range.lowerBound)..<\(range.upperBound) lie past the end of the \(count)-byte file", path: path)
        }
        return try body(UnsafeRawBufferPointer(start: base.map { $0 + range.lowerBound }, count: range.count))
    }
}
