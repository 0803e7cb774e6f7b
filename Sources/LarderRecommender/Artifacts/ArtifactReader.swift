import Foundation

/// Reads a model artifact written by ``ArtifactWriter``, checking the magic, the format
/// version and the digest first; every read checks the bounds, so damaged bytes give a
/// `.corruptArtifact` error, never a crash.
struct ArtifactReader {
    private(set) var kind: ModelKind = .popularity
    private(set) var spec: ModelSpec = .popularity(.init())
    private let bytes: [UInt8]
    private var position = 0
    /// Where the payload ends (the digest follows).
    private let end: Int

    /// - Throws: `.corruptArtifact` (bad magic, digest or header), `.unsupportedFormat` (a newer
    ///   format version), `.unknownModel` (a kind this Larder does not know).
    init(_ data: Data) throws {
        bytes = Array(data)
        let magic = ArtifactWriter.magic
        guard bytes.count >= magic.count + 4 + 8, Array(bytes[0 ..< magic.count]) == magic else {
            throw RecommenderError(.corruptArtifact, "not a Larder model artifact (\(bytes.count) bytes, no LRDRMODL header)")
        }
        let payloadEnd = bytes.count - 8
        end = payloadEnd
        var digest = Digest64()
        bytes.withUnsafeBytes { digest.add(bytes: UnsafeRawBufferPointer(rebasing: $0[0 ..< payloadEnd])) }
        let stored = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: payloadEnd, as: UInt64.self)) }
        guard stored == digest.finalized else {
            throw RecommenderError(.corruptArtifact, "the model artifact fails its checksum (damaged or truncated)")
        }
        position = magic.count
        let version: UInt32 = try integer()
        guard version <= ArtifactWriter.formatVersion else {
            throw RecommenderError(.unsupportedFormat, "the model artifact has format version \(version); this Larder reads version \(ArtifactWriter.formatVersion) — upgrade Larder")
        }
        let kindName = try string()
        guard let kind = ModelKind(rawValue: kindName) else {
            throw RecommenderError(.unknownModel, "the artifact holds a model of unknown kind '\(kindName)'")
        }
        self.kind = kind
        let json = try string()
        do {
            spec = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
        } catch {
            throw RecommenderError(.corruptArtifact, "the artifact's parameters do not decode: \(error)")
        }
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= end - position else {
            throw RecommenderError(.corruptArtifact, "the \(kind) artifact ends early (needs \(count) bytes at offset \(position) of \(end))")
        }
        defer { position += count }
        return bytes[position ..< position + count]
    }

    private mutating func integer<T: FixedWidthInteger>() throws -> T {
        let slice = try take(MemoryLayout<T>.size)
        var value: T = 0
        for (k, b) in slice.enumerated() { value |= T(truncatingIfNeeded: b) << (8 * k) }
        return value
    }

    private mutating func count(elementSize: Int) throws -> Int {
        let n: UInt64 = try integer()
        guard n <= UInt64((end - position) / max(1, elementSize)) else {
            throw RecommenderError(.corruptArtifact, "the \(kind) artifact declares \(n) elements past its end")
        }
        return Int(n)
    }

    mutating func uint64() throws -> UInt64 { try integer() }
    mutating func int64() throws -> Int64 { try integer() }
    mutating func double() throws -> Double { Double(bitPattern: try integer()) }

    mutating func string() throws -> String {
        let n = try count(elementSize: 1)
        return String(decoding: try take(n), as: UTF8.self)
    }

    /// `n` little-endian integers, copied in one pass.
    private mutating func integers<T: FixedWidthInteger>(_: T.Type) throws -> [T] {
        let size = MemoryLayout<T>.size
        let n = try count(elementSize: size)
        let start = position
        _ = try take(n * size)
        return bytes.withUnsafeBytes { source in
            (0 ..< n).map { T(littleEndian: source.loadUnaligned(fromByteOffset: start + $0 * size, as: T.self)) }
        }
    }

    mutating func int64s() throws -> [Int64] { try integers(Int64.self) }
    mutating func int32s() throws -> [Int32] { try integers(Int32.self) }
    mutating func ints() throws -> [Int] { try integers(Int64.self).map { Int($0) } }
    mutating func floats() throws -> [Float] { try integers(UInt32.self).map { Float(bitPattern: $0) } }
    mutating func doubles() throws -> [Double] { try integers(UInt64.self).map { Double(bitPattern: $0) } }

    /// Ids written by `write(_: [Int64])`, which must be strictly ascending (a catalogue or a
    /// user index).
    mutating func index() throws -> IDIndex {
        let ids = try int64s()
        for k in ids.indices.dropFirst() where ids[k - 1] >= ids[k] {
            throw RecommenderError(.corruptArtifact, "the \(kind) artifact's ids are not strictly ascending at position \(k)")
        }
        return IDIndex(ids: ids)
    }

    mutating func strings() throws -> [String] {
        let n = try count(elementSize: 8)
        return try (0 ..< n).map { _ in try string() }
    }

    mutating func artifact() throws -> Data {
        let n = try count(elementSize: 1)
        return Data(try take(n))
    }

    /// Checks that every payload byte was read.
    func finish() throws {
        guard position == end else {
            throw RecommenderError(.corruptArtifact, "the \(kind) artifact has \(end - position) unread bytes")
        }
    }

    /// Fails with `.corruptArtifact` unless `condition` holds.
    func check(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        guard condition else { throw RecommenderError(.corruptArtifact, "the \(kind) artifact is inconsistent: \(what())") }
    }
}
