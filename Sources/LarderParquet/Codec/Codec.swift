import CLZ4
import CZlib
import CZstd

/// A page compression codec, as named by Parquet's `CompressionCodec` enum.
///
/// Larder writes ``uncompressed``, ``zstd`` and ``lz4Raw``. It reads those plus ``snappy`` and
/// ``gzip`` (what pandas, pyarrow and Spark write by default) and the deprecated Hadoop-framed
/// ``lz4`` (read only; never written).
public enum Codec: Hashable, Sendable, CustomStringConvertible {
    case uncompressed
    case snappy
    case gzip
    /// Deprecated Hadoop-framed LZ4 (Parquet codec 5). Read only.
    case lz4
    case zstd
    /// Raw LZ4 block per page (Parquet codec 7, `LZ4_RAW`).
    case lz4Raw

    /// The Parquet `CompressionCodec` value.
    public var parquetValue: Int32 {
        switch self {
        case .uncompressed: 0
        case .snappy: 1
        case .gzip: 2
        case .lz4: 5
        case .zstd: 6
        case .lz4Raw: 7
        }
    }

    /// The codec for a Parquet `CompressionCodec` value, or nil for LZO, Brotli and unknown values.
    public init?(parquetValue: Int32) {
        switch parquetValue {
        case 0: self = .uncompressed
        case 1: self = .snappy
        case 2: self = .gzip
        case 5: self = .lz4
        case 6: self = .zstd
        case 7: self = .lz4Raw
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// Whether Larder can write this codec.
    public var isWritable: Bool {
        switch self {
        case .uncompressed, .zstd, .lz4Raw: true
        case .snappy, .gzip, .lz4: false
        }
    }
}

/// Compresses pages. Holds a reusable zstd context, so keep one per thread (it is not Sendable).
final class PageCompressor {
    let codec: Codec
    let level: Int32
    private var zstdContext: OpaquePointer?

    /// - Throws: ``ParquetError`` `.invalidArgument` for a codec Larder does not write.
    init(codec: Codec, level: Int) throws {
        guard codec.isWritable else {
            throw ParquetError(.invalidArgument, "Larder does not write \(codec); use ZSTD, LZ4_RAW or UNCOMPRESSED")
        }
        self.codec = codec
        self.level = Int32(clamping: level)
    }

    deinit { if let zstdContext { ZSTD_freeCCtx(zstdContext) } }

    /// Appends the compressed form of `input` to `output`.
    func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        switch codec {
        case .uncompressed:
            output.append(contentsOf: input)
        case .zstd:
            if zstdContext == nil { zstdContext = ZSTD_createCCtx() }
            guard let ctx = zstdContext else { throw ParquetError(.codec, "cannot allocate a zstd context") }
            let level = self.level
            try appendCompressed(bound: ZSTD_compressBound(input.count), to: &output) { dst, cap in
                let r = ZSTD_compressCCtx(ctx, dst, cap, input.baseAddress, input.count, level)
                if ZSTD_isError(r) != 0 {
                    throw ParquetError(.codec, "zstd compression failed: \(String(cString: ZSTD_getErrorName(r)))")
                }
                return r
            }
        case .lz4Raw:
            guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else {
                throw ParquetError(.codec, "page of \(input.count) bytes is too large for LZ4")
            }
            try appendCompressed(bound: Int(LZ4_compressBound(Int32(input.count))), to: &output) { dst, cap in
                let n = LZ4_compress_default(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                             dst.assumingMemoryBound(to: CChar.self),
                                             Int32(input.count), Int32(cap))
                guard n > 0 || input.isEmpty else { throw ParquetError(.codec, "LZ4 compression failed") }
                return Int(n)
            }
        case .snappy, .gzip, .lz4:
            throw ParquetError(.invalidArgument, "Larder does not write \(codec)")
        }
    }

    /// Grows `output` by `bound` bytes, lets `body` write into them, then trims to what it wrote.
    private func appendCompressed(bound: Int, to output: inout [UInt8],
                                  _ body: (UnsafeMutableRawPointer, Int) throws -> Int) throws {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        var written = 0
        do {
            try output.withUnsafeMutableBytes { out in
                // `out` has at least `start + bound` bytes, so the base address exists.
                guard let base = out.baseAddress else { return }
                written = try body(base + start, bound)
            }
        } catch {
            output.removeLast(bound)
            throw error
        }
        output.removeLast(bound - written)
    }
}
