/// A Snappy decompressor (the raw block format of google/snappy's format_description.txt),
/// written for Parquet pages: checked at every step, never reads or writes out of bounds.
enum Snappy {
    /// Decompresses `input` into `output`, returning the number of bytes written.
    /// - Throws: `.corrupt` when the stream is malformed or its declared length is not
    ///   `output.count`.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let src = input.baseAddress else { throw ParquetError(.corrupt, "empty Snappy page") }
        let n = input.count
        var i = 0
        // Preamble: the uncompressed length as a varint.
        var length = 0, shift = 0
        while true {
            guard i < n, shift <= 35 else { throw ParquetError(.corrupt, "bad Snappy length header") }
            let b = Int(src.load(fromByteOffset: i, as: UInt8.self)); i += 1
            length |= (b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        guard length == output.count else {
            throw ParquetError(.corrupt, "Snappy page holds \(length) bytes but its header says \(output.count)")
        }
        guard let dst = output.baseAddress else { return 0 }
        var o = 0
        while i < n {
            let tag = Int(src.load(fromByteOffset: i, as: UInt8.self)); i += 1
            var len: Int, offset: Int
            switch tag & 3 {
            case 0: // literal
                len = tag >> 2
                if len >= 60 {
                    let extra = len - 59
                    guard i + extra <= n else { throw truncated() }
                    len = 0
                    for k in 0 ..< extra { len |= Int(src.load(fromByteOffset: i + k, as: UInt8.self)) << (8 * k) }
                    i += extra
                }
                len += 1
                guard len <= n - i, len <= length - o else { throw ParquetError(.corrupt, "Snappy literal runs past the end") }
                (dst + o).copyMemory(from: src + i, byteCount: len)
                i += len; o += len
                continue
            case 1:
                guard i < n else { throw truncated() }
                len = 4 + ((tag >> 2) & 7)
                offset = ((tag >> 5) << 8) | Int(src.load(fromByteOffset: i, as: UInt8.self)); i += 1
            case 2:
                guard i + 2 <= n else { throw truncated() }
                len = 1 + (tag >> 2)
                offset = Int(src.load(fromByteOffset: i, as: UInt8.self)) | Int(src.load(fromByteOffset: i + 1, as: UInt8.self)) << 8
                i += 2
            default:
                guard i + 4 <= n else { throw truncated() }
                len = 1 + (tag >> 2)
                offset = 0
                for k in 0 ..< 4 { offset |= Int(src.load(fromByteOffset: i + k, as: UInt8.self)) << (8 * k) }
                i += 4
            }
            guard offset > 0, offset <= o, len <= length - o else {
                throw ParquetError(.corrupt, "Snappy copy out of range (offset \(offset) at \(o))")
            }
            if offset >= len {
                (dst + o).copyMemory(from: dst + o - offset, byteCount: len)
            } else {
                // Overlapping copy: repeats the last `offset` bytes.
                for k in 0 ..< len { dst.storeBytes(of: dst.load(fromByteOffset: o - offset + k, as: UInt8.self), toByteOffset: o + k, as: UInt8.self) }
            }
            o += len
        }
        return o
    }

    private static func truncated() -> ParquetError { ParquetError(.corrupt, "Snappy page ends inside an element") }
}
