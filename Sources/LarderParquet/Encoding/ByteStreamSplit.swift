// BYTE_STREAM_SPLIT (Encodings.md, "BYTE_STREAM_SPLIT = 9"), read side: for N values of K
// bytes, stream k (bytes k*N ..< (k+1)*N) holds byte k of every value.

/// Decodes BYTE_STREAM_SPLIT pages (FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY).
enum ByteStreamSplitDecoder {
    /// Reassembles `count` values of `width` bytes from the start of `src` into `dst`
    /// (`count * width` bytes, value-major). Returns the bytes consumed, `count * width`.
    /// - Throws: `ParquetError(.corrupt)` when `src` holds fewer than `count * width` bytes.
    @discardableResult
    static func decode(_ src: UnsafeRawBufferPointer, count: Int, width: Int,
                       into dst: UnsafeMutableRawBufferPointer) throws -> Int {
        guard width >= 0 else { throw ParquetError(.invalidArgument, "negative BYTE_STREAM_SPLIT width \(width)") }
        let bytes = try PlainEncoding.checkedByteCount(count, size: width, available: src.count, type: "BYTE_STREAM_SPLIT")
        guard dst.count >= bytes else {
            throw ParquetError(.invalidArgument, "BYTE_STREAM_SPLIT decode of \(bytes) bytes into a buffer of \(dst.count)")
        }
        guard bytes > 0, let s = src.baseAddress, let d = dst.baseAddress else { return bytes }
        for k in 0 ..< width {
            let stream = s + k * count
            var out = d + k
            for i in 0 ..< count {
                out.storeBytes(of: stream.load(fromByteOffset: i, as: UInt8.self), as: UInt8.self)
                out += width
            }
        }
        return bytes
    }

    /// Decodes `count` values of `T` (`Float`, `Double`, `Int32`, `Int64`), appending them to
    /// `out`. Returns the bytes consumed. On error `out` is unchanged.
    /// - Throws: as ``decode(_:count:width:into:)``.
    @discardableResult
    static func decode<T: PlainFixedWidth>(_ src: UnsafeRawBufferPointer, count: Int,
                                           appendingTo out: inout [T]) throws -> Int {
        let width = MemoryLayout<T>.stride
        _ = try PlainEncoding.checkedByteCount(count, size: width, available: src.count, type: "\(T.self)")
        let start = out.count
        out.append(contentsOf: repeatElement(T.zero, count: count))
        return try out.withUnsafeMutableBytes { raw in
            try decode(src, count: count, width: width, into: UnsafeMutableRawBufferPointer(rebasing: raw[(start * width)...]))
        }
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `width` bytes, appending offsets and bytes
    /// (same contract as ``PlainEncoding/decodeFixedLenByteArrays(_:count:length:offsets:data:)``).
    /// Returns the bytes consumed.
    @discardableResult
    static func decodeFixedLenByteArrays(_ src: UnsafeRawBufferPointer, count: Int, width: Int,
                                         offsets: inout [Int], data: inout [UInt8]) throws -> Int {
        guard width >= 0 else { throw ParquetError(.invalidArgument, "negative BYTE_STREAM_SPLIT width \(width)") }
        let bytes = try PlainEncoding.checkedByteCount(count, size: width, available: src.count, type: "FIXED_LEN_BYTE_ARRAY")
        try PlainEncoding.prepareOffsets(&offsets, data: data)
        let base = data.count
        data.append(contentsOf: repeatElement(0, count: bytes))
        try data.withUnsafeMutableBytes { raw in
            _ = try decode(src, count: count, width: width, into: UnsafeMutableRawBufferPointer(rebasing: raw[base...]))
        }
        offsets.reserveCapacity(offsets.count + count)
        for i in 0 ..< count { offsets.append(base + (i + 1) * width) }
        return bytes
    }
}
