/// A 64-bit digest of training data and artifacts: FNV-1a over 64-bit little-endian words
/// (each word XORed in, then multiplied by the FNV prime), the length mixed in last. Fast
/// enough for a million-row log; not a cryptographic hash.
struct Digest64: Sendable {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    private var length: UInt64 = 0
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always)
    mutating func add(word: UInt64) {
        value = (value ^ word) &* Self.prime
        length &+= 8
    }

    mutating func add(bytes: UnsafeRawBufferPointer) {
        var k = 0
        while k + 8 <= bytes.count {
            add(word: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: k, as: UInt64.self)))
            k += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < bytes.count {
            tail |= UInt64(bytes[k]) << shift
            shift += 8
            k += 1
        }
        if shift > 0 {
            value = (value ^ tail) &* Self.prime
            length &+= shift / 8
        }
    }

    mutating func add<T: BitwiseCopyable>(_ array: [T]) {
        add(word: UInt64(array.count))
        array.withUnsafeBytes { add(bytes: $0) }
    }

    mutating func add(_ text: String) {
        add(Array(text.utf8))
    }

    /// The digest with the length mixed in.
    var finalized: UInt64 { (value ^ length) &* Self.prime }

    /// The digest as 16 lowercase hex digits.
    var hex: String {
        let s = String(finalized, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension FeatureTable {
    /// Adds the table (ids, then columns by name) to `digest`.
    func digest(into digest: inout Digest64) {
        digest.add(ids)
        for name in columns.keys.sorted() {
            digest.add(name)
            switch columns[name] {
            case .categorical(let codes, let vocabulary)?:
                digest.add(codes)
                for v in vocabulary { digest.add(v) }
            case .numeric(let values)?:
                digest.add(values)
            case nil:
                break
            }
        }
    }
}
