#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new data file being written: a temporary sibling of its final name, sized up front
/// (disk space reserved, so a full disk is an error, not a SIGBUS) and mapped writable.
///
/// ``finish()`` flushes and syncs it; ``discard()`` unmaps and removes it. Exactly one of the
/// two must be called.
final class OutputFile {
    let temporaryPath: String
    let size: Int
    let base: UnsafeMutableRawPointer
    private let fd: Int32
    private var open = true

    init(directory: String, name: String, size: Int) throws {
        temporaryPath = Posix.temporaryPath(directory: directory, name: name)
        self.size = size
        fd = try Posix.openFile(temporaryPath, flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o644,
                                what: "create temporary data file")
        do {
            try Posix.allocate(fd, size: size, path: temporaryPath)
            guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
                throw Posix.error("map \(size) bytes for writing", path: temporaryPath, errno: errno)
            }
            base = p
            #if canImport(Glibc)
            // MADV_POPULATE_WRITE (Linux 5.14): fault every page in writable in one call
            // instead of one fault per page while filling. Older kernels refuse it (EINVAL).
            _ = madvise(p, size, 23)
            #endif
        } catch {
            Posix.closeQuietly(fd)
            _ = unlink(temporaryPath)
            throw error
        }
    }

    /// Writes the mapped bytes back and syncs the file's data (the size was fixed before
    /// writing, so `fdatasync` covers it).
    func finish() throws {
        defer { close() }
        guard msync(base, size, MS_SYNC) == 0 else { throw Posix.error("flush", path: temporaryPath, errno: errno) }
        try Posix.syncData(fd, path: temporaryPath)
    }

    /// Unmaps, closes and removes the temporary file.
    func discard() {
        close()
        _ = unlink(temporaryPath)
    }

    private func close() {
        guard open else { return }
        open = false
        munmap(base, size)
        Posix.closeQuietly(fd)
    }

    deinit { close() }
}
