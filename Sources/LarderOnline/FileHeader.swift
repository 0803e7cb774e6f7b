/// The fixed 256-byte header at the start of every online data file (docs/online-format.md,
/// "Header"). Its last 8 bytes are the XXH64 of the 248 before them; each section's own XXH64
/// sits in the section table, so the header checksum also protects the section checksums.
struct FileHeader: Sendable, Equatable {
    /// Whether the file is a base (a complete state) or an overlay (changes on top of one).
    enum Kind: UInt32, Sendable {
        case base = 1
        case overlay = 2
    }

    /// One section: where it is and the XXH64 of its bytes.
    struct Section: Sendable, Equatable {
        var offset: UInt64 = 0
        var length: UInt64 = 0
        var checksum: UInt64 = 0
    }

    static let size = 256
    /// "LRDONLIN" read as a little-endian UInt64.
    static let magic: UInt64 = 0x4E49_4C4E_4F44_524C
    /// Sections start at multiples of this (a cache line).
    static let sectionAlignment = 64
    static let checksumOffset = 248

    var formatVersion: UInt32 = LarderOnline.formatVersion
    var kind: Kind
    /// The width of one table entry (hash + row).
    var rowStride: UInt32
    var schemaHash: UInt64
    var tableVersion: Int64
    var generation: UInt64
    /// The number of occupied entries (tombstones included).
    var rowCount: UInt64
    var tombstoneCount: UInt64
    /// The number of home positions the key hash maps onto.
    var capacity: UInt64
    /// The number of entries in the table (capacity + overflow + one empty end marker).
    var slotCount: UInt64
    var fileSize: UInt64
    var schema = Section()
    var table = Section()
    var heap = Section()

    var sections: [(name: String, section: Section)] {
        [("schema", schema), ("table", table), ("heap", heap)]
    }

    /// Writes the header, with its checksum, into the first 256 bytes at `out`.
    func write(to out: UnsafeMutableRawPointer) {
        out.initializeMemory(as: UInt8.self, repeating: 0, count: Self.size)
        out.store(Self.magic, at: 0)
        out.store(formatVersion, at: 8)
        out.store(kind.rawValue, at: 12)
        out.store(UInt32(Self.size), at: 16)
        out.store(rowStride, at: 20)
        out.store(schemaHash, at: 24)
        out.store(tableVersion, at: 32)
        out.store(generation, at: 40)
        out.store(rowCount, at: 48)
        out.store(tombstoneCount, at: 56)
        out.store(capacity, at: 64)
        out.store(slotCount, at: 72)
        out.store(fileSize, at: 80)
        for (i, entry) in sections.enumerated() {
            out.store(entry.section.offset, at: 88 + 24 * i)
            out.store(entry.section.length, at: 96 + 24 * i)
            out.store(entry.section.checksum, at: 104 + 24 * i)
        }
        out.store(XXHash64.hash(UnsafeRawPointer(out), count: Self.checksumOffset), at: Self.checksumOffset)
    }

    /// Reads and checks the header of a mapped file of `fileSize` bytes: magic, checksum,
    /// format version, the recorded size (truncation) and that every section lies in the file.
    /// - Throws: ``OnlineStoreError`` `.corrupt` or `.unsupportedVersion` naming `path`.
    static func read(_ bytes: UnsafeRawBufferPointer, path: String) throws -> FileHeader {
        guard bytes.count >= size, let p = bytes.baseAddress else {
            throw OnlineStoreError.corrupt("the file has \(bytes.count) bytes, fewer than its \(size)-byte header", path: path)
        }
        guard p.uint64(at: 0) == magic else {
            throw OnlineStoreError.corrupt("the file does not start with the online-file magic \"LRDONLIN\"", path: path)
        }
        guard XXHash64.hash(p, count: checksumOffset) == p.uint64(at: checksumOffset) else {
            throw OnlineStoreError.corrupt("the header checksum does not match", path: path)
        }
        let version = p.uint32(at: 8)
        guard version == LarderOnline.formatVersion else {
            throw OnlineStoreError(.unsupportedVersion, "the file has online format version \(version); this build reads version \(LarderOnline.formatVersion): \(OnlineStoreError.rebuildAdvice)", path: path)
        }
        guard let kind = Kind(rawValue: p.uint32(at: 12)), p.uint32(at: 16) == UInt32(size) else {
            throw OnlineStoreError.corrupt("the header has an unknown file kind or header size", path: path)
        }
        func section(_ i: Int) -> Section {
            Section(offset: p.uint64(at: 88 + 24 * i), length: p.uint64(at: 96 + 24 * i), checksum: p.uint64(at: 104 + 24 * i))
        }
        let header = FileHeader(
            formatVersion: version, kind: kind, rowStride: p.uint32(at: 20), schemaHash: p.uint64(at: 24),
            tableVersion: p.int64(at: 32), generation: p.uint64(at: 40), rowCount: p.uint64(at: 48),
            tombstoneCount: p.uint64(at: 56), capacity: p.uint64(at: 64), slotCount: p.uint64(at: 72),
            fileSize: p.uint64(at: 80), schema: section(0), table: section(1), heap: section(2))
        guard header.fileSize == UInt64(bytes.count) else {
            throw OnlineStoreError.corrupt("the header records \(header.fileSize) bytes but the file has \(bytes.count)", path: path)
        }
        for (name, s) in header.sections {
            guard s.offset >= UInt64(size), s.offset <= header.fileSize, s.length <= header.fileSize - s.offset else {
                throw OnlineStoreError.corrupt("the \(name) section lies outside the file", path: path)
            }
        }
        let (tableBytes, overflow) = header.slotCount.multipliedReportingOverflow(by: UInt64(header.rowStride))
        guard !overflow, header.table.length == tableBytes, header.slotCount > header.capacity, header.capacity > 0,
              header.rowCount < header.slotCount, header.rowStride >= 32, header.rowStride % 8 == 0 else {
            throw OnlineStoreError.corrupt("the table section does not match the recorded counts", path: path)
        }
        return header
    }
}
