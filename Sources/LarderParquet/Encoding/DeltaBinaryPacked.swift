// DELTA_BINARY_PACKED (Encodings.md, "DELTA_BINARY_PACKED = 5"), read side:
//
//   header: <block size> <miniblocks per block> <total value count> <zigzag first value>  (ULEB128)
//   block:  <zigzag min delta> <one bit-width byte per miniblock> <miniblocks, bit-packed>
//
// value[i] = value[i - 1] + minDelta + packed[i], all wrapping (two's complement).

/// An integer type DELTA_BINARY_PACKED can decode to: INT32 (`Int32`) or INT64 (`Int64`).
protocol DeltaBinaryPackedInteger: FixedWidthInteger, PlainFixedWidth {}
extension Int32: DeltaBinaryPackedInteger {}
extension Int64: DeltaBinaryPackedInteger {}

/// Decodes DELTA_BINARY_PACKED data.
enum DeltaBinaryPackedDecoder {
    /// The header fields of a DELTA_BINARY_PACKED stream.
    struct Header {
        var blockSize: Int
        var miniblocksPerBlock: Int
        var totalCount: Int
        var firstValue: Int64
        var valuesPerMiniblock: Int { blockSize / miniblocksPerBlock }
    }

    /// Reads and validates the header at `cursor`.
    /// - Throws: `ParquetError(.corrupt)` for a block size that is not a positive multiple of
    ///   128, a miniblock count that does not divide it into multiples of 32 values, or a
    ///   truncated header.
    static func readHeader(_ cursor: inout EncodingByteCursor) throws -> Header {
        let blockSize = Int(try cursor.readULEB128(maxBits: 32))
        let miniblocks = Int(try cursor.readULEB128(maxBits: 32))
        let total = Int(try cursor.readULEB128(maxBits: 62))
        let first = try cursor.readZigZag()
        guard blockSize > 0, blockSize % 128 == 0 else {
            throw ParquetError.corruptEncoding("DELTA_BINARY_PACKED", "block size \(blockSize) is not a positive multiple of 128")
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetError.corruptEncoding(
                "DELTA_BINARY_PACKED", "\(miniblocks) miniblocks do not split a block of \(blockSize) into multiples of 32")
        }
        return Header(blockSize: blockSize, miniblocksPerBlock: miniblocks, totalCount: total, firstValue: first)
    }

    /// Decodes a DELTA_BINARY_PACKED stream that must hold exactly `count` values from the start
    /// of `src` into the first `count` slots of `dst`. Returns the bytes consumed: the stream's
    /// end, where DELTA_LENGTH_BYTE_ARRAY data begins.
    ///
    /// Per the spec, bit widths of miniblocks past the last value are ignored, and padding bits
    /// may hold anything. A last miniblock cut short after its last needed value is accepted.
    /// - Throws: `ParquetError(.corrupt)` when the header is invalid, declares another count,
    ///   a bit width exceeds `T`'s width, or the data ends early; `.invalidArgument` when `dst`
    ///   is shorter than `count`.
    @discardableResult
    static func decode<T: DeltaBinaryPackedInteger>(_ src: UnsafeRawBufferPointer, count: Int,
                                                    into dst: UnsafeMutableBufferPointer<T>) throws -> Int {
        guard count >= 0, dst.count >= count else {
            throw ParquetError(.invalidArgument, "DELTA_BINARY_PACKED decode of \(count) values into a buffer of \(dst.count)")
        }
        var cursor = EncodingByteCursor(src, encoding: "DELTA_BINARY_PACKED")
        let header = try readHeader(&cursor)
        guard header.totalCount == count else {
            throw ParquetError.corruptEncoding(
                "DELTA_BINARY_PACKED", "header declares \(header.totalCount) values where \(count) were expected")
        }
        guard count > 0, let out = dst.baseAddress else { return cursor.position }
        var last = UInt64(bitPattern: header.firstValue)
        out[0] = T(truncatingIfNeeded: last)
        var produced = 1
        let perMiniblock = header.valuesPerMiniblock
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 32) { scratch in
            guard let deltas = scratch.baseAddress else { return }
            while produced < count {
                let minDelta = UInt64(bitPattern: try cursor.readZigZag())
                let widths = try cursor.take(header.miniblocksPerBlock, what: "miniblock bit widths")
                for m in 0 ..< header.miniblocksPerBlock where produced < count {
                    let width = Int(widths[m])
                    guard width <= T.bitWidth else {
                        throw ParquetError.corruptEncoding(
                            "DELTA_BINARY_PACKED", "miniblock bit width \(width) exceeds \(T.bitWidth) for \(T.self)")
                    }
                    let n = min(perMiniblock, count - produced)
                    let fullBytes = perMiniblock / 8 * width
                    let needed = BitPacking.byteCount(count: n, bitWidth: width)
                    let body = try cursor.take(min(fullBytes, max(needed, cursor.remaining)), what: "a miniblock")
                    // Groups of 32 values start on byte boundaries (32 * width bits).
                    var done = 0
                    while done < n {
                        let chunk = min(32, n - done)
                        let offset = done / 8 * width
                        try BitPacking.unpack64(UnsafeRawBufferPointer(rebasing: body[offset...]),
                                                bitWidth: width, count: chunk, into: deltas)
                        for k in 0 ..< chunk {
                            last = last &+ minDelta &+ deltas[k]
                            out[produced + done + k] = T(truncatingIfNeeded: last)
                        }
                        done += chunk
                    }
                    produced += n
                }
            }
        }
        return cursor.position
    }

    /// Decodes exactly `count` values, appending them to `out`; returns the bytes consumed.
    /// On error `out` is unchanged.
    /// - Throws: as ``decode(_:count:into:)``.
    @discardableResult
    static func decode<T: DeltaBinaryPackedInteger>(_ src: UnsafeRawBufferPointer, count: Int,
                                                    appendingTo out: inout [T]) throws -> Int {
        guard count >= 0 else { throw ParquetError(.invalidArgument, "negative value count \(count)") }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        do {
            return try out.withUnsafeMutableBufferPointer { buffer in
                try decode(src, count: count, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            }
        } catch {
            out.removeSubrange(start...)
            throw error
        }
    }
}
