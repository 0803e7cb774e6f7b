// Bounds-checked reading of page bodies for the value and level decoders, plus ULEB128 /
// zigzag helpers shared by the RLE/bit-packing hybrid and the DELTA encodings.

extension ParquetError {
    /// Page data in `encoding` is malformed: `message` says how.
    static func corruptEncoding(_ encoding: String, _ message: String) -> ParquetError {
        ParquetError(.corrupt, "malformed \(encoding) data: \(message)")
    }
}

/// A read position in an encoded page body. Every read checks the bytes that remain and throws
/// `ParquetError(.corrupt)` instead of reading past the end.
///
/// Use it only inside the `withUnsafeBytes` scope that owns `bytes`.
struct EncodingByteCursor {
    /// The bytes being read.
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next unread byte.
    var position: Int
    /// The encoding named in error messages.
    let encoding: String

    init(_ bytes: UnsafeRawBufferPointer, encoding: String, position: Int = 0) {
        self.bytes = bytes
        self.position = position
        self.encoding = encoding
    }

    /// The number of unread bytes.
    var remaining: Int { bytes.count - position }

    /// Reads one byte.
    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else {
            throw ParquetError.corruptEncoding(encoding, "data ends at byte \(position)")
        }
        let b = bytes[position]
        position += 1
        return b
    }

    /// Reads a 4-byte little-endian unsigned integer.
    mutating func readUInt32LE() throws -> UInt32 {
        guard remaining >= 4, let base = bytes.baseAddress else {
            throw ParquetError.corruptEncoding(encoding, "data ends inside a 4-byte length at byte \(position)")
        }
        let v = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return v
    }

    /// Reads an unsigned LEB128 varint that must fit in `maxBits` bits (at most 64).
    /// - Throws: `.corrupt` when the data ends inside the varint, or it is longer or larger than
    ///   `maxBits` allows.
    mutating func readULEB128(maxBits: Int = 64) throws -> UInt64 {
        var result: UInt64 = 0
        var shift = 0
        while true {
            let byte = try readByte()
            let payload = UInt64(byte & 0x7F)
            if shift >= 64 || (shift > 0 && payload >> (64 - shift) != 0) {
                throw ParquetError.corruptEncoding(encoding, "varint overflows 64 bits at byte \(position - 1)")
            }
            result |= payload << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        if maxBits < 64 && result >> maxBits != 0 {
            throw ParquetError.corruptEncoding(encoding, "varint \(result) exceeds \(maxBits) bits before byte \(position)")
        }
        return result
    }

    /// Reads a zigzag-encoded signed LEB128 varint.
    mutating func readZigZag() throws -> Int64 {
        let u = try readULEB128()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Returns the next `count` bytes and moves past them.
    mutating func take(_ count: Int, what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw ParquetError.corruptEncoding(
                encoding, "\(what()) needs \(count) bytes but \(remaining) remain at byte \(position)")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position ..< position + count])
        position += count
        return slice
    }
}

/// ULEB128 and zigzag encoding for writers and tests.
enum EncodingVarInt {
    /// Appends `value` as an unsigned LEB128 varint.
    static func appendULEB128(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Appends `value` zigzag-encoded as a LEB128 varint.
    static func appendZigZag(_ value: Int64, to out: inout [UInt8]) {
        appendULEB128(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &out)
    }
}
