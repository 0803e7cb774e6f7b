// Level helpers around the RLE / bit-packing hybrid: the 4-byte length prefix of data page v1
// levels, bit widths, and the fast path from definition levels to a validity bitmap.

extension RLEHybridEncoder {
    /// The number of bits needed to store `maxValue` (0 for 0, 1 for 1, 2 for 2...3, ...).
    /// For levels pass the max level; for dictionary indices pass `dictionaryCount - 1`.
    static func bitWidth(forMaxValue maxValue: UInt64) -> Int {
        64 - maxValue.leadingZeroBitCount
    }

    /// Appends `values` encoded at `bitWidth`, preceded by the 4-byte little-endian byte length
    /// of the encoded data (the data page v1 layout of levels and RLE booleans).
    /// - Throws: `ParquetError(.invalidArgument)` if the encoded data exceeds 4 GiB.
    static func encodeLengthPrefixed(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int,
                                     into out: inout [UInt8]) throws {
        let lengthAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        encode(values, bitWidth: bitWidth, into: &out)
        let length = out.count - lengthAt - 4
        guard let length32 = UInt32(exactly: length) else {
            out.removeSubrange(lengthAt...)
            throw ParquetError(.invalidArgument, "RLE data of \(length) bytes does not fit a 4-byte length")
        }
        for k in 0 ..< 4 { out[lengthAt + k] = UInt8(truncatingIfNeeded: length32 >> UInt32(8 * k)) }
    }
}

extension RLEHybridDecoder {
    /// Splits a length-prefixed RLE section: returns the encoded data after the 4-byte
    /// little-endian length and the bytes consumed (4 + length).
    /// - Throws: `ParquetError(.corrupt)` when fewer than 4 bytes remain or the declared length
    ///   exceeds the bytes that follow.
    static func splitLengthPrefix(_ src: UnsafeRawBufferPointer) throws -> (body: UnsafeRawBufferPointer, consumed: Int) {
        var cursor = EncodingByteCursor(src, encoding: "RLE")
        let length = Int(try cursor.readUInt32LE())
        let body = try cursor.take(length, what: "length-prefixed RLE data")
        return (body, cursor.position)
    }

    /// Decodes a length-prefixed RLE section (data page v1 levels or RLE booleans): exactly
    /// `count` values into `dst`. Returns the bytes consumed, 4 + the declared length.
    /// - Throws: as ``splitLengthPrefix(_:)`` and ``decode(_:bitWidth:count:into:)``.
    @discardableResult
    static func decodeLengthPrefixed(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                                     into dst: UnsafeMutableBufferPointer<UInt32>) throws -> Int {
        let (body, consumed) = try splitLengthPrefix(src)
        try decode(body, bitWidth: bitWidth, count: count, into: dst)
        return consumed
    }

    /// Decodes definition levels (no length prefix) into validity bits: bit `i` (LSB first) is
    /// set when level `i` equals `maxLevel`. `validityBytes` has `(count + 7) / 8` bytes with the
    /// bits past `count` clear, so `Bitmap(bytes:count:)` accepts it.
    ///
    /// `maxLevel` 0 means the column is required: nothing is read, every bit is set. For
    /// `maxLevel` 1 the width-1 runs are copied straight into the bitmap; higher levels
    /// (nested columns) are decoded as integers first.
    /// - Throws: as ``decode(_:bitWidth:count:into:)``; `.corrupt` when a level exceeds `maxLevel`.
    static func decodeDefinitionLevels(_ src: UnsafeRawBufferPointer, count: Int,
                                       maxLevel: Int) throws -> (validityBytes: [UInt8], nonNullCount: Int) {
        guard count > 0 else { return ([], 0) }
        guard maxLevel >= 0 else {
            throw ParquetError(.invalidArgument, "negative max definition level \(maxLevel)")
        }
        if maxLevel == 0 {
            var bytes = [UInt8](repeating: 0xFF, count: (count + 7) / 8)
            if count & 7 != 0 { bytes[bytes.count - 1] = UInt8((1 << (count & 7)) - 1) }
            return (bytes, count)
        }
        if maxLevel == 1 { return try decodeWidthOneValidity(src, count: count) }
        let levels = try decode(src, bitWidth: RLEHybridEncoder.bitWidth(forMaxValue: UInt64(maxLevel)), count: count)
        var bytes = [UInt8](repeating: 0, count: (count + 7) / 8)
        var nonNull = 0
        let top = UInt32(maxLevel)
        for (i, level) in levels.enumerated() {
            guard level <= top else {
                throw ParquetError.corruptEncoding("RLE", "definition level \(level) exceeds the maximum \(maxLevel)")
            }
            if level == top {
                bytes[i >> 3] |= UInt8(1) << UInt8(i & 7)
                nonNull += 1
            }
        }
        return (bytes, nonNull)
    }

    /// Width-1 levels: an RLE run of ones sets a bit range, a bit-packed run is the bitmap itself.
    private static func decodeWidthOneValidity(_ src: UnsafeRawBufferPointer,
                                               count: Int) throws -> (validityBytes: [UInt8], nonNullCount: Int) {
        var bytes = [UInt8](repeating: 0, count: (count + 7) / 8)
        try bytes.withUnsafeMutableBufferPointer { out in
            var cursor = EncodingByteCursor(src, encoding: "RLE")
            var produced = 0
            while produced < count {
                guard cursor.remaining > 0 else {
                    throw ParquetError.corruptEncoding("RLE", "definition levels end after \(produced) of \(count) values")
                }
                let header = try cursor.readULEB128(maxBits: 32)
                let left = count - produced
                if header & 1 == 0 {
                    let run = Int(header >> 1)
                    guard run <= left else {
                        throw ParquetError.corruptEncoding("RLE", "run of \(run) levels overflows the \(left) values left")
                    }
                    let value = try cursor.readByte()
                    guard value <= 1 else {
                        throw ParquetError.corruptEncoding("RLE", "definition level \(value) exceeds the maximum 1")
                    }
                    if value == 1 { setBits(out, from: produced, count: run) }
                    produced += run
                } else {
                    let declared = Int(header >> 1) * 8
                    let take = min(declared, left)
                    // The last run may be padded past `count` (DuckDB pads to whole runs); the padding is ignored.
                    let runBytes = declared / 8
                    let needed = (take + 7) / 8
                    let body = try cursor.take(min(runBytes, max(needed, cursor.remaining)), what: "a bit-packed run")
                    copyBits(from: body, count: take, into: out, at: produced)
                    produced += take
                }
            }
            // A final bit-packed run may have set bits past `count`.
            if count & 7 != 0 { out[out.count - 1] &= UInt8((1 << (count & 7)) - 1) }
        }
        var nonNull = 0
        bytes.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                nonNull += raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).nonzeroBitCount
                i += 8
            }
            while i < raw.count {
                nonNull += raw[i].nonzeroBitCount
                i += 1
            }
        }
        return (bytes, nonNull)
    }

    /// Sets bits `[from, from + count)` of `out`.
    private static func setBits(_ out: UnsafeMutableBufferPointer<UInt8>, from: Int, count: Int) {
        var bit = from
        let end = from + count
        while bit < end && bit & 7 != 0 {
            out[bit >> 3] |= UInt8(1) << UInt8(bit & 7)
            bit += 1
        }
        let wholeBytes = (end - bit) >> 3
        if wholeBytes > 0, let base = out.baseAddress {
            (base + (bit >> 3)).update(repeating: 0xFF, count: wholeBytes)
            bit += wholeBytes * 8
        }
        while bit < end {
            out[bit >> 3] |= UInt8(1) << UInt8(bit & 7)
            bit += 1
        }
    }

    /// ORs the first `count` bits of `src` into `out` starting at bit `at`. Bits of the last
    /// source byte past `count` may land past `at + count`, but never past `out`'s end.
    private static func copyBits(from src: UnsafeRawBufferPointer, count: Int,
                                 into out: UnsafeMutableBufferPointer<UInt8>, at: Int) {
        let nbytes = (count + 7) / 8
        let first = at >> 3
        let shift = at & 7
        if shift == 0 {
            for k in 0 ..< nbytes where first + k < out.count { out[first + k] = src[k] }
            return
        }
        // Clear the bits this run covers that a previous run may have padded.
        out[first] &= UInt8((1 << shift) - 1)
        for k in 0 ..< nbytes {
            let b = src[k]
            out[first + k] |= b << UInt8(shift)
            if first + k + 1 < out.count { out[first + k + 1] = b >> UInt8(8 - shift) }
        }
    }
}
