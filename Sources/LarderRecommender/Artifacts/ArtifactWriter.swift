import Foundation

/// Writes a model artifact (docs/recommender-artifacts.md): the header, then fields in the
/// order the model's decoder reads them, then the digest of everything before it.
///
/// Every number is little-endian. Arrays are a UInt64 element count then the raw elements;
/// strings and nested artifacts are a UInt64 byte count then the bytes.
struct ArtifactWriter {
    static let magic = Array("LRDRMODL".utf8)
    static let formatVersion: UInt32 = 1

    private(set) var bytes: [UInt8] = []

    /// Starts an artifact of `kind` with its parameters (`spec`, as JSON).
    init(kind: ModelKind, spec: ModelSpec) {
        bytes = Self.magic
        append(Self.formatVersion)
        write(kind.rawValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // ModelSpec's encoding cannot fail: it holds only numbers, strings and nested specs.
        write((try? encoder.encode(spec)).map { String(decoding: $0, as: UTF8.self) } ?? "{}")
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: UInt64) { append(value) }
    mutating func write(_ value: Int64) { append(value) }
    mutating func write(_ value: Double) { append(value.bitPattern) }

    mutating func write(_ text: String) {
        let utf8 = Array(text.utf8)
        append(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A count, then the integers' little-endian bytes in one copy.
    private mutating func appendArray<T: FixedWidthInteger>(_ values: [T]) {
        append(UInt64(values.count))
        values.map(\.littleEndian).withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ values: [Int64]) { appendArray(values) }
    mutating func write(_ values: [Int32]) { appendArray(values) }

    mutating func write(_ values: [Int]) {
        write(values.map { Int64($0) })
    }

    mutating func write(_ values: [Float]) { appendArray(values.map(\.bitPattern)) }
    mutating func write(_ values: [Double]) { appendArray(values.map(\.bitPattern)) }

    mutating func write(_ values: [String]) {
        append(UInt64(values.count))
        for v in values { write(v) }
    }

    /// A nested artifact (a member or segment model), length-prefixed.
    mutating func write(artifact: Data) {
        append(UInt64(artifact.count))
        bytes.append(contentsOf: artifact)
    }

    /// The artifact: the bytes so far and their digest.
    func finish() -> Data {
        var digest = Digest64()
        bytes.withUnsafeBytes { digest.add(bytes: $0) }
        var out = bytes
        withUnsafeBytes(of: digest.finalized.littleEndian) { out.append(contentsOf: $0) }
        return Data(out)
    }
}
