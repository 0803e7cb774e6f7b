import LarderColumnar

/// One store under test. Each gets the same batches, the same keys to read, the same
/// upserts, and checks the same checksum (``BenchRows/touch(clicks:spend:segmentLast:embedding0:eventTs:)``).
protocol Contender: AnyObject {
    /// The store's name in the tables.
    static var name: String { get }
    /// Creates a new store in the empty folder `directory` holding `batches` (full
    /// materialization) and makes it durable; returns the rows the store holds.
    static func build(_ batches: [RecordBatch], in directory: String) throws -> Int
    /// Opens the store in `directory` for reading (and for the incremental writes).
    init(directory: String) throws
    /// Reads every row once in key order (untimed warm-up: faults in every page).
    func warmUp(entities: Int) throws
    /// The ways this store serves a single read (most have one; LMDB has two).
    static var readVariants: [String] { get }
    /// What a read of `variant` adds to the checksum for entity `key` at `generation`.
    static func expectedTouch(_ key: Int64, generation: Int, variant: Int) -> Int64
    /// One single-entity read, as a service answers one request, the way `variant` (an
    /// index into ``readVariants``) does it: the row's checksum contribution, or nil when
    /// the key is absent.
    func read(_ key: Int64, variant: Int) -> Int64?
    /// One batch read, as a service answers a request for many entities: the sum of the
    /// rows' contributions and the number found.
    func read(batch keys: [Int64]) -> (sum: Int64, found: Int)
    /// Writes the rows of `batch` where they are newer (by event time, then created time)
    /// than the stored ones, durably, and makes them visible to this reader; returns the
    /// rows written.
    func upsert(_ batch: RecordBatch) throws -> Int
    /// The number of rows the store holds (a check).
    func rowCount() throws -> Int
    /// Untimed housekeeping after the timed builds (SQLite: truncates its WAL).
    func settle() throws
}

extension Contender {
    var name: String { Self.name }
    static var readVariants: [String] { [name] }
    static func expectedTouch(_ key: Int64, generation: Int, variant: Int) -> Int64 {
        BenchRows.expectedTouch(key, generation)
    }
    func settle() throws {}
}
