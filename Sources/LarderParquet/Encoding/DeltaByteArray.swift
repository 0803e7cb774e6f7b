// DELTA_LENGTH_BYTE_ARRAY (= 6): DELTA_BINARY_PACKED lengths, then all bytes back to back.
// DELTA_BYTE_ARRAY (= 7): DELTA_BINARY_PACKED prefix lengths, then the suffixes as
// DELTA_LENGTH_BYTE_ARRAY; value i = prefix_i bytes of value i - 1 + suffix i.
// Read side only; both decode into offsets + data like PLAIN byte arrays.

/// Decodes DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY pages.
enum DeltaByteArrayDecoder {
    /// Decodes `count` DELTA_LENGTH_BYTE_ARRAY values from the start of `src`, appending `count`
    /// offsets and the bytes (same contract as ``PlainEncoding/decodeByteArrays(_:count:offsets:data:)``).
    /// Returns the bytes consumed. On error `offsets` and `data` are unchanged.
    /// - Throws: `ParquetError(.corrupt)` for a malformed length stream, a negative length, or
    ///   lengths that add up to more bytes than follow them.
    @discardableResult
    static func decodeDeltaLength(_ src: UnsafeRawBufferPointer, count: Int,
                                  offsets: inout [Int], data: inout [UInt8]) throws -> Int {
        var lengths: [Int32] = []
        let (consumed, total) = try readLengths(src, count: count, into: &lengths)
        try PlainEncoding.prepareOffsets(&offsets, data: data)
        var running = data.count
        offsets.reserveCapacity(offsets.count + count)
        for length in lengths {
            running += Int(length)
            offsets.append(running)
        }
        if total > 0 { data.append(contentsOf: UnsafeRawBufferPointer(rebasing: src[consumed ..< consumed + total])) }
        return consumed + total
    }

    /// Reads `count` lengths and checks them: returns where the bytes start and how many there are.
    private static func readLengths(_ src: UnsafeRawBufferPointer, count: Int,
                                    into lengths: inout [Int32]) throws -> (consumed: Int, total: Int) {
        let consumed = try DeltaBinaryPackedDecoder.decode(src, count: count, appendingTo: &lengths)
        let available = src.count - consumed
        var total = 0
        for (i, length) in lengths.enumerated() {
            guard length >= 0 else {
                throw ParquetError.corruptEncoding("DELTA_LENGTH_BYTE_ARRAY", "value \(i) has negative length \(length)")
            }
            total += Int(length)
            guard total <= available else {
                throw ParquetError.corruptEncoding(
                    "DELTA_LENGTH_BYTE_ARRAY", "lengths up to value \(i) need \(total) bytes but \(available) remain")
            }
        }
        return (consumed, total)
    }

    /// Decodes `count` DELTA_BYTE_ARRAY values from the start of `src`, appending `count`
    /// offsets and the reconstructed bytes (same contract as
    /// ``PlainEncoding/decodeByteArrays(_:count:offsets:data:)``). Returns the bytes consumed.
    /// On error `offsets` and `data` are unchanged.
    ///
    /// Shared prefixes let a small page expand to a large output, so the output size is checked
    /// against `maxDecodedBytes` before anything is allocated for it.
    /// - Throws: `ParquetError(.corrupt)` for malformed streams, a prefix longer than the previous
    ///   value (or non-zero on the first value), or output above `maxDecodedBytes`.
    @discardableResult
    static func decodeDeltaByteArray(_ src: UnsafeRawBufferPointer, count: Int, offsets: inout [Int],
                                     data: inout [UInt8], maxDecodedBytes: Int = 1 << 30) throws -> Int {
        var prefixes: [Int32] = []
        let prefixBytes = try DeltaBinaryPackedDecoder.decode(src, count: count, appendingTo: &prefixes)
        let rest = UnsafeRawBufferPointer(rebasing: src[prefixBytes...])
        var suffixLengths: [Int32] = []
        let (lengthBytes, suffixTotal) = try readLengths(rest, count: count, into: &suffixLengths)
        // Pass 1: validate prefixes and size the output.
        var total = 0
        var previousLength = 0
        for i in 0 ..< count {
            let prefix = Int(prefixes[i])
            guard prefix >= 0, prefix <= previousLength else {
                throw ParquetError.corruptEncoding(
                    "DELTA_BYTE_ARRAY", "value \(i) shares a prefix of \(prefix) bytes with a \(previousLength)-byte value")
            }
            previousLength = prefix + Int(suffixLengths[i])
            total += previousLength
            guard total <= maxDecodedBytes else {
                throw ParquetError.corruptEncoding(
                    "DELTA_BYTE_ARRAY", "values expand past \(maxDecodedBytes) bytes by value \(i)")
            }
        }
        try PlainEncoding.prepareOffsets(&offsets, data: data)
        // Pass 2: copy prefixes from the previous value and suffixes from the page.
        let base = data.count
        data.append(contentsOf: repeatElement(0, count: total))
        offsets.reserveCapacity(offsets.count + count)
        var end = base
        for i in 0 ..< count {
            end += Int(prefixes[i]) + Int(suffixLengths[i])
            offsets.append(end)
        }
        guard total > 0 else { return prefixBytes + lengthBytes + suffixTotal }
        data.withUnsafeMutableBytes { raw in
            guard let out = raw.baseAddress, let suffixes = rest.baseAddress?.advanced(by: lengthBytes) else { return }
            var o = base
            var previousStart = base
            var s = 0
            for i in 0 ..< count {
                let prefix = Int(prefixes[i]), suffix = Int(suffixLengths[i])
                if prefix > 0 { (out + o).copyMemory(from: out + previousStart, byteCount: prefix) }
                if suffix > 0 { (out + o + prefix).copyMemory(from: suffixes + s, byteCount: suffix) }
                previousStart = o
                o += prefix + suffix
                s += suffix
            }
        }
        return prefixBytes + lengthBytes + suffixTotal
    }
}
