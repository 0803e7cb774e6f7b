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

    @Test func bitFlipInTheRowsIsDetectedByFullVerification() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir)
        let rows = try header(base).rows
        try modify(base) { $0[Int(rows.offset) + Int(rows.length) / 2] ^= 0x10 }
        // A small file is fully verified by default; header-only opens it, verify() finds it.
        expectCorrupt(dir, naming: base)
        let store = try OnlineStore.open(directory: dir.path, verification: .header)
        let error = Data.expectCode(.corrupt) { try store.verify() }
        #expect(error?.message.contains("rows section") == true)
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

    @Test func damagedSlotsNeverCrashReaders() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let base = try makeStore(dir, rows: 500)
        let slots = try header(base).slots
        // Point every occupied slot at a row far past the end.
        try modify(base) { bytes in
            var i = Int(slots.offset)
            while i < Int(slots.offset + slots.length) {
                if bytes[i ..< i + 8].contains(where: { $0 != 0 }) { bytes[i + 15] = 0x7F }
                i += 16
            }
        }
        let store = try OnlineStore.open(directory: dir.path, verification: .header)
        for key in Int64(0) ..< 500 { #expect(store.lookup(key) == nil) }
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

    @Test func fileWithAnotherSchemaThanCurrentIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        try makeStore(dir)
        let current = dir.file("CURRENT")
        var pointer = try #require(try CurrentPointer.read(directory: dir.path))
        pointer.schemaHash &+= 1
        try Foundation.Data(pointer.encoded()).write(to: URL(fileURLWithPath: current))
        Data.expectCode(.schemaMismatch) { try OnlineStore.open(directory: dir.path) }
    }
}
