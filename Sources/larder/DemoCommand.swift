import ArgumentParser
import Foundation
import LarderColumnar
import Larder
import LarderParquet

/// `larder demo`: the main job of what Larder can do so far. It generates a feature table,
/// writes it as compressed Parquet, reads it back and checks every value, and shows data
/// skipping by statistics. Later layers (tables, ingest, joins, serving) extend it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: write and read a generated feature table, with timings."
    )

    @Option(help: "Directory for the demo's files.")
    var dir: String = "larder-demo"

    @Option(help: "Rows in the generated feature table.")
    var rows: Int = 2_000_000

    @Option(help: "Codec: zstd, lz4_raw or uncompressed.")
    var codec: String = "zstd"

    @Option(help: "Marketplace scale for the feature-database part: tiny, small or medium.")
    var scale: String = "small"

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be positive") }
        guard Self.codec(named: codec) != nil else { throw ValidationError("--codec must be zstd, lz4_raw or uncompressed") }
        guard MarketplaceGenerator.Scale(rawValue: scale) != nil else { throw ValidationError("--scale must be tiny, small or medium") }
    }

    static func codec(named name: String) -> Codec? {
        switch name.lowercased() {
        case "zstd": .zstd
        case "lz4_raw", "lz4raw", "lz4": .lz4Raw
        case "uncompressed", "none": .uncompressed
        default: nil
        }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent("user_features.parquet")
        print("Larder demo: \(rows) rows of user features → \(path)\n")

        var clock = Stopwatch()
        let batch = try DemoData.userFeatures(rows: rows)
        let bytes = DemoData.decodedBytes(batch)
        print(String(format: "  generate   %8.2f s   %d columns, %.0f MB in memory", clock.lap(), batch.columns.count, Double(bytes) / 1e6))

        var options = ParquetWriteOptions(codec: Self.codec(named: codec) ?? .zstd)
        options.rowGroupRows = max(1, rows / 8)
        let summary = try ParquetWriter.write([batch], to: path, options: options)
        let writeTime = clock.lap()
        print(String(format: "  write      %8.2f s   %.0f MB/s, %d row groups, %.1f MB on disk (%.1fx smaller)",
                     writeTime, Double(bytes) / writeTime / 1e6, summary.rowGroupCount,
                     Double(summary.sizeBytes) / 1e6, Double(bytes) / Double(max(summary.sizeBytes, 1))))

        let file = try ParquetFile(path: path)
        let back = try file.read()
        let readTime = clock.lap()
        guard back == batch else { throw DemoFailure("the file read back differs from what was written") }
        print(String(format: "  read       %8.2f s   %.0f MB/s, every value checked", readTime, Double(bytes) / readTime / 1e6))

        let probe = Int64(rows / 3 / 10)
        let groups = file.rowGroups(matching: [.equals("user_id", .int64(probe))])
        let hits = try file.read(columns: ["user_id", "spend_30d"], rowGroups: groups)
        let matches = try hits.columns[0].compare(.equal, .int64(probe)).setCount
        print(String(format: "  lookup     %8.2f s   user_id = %d: read %d of %d row groups (statistics), %d rows",
                     clock.lap(), probe, groups.count, file.rowGroupCount, matches))
        try runDatabase(&clock)
        print("\nInspect: larder inspect \(path)   and   larder inspect \(dir)/features.larder/tables/user_stats")
    }

    /// The feature database: a generated marketplace applied, ingested, and read back in time.
    private func runDatabase(_ clock: inout Stopwatch) throws {
        let scale = MarketplaceGenerator.Scale(rawValue: scale) ?? .small
        let market = (dir as NSString).appendingPathComponent("marketplace")
        let dbPath = (dir as NSString).appendingPathComponent("features.larder")
        try? FileManager.default.removeItem(atPath: dbPath)
        print("\nFeature database: the \(scale.rawValue) marketplace → \(dbPath)\n")
        _ = clock.lap()
        let summary = try MarketplaceGenerator(scale: scale, seed: 42).write(to: market)
        let generated = summary.files.reduce(0) { $0 + $1.rowCount }
        print(String(format: "  generate   %8.2f s   %d rows in %d Parquet files + definitions.yaml", clock.lap(), generated, summary.files.count))
        let db = try FeatureDatabase.create(at: dbPath)
        let applied = try db.apply(try Definitions.load(path: summary.definitionsPath))
        print(String(format: "  apply      %8.2f s   %d changes: %@", clock.lap(), applied.diff.allChanges.count,
                     applied.diff.added.map(\.name).joined(separator: ", ")))
        for view in try db.catalog().featureViews {
            let file = (market as NSString).appendingPathComponent(MarketplaceDefinitions.fileName(view: view.name))
            let r = try db.ingest(files: [file], into: view.name)
            let t = clock.lap()
            print(String(format: "  ingest     %8.2f s   %@: %d rows as version %lld (%.0fk rows/s)",
                         t, view.name, r.rows, r.version ?? -1, Double(r.rows) / max(t, 1e-9) / 1000))
        }
        // Time travel: delete a user (the right to be forgotten), then read the view before and after.
        let table = try db.table(for: "user_stats")
        let before = try table.snapshot()
        guard let someone = try before.read(columns: ["user_id"]).columns[0].int64Values?.first else { return }
        let deleted = try table.delete(where: [.equals("user_id", .int64(someone))])
        let now = try table.snapshot().read(columns: ["user_id"]).rowCount
        let then = try table.snapshot(version: before.version).read(columns: ["user_id"]).rowCount
        print(String(format: "  forget     %8.2f s   user %lld: %lld rows deleted in version %lld; version %lld still has %d rows, now %d",
                     clock.lap(), someone, deleted.rowsRemoved, deleted.version ?? -1, before.version, then, now))

        // A point-in-time training set: every interaction with the features known at its time.
        let spine = (market as NSString).appendingPathComponent(MarketplaceDefinitions.fileName(view: "interactions"))
        let training = (dir as NSString).appendingPathComponent("training.parquet")
        let result = try db.writeHistoricalFeatures(spineFile: spine, features: .service("ranker_v1"), to: training)
        let matched = result.views.map { "\($0.view) \(String(format: "%.0f", 100 * Double($0.matched) / Double(max(result.rows, 1))))%" }
        print(String(format: "  training   %8.2f s   %d rows × %d features → training.parquet; matched %@; leakage check: %d ok, %d violations",
                     clock.lap(), result.rows, result.views.reduce(0) { $0 + $1.features.count },
                     matched.joined(separator: ", "), result.leakage.checked, result.leakage.violations))

        // Serving: sync the online store, then read users' features one at a time.
        let synced = try db.materialize()
        let entities = synced.views.reduce(0) { $0 + $1.rowsWritten }
        print(String(format: "  online     %8.2f s   materialized %d entities of %d views from %d table rows",
                     clock.lap(), entities, synced.views.count, synced.rowsRead))
        let reader = try db.onlineReader(features: .references([FeatureReference(view: "user_stats", feature: nil)]))
        let users = try db.snapshot(of: "user_stats").read(columns: ["user_id"]).columns[0].int64Values ?? []
        var latencies: [Double] = []
        var present = 0
        for k in 0 ..< min(2000, users.count) {
            let user = users[(k &* 7919) % users.count]
            let start = DispatchTime.now().uptimeNanoseconds
            let read = try reader.read(entities: [["user_id": .int64(user)]], at: MarketplaceGenerator.endMicros)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            if read.features.first?.statuses.first == .present { present += 1 }
        }
        latencies.sort()
        let p50 = latencies.isEmpty ? 0 : latencies[latencies.count / 2], p99 = latencies.isEmpty ? 0 : latencies[latencies.count * 99 / 100]
        print(String(format: "  serve      %8.2f s   %d single-user reads through the API: p50 %.1f µs, p99 %.1f µs; %d present",
                     clock.lap(), latencies.count, p50, p99, present))
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Wall-clock lap timer.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
}

/// A deterministic user-feature table, sorted by (user_id, event_ts) like Larder's layout.
enum DemoData {
    static func userFeatures(rows: Int) throws -> RecordBatch {
        var rng = DemoRandom(seed: 20261123)
        var userID = [Int64](repeating: 0, count: rows), eventTS = userID, createdTS = userID, visits = userID
        var spend = [Double](repeating: 0, count: rows)
        var member = [Bool](repeating: false, count: rows)
        var spendValid = Bitmap(count: rows, value: true)
        var embedding = [Float](repeating: 0, count: rows * 8)
        var category = ColumnBuilder(type: .string, capacity: rows)
        let categories = ["yoga", "pilates", "spin", "boxing", "climbing", "swim", "hiit", "barre", "run", "dance"]
        let start: Int64 = 1_767_225_600_000_000 // 2026-01-01T00:00:00Z
        for i in 0 ..< rows {
            userID[i] = Int64(i / 10)
            eventTS[i] = start + Int64(i % 10) * 86_400_000_000 + Int64(rng.next() % 3_600_000_000)
            createdTS[i] = eventTS[i] + Int64(rng.next() % 7_200_000_000)
            visits[i] = Int64(rng.next() % 60)
            spend[i] = Double(rng.next() % 50_000) / 100
            if rng.next() % 50 == 0 { spendValid[i] = false; spend[i] = 0 }
            member[i] = rng.next() % 3 == 0
            category.append(string: categories[Int(rng.next() % UInt64(categories.count))])
            for k in 0 ..< 8 { embedding[i * 8 + k] = Float(rng.next() % 2000) / 1000 - 1 }
        }
        let schema = try Schema([
            Field("user_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false),
            Field("created_ts", .timestamp, nullable: false), Field("visits_7d", .int64), Field("spend_30d", .float64),
            Field("fav_category", .string), Field("is_member", .bool), Field("embedding", .vector(dimension: 8)),
        ])
        return try RecordBatch(schema: schema, columns: [
            .int64(userID), .timestamp(eventTS), .timestamp(createdTS), .int64(visits),
            .float64(spend, validity: spendValid), category.finish(), .bool(member),
            try Column(type: .vector(dimension: 8), storage: .vector(dimension: 8, values: embedding)),
        ])
    }

    static func decodedBytes(_ batch: RecordBatch) -> Int {
        batch.columns.reduce(0) { total, c in
            switch c.storage {
            case .int32(let v): total + v.count * 4
            case .int64(let v): total + v.count * 8
            case .float32(let v): total + v.count * 4
            case .float64(let v): total + v.count * 8
            case .bool(let v): total + v.count
            case .bytes(let o, let d): total + d.count + 4 * (o.count - 1)
            case .vector(_, let v): total + v.count * 4
            }
        }
    }
}

/// SplitMix64, so the demo data is the same on every machine.
struct DemoRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
