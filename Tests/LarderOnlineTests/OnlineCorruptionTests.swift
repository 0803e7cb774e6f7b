import Foundation
import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Testing

/// Damaged, truncated and missing files give typed errors that name the file and say to
/// rebuild; damaged files never crash a reader.
@Suite struct OnlineCorruptionTests {
    typealias Data = OnlineTestData

    /// A store of `rows` keys (0 ..< rows) with scores 10 × key; returns the base file's path.
    @discardableResult
    func makeStore(_ dir: TemporaryDirectory, rows: Int = 100) throws -> String {
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        let published = try writer.build(base: [Data.scores((0 ..< rows).map { (Int64($0), Int64($0) * 10, 1, 1) })], tableVersion: 1)
        return dir.file(published.file)
    }

    func modify(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Foundation.Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func header(_ path: String) throws -> FileHeader {
        let bytes = [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: path)))
        return try bytes.withUnsafeBytes { try FileHeader.read($0, path: path) }
    }

    func expectCorrupt(_ dir: TemporaryDirectory, naming path: String, verification: OnlineStore.Verification = .automatic,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let error = Data.expectCode(.corrupt, sourceLocation: sourceLocation) {
            try OnlineStore.open(directory: dir.path, verification: verification)
        }
        #expect(error?.path == path, sourceLocation: sourceLocation)
        #expect(error?.message.contains("larder materialize --rebuild") == true, sourceLocation: sourceLocation)
    }

    @Test func truncatedFileIsDetectedAtOpen() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        try modify(base) { $0.removeLast(7) }
        expectCorrupt(dir, naming: base, verification: .header)
    }

    @Test func fileCutInsideItsHeaderIsDetected() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        try modify(base) { $0.removeLast($0.count - 100) }
        expectCorrupt(dir, naming: base, verification: .header)
    }

    @Test func bitFlipInTheHeaderIsDetected() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        try modify(base) { $0[49] ^= 0x04 }   // inside the row count
        expectCorrupt(dir, naming: base, verification: .header)
    }

    @Test func bitFlipInTheTableIsDetectedByFullVerification() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        let table = try header(base).table
        try modify(base) { $0[Int(table.offset) + Int(table.length) / 2] ^= 0x10 }
        // A small file is fully verified by default; header-only opens it, verify() finds it.
        expectCorrupt(dir, naming: base)
        let store = try OnlineStore.open(directory: dir.path, verification: .header)
        let error = Data.expectCode(.corrupt) { try store.verify() }
        #expect(error?.message.contains("table section") == true)
        #expect(error?.path == base)
    }

    @Test func bitFlipsInEverySectionAreDetected() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        let original = [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: base)))
        let h = try header(base)
        for (name, section) in h.sections where section.length > 0 {
            try modify(base) { $0 = original; $0[Int(section.offset)] ^= 0x01 }
            let error = Data.expectCode(.corrupt) { try OnlineStore.open(directory: dir.path, verification: .full) }
            #expect(error?.message.contains(name) == true, "\(name): \(error.map { "\($0)" } ?? "")")
        }
    }

    /// Heap references pointing far outside the file read as empty or missing values (a
    /// string longer than the inline limit and a vector larger than it live in the heap).
    @Test func damagedHeapReferencesNeverCrashReaders() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let schema = try OnlineSchema(keys: [Field("id", .int64)], values: [Field("name", .string), Field("embedding", .vector(dimension: 40))])
        let ids = (0 ..< Int64(200)).map { $0 }
        let batch = try RecordBatch(schema: Schema([Field("id", .int64), Field("name", .string), Field("embedding", .vector(dimension: 40)), Field("event_ts", .timestamp)]),
                                    columns: [.int64(ids), .string(ids.map { "a name longer than the inline limit \($0)" }),
                                              Column(type: .vector(dimension: 40), storage: .vector(dimension: 40, values: [Float](repeating: 1, count: 8000))),
                                              .timestamp(ids)])
        let published = try OnlineStoreWriter(directory: dir.path, schema: schema).build(base: [batch], tableVersion: 1)
        let base = dir.file(published.file)
        let h = try header(base)
        let layout = RowLayout(schema: schema)
        let valuesStart = layout.slots[0].offset
        // Every occupied entry's string slot (length and offset) and vector offset become 0xFF...FF.
        try modify(base) { bytes in
            for i in 0 ..< Int(h.slotCount) {
                let entry = Int(h.table.offset) + i * layout.stride
                guard bytes[entry ..< entry + 8].contains(where: { $0 != 0 }) else { continue }
                for k in valuesStart ..< valuesStart + RowLayout.bytesSlotWidth + 8 { bytes[entry + k] = 0xFF }
            }
        }
        let store = try OnlineStore.open(directory: dir.path, verification: .header)
        for id in ids {
            let row = try #require(store.lookup(id))
            #expect(row.string(0) == "")
            #expect(row.vector(1) == nil)
        }
        Data.expectCode(.corrupt) { try store.verify() }
    }

    @Test func currentNamingAMissingFileErrorsClearly() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        try FileManager.default.removeItem(atPath: base)
        let error = Data.expectCode(.missingFile) { try OnlineStore.open(directory: dir.path) }
        #expect(error?.path == base)
        #expect(error?.message.contains("larder materialize --rebuild") == true)
    }

    @Test func missingOverlayErrorsClearly() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        try makeStore(dir)
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        let overlay = try writer.writeOverlay(upserts: [Data.scores([(1, 1, 9, 9)])], tableVersion: 2)
        try FileManager.default.removeItem(atPath: dir.file(overlay.file))
        let error = Data.expectCode(.missingFile) { try OnlineStore.open(directory: dir.path) }
        #expect(error?.path == dir.file(overlay.file))
    }

    @Test func storeWithoutCurrentIsNotFound() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        Data.expectCode(.notFound) { try OnlineStore.open(directory: dir.path) }
    }

    @Test func editedCurrentFailsItsChecksum() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        try makeStore(dir)
        let current = dir.file("CURRENT")
        try modify(current) { bytes in
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "table-version 1", with: "table-version 2")
            bytes = Array(text.utf8)
        }
        let error = Data.expectCode(.corrupt) { try OnlineStore.open(directory: dir.path) }
        #expect(error?.path == current)
    }

    @Test func currentWithAPathInsteadOfANameIsRefused() throws {
        let pointer = CurrentPointer(generation: 1, schemaHash: 1, tableVersion: 1, base: "../elsewhere/base.data", overlays: [])
        Data.expectCode(.corrupt) { try CurrentPointer.decode(pointer.encoded(), path: "CURRENT") }
    }

    @Test func newerFormatVersionIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        try modify(base) { bytes in
            bytes.withUnsafeMutableBytes { raw in
                guard let p = raw.baseAddress else { return }
                p.store(UInt32(99), at: 8)
                p.store(XXHash64.hash(UnsafeRawPointer(p), count: FileHeader.checksumOffset), at: FileHeader.checksumOffset)
            }
        }
        let error = Data.expectCode(.unsupportedVersion) { try OnlineStore.open(directory: dir.path) }
        #expect(error?.message.contains("99") == true)
    }

    /// Version 1 kept strings and vectors in the heap: its files and CURRENT are refused with
    /// the rebuild advice, and a build replaces them.
    @Test func versionOneStoreIsRefusedAndRebuilt() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        try modify(base) { bytes in
            bytes.withUnsafeMutableBytes { raw in
                guard let p = raw.baseAddress else { return }
                p.store(UInt32(1), at: 8)
                p.store(XXHash64.hash(UnsafeRawPointer(p), count: FileHeader.checksumOffset), at: FileHeader.checksumOffset)
            }
        }
        let error = Data.expectCode(.unsupportedVersion) { try OnlineStore.open(directory: dir.path) }
        #expect(error?.message.contains("version 1") == true)
        #expect(error?.message.contains("larder materialize --rebuild") == true)
        // A version-1 CURRENT.
        var text = String(decoding: try #require(try CurrentPointer.read(directory: dir.path)).encoded(), as: UTF8.self)
        text = String(text[..<text.range(of: "checksum ")!.lowerBound]).replacingOccurrences(of: "larder-online 2\n", with: "larder-online 1\n")
        let body = Array(text.utf8)
        try Foundation.Data(body + Array("checksum \(hex(XXHash64.hash(body)))\n".utf8)).write(to: URL(fileURLWithPath: dir.file("CURRENT")))
        Data.expectCode(.unsupportedVersion) { try OnlineStore.open(directory: dir.path) }
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        Data.expectCode(.unsupportedVersion) { try writer.writeOverlay(upserts: [], tableVersion: 2) }
        try writer.build(base: [Data.scores([(1, 5, 1, 1)])], tableVersion: 2)
        #expect(Data.score(try OnlineStore.open(directory: dir.path, verification: .full), 1) == 5)
    }

    @Test func fileWithAnotherSchemaThanCurrentIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        try makeStore(dir)
        let current = dir.file("CURRENT")
        var pointer = try #require(try CurrentPointer.read(directory: dir.path))
        pointer.schemaHash &+= 1
        try Foundation.Data(pointer.encoded()).write(to: URL(fileURLWithPath: current))
        Data.expectCode(.schemaMismatch) { try OnlineStore.open(directory: dir.path) }
    }

    /// `larder materialize --rebuild` is the advice in every error: a build must succeed over a
    /// damaged CURRENT and damaged files, and leave only the new files.
    @Test func rebuildRepairsADamagedStore() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        try modify(base) { $0.removeLast(10) }
        try modify(dir.file("CURRENT")) { $0[3] ^= 0xFF }
        Data.expectCode(.corrupt) { try OnlineStore.open(directory: dir.path) }
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema())
        Data.expectCode(.corrupt) { try writer.writeOverlay(upserts: [], tableVersion: 2) }
        let rebuilt = try writer.build(base: [Data.scores([(1, 77, 1, 1)])], tableVersion: 2)
        #expect(dir.file(rebuilt.file) != base)
        let store = try OnlineStore.open(directory: dir.path, verification: .full)
        #expect(Data.score(store, 1) == 77)
        #expect(store.lookup(Int64(2)) == nil)
        #expect(Set(try Posix.listDirectory(dir.path)) == Set([rebuilt.file, "CURRENT", "LOCK"]))
    }
}
