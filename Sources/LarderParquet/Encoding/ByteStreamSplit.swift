// BYTE_STREAM_SPLIT (Encodings.md, "BYTE_STREAM_SPLIT = 9"): for N values of K bytes, stream
// k (bytes k*N ..< (k+1)*N) holds byte k of every value. Floats' sign/exponent bytes and
// mantissa bytes land in separate streams, which a general-purpose compressor then handles
// both better and faster than interleaved PLAIN values.

/// Encodes FLOAT and DOUBLE values as BYTE_STREAM_SPLIT (the writer's default for
/// non-dictionary floats; see ``ParquetWriteOptions/byteStreamSplit``).
enum ByteStreamSplitEncoder {
    /// Appends the non-null values of `values` (all of them when `validity` is nil) to `out`.
    static func encode<T: PlainFixedWidth>(_ values: UnsafeBufferPointer<T>, validity: ValidityBitsView?,
                                           into out: inout [UInt8]) {
        guard let validity else {
            append(UnsafeRawBufferPointer(values), width: MemoryLayout<T>.stride, into: &out)
            return
        }
        var present: [T] = []
        present.reserveCapacity(values.count)
        for i in 0 ..< values.count where validity[i] { present.append(values[i]) }
        present.withUnsafeBytes { append($0, width: MemoryLayout<T>.stride, into: &out) }
    }

    /// Appends the values in `src` (value-major, `width` bytes each) as `width` streams.
    static func append(_ src: UnsafeRawBufferPointer, width: Int, into out: inout [UInt8]) {
        let count = width > 0 ? src.count / width : 0
        guard count > 0, let s = src.baseAddress else { return }
        let base = out.count
        out.append(contentsOf: repeatElement(0, count: count * width))
        out.withUnsafeMutableBytes { raw in
            guard let d = raw.baseAddress?.advanced(by: base) else { return }
            switch width {
            case 4: split(s, count: count, into: d, as: UInt32.self)
            case 8: split(s, count: count, into: d, as: UInt64.self)
            default:
                for k in 0 ..< width {
                    let stream = d + k * count
                    for i in 0 ..< count { stream.storeBytes(of: s.load(fromByteOffset: i * width + k, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
                }
            }
        }
    }

    @inline(__always)
    private static func split<W: FixedWidthInteger>(_ s: UnsafeRawPointer, count: Int, into d: UnsafeMutableRawPointer, as: W.Type) {
        let width = MemoryLayout<W>.size
        if W.self == UInt32.self && Int(bitPattern: s) % MemoryLayout<UInt32>.alignment == 0 {
            // The common case (floats from an array), written so the compiler vectorizes it.
            let values = s.assumingMemoryBound(to: UInt32.self)
            let b0 = d.assumingMemoryBound(to: UInt8.self), b1 = b0 + count, b2 = b1 + count, b3 = b2 + count
            for i in 0 ..< count {
                let v = values[i].littleEndian
                b0[i] = UInt8(truncatingIfNeeded: v)
                b1[i] = UInt8(truncatingIfNeeded: v &>> 8)
                b2[i] = UInt8(truncatingIfNeeded: v &>> 16)
                b3[i] = UInt8(truncatingIfNeeded: v &>> 24)
            }
            return
        }
        for i in 0 ..< count {
            let v = s.loadUnaligned(fromByteOffset: i * width, as: W.self).littleEndian
            for k in 0 ..< width {
                d.storeBytes(of: UInt8(truncatingIfNeeded: v &>> W(8 * k)), toByteOffset: k * count + i, as: UInt8.self)
            }
        }
    }
}

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
        switch width {
        case 4: join(s, count: count, into: d, as: UInt32.self)
        case 8: join(s, count: count, into: d, as: UInt64.self)
        default: joinBytes(s, count: count, width: width, into: d)
        }
        return bytes
    }

    /// Reassembles `count` values of `W` from their byte streams, one value at a time.
    @inline(__always)
    private static func join<W: FixedWidthInteger>(_ s: UnsafeRawPointer, count: Int, into d: UnsafeMutableRawPointer, as: W.Type) {
        let width = MemoryLayout<W>.size
        if W.self == UInt32.self && Int(bitPattern: d) % MemoryLayout<UInt32>.alignment == 0 {
            // The common case (floats into an array), written so the compiler vectorizes it.
            let b0 = s.assumingMemoryBound(to: UInt8.self), b1 = b0 + count, b2 = b1 + count, b3 = b2 + count
            let out = d.assumingMemoryBound(to: UInt32.self)
            for i in 0 ..< count {
                out[i] = (UInt32(b0[i]) | UInt32(b1[i]) &<< 8 | UInt32(b2[i]) &<< 16 | UInt32(b3[i]) &<< 24).littleEndian
            }
            return
        }
        if W.self == UInt64.self && Int(bitPattern: d) % MemoryLayout<UInt64>.alignment == 0 {
            let b = s.assumingMemoryBound(to: UInt8.self)
            let b1 = b + count, b2 = b1 + count, b3 = b2 + count, b4 = b3 + count, b5 = b4 + count, b6 = b5 + count, b7 = b6 + count
            let out = d.assumingMemoryBound(to: UInt64.self)
            for i in 0 ..< count {
                let low = UInt64(b[i]) | UInt64(b1[i]) &<< 8 | UInt64(b2[i]) &<< 16 | UInt64(b3[i]) &<< 24
                let high = UInt64(b4[i]) &<< 32 | UInt64(b5[i]) &<< 40 | UInt64(b6[i]) &<< 48 | UInt64(b7[i]) &<< 56
                out[i] = (low | high).littleEndian
            }
            return
        }
        for i in 0 ..< count {
            var v: W = 0
            for k in 0 ..< width { v |= W(s.load(fromByteOffset: k * count + i, as: UInt8.self)) &<< W(8 * k) }
            d.storeBytes(of: v.littleEndian, toByteOffset: i * width, as: W.self)
        }
    }

    private static func joinBytes(_ s: UnsafeRawPointer, count: Int, width: Int, into d: UnsafeMutableRawPointer) {
        for k in 0 ..< width {
            let stream = s + k * count
            var out = d + k
            for i in 0 ..< count {
                out.storeBytes(of: stream.load(fromByteOffset: i, as: UInt8.self), as: UInt8.self)
                out += width
            }
        }
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
