#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One online data file, mapped read-only: the single type that holds raw pointers into a
/// mapping (rows, keys and values hand out pointers only while a reference to it is held).
///
/// The file is immutable once published and the writer never truncates it, so the mapping is
/// shared by any number of threads without locks; it stays valid after the file is unlinked,
/// until the last reference goes away.
final class MappedTable: @unchecked Sendable {
    let path: String
    let header: FileHeader
    let schema: OnlineSchema
    let layout: RowLayout
    /// The base of the mapping (nil only for an impossible empty file).
    private let base: UnsafeMutableRawPointer
    private let size: Int
    /// The table: `slotCount` entries of `stride` bytes, each a hash and a row.
    let table: UnsafeRawPointer
    let heap: UnsafeRawPointer
    let slotCount: Int
    let rowCount: Int
    let heapLength: Int
    let capacity: UInt64
    let stride: Int
    let keyOffset: Int
    let fixedKeyWidth: Int
    /// The mapped file's identity, to tell it from a later file of the same name.
    let device: UInt64
    let inode: UInt64

    /// Maps `path` and checks its header, schema section and (when `verifySections`) every
    /// section's checksum.
    /// - Throws: ``OnlineStoreError`` `.missingFile` when the file is absent, `.corrupt` /
    ///   `.unsupportedVersion` when it is damaged, `.io` for other system failures.
    init(path: String, verification: OnlineStore.Verification, preload: Bool) throws {
        self.path = path
        let fd: Int32
        do {
            fd = try Posix.openFile(path, flags: O_RDONLY, what: "open data file")
        } catch let error as OnlineStoreError where error.code == .notFound {
            throw OnlineStoreError(.missingFile, "the data file named by CURRENT does not exist: \(OnlineStoreError.rebuildAdvice)", path: path)
        }
        defer { Posix.closeQuietly(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Posix.error("stat", path: path, errno: errno) }
        size = Int(info.st_size)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        guard size >= FileHeader.size else {
            throw OnlineStoreError.corrupt("the file has \(size) bytes, fewer than its \(FileHeader.size)-byte header", path: path)
        }
        var flags = MAP_PRIVATE
        #if canImport(Glibc)
        if preload { flags |= MAP_POPULATE }
        #endif
        guard let p = mmap(nil, size, PROT_READ, flags, fd, 0), p != MAP_FAILED else {
            throw Posix.error("map \(size) bytes", path: path, errno: errno)
        }
        base = p
        let raw = UnsafeRawPointer(p)
        do {
            header = try FileHeader.read(UnsafeRawBufferPointer(start: raw, count: size), path: path)
            let schemaBytes = UnsafeRawBufferPointer(start: raw + Int(header.schema.offset), count: Int(header.schema.length))
            guard XXHash64.hash(schemaBytes) == header.schema.checksum, XXHash64.hash(schemaBytes) == header.schemaHash else {
                throw OnlineStoreError.corrupt("the schema section fails its checksum", path: path)
            }
            schema = try OnlineSchema.decode(schemaBytes, path: path)
        } catch {
            munmap(p, size)
            throw error
        }
        layout = RowLayout(schema: schema)
        table = raw + Int(header.table.offset)
        heap = raw + Int(header.heap.offset)
        slotCount = Int(header.slotCount)
        rowCount = Int(header.rowCount)
        heapLength = Int(header.heap.length)
        capacity = header.capacity
        stride = layout.stride
        keyOffset = layout.keyOffset
        fixedKeyWidth = layout.fixedKeyWidth ?? 0
        guard Int(header.rowStride) == layout.stride else {
            throw OnlineStoreError.corrupt("the row stride \(header.rowStride) does not match the schema's \(layout.stride)", path: path)
        }
        let full = verification == .full || (verification == .automatic && size <= OnlineStore.Verification.automaticLimit)
        if full { try verifySections() }
        #if canImport(Glibc)
        if !preload { _ = madvise(p, size, MADV_RANDOM) }
        #endif
    }

    deinit {
        munmap(base, size)
    }

    /// Checks every section's checksum, that entries are in hash order and that their count
    /// matches the header.
    /// - Throws: ``OnlineStoreError`` `.corrupt` naming the file and the section.
    func verifySections() throws {
        let raw = UnsafeRawPointer(base)
        for (name, section) in header.sections {
            let sum = XXHash64.hash(raw + Int(section.offset), count: Int(section.length))
            guard sum == section.checksum else {
                throw OnlineStoreError.corrupt("the \(name) section fails its checksum", path: path)
            }
        }
        var previous: UInt64 = 0
        var occupied = 0
        for i in 0 ..< slotCount {
            let hash = entry(i).uint64(at: RowLayout.hashOffset)
            guard hash != 0 else { continue }
            guard hash >= previous else {
                throw OnlineStoreError.corrupt("table entry \(i) is out of hash order", path: path)
            }
            previous = hash
            occupied += 1
        }
        guard occupied == rowCount, entry(slotCount - 1).uint64(at: RowLayout.hashOffset) == 0 else {
            throw OnlineStoreError.corrupt("the table holds \(occupied) entries, the header says \(rowCount), or lacks its empty end marker", path: path)
        }
    }

    // MARK: - Probing

    /// The home slot of a table hash: the high 64 bits of `hash × capacity`, which is monotone
    /// in the hash, so slots sorted by home are also sorted by hash.
    @inline(__always)
    static func home(_ hash: UInt64, capacity: UInt64) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: capacity).high)
    }

    /// The entry whose key hash is `hash` and for which `matches` holds, if any.
    ///
    /// Entries are sorted by hash with no wrap-around, so the scan starts at the hash's home
    /// and stops at the first empty entry or the first greater hash; it never passes the last
    /// entry, whatever a damaged file holds.
    @inline(__always)
    func findRow(hash: UInt64, _ matches: (UnsafeRawPointer) -> Bool) -> UnsafeRawPointer? {
        var i = Self.home(hash, capacity: capacity)
        while i < slotCount {
            let entry = table + i &* stride
            let entryHash = entry.uint64(at: RowLayout.hashOffset)
            if entryHash == hash {
                if matches(entry) { return entry }
            } else if entryHash == 0 || entryHash > hash {
                return nil
            }
            i &+= 1
        }
        return nil
    }

    /// The row holding the 8-byte key `word` (single int64 key, or two int32 keys).
    @inline(__always)
    func findRow(hash: UInt64, word: UInt64) -> UnsafeRawPointer? {
        let offset = keyOffset
        return findRow(hash: hash) { $0.uint64(at: offset) == word }
    }

    /// The row holding the 4-byte key `word` (single int32 key).
    @inline(__always)
    func findRow(hash: UInt64, word32: UInt32) -> UnsafeRawPointer? {
        let offset = keyOffset
        return findRow(hash: hash) { $0.uint32(at: offset) == word32 }
    }

    /// The row holding canonical key `key`.
    @inline(__always)
    func findRow(hash: UInt64, key: UnsafeRawBufferPointer) -> UnsafeRawPointer? {
        findRow(hash: hash) { row in
            let stored = keyBytes(row)
            guard stored.count == key.count else { return false }
            guard let a = stored.baseAddress, let b = key.baseAddress else { return key.count == 0 }
            return memcmp(a, b, key.count) == 0
        }
    }

    // MARK: - Row parts

    /// The canonical key bytes of `row` (empty when a damaged reference points outside the heap).
    @inline(__always)
    func keyBytes(_ row: UnsafeRawPointer) -> UnsafeRawBufferPointer {
        if fixedKeyWidth > 0 { return UnsafeRawBufferPointer(start: row + keyOffset, count: fixedKeyWidth) }
        return heapBytes(offset: row.uint64(at: keyOffset), length: Int(row.uint32(at: keyOffset &+ 8)))
    }

    /// Heap bytes `offset ..< offset + length`, or an empty buffer when they lie outside the heap.
    @inline(__always)
    func heapBytes(offset: UInt64, length: Int) -> UnsafeRawBufferPointer {
        guard offset <= UInt64(heapLength), UInt64(length) <= UInt64(heapLength) &- offset else {
            return UnsafeRawBufferPointer(start: heap, count: 0)
        }
        return UnsafeRawBufferPointer(start: heap + Int(offset), count: length)
    }

    /// The entry at `position` (0 ..< slotCount).
    @inline(__always)
    func entry(_ position: Int) -> UnsafeRawPointer { table + position &* stride }

    @inline(__always)
    static func isTombstone(_ row: UnsafeRawPointer) -> Bool {
        row.byte(at: RowLayout.flagsOffset) & RowLayout.tombstoneFlag != 0
    }
}
