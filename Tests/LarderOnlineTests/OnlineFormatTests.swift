import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Testing

/// The pieces of the file format: the checksum, key encoding, CURRENT, the header, sorting.
@Suite struct OnlineFormatTests {
    /// Version 2 stores short strings and small vectors in the entry (version 1 kept them in
    /// the heap); version-1 files are refused (OnlineCorruptionTests).
    @Test func formatVersionIsTwo() {
        #expect(LarderOnline.formatVersion == 2)
    }

    @Test func shortStringsAndSmallVectorsAreInline() throws {
        let schema = try OnlineSchema(keys: [Field("k", .int64)],
                                      values: [Field("b", .bool), Field("s", .string), Field("v", .vector(dimension: 32)),
                                               Field("w", .vector(dimension: 33))])
        let layout = RowLayout(schema: schema)
        #expect(layout.slots[1].kind == .bytes)
        #expect(layout.slots[2].kind == .vector(dimension: 32, inline: true))
        #expect(layout.slots[2].offset % 4 == 0)
        #expect(layout.slots[3].kind == .vector(dimension: 33, inline: false))
        #expect(layout.stride == (layout.slots[3].offset + 8 + 7) / 8 * 8)
    }

    /// Reference values of XXH64 (seed 0) from the xxHash project and python-xxhash.
    @Test func xxhash64MatchesTheReference() {
        #expect(XXHash64.hash(Array("".utf8)) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test func wordHashesEqualByteHashes() {
        var rng = SplitMix64(seed: 7)
        for _ in 0 ..< 1000 {
            let v = Int64(bitPattern: rng.next())
            var bytes: [UInt8] = []
            bytes.appendLittleEndian(v)
            #expect(KeyHash.int64(v) == KeyHash.table(XXHash64.hash(bytes)))
            let w = Int32(truncatingIfNeeded: v)
            var bytes32: [UInt8] = []
            bytes32.appendLittleEndian(w)
            #expect(KeyHash.int32(w) == KeyHash.table(XXHash64.hash(bytes32)))
        }
        // Every length around the 4-, 8- and 32-byte steps agrees with one-byte-at-a-time chunks.
        let long = (0 ..< 100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var previous: Set<UInt64> = []
        for n in 0 ... 100 { #expect(previous.insert(XXHash64.hash(Array(long[0 ..< n]))).inserted) }
    }

    @Test func compositeKeysEncodeCanonically() throws {
        let schema = try OnlineSchema(keys: [Field("a", .string), Field("b", .int32), Field("c", .string)], values: [])
        let key = try OnlineKey([.string("xy"), .int32(-1), .string("z")], schema: schema)
        #expect(key.bytes == [2, 0, 0, 0, 0x78, 0x79, 0xFF, 0xFF, 0xFF, 0xFF, 0x7A])
        let decoded = key.bytes.withUnsafeBytes { OnlineKey.values(of: $0, schema: schema) }
        #expect(decoded == [.string("xy"), .int32(-1), .string("z")])
        // Columnar encoding gives the same bytes.
        let columns = try KeyColumns(columns: [.string(["xy"]), .int32([-1]), .string(["z"])], schema: schema)
        var buffer: [UInt8] = []
        columns.encode(0, into: &buffer)
        #expect(buffer == key.bytes)
    }

    @Test func schemaRejectsBadKeysAndDuplicateNames() {
        #expect(throws: OnlineStoreError.self) { try OnlineSchema(keys: [], values: [Field("v", .int32)]) }
        #expect(throws: OnlineStoreError.self) { try OnlineSchema(keys: [Field("k", .float64)], values: []) }
        #expect(throws: OnlineStoreError.self) { try OnlineSchema(keys: [Field("k", .int64)], values: [Field("k", .int32)]) }
        #expect(throws: OnlineStoreError.self) { try OnlineSchema(keys: [Field("k", .int64)], values: [Field("event_ts", .int32)]) }
        #expect(throws: OnlineStoreError.self) { try OnlineSchema(keys: [Field("k", .int64)], values: [Field("v", .vector(dimension: 0))]) }
    }

    @Test func schemaSectionRoundTripsAndHashesStably() throws {
        let schema = try OnlineSchema(keys: [Field("k", .int64)],
                                      values: [Field("v", .vector(dimension: 8)), Field("s", .string, nullable: false)],
                                      eventTimestampColumn: "ts", createdTimestampColumn: "ingested")
        let decoded = try schema.encoded().withUnsafeBytes { try OnlineSchema.decode($0, path: "x") }
        #expect(decoded == schema)
        #expect(decoded.hash == schema.hash)
        let other = try OnlineSchema(keys: [Field("k", .int64)], values: [Field("v", .vector(dimension: 9)), Field("s", .string, nullable: false)],
                                     eventTimestampColumn: "ts", createdTimestampColumn: "ingested")
        #expect(other.hash != schema.hash)
        #expect(throws: OnlineStoreError.self) { try [UInt8]([1, 0, 0]).withUnsafeBytes { try OnlineSchema.decode($0, path: "x") } }
    }

    @Test func currentRoundTrips() throws {
        let pointer = CurrentPointer(generation: 12, schemaHash: 0xDEAD_BEEF, tableVersion: -1,
                                     base: CurrentPointer.baseName(10),
                                     overlays: [CurrentPointer.overlayName(11), CurrentPointer.overlayName(12)])
        let text = String(decoding: pointer.encoded(), as: UTF8.self)
        #expect(text.hasPrefix("larder-online 2\ngeneration 12\nschema 00000000deadbeef\n"))
        #expect(text.contains("base base-00000000000000000010.data\n"))
        #expect(try CurrentPointer.decode(pointer.encoded(), path: "CURRENT") == pointer)
        var truncated = pointer.encoded()
        truncated.removeLast(3)
        #expect(throws: OnlineStoreError.self) { try CurrentPointer.decode(truncated, path: "CURRENT") }
    }

    @Test func headerRoundTrips() throws {
        var header = FileHeader(kind: .overlay, rowStride: 40, schemaHash: 9, tableVersion: 7, generation: 3,
                                rowCount: 2, tombstoneCount: 1, capacity: 3, slotCount: 5, fileSize: 0)
        header.schema = .init(offset: 256, length: 10, checksum: 1)
        header.table = .init(offset: 320, length: 200, checksum: 2)
        header.heap = .init(offset: 576, length: 0, checksum: 4)
        header.fileSize = 576
        var bytes = [UInt8](repeating: 0, count: 576)
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { header.write(to: base) }
        }
        #expect(try bytes.withUnsafeBytes { try FileHeader.read($0, path: "f") } == header)
    }

    /// The radix sort orders by hash and keeps equal hashes in input order, at sizes that use
    /// the standard sort, one task and one task per core.
    @Test(arguments: [10, 4097, 5000, 300_000])
    func hashSortOrdersByHashThenEntry(count: Int) {
        var rng = SplitMix64(seed: UInt64(count))
        // Drawn from a pool a quarter the size, so equal hashes are common.
        let pool = (0 ..< max(1, count / 4)).map { _ in rng.next() }
        let hashes = (0 ..< count).map { _ in pool[Int.random(in: 0 ..< pool.count, using: &rng)] }
        expectSorted(HashSort.sorted(hashes), count: count)
    }

    /// Hashes crowded into a few top-digit buckets (one bucket holds most of the input, the
    /// parts' shares of it must stay in input order) still sort by hash, then entry.
    @Test func hashSortHandlesCrowdedBuckets() {
        var rng = SplitMix64(seed: 7)
        let count = 300_000
        let hashes = (0 ..< count).map { i -> UInt64 in
            let h = rng.next()
            // Most share the top 12 bits (bucket 0); every tenth lands in the last bucket.
            return i % 10 == 0 ? h | 0xFFF0_0000_0000_0000 : h & 0x000F_FFFF_FFFF_FF00
        }
        expectSorted(HashSort.sorted(hashes), count: count)
    }

    private func expectSorted(_ sorted: [HashSort.Item], count: Int) {
        #expect(sorted.count == count)
        var ok = true
        for i in 1 ..< sorted.count {
            let a = sorted[i - 1], b = sorted[i]
            if a.hash > b.hash || (a.hash == b.hash && a.entry >= b.entry) { ok = false }
        }
        #expect(ok)
        #expect(Set(sorted.map(\.entry)).count == count)
    }
}
