import LarderColumnar
import LarderOnline

/// Larder's online store: `OnlineStoreWriter.build` for the full materialization,
/// `writeOverlay` for the incremental one, `OnlineStore.lookup` for reads (the store opened
/// with `preload: true`, as a serving process would).
final class LarderContender: Contender {
    static let name = "larder"
    let directory: String
    let writer: OnlineStoreWriter
    var store: OnlineStore
    private var tableVersion: Int64 = 1

    static func build(_ batches: [RecordBatch], in directory: String) throws -> Int {
        let writer = try OnlineStoreWriter(directory: directory, schema: try BenchRows.onlineSchema())
        return try writer.build(base: batches, tableVersion: 1).rowCount
    }

    init(directory: String) throws {
        self.directory = directory
        writer = try OnlineStoreWriter(directory: directory, schema: try BenchRows.onlineSchema())
        store = try OnlineStore.open(directory: directory, preload: true)
    }

    func warmUp(entities: Int) throws {
        var sum: Int64 = 0
        for key in 0 ..< Int64(entities) { sum &+= read(key) ?? 0 }
        blackHole(sum)
    }

    @inline(__always)
    static func touch(_ row: OnlineRow) -> Int64 {
        let last = row.withBytes(BenchRows.Column.segment.rawValue) { bytes -> UInt8 in
            guard let bytes, !bytes.isEmpty else { return 0 }
            return bytes[bytes.count - 1]
        }
        let e0 = row.vector(BenchRows.Column.embedding.rawValue)?.first ?? 0
        return BenchRows.touch(clicks: row.int64(BenchRows.Column.clicks.rawValue) ?? 0,
                               spend: row.float64(BenchRows.Column.spend.rawValue) ?? 0,
                               segmentLast: last, embedding0: e0, eventTs: row.eventTimestamp)
    }

    /// The second variant is a diagnostic: it reads only the row's scalar values, not the
    /// string and the vector. With format 1 those lived in the file's heap and the variant
    /// showed what the heap's extra cache misses cost; since format 2 they are in the entry
    /// too, and the two variants should cost about the same.
    static let readVariants = ["larder", "larder, fixed-width values only (diagnostic)"]

    static func expectedTouch(_ key: Int64, generation: Int, variant: Int) -> Int64 {
        guard variant == 1 else { return BenchRows.expectedTouch(key, generation) }
        let h = BenchRows.mix(key, generation)
        return BenchRows.touch(clicks: BenchRows.clicks(h), spend: BenchRows.spend(h), segmentLast: 0,
                               embedding0: 0, eventTs: BenchRows.eventTs(key, generation))
    }

    @inline(__always)
    func read(_ key: Int64, variant: Int = 0) -> Int64? {
        guard let row = store.lookup(key) else { return nil }
        if variant == 1 {
            return BenchRows.touch(clicks: row.int64(BenchRows.Column.clicks.rawValue) ?? 0,
                                   spend: row.float64(BenchRows.Column.spend.rawValue) ?? 0,
                                   segmentLast: 0, embedding0: 0, eventTs: row.eventTimestamp)
        }
        return Self.touch(row)
    }

    func read(batch keys: [Int64]) -> (sum: Int64, found: Int) {
        var sum: Int64 = 0
        var found = 0
        for row in store.lookup(keys) {
            guard let row else { continue }
            sum &+= Self.touch(row)
            found += 1
        }
        return (sum, found)
    }

    func upsert(_ batch: RecordBatch) throws -> Int {
        tableVersion += 1
        let publication = try writer.writeOverlay(upserts: [batch], tableVersion: tableVersion)
        try store.refresh()
        return publication.rowCount
    }

    /// Folds the overlays into a new base; returns the base's rows.
    func fold() throws -> Int {
        let publication = try writer.fold()
        try store.refresh()
        return publication.rowCount
    }

    var overlayCount: Int { store.overlayCount }

    func rowCount() throws -> Int {
        // Reopened: the count of the published state as a new reader sees it.
        let fresh = try OnlineStore.open(directory: directory, verification: .header)
        var count = 0
        for key in Int64(0) ..< Int64.max {   // keys are dense from 0; count until the first miss
            guard fresh.lookup(key) != nil else { break }
            count += 1
        }
        return count
    }
}

/// Keeps `value` alive past the optimizer.
@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
