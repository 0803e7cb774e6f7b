import CLZ4
import CZlib
import CZstd

/// Decompresses pages into a caller-provided buffer of the exact uncompressed size that the
/// page header declares. Holds a reusable zstd context: keep one per thread (not Sendable).
///
/// Every codec checks that the output is exactly the declared size; a mismatch or a codec error
/// is a `.corrupt` ``ParquetError``.
final class PageDecompressor {
    private var zstdContext: OpaquePointer?

    init() {}
    deinit { if let zstdContext { ZSTD_freeDCtx(zstdContext) } }

    func decompress(_ codec: Codec, _ input: UnsafeRawBufferPointer,
                    into output: UnsafeMutableRawBufferPointer) throws {
        switch codec {
        case .uncompressed:
            guard input.count == output.count else {
                throw ParquetError(.corrupt, "uncompressed page has \(input.count) bytes but its header says \(output.count)")
            }
            if let src = input.baseAddress, let dst = output.baseAddress { dst.copyMemory(from: src, byteCount: input.count) }
        case .zstd:
            if zstdContext == nil { zstdContext = ZSTD_createDCtx() }
            guard let ctx = zstdContext else { throw ParquetError(.codec, "cannot allocate a zstd context") }
            let r = ZSTD_decompressDCtx(ctx, output.baseAddress, output.count, input.baseAddress, input.count)
            if ZSTD_isError(r) != 0 {
                throw ParquetError(.corrupt, "zstd page does not decompress: \(String(cString: ZSTD_getErrorName(r)))")
            }
            try checkSize(r, output.count, codec)
        case .lz4Raw:
            try decompressLZ4Block(input, into: output)
        case .lz4:
            try decompressHadoopLZ4(input, into: output)
        case .snappy:
            let n = try Snappy.decompress(input, into: output)
            try checkSize(n, output.count, codec)
        case .gzip:
            try inflate(input, into: output)
        }
    }

    private func checkSize(_ got: Int, _ expected: Int, _ codec: Codec) throws {
        guard got == expected else {
            throw ParquetError(.corrupt, "\(codec) page decompressed to \(got) bytes but its header says \(expected)")
        }
    }

    private func decompressLZ4Block(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard input.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw ParquetError(.corrupt, "LZ4 page larger than 2 GiB")
        }
        if output.isEmpty && input.count <= 1 { return }
        let n = LZ4_decompress_safe(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                    output.baseAddress?.assumingMemoryBound(to: CChar.self),
                                    Int32(input.count), Int32(output.count))
        guard n >= 0 else { throw ParquetError(.corrupt, "LZ4 page does not decompress") }
        try checkSize(Int(n), output.count, .lz4Raw)
    }

    /// Hadoop's framing: blocks of [uncompressed length BE32][compressed length BE32][LZ4 block].
    /// Some old writers put a bare LZ4 block under the same codec; fall back to that.
    private func decompressHadoopLZ4(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        func be32(_ at: Int) -> Int {
            (Int(input[at]) << 24) | (Int(input[at + 1]) << 16) | (Int(input[at + 2]) << 8) | Int(input[at + 3])
        }
        var inPos = 0, outPos = 0
        var framed = true
        while inPos < input.count {
            guard inPos + 8 <= input.count else { framed = false; break }
            let raw = be32(inPos), compressed = be32(inPos + 4)
            guard raw <= output.count - outPos, compressed <= input.count - inPos - 8 else { framed = false; break }
            let src = UnsafeRawBufferPointer(rebasing: input[(inPos + 8) ..< (inPos + 8 + compressed)])
            let dst = UnsafeMutableRawBufferPointer(rebasing: output[outPos ..< (outPos + raw)])
            do { try decompressLZ4Block(src, into: dst) } catch { framed = false; break }
            inPos += 8 + compressed
            outPos += raw
        }
        if framed && outPos == output.count { return }
        try decompressLZ4Block(input, into: output)
    }

    private func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        var stream = z_stream()
        // 15 + 32: accept both zlib and gzip headers.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetError(.codec, "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var produced = 0
        var consumed = 0
        // Concatenated gzip members are legal; inflate each in turn.
        while consumed < input.count {
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self) + consumed)
            stream.avail_in = uInt(clamping: input.count - consumed)
            stream.next_out = output.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + produced }
            stream.avail_out = uInt(clamping: output.count - produced)
            let before = (stream.total_in, stream.total_out)
            let r = CZlib.inflate(&stream, Z_FINISH)
            consumed += Int(stream.total_in - before.0)
            produced += Int(stream.total_out - before.1)
            if r == Z_STREAM_END {
                if consumed < input.count { inflateReset(&stream) }
                continue
            }
            throw ParquetError(.corrupt, "gzip page does not decompress (zlib code \(r))")
        }
        try checkSize(produced, output.count, .gzip)
    }
}
