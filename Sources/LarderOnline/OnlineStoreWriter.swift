#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLarderSys
import LarderColumnar

/// Writes one feature view's online store: full builds, incremental overlays and folds, each
/// published atomically through `CURRENT` (docs/online-format.md, "Publishing").
///
/// Every operation takes the store's `LOCK` (an exclusive `flock`, so writers in other
/// threads and processes wait their turn), re-reads `CURRENT`, writes and syncs a new data
/// file, renames it into place, then replaces `CURRENT` (temporary file, fsync, rename, fsync
/// of the directory) and finally removes the files the new state no longer names. Readers
/// never wait: they see the old state or the new one, and files they have mapped stay
/// readable after removal.
///
/// ```swift
/// let writer = try OnlineStoreWriter(directory: "db/online/user_stats", schema: schema)
/// try writer.build(base: batches, tableVersion: 12)          // full rebuild
/// try writer.writeOverlay(upserts: [changes], deletions: [forgotten], tableVersion: 13)
/// ```
public struct OnlineStoreWriter: Sendable {
    /// The store directory (created if missing).
    public let directory: String
    /// The schema of the rows this writer writes.
    public let schema: OnlineSchema
    /// After an overlay write leaves more overlays than this, the writer folds them into a new
    /// base in the same operation (each overlay costs readers one more probe).
    public var maxOverlays: Int
    /// Test hook: runs between the steps of a publish; throwing `.simulatedCrash` leaves the
    /// files as a crash at that point would.
    var faultHook: (@Sendable (PublishStep) throws -> Void)?

    /// Creates a writer, and the directory (with its parents) if it does not exist.
    /// - Throws: ``OnlineStoreError`` `.io` when the directory cannot be created.
    public init(directory: String, schema: OnlineSchema, maxOverlays: Int = 8) throws {
        self.directory = directory
        self.schema = schema
        self.maxOverlays = max(0, maxOverlays)
        try Posix.makeDirectories(directory)
    }

    /// Replaces the whole store with the rows of `batches`: the newest row per key by
    /// (event time, created time), a later row winning ties. Overlays are dropped.
    ///
    /// Each batch holds the schema's key and value columns (by name; other columns are
    /// ignored), the event-time column and optionally the created-time column.
    /// - Parameter tableVersion: The offline table version the rows reflect.
    /// - Returns: What was published.
    /// - Throws: ``OnlineStoreError`` `.invalidArgument` for a batch that does not fit the
    ///   schema (nothing is written), `.io` for system failures (the previous state stays).
    ///   A damaged `CURRENT` or damaged data files do not stop a build: it replaces them.
    @discardableResult
    public func build(base batches: [RecordBatch], tableVersion: Int64) throws -> OnlinePublication {
        var builder = TableBuilder(schema: schema)
        for batch in batches { builder.add(.batch(try BatchSource(batch: batch, schema: schema, isDeletion: false))) }
        return try withLock {
            // A rebuild is the cure for a damaged store, so a damaged CURRENT does not stop it.
            let previous = try? CurrentPointer.read(directory: directory)
            return try publish(builder, kind: .base, previous: previous, existing: nil, tableVersion: tableVersion)
        }
    }

    /// Adds an overlay with `upserts` and the deletions in `deletions` (batches with the key
    /// columns and timestamps only), on top of the published state.
    ///
    /// A row is written only if it is not older, by (event time, created time), than the row
    /// the store already holds for its key; on a tie the incoming row wins, since it comes from
    /// a later commit. Deletions follow the same rule and are stored as tombstones, so an older
    /// row arriving later does not bring a deleted entity back. When the state then has more
    /// than ``maxOverlays`` overlays, they are folded into a new base.
    /// - Throws: ``OnlineStoreError`` `.notFound` when no base was built yet,
    ///   `.schemaMismatch` when the store has another schema (rebuild it), `.invalidArgument`
    ///   for a batch that does not fit the schema, `.io` for system failures.
    ///
    /// `replacements` and `removals` bypass that rule: their rows (removals as tombstones)
    /// replace whatever the store holds for their keys, newer or not. Materialization uses
    /// them when rows were deleted offline: the entity's newest remaining row may be older
    /// than the one served, or none may remain. A key must not appear both in them and in
    /// `upserts` or `deletions` (the newest of its input rows would win, as in ``build(base:tableVersion:)``).
    /// Give removals low timestamps (`Int64.min`) so that any later row brings the entity back.
    @discardableResult
    public func writeOverlay(upserts: [RecordBatch], deletions: [RecordBatch] = [],
                             replacements: [RecordBatch] = [], removals: [RecordBatch] = [],
                             tableVersion: Int64) throws -> OnlinePublication {
        var builder = TableBuilder(schema: schema)
        for batch in upserts { builder.add(.batch(try BatchSource(batch: batch, schema: schema, isDeletion: false))) }
        for batch in deletions { builder.add(.batch(try BatchSource(batch: batch, schema: schema, isDeletion: true))) }
        for batch in replacements {
            builder.add(.batch(try BatchSource(batch: batch, schema: schema, isDeletion: false, replaces: true)))
        }
        for batch in removals {
            builder.add(.batch(try BatchSource(batch: batch, schema: schema, isDeletion: true, replaces: true)))
        }
        return try withLock {
            let previous = try requireState()
            let state = try OnlineStore.mapState(previous, directory: directory, previous: nil, verification: .header, preload: false)
            var result = try publish(builder, kind: .overlay, previous: previous, existing: state,
                                     tableVersion: max(tableVersion, previous.tableVersion))
            if result.overlayCount > maxOverlays {
                let folded = try foldLocked()
                result.folded = true
                result.overlayCount = folded.overlayCount
                result.generation = folded.generation
            }
            return result
        }
    }

    /// Folds the overlays into a new base file (per key, the row of the newest file holding it,
    /// as lookups read it; tombstones are kept so that deleted entities stay deleted). Does
    /// nothing when there are no overlays.
    /// - Throws: ``OnlineStoreError`` `.notFound` when no base was built yet,
    ///   `.schemaMismatch` when the store has another schema, `.io` for system failures.
    @discardableResult
    public func fold() throws -> OnlinePublication {
        try withLock { try foldLocked() }
    }

    private func foldLocked() throws -> OnlinePublication {
        let previous = try requireState()
        guard !previous.overlays.isEmpty else {
            return OnlinePublication(generation: previous.generation, file: previous.base, inputRows: 0, rowCount: 0,
                                     tombstoneCount: 0, overlayCount: 0, folded: false)
        }
        let state = try OnlineStore.mapState(previous, directory: directory, previous: nil, verification: .header, preload: false)
        var builder = TableBuilder(schema: schema)
        builder.laterSourceWins = true
        for table in state.layers.reversed() { builder.add(.table(TableSource(table: table))) }
        var result = try publish(builder, kind: .base, previous: previous, existing: nil, tableVersion: previous.tableVersion)
        result.folded = true
        return result
    }

    private func requireState() throws -> CurrentPointer {
        guard let pointer = try CurrentPointer.read(directory: directory) else {
            throw OnlineStoreError(.notFound, "the online store has no base yet; build one first (`larder materialize`)", path: directory)
        }
        guard pointer.schemaHash == schema.hash else {
            throw OnlineStoreError(.schemaMismatch, "the store was built with another schema (hash \(hex(pointer.schemaHash)), this writer's is \(hex(schema.hash))): \(OnlineStoreError.rebuildAdvice)", path: directory)
        }
        return pointer
    }
}

/// What one writer operation published.
public struct OnlinePublication: Sendable, Equatable {
    /// The generation of the published state.
    public var generation: UInt64
    /// The data file written (a base or an overlay name inside the store directory).
    public var file: String
    /// The rows given as input.
    public var inputRows: Int
    /// The rows written: input rows minus those superseded by a newer row for the same key
    /// (in the input or, for overlays, in the store).
    public var rowCount: Int
    /// How many of the written rows are tombstones.
    public var tombstoneCount: Int
    /// The overlays of the published state.
    public var overlayCount: Int
    /// Whether the overlays were folded into a new base.
    public var folded: Bool
}

/// The moments between the steps of a publish (fault-injection tests stop a writer there).
enum PublishStep: Sendable, CaseIterable {
    /// The new data file is written and synced under its temporary name.
    case dataWritten
    /// The data file is renamed into place; `CURRENT` still names the old state.
    case dataRenamed
    /// The new `CURRENT` is written and synced under its temporary name.
    case currentWritten
    /// `CURRENT` names the new state; the old files are not removed yet.
    case currentRenamed
}
