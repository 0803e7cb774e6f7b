#if canImport(Glibc)
import Glibc
#endif

/// Limits and parallelism for ``ParquetFile``.
///
/// The limits bound what a hostile or corrupt file can make the reader allocate; legitimate
/// files stay far below them.
public struct ParquetReadOptions: Sendable {
    /// The largest uncompressed page accepted. Default 1 GiB.
    public var maxPageBytes: Int = 1 << 30
    /// The largest row group accepted, in rows. Default 64 Mi rows.
    public var maxRowGroupRows: Int = 64 << 20
    /// The largest footer accepted. Default 256 MiB.
    public var maxFooterBytes: Int = 256 << 20
    /// Threads that decode column chunks in parallel. Default: the number of CPUs.
    public var threads: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    public init() {}
}
