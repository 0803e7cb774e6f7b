// Bit packing as used by the RLE/bit-packing hybrid and DELTA_BINARY_PACKED: values sit back to
// back, each `bitWidth` bits, filling every byte from its least significant bit up
// (see Encodings.md, "Run Length Encoding / Bit-Packing Hybrid", note 1).

#if !_endian(little)
#error("LarderParquet's encoders assume a little-endian host")
#endif

/// Packs and unpacks unsigned integers at a fixed bit width, LSB first.
enum BitPacking {
    /// The number of bytes that `count` values of `bitWidth` bits occupy (rounded up).
    /// Does not overflow for any `count >= 0` and `bitWidth` in 0...64.
    @inline(__always)
    static func byteCount(count: Int, bitWidth: Int) -> Int {
        (count >> 3) * bitWidth + ((count & 7) * bitWidth + 7) >> 3
    }

    /// Appends `values` packed at `bitWidth` (0...32) bits each to `out`; bits above
    /// `bitWidth` are ignored. Appends exactly `byteCount(count: values.count, bitWidth:)` bytes.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        precondition((0 ... 32).contains(bitWidth), "bit width \(bitWidth) outside 0...32")
        let n = values.count
        guard bitWidth > 0, n > 0, let src = values.baseAddress else { return }
        let total = byteCount(count: n, bitWidth: bitWidth)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: total))
        let mask: UInt64 = (1 << UInt64(bitWidth)) &- 1
        out.withUnsafeMutableBytes { raw in
            guard let dst = raw.baseAddress?.advanced(by: start) else { return }
            if bitWidth == 8 {
                for i in 0 ..< n { dst.storeBytes(of: UInt8(truncatingIfNeeded: src[i]), toByteOffset: i, as: UInt8.self) }
                return
            }
            if bitWidth == 32 {
                dst.copyMemory(from: src, byteCount: n * 4)
                return
            }
            var acc: UInt64 = 0
            var bits = 0
            var o = 0
            for i in 0 ..< n {
                acc |= (UInt64(src[i]) & mask) << UInt64(bits)
                bits += bitWidth
                if bits >= 32 {
                    dst.storeBytes(of: UInt32(truncatingIfNeeded: acc).littleEndian, toByteOffset: o, as: UInt32.self)
                    o += 4
                    acc >>= 32
                    bits -= 32
                }
            }
            while bits > 0 {
                dst.storeBytes(of: UInt8(truncatingIfNeeded: acc), toByteOffset: o, as: UInt8.self)
                o += 1
                acc >>= 8
                bits -= 8
            }
        }
    }

    /// Unpacks `count` values of `bitWidth` (0...32) bits from the start of `src` into `dst`.
    ///
    /// `dst` must have room for `count` values. Reads at most
    /// `byteCount(count:bitWidth:)` bytes of `src`, never past its end.
    /// - Throws: `ParquetError(.corrupt)` when `bitWidth` is outside 0...32 or `src` holds fewer
    ///   than `byteCount(count:bitWidth:)` bytes.
    static func unpack(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                       into dst: UnsafeMutablePointer<UInt32>) throws {
        guard (0 ... 32).contains(bitWidth) else {
            throw ParquetError.corruptEncoding("bit-packed", "bit width \(bitWidth) exceeds 32")
        }
        guard count > 0 else { return }
        let needed = byteCount(count: count, bitWidth: bitWidth)
        guard src.count >= needed else {
            throw ParquetError.corruptEncoding(
                "bit-packed", "\(count) values of \(bitWidth) bits need \(needed) bytes, \(src.count) remain")
        }
        guard bitWidth > 0, let base = src.baseAddress else {
            dst.update(repeating: 0, count: count)
            return
        }
        switch bitWidth {
        case 32:
            UnsafeMutableRawPointer(dst).copyMemory(from: base, byteCount: count * 4)
        case 16:
            for i in 0 ..< count {
                dst[i] = UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case 8:
            for i in 0 ..< count { dst[i] = UInt32(base.load(fromByteOffset: i, as: UInt8.self)) }
        case 1:
            var i = 0
            var byteIndex = 0
            while i + 8 <= count {
                let b = UInt32(base.load(fromByteOffset: byteIndex, as: UInt8.self))
                dst[i] = b & 1; dst[i + 1] = (b >> 1) & 1; dst[i + 2] = (b >> 2) & 1; dst[i + 3] = (b >> 3) & 1
                dst[i + 4] = (b >> 4) & 1; dst[i + 5] = (b >> 5) & 1; dst[i + 6] = (b >> 6) & 1; dst[i + 7] = b >> 7
                i += 8
                byteIndex += 1
            }
            if i < count {
                let b = UInt32(base.load(fromByteOffset: byteIndex, as: UInt8.self))
                for j in 0 ..< count - i { dst[i + j] = (b >> UInt32(j)) & 1 }
            }
        default:
            unpackGeneric(base, byteCount: src.count, bitWidth: bitWidth, count: count, into: dst)
        }
    }

    /// Any width 1...31: groups of 8 values (which start on byte boundaries) are read with
    /// unaligned 8-byte loads while 8 bytes past the group stay in bounds; the tail byte by byte.
    private static func unpackGeneric(_ base: UnsafeRawPointer, byteCount available: Int, bitWidth w: Int,
                                      count: Int, into dst: UnsafeMutablePointer<UInt32>) {
        let mask: UInt64 = (1 << UInt64(w)) - 1
        // Group g reads bytes up to g*w + (7*w)/8 + 8 <= g*w + w + 8.
        let fastGroups = available >= w + 8 ? min(count >> 3, (available - 8 - w) / w + 1) : 0
        for g in 0 ..< fastGroups {
            let p = base + g * w
            let out = dst + g * 8
            var bit = 0
            for j in 0 ..< 8 {
                let word = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                out[j] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                bit += w
            }
        }
        for i in fastGroups * 8 ..< count {
            dst[i] = UInt32(truncatingIfNeeded: extractSlow(base, bitOffset: i * w, bitWidth: w))
        }
    }

    /// Reads `bitWidth` (0...64) bits at `bitOffset`, touching only the bytes that hold them.
    @inline(__always)
    static func extractSlow(_ base: UnsafeRawPointer, bitOffset: Int, bitWidth: Int) -> UInt64 {
        guard bitWidth > 0 else { return 0 }
        var byte = bitOffset >> 3
        let shift = bitOffset & 7
        let end = (bitOffset + bitWidth + 7) >> 3
        var result = UInt64(base.load(fromByteOffset: byte, as: UInt8.self)) >> UInt64(shift)
        var have = 8 - shift
        byte += 1
        while byte < end {
            let b = UInt64(base.load(fromByteOffset: byte, as: UInt8.self))
            if have < 64 { result |= b << UInt64(have) }
            have += 8
            byte += 1
        }
        return bitWidth == 64 ? result : result & ((1 << UInt64(bitWidth)) - 1)
    }

    /// Unpacks `count` values of `bitWidth` (0...64) bits from the start of `src` into `dst`;
    /// for DELTA_BINARY_PACKED miniblocks.
    /// - Throws: `ParquetError(.corrupt)` when `bitWidth` is outside 0...64 or `src` is too short.
    static func unpack64(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                         into dst: UnsafeMutablePointer<UInt64>) throws {
        guard (0 ... 64).contains(bitWidth) else {
            throw ParquetError.corruptEncoding("bit-packed", "bit width \(bitWidth) exceeds 64")
        }
        guard count > 0 else { return }
        let needed = byteCount(count: count, bitWidth: bitWidth)
        guard src.count >= needed else {
            throw ParquetError.corruptEncoding(
                "bit-packed", "\(count) values of \(bitWidth) bits need \(needed) bytes, \(src.count) remain")
        }
        guard bitWidth > 0, let base = src.baseAddress else {
            dst.update(repeating: 0, count: count)
            return
        }
        if bitWidth == 64 {
            UnsafeMutableRawPointer(dst).copyMemory(from: base, byteCount: count * 8)
            return
        }
        let w = bitWidth
        let mask: UInt64 = (1 << UInt64(w)) - 1
        var i = 0
        // Value i reads bytes [i*w/8, i*w/8 + 9) at most; stay 9 bytes clear of the end.
        while i < count {
            let bitOffset = i * w
            let byte = bitOffset >> 3
            guard byte + 9 <= src.count else { break }
            let shift = UInt64(bitOffset & 7)
            var word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) >> shift
            if shift > 0 && Int(shift) + w > 64 {
                word |= UInt64(base.load(fromByteOffset: byte + 8, as: UInt8.self)) << (64 - shift)
            }
            dst[i] = word & mask
            i += 1
        }
        while i < count {
            dst[i] = extractSlow(base, bitOffset: i * w, bitWidth: w)
            i += 1
        }
    }
}
