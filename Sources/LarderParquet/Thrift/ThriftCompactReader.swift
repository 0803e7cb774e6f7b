/// A reader of the Thrift compact protocol over borrowed bytes.
///
/// The reader does not own its memory: it holds an `UnsafeRawBufferPointer`, so the caller must
/// keep the bytes alive (and unchanged) for as long as the reader is used, typically by doing
/// all decoding inside one `withUnsafeBytes` closure. Decoded values (`[UInt8]`, `String`) are
/// copies and outlive the buffer.
///
/// Every primitive checks the bytes that remain once and then reads through the raw pointer.
/// Malformed input throws ``ParquetError`` with code `.corrupt` (impossible values) or
/// `.truncated` (the bytes end inside a value); nothing traps, and no declared length or count
/// is allocated before it has been checked against the bytes that remain.
struct ThriftCompactReader {
    /// The deepest nesting of structs, lists, sets and maps accepted, so that hostile input
    /// cannot exhaust the stack.
    static let maxDepth = 64

    /// The bytes being decoded (borrowed).
    let buffer: UnsafeRawBufferPointer
    /// The position of the next byte to read, from the start of `buffer`.
    var offset: Int
    /// The current nesting depth of structs and containers.
    private(set) var depth = 0

    /// A reader positioned at `offset` in `buffer`. The caller keeps `buffer` alive.
    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    /// The number of bytes not yet read.
    var remaining: Int { buffer.count - offset }

    // MARK: Nesting

    /// Enters a struct or container, throwing if that exceeds ``maxDepth``.
    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth {
            throw ParquetError.thriftCorrupt(
                "structures nest deeper than \(Self.maxDepth) levels", at: offset)
        }
    }

    /// Leaves the struct or container entered last.
    mutating func leave() {
        depth -= 1
    }

    // MARK: Primitives

    /// Reads one byte.
    @inline(__always)
    mutating func readByte() throws -> UInt8 {
        guard offset < buffer.count else { throw ParquetError.thriftTruncated("a value", at: offset) }
        let byte = buffer[offset]
        offset += 1
        return byte
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes whose value fits in 64 bits.
    @inline(__always)
    mutating func readVarint() throws -> UInt64 {
        // Most varints in metadata are one byte.
        if offset < buffer.count, buffer[offset] < 0x80 {
            let byte = buffer[offset]
            offset += 1
            return UInt64(byte)
        }
        return try readLongVarint()
    }

    private mutating func readLongVarint() throws -> UInt64 {
        let start = offset
        let end = buffer.count
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var position = offset
        while true {
            guard position < end else { throw ParquetError.thriftTruncated("a varint", at: start) }
            let byte = buffer[position]
            position += 1
            if shift == 63 && byte > 1 {
                throw ParquetError.thriftCorrupt("varint longer than 64 bits", at: start)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        offset = position
        return result
    }

    /// Reads a varint that must fit in 32 bits.
    mutating func readVarint32() throws -> UInt32 {
        let start = offset
        let value = try readVarint()
        guard let narrow = UInt32(exactly: value) else {
            throw ParquetError.thriftCorrupt("varint \(value) does not fit in 32 bits", at: start)
        }
        return narrow
    }

    /// Reads a zigzag-encoded 64-bit integer.
    mutating func readZigZag64() throws -> Int64 {
        Self.unzigzag(try readVarint())
    }

    /// Reads a zigzag-encoded 32-bit integer.
    mutating func readZigZag32() throws -> Int32 {
        let raw = try readVarint32()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a zigzag-encoded 16-bit integer (encoded on the wire like an i32).
    mutating func readZigZag16() throws -> Int16 {
        let start = offset
        let value = try readZigZag32()
        guard let narrow = Int16(exactly: value) else {
            throw ParquetError.thriftCorrupt("i16 value \(value) out of range", at: start)
        }
        return narrow
    }

    /// Reads a single signed byte (`i8`).
    mutating func readI8() throws -> Int8 {
        Int8(bitPattern: try readByte())
    }

    /// Reads a little-endian IEEE 754 double.
    mutating func readDouble() throws -> Double {
        guard remaining >= 8 else { throw ParquetError.thriftTruncated("a double", at: offset) }
        let bits = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// Reads a binary length and checks it against the bytes that remain; returns the range
    /// of the payload and moves past it.
    mutating func readBinaryRange() throws -> Range<Int> {
        let start = offset
        let length = try readVarint32()
        guard length <= Int32.max else {
            throw ParquetError.thriftCorrupt("negative binary length", at: start)
        }
        let count = Int(length)
        guard count <= remaining else {
            throw ParquetError.thriftTruncated(
                "a \(count)-byte binary value (\(remaining) bytes remain)", at: start)
        }
        let range = offset..<(offset + count)
        offset += count
        return range
    }

    /// Reads a binary value (varint length, then the bytes) into a new array.
    mutating func readBinary() throws -> [UInt8] {
        let range = try readBinaryRange()
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[range]))
    }

    /// Reads a string (a binary value holding UTF-8; invalid sequences become U+FFFD).
    mutating func readString() throws -> String {
        let range = try readBinaryRange()
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[range])
        return bytes.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Headers

    /// Reads a field header, returning `nil` at the stop field.
    ///
    /// - Parameter lastFieldId: the id of the previous field in this struct (0 at its start);
    ///   updated to the id just read.
    @inline(__always)
    mutating func readFieldHeader(lastFieldId: inout Int16) throws -> ThriftFieldHeader? {
        let start = offset
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = ThriftCompactType(nibble: byte & 0x0F), type != .stop else {
            throw ParquetError.thriftCorrupt("unknown field type \(byte & 0x0F)", at: start)
        }
        let delta = Int16(byte >> 4)
        let id: Int16
        if delta == 0 {
            id = try readZigZag16()
        } else {
            let (sum, overflow) = lastFieldId.addingReportingOverflow(delta)
            guard !overflow else { throw ParquetError.thriftCorrupt("field id overflows i16", at: start) }
            id = sum
        }
        lastFieldId = id
        return ThriftFieldHeader(id: id, type: type)
    }

    /// Reads a list or set header and checks that its element count can fit in the bytes that
    /// remain (every element takes at least one byte, a double eight, a uuid sixteen).
    mutating func readListHeader() throws -> ThriftListHeader {
        let start = offset
        let byte = try readByte()
        guard let elementType = ThriftCompactType(nibble: byte & 0x0F), elementType != .stop else {
            throw ParquetError.thriftCorrupt("unknown list element type \(byte & 0x0F)", at: start)
        }
        var count = Int(byte >> 4)
        if count == 15 {
            let size = try readVarint32()
            guard size <= Int32.max else {
                throw ParquetError.thriftCorrupt("negative list size", at: start)
            }
            count = Int(size)
        }
        guard count <= remaining / elementType.minimumElementSize else {
            throw ParquetError.thriftTruncated(
                "a list of \(count) \(elementType) elements (\(remaining) bytes remain)", at: start)
        }
        return ThriftListHeader(count: count, elementType: elementType)
    }

    // MARK: Helpers

    @inline(__always)
    static func unzigzag(_ raw: UInt64) -> Int64 {
        Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
