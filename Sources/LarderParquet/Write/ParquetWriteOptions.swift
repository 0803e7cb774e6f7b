import LarderColumnar
#if canImport(Glibc)
import Glibc
#endif

/// How ``ParquetWriter`` lays out and compresses a file.
public struct ParquetWriteOptions: Sendable {
    /// Page compression. Default: ZSTD.
    public var codec: Codec = .zstd
    /// Compression level (zstd: 1...22; ignored by other codecs). Default 1, as pyarrow.
    public var compressionLevel: Int = 1
    /// Rows per row group (the unit of parallel reads and statistics pruning). Default 1 Mi rows.
    public var rowGroupRows: Int = 1 << 20
    /// Target uncompressed size of a data page. Default 1 MiB.
    public var pageBytes: Int = 1 << 20
    /// Whether to try dictionary encoding (falls back to PLAIN per column chunk when the
    /// dictionary would exceed ``maxDictionaryBytes``). Default true.
    public var dictionary: Bool = true
    /// The largest dictionary page, in PLAIN-encoded bytes. Default 1 MiB, as pyarrow.
    public var maxDictionaryBytes: Int = 1 << 20
    /// Whether float and double values that are not dictionary-encoded (including the
    /// elements of vector columns) are written BYTE_STREAM_SPLIT instead of PLAIN. Splitting
    /// each value's bytes into streams puts the sign and exponent bytes together, so zstd
    /// compresses the pages about 2.5× faster and 25% smaller on embeddings (see BENCHMARKS.md,
    /// "Ingest"). Every current Parquet reader (pyarrow, DuckDB, Polars, delta-rs, Spark 3.x)
    /// reads it; set false for readers older than Parquet format 2.8. Default true.
    public var byteStreamSplit: Bool = true
    /// Extra key/value metadata stored in the footer.
    public var metadata: [String: String] = [:]
    /// Whether ``ParquetWriter/close()`` fsyncs the file and its directory before returning.
    public var fsync: Bool = false
    /// Threads used to encode the columns of a row group. Default: the number of CPUs.
    public var threads: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    public init() {}

    /// Options with `codec` and otherwise defaults.
    public init(codec: Codec, level: Int = 1) {
        self.codec = codec
        self.compressionLevel = level
    }

    func validate() throws {
        guard codec.isWritable else {
            throw ParquetError(.invalidArgument, "Larder does not write \(codec); use ZSTD, LZ4_RAW or UNCOMPRESSED")
        }
        guard rowGroupRows > 0 else { throw ParquetError(.invalidArgument, "rowGroupRows must be positive, got \(rowGroupRows)") }
        guard pageBytes >= 1024 else { throw ParquetError(.invalidArgument, "pageBytes must be at least 1024, got \(pageBytes)") }
        if codec == .zstd {
            guard (-7 ... 22).contains(compressionLevel) else {
                throw ParquetError(.invalidArgument, "zstd level must be in -7...22, got \(compressionLevel)")
            }
        }
    }
}

/// What ``ParquetWriter/close()`` wrote: sizes and per-column statistics over the whole file
/// (the table layer records them in its log).
public struct ParquetFileSummary: Sendable {
    public var path: String
    public var sizeBytes: Int
    public var rowCount: Int
    public var rowGroupCount: Int
    /// Statistics per top-level column name.
    public var statistics: [String: ColumnStatistics]
}
