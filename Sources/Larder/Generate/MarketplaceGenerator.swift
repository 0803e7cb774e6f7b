import Dispatch
import Foundation
import LarderColumnar
import LarderParquet
import Synchronization

/// A deterministic synthetic fitness-class marketplace: users book classes (items).
///
/// Users have planted preferences (1-3 preferred categories, a price band, a home region, a
/// Zipf-like activity level); classes have a category, a region, a price and a Zipf-like
/// popularity. The interactions spine holds every class shown to a user in time order, with
/// `label` 1 when it was booked (drawn mostly from the user's preferred categories, home
/// region and price band, popular classes first) and 0 when it was only shown (mostly
/// globally popular classes). The feature tables `user_stats`, `item_stats` and `user_item`
/// are computed from the interactions as of each row's event time, and carry the untidiness
/// real feature tables have: about 2% nulls in some feature columns, 1% duplicate
/// (key, event_ts) rows that differ in `created_ts` and values (the later one is right), 1%
/// late-arriving rows (`created_ts` days after `event_ts`) and skewed keys.
///
/// Event times lie in [2026-01-01, 2026-07-01) UTC; created times are at most 14 days later.
/// Nothing depends on the clock, the thread count or hash-table order: the same scale and seed
/// give the same values everywhere and byte-identical files with the same build (a different
/// libzstd version may compress differently).
///
/// File order: the spine, `item_stats` and `user_item` are in event-time order (`user_item`
/// follows its interactions, up to 6 hours late); `user_stats` is in event-day order and by
/// user within a day, as a daily snapshot job writes it. Ids: users `1 ... users`, classes
/// `itemIDBase + 1 ... itemIDBase + items`.
///
/// ```swift
/// let summary = try MarketplaceGenerator(scale: .tiny, seed: 42).write(to: "marketplace")
/// for file in summary.files { print(file.name, file.rowCount, file.sizeBytes) }
/// ```
public struct MarketplaceGenerator: Sendable {
    /// How much data to generate.
    public enum Scale: String, CaseIterable, Sendable {
        /// For unit tests: 200 users, 100 classes, 5k interactions, 10k user_stats rows.
        case tiny
        /// A tenth of medium: for the demo.
        case small
        /// For benchmarks: 1M interactions, 10M user_stats rows.
        case medium

        /// The row counts of this scale.
        public var sizes: MarketplaceSizes {
            switch self {
            case .tiny: MarketplaceSizes(users: 200, items: 100, interactions: 5_000, userStats: 10_000, itemStats: 4_000, userItem: 1_000)
            case .small: MarketplaceSizes(users: 5_000, items: 500, interactions: 100_000, userStats: 1_000_000, itemStats: 200_000, userItem: 50_000)
            case .medium: MarketplaceSizes(users: 50_000, items: 5_000, interactions: 1_000_000, userStats: 10_000_000, itemStats: 2_000_000, userItem: 500_000)
            }
        }
    }

    /// 2026-01-01T00:00:00Z, in microseconds: the first possible event time.
    public static let startMicros: Int64 = 1_767_225_600_000_000
    /// 2026-07-01T00:00:00Z: every event time is earlier.
    public static let endMicros: Int64 = startMicros + 181 * 86_400_000_000
    /// Class categories, in the order used by the generator.
    public static var categories: [String] { MarketplaceWorld.categories }
    /// User and class regions.
    public static var regions: [String] { MarketplaceWorld.regions }
    /// Price bands: budget (< $15), standard (< $25), premium.
    public static var priceBands: [String] { MarketplaceWorld.priceBands }
    /// Item ids are `itemIDBase + 1 ... itemIDBase + items`; user ids are `1 ... users`.
    public static var itemIDBase: Int64 { MarketplaceWorld.itemIDBase }

    /// How much data to generate.
    public let scale: Scale
    /// The seed of every random choice.
    public let seed: UInt64

    /// A generator for `scale` and `seed` (generation happens in ``write(to:progress:)``).
    public init(scale: Scale, seed: UInt64 = 42) {
        self.scale = scale
        self.seed = seed
    }

    /// Generates every file into `directory` (created if missing; existing files of the same
    /// names are replaced): `users.parquet`, `items.parquet`, `interactions.parquet`,
    /// `user_stats.parquet`, `item_stats.parquet`, `user_item.parquet` and `definitions.yaml`.
    ///
    /// - Parameter progress: called on the calling thread with a file name and the fraction of
    ///   it written so far: 0 when it starts, 1 once when it is complete.
    /// - Throws: ``DatabaseError`` `.io` when the directory or a file cannot be written.
    @discardableResult
    public func write(to directory: String, progress: ((String, Double) -> Void)? = nil) throws -> MarketplaceSummary {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError(.io, "cannot create the output directory: \(Self.reason(error))", file: directory)
        }
        let sizes = scale.sizes
        var files: [MarketplaceSummary.File] = []
        func record(_ name: String, _ summary: ParquetFileSummary) {
            files.append(.init(name: name, path: summary.path, rowCount: summary.rowCount, sizeBytes: summary.sizeBytes))
            progress?(name, 1)
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        var options = ParquetWriteOptions()
        // Tiny files are for unit tests, which run debug builds: skip the dictionary attempt,
        // the slowest part of an unoptimized writer. The larger scales get dictionary pages.
        options.dictionary = scale != .tiny
        options.rowGroupRows = SnapshotPlan.rowGroupRows

        do {
            let world = MarketplaceWorld(users: sizes.users, items: sizes.items, seed: seed)
            progress?("users.parquet", 0)
            record("users.parquet", try ParquetWriter.write([world.usersBatch()], to: path("users.parquet"), options: options))
            record("items.parquet", try ParquetWriter.write([world.itemsBatch()], to: path("items.parquet"), options: options))

            progress?("interactions.parquet", 0)
            let interactions = MarketplaceInteractions(world: world, count: sizes.interactions, seed: seed)
            let spineName = MarketplaceDefinitions.fileName(view: MarketplaceDefinitions.interactions.name)
            let spineSchema = try MarketplaceDefinitions.tableSchema(MarketplaceDefinitions.interactions)
            record(spineName, try ParquetWriter.write([interactions.batch(schema: spineSchema)], to: path(spineName), options: options))

            let tables: [(view: FeatureView, rows: Int, chunk: @Sendable (Int, SnapshotPlan, Schema) throws -> RecordBatch)] = [
                (MarketplaceDefinitions.userStats, sizes.userStats, { try UserStatsTable.chunk($0, plan: $1, world: world, interactions: interactions, schema: $2) }),
                (MarketplaceDefinitions.itemStats, sizes.itemStats, { try ItemStatsTable.chunk($0, plan: $1, world: world, interactions: interactions, schema: $2) }),
                (MarketplaceDefinitions.userItem, sizes.userItem, { try UserItemTable.chunk($0, plan: $1, world: world, interactions: interactions, schema: $2) }),
            ]
            for table in tables {
                let name = MarketplaceDefinitions.fileName(view: table.view.name)
                let schema = try MarketplaceDefinitions.tableSchema(table.view)
                let plan = SnapshotPlan(rows: table.rows)
                progress?(name, 0)
                let make = table.chunk
                let summary = try Self.writeChunked(path: path(name), schema: schema, chunks: plan.chunkCount, options: options,
                                                    progress: { progress?(name, $0) }) { try make($0, plan, schema) }
                record(name, summary)
            }
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError(.io, "cannot write the marketplace: \(Self.reason(error))", file: directory)
        }

        let definitionsPath = path("definitions.yaml")
        do {
            let text = MarketplaceDefinitions.yaml(scale: scale, seed: seed)
            try Data(text.utf8).write(to: URL(fileURLWithPath: definitionsPath), options: .atomic)
        } catch {
            throw DatabaseError(.io, "cannot write the definitions file: \(Self.reason(error))", file: definitionsPath)
        }
        return MarketplaceSummary(scale: scale, seed: seed, directory: directory, files: files, definitionsPath: definitionsPath)
    }

    /// Writes a table generated in chunks: chunk `k` is `make(k)` (a pure function of `k`), made
    /// as many at a time as there are processors, in the background while the previous group is
    /// encoded and written, and written in order.
    private static func writeChunked(path: String, schema: Schema, chunks: Int, options: ParquetWriteOptions,
                                     progress: (Double) -> Void,
                                     make: @escaping @Sendable (Int) throws -> RecordBatch) throws -> ParquetFileSummary {
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        let parallelism = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Starts generating chunks `first ..< first + count` in the background.
        func start(_ first: Int) -> (slots: ChunkSlots, done: DispatchGroup, end: Int) {
            let count = min(parallelism, chunks - first)
            let slots = ChunkSlots(count: count)
            let done = DispatchGroup()
            done.enter()
            DispatchQueue.global().async {
                DispatchQueue.concurrentPerform(iterations: count) { k in slots.set(k, Result { try make(first + k) }) }
                done.leave()
            }
            return (slots, done, first + count)
        }
        var inFlight = chunks > 0 ? start(0) : nil
        do {
            while let current = inFlight {
                current.done.wait()
                inFlight = current.end < chunks ? start(current.end) : nil
                for batch in try current.slots.values() { try writer.write(batch) }
                if current.end < chunks { progress(Double(current.end) / Double(chunks)) }
            }
            return try writer.close()
        } catch {
            inFlight?.done.wait()
            writer.abandon()
            throw error
        }
    }

    /// A one-line reason for an error from the file system or the Parquet writer.
    private static func reason(_ error: any Error) -> String {
        if let e = error as? ParquetError { return e.description }
        if let e = error as? CocoaError, let posix = e.underlying as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        return "\(error)"
    }
}

/// The row counts of a generated marketplace.
public struct MarketplaceSizes: Hashable, Sendable {
    /// Rows of `users.parquet`.
    public var users: Int
    /// Rows of `items.parquet` (classes).
    public var items: Int
    /// Rows of the interactions spine (bookings and impressions).
    public var interactions: Int
    /// Rows of `user_stats.parquet`, duplicates included.
    public var userStats: Int
    /// Rows of `item_stats.parquet`, duplicates included.
    public var itemStats: Int
    /// Rows of `user_item.parquet`, duplicates included.
    public var userItem: Int

    /// Row counts; the scales' are in ``MarketplaceGenerator/Scale/sizes``.
    public init(users: Int, items: Int, interactions: Int, userStats: Int, itemStats: Int, userItem: Int) {
        self.users = users
        self.items = items
        self.interactions = interactions
        self.userStats = userStats
        self.itemStats = itemStats
        self.userItem = userItem
    }
}

/// What ``MarketplaceGenerator/write(to:progress:)`` wrote.
public struct MarketplaceSummary: Sendable {
    /// One Parquet file.
    public struct File: Hashable, Sendable {
        /// The file name, e.g. `user_stats.parquet`.
        public var name: String
        /// The file's path.
        public var path: String
        public var rowCount: Int
        /// The file's size in bytes.
        public var sizeBytes: Int
    }

    public var scale: MarketplaceGenerator.Scale
    public var seed: UInt64
    /// The directory the files are in.
    public var directory: String
    /// The Parquet files, in the order written.
    public var files: [File]
    /// The path of `definitions.yaml`.
    public var definitionsPath: String

    /// The file called `name` (`"user_stats.parquet"`), if written.
    public func file(named name: String) -> File? { files.first { $0.name == name } }
}

/// Results of parallel chunk generation, each slot set by one worker.
private final class ChunkSlots: Sendable {
    private let slots: Mutex<[Result<RecordBatch, any Error>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ result: sending Result<RecordBatch, any Error>) {
        slots.withLock { $0[index] = result }
    }

    func values() throws -> [RecordBatch] {
        try slots.withLock { $0 }.map { slot in
            guard let slot else { throw DatabaseError(.io, "internal: a generator task did not finish") }
            return try slot.get()
        }
    }
}
