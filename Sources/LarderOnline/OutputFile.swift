#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLarderSys
import Dispatch

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
            Self.populate(p, size: size)
            #endif
        } catch {
            Posix.closeQuietly(fd)
            _ = unlink(temporaryPath)
            throw error
        }
    }

    #if canImport(Glibc)
    /// MADV_POPULATE_WRITE (Linux 5.14): faults every page in writable up front instead of
    /// one fault per page while filling; older kernels refuse it (EINVAL) and the pages fault
    /// in as they are written. Bringing new page-cache pages into use is most of a large
    /// build's cost on a VM, and it scales with threads, so large files are populated in one
    /// part per core (2 MiB-aligned).
    private static func populate(_ base: UnsafeMutableRawPointer, size: Int) {
        let parts = size < 64 << 20 ? 1 : Posix.coreCount
        let step = (size / parts + (2 << 20) - 1) & ~((2 << 20) - 1)
        let address = UncheckedSendable(base)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lower = part * step, upper = min(size, lower + step)
            if lower < upper { _ = madvise(address.value + lower, upper - lower, 23) }
        }
    }
    #endif

    /// Starts writing `range` of the file to disk in the background (the kernel writes the
    /// dirty pages while the caller goes on, e.g. checksumming them); ``finish()`` waits.
    /// A failure here is not an error: ``finish()`` writes and reports whatever remains.
    func startWriteback(_ range: Range<Int>) {
        _ = clarder_start_writeback(fd, Int64(range.lowerBound), Int64(range.count))
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
