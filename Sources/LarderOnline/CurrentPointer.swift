/// The `CURRENT` file of a store directory: which base file and which overlays (oldest first)
/// make up the published state. A small text file, replaced only by an atomic rename
/// (docs/online-format.md, "CURRENT"):
///
/// ```
/// larder-online 1
/// generation 12
/// schema 9f2c6e0d1b7a4c3e
/// table-version 7
/// base base-00000000000000000010.data
/// overlay overlay-00000000000000000011.data
/// overlay overlay-00000000000000000012.data
/// checksum 5be0a7a2c0d93f11
/// ```
struct CurrentPointer: Equatable, Sendable {
    static let fileName = "CURRENT"

    /// Incremented by every publish; data files carry the generation that created them.
    var generation: UInt64
    var schemaHash: UInt64
    /// The newest offline table version the state reflects.
    var tableVersion: Int64
    var base: String
    /// Overlay file names, oldest first (reads consult them newest first).
    var overlays: [String]

    /// The name of the base file written by `generation`.
    static func baseName(_ generation: UInt64) -> String { "base-\(padded(generation)).data" }
    /// The name of the overlay file written by `generation`.
    static func overlayName(_ generation: UInt64) -> String { "overlay-\(padded(generation)).data" }

    private static func padded(_ n: UInt64) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// Every file the state names.
    var files: [String] { [base] + overlays }

    func encoded() -> [UInt8] {
        var text = "larder-online \(LarderOnline.formatVersion)\n"
        text += "generation \(generation)\n"
        text += "schema \(hex(schemaHash))\n"
        text += "table-version \(tableVersion)\n"
        text += "base \(base)\n"
        for overlay in overlays { text += "overlay \(overlay)\n" }
        var bytes = Array(text.utf8)
        bytes += Array("checksum \(hex(XXHash64.hash(bytes)))\n".utf8)
        return bytes
    }

    /// Decodes `CURRENT`'s bytes.
    /// - Throws: ``OnlineStoreError`` `.corrupt` (bad syntax or checksum, a file name that is
    ///   not a plain name) or `.unsupportedVersion`, naming `path`.
    static func decode(_ bytes: [UInt8], path: String) throws -> CurrentPointer {
        func fail(_ what: String) -> OnlineStoreError { .corrupt("CURRENT \(what)", path: path) }
        guard let checksumStart = lastLineStart(bytes) else { throw fail("is empty or lacks its final newline") }
        let body = Array(bytes[..<checksumStart])
        let checksumLine = String(decoding: bytes[checksumStart...].dropLast(), as: UTF8.self)
        guard checksumLine == "checksum \(hex(XXHash64.hash(body)))" else { throw fail("fails its checksum") }
        var lines = String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.last == "" else { throw fail("is malformed") }
        lines.removeLast()
        var fields: [(String, String)] = []
        for line in lines {
            guard let space = line.firstIndex(of: " ") else { throw fail("has a malformed line '\(line)'") }
            fields.append((String(line[..<space]), String(line[line.index(after: space)...])))
        }
        guard fields.count >= 5, fields[0].0 == "larder-online" else { throw fail("does not start with 'larder-online'") }
        guard fields[0].1 == String(LarderOnline.formatVersion) else {
            throw OnlineStoreError(.unsupportedVersion, "CURRENT has online format version \(fields[0].1); this build reads version \(LarderOnline.formatVersion): \(OnlineStoreError.rebuildAdvice)", path: path)
        }
        guard fields[1].0 == "generation", let generation = UInt64(fields[1].1),
              fields[2].0 == "schema", let schemaHash = UInt64(fields[2].1, radix: 16),
              fields[3].0 == "table-version", let tableVersion = Int64(fields[3].1),
              fields[4].0 == "base", isPlainName(fields[4].1) else { throw fail("is malformed") }
        var overlays: [String] = []
        for (key, value) in fields[5...] {
            guard key == "overlay", isPlainName(value) else { throw fail("is malformed") }
            overlays.append(value)
        }
        return CurrentPointer(generation: generation, schemaHash: schemaHash, tableVersion: tableVersion,
                              base: fields[4].1, overlays: overlays)
    }

    /// Reads `<directory>/CURRENT`; nil when the store has none.
    static func read(directory: String) throws -> CurrentPointer? {
        let path = directory + "/" + fileName
        let bytes: [UInt8]
        do {
            bytes = try Posix.readSmallFile(path)
        } catch let error as OnlineStoreError where error.code == .notFound {
            return nil
        }
        return try decode(bytes, path: path)
    }

    /// A data file name: no slash, not hidden, not empty.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/")
    }

    private static func lastLineStart(_ bytes: [UInt8]) -> Int? {
        guard bytes.last == UInt8(ascii: "\n") else { return nil }
        var i = bytes.count - 1
        while i > 0 && bytes[i - 1] != UInt8(ascii: "\n") { i -= 1 }
        return i
    }
}

/// `value` as 16 lowercase hex digits.
func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
