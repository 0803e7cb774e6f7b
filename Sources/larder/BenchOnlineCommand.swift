import ArgumentParser
import Foundation
import Larder
import LarderColumnar
#if canImport(Glibc)
import Glibc
#endif

/// `larder bench`: measurements users run on their own hardware.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure Larder on this machine.", subcommands: [BenchOnlineCommand.self])
}

/// `larder bench online`: materialization throughput and online read latency.
struct BenchOnlineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "online",
        abstract: "Build an online store of synthetic entities in a temporary directory and measure it.",
        discussion: """
        One view keyed by an int64, with 8 scalar features (int64, int32, float64, float32, bool, \
        string, and two more) and a 16-dimension vector. Reports full and incremental \
        materialization throughput (rows/s) and read latency percentiles (p50/p99/p999) for single \
        and batch-of-100 reads: raw store lookups (the serving path: OnlineStore.lookup, values \
        read in place) and the database API (OnlineFeatureReader.read, values copied with statuses).
        """
    )
    @Option(help: "Entities (rows) in the store.") var entities = 1_000_000
    @Option(help: "Single reads to time.") var reads = 200_000
    @Flag(help: "Print the results as JSON.") var json = false

    func validate() throws {
        if entities < 100 { throw ValidationError("--entities must be at least 100") }
        if reads < 1000 { throw ValidationError("--reads must be at least 1000") }
    }

    static let yaml = """
    entities:
      - name: entity
        join_keys: [entity_id]
    feature_views:
      - name: bench
        entities: [entity]
        timestamp_field: event_ts
        created_timestamp_column: created_ts
        schema:
          - {name: entity_id, dtype: int64}
          - {name: event_ts, dtype: timestamp}
          - {name: created_ts, dtype: timestamp}
          - {name: clicks, dtype: int64}
          - {name: views, dtype: int32}
          - {name: ctr, dtype: float64}
          - {name: score, dtype: float32}
          - {name: active, dtype: bool}
          - {name: country, dtype: string}
          - {name: spend, dtype: float64}
          - {name: sessions, dtype: int64}
          - {name: embedding, dtype: "array<float32>", dim: 16}
    """

    static func batch(_ ids: Range<Int>, event: Int64) throws -> RecordBatch {
        let n = ids.count
        var embedding = ColumnBuilder(type: .vector(dimension: 16), capacity: n)
        var vector = [Float](repeating: 0, count: 16)
        for id in ids {
            for d in 0 ..< 16 { vector[d] = Float((id &* 31 &+ d) % 1000) / 1000 }
            try embedding.append(vector: vector)
        }
        let countries = ["de", "fr", "us", "br", "jp", "in", "ng", "mx"]
        let schema = try Schema([
            Field("entity_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false), Field("created_ts", .timestamp),
            Field("clicks", .int64), Field("views", .int32), Field("ctr", .float64), Field("score", .float32), Field("active", .bool),
            Field("country", .string), Field("spend", .float64), Field("sessions", .int64), Field("embedding", .vector(dimension: 16)),
        ])
        return try RecordBatch(schema: schema, columns: [
            .int64(ids.map(Int64.init)), .timestamp([Int64](repeating: event, count: n)), .timestamp([Int64](repeating: event, count: n)),
            .int64(ids.map { Int64($0 % 977) }), .int32(ids.map { Int32($0 % 5003) }), .float64(ids.map { Double($0 % 100) / 100 }),
            .float32(ids.map { Float($0 % 1000) / 7 }), .bool(ids.map { $0 % 3 == 0 }), .string(ids.map { countries[$0 % 8] }),
            .float64(ids.map { Double($0) * 0.25 }), .int64(ids.map { Int64($0 % 61) }), embedding.finish(),
        ])
    }

    func run() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("larder-bench-online-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let db = try FeatureDatabase.create(at: root)
        try db.apply(try Definitions.parse(yaml: Self.yaml))
        let base: Int64 = 1_767_225_600_000_000
        try db.ingest([try Self.batch(0 ..< entities, event: base)], into: "bench")

        let full = try db.materialize(.init(mode: .full)).views[0]
        let updates = max(1, entities / 10)
        try db.ingest([try Self.batch(0 ..< updates, event: base + 1)], into: "bench")
        let incremental = try db.materialize(.init(mode: .incremental)).views[0]

        // Raw lookups: the serving path.
        let store = try db.onlineStore(view: "bench", verification: .full)
        let clicks = store.schema.valueIndex(named: "clicks")!, embedding = store.schema.valueIndex(named: "embedding")!
        var random = BenchRandom(seed: 42)
        var sink: Double = 0
        var single = [UInt64](repeating: 0, count: reads)
        for i in 0 ..< reads {
            let key = Int64(random.below(entities))
            let start = monotonicNanos()
            if let row = store.lookup(key) {
                sink += Double(row.int64(clicks) ?? 0)
                if let v = row.vector(embedding) { v.withUnsafeBufferPointer { for f in $0 { sink += Double(f) } } }
            }
            single[i] = monotonicNanos() - start
        }
        let batches = max(100, reads / 100)
        var batch = [UInt64](repeating: 0, count: batches)
        var keys = [Int64](repeating: 0, count: 100)
        for i in 0 ..< batches {
            for k in 0 ..< 100 { keys[k] = Int64(random.below(entities)) }
            let start = monotonicNanos()
            for row in store.lookup(keys) {
                if let row {
                    sink += Double(row.int64(clicks) ?? 0)
                    if let v = row.vector(embedding) { v.withUnsafeBufferPointer { for f in $0 { sink += Double(f) } } }
                }
            }
            batch[i] = monotonicNanos() - start
        }

        // The database API: every feature, copied out with statuses.
        let reader = try db.onlineReader(features: .references([FeatureReference(view: "bench", feature: nil)]))
        let apiReads = max(1000, reads / 10)
        var apiSingle = [UInt64](repeating: 0, count: apiReads)
        for i in 0 ..< apiReads {
            let entity = try RecordBatch(["entity_id": .int64([Int64(random.below(entities))])])
            let start = monotonicNanos()
            let result = try reader.read(entities: entity, at: base)
            apiSingle[i] = monotonicNanos() - start
            if result.features[0].statuses[0] != .present { sink -= 1 }
        }
        let apiBatches = max(100, apiReads / 100)
        var apiBatch = [UInt64](repeating: 0, count: apiBatches)
        for i in 0 ..< apiBatches {
            let entity = try RecordBatch(["entity_id": .int64((0 ..< 100).map { _ in Int64(random.below(entities)) })])
            let start = monotonicNanos()
            let result = try reader.read(entities: entity, at: base)
            apiBatch[i] = monotonicNanos() - start
            sink += Double(result.entityCount)
        }
        guard sink.isFinite else { throw ExitCode(1) }

        let report: [String: Any] = [
            "entities": entities,
            "materialize_full": ["rows": full.rowsRead, "seconds": full.seconds, "rows_per_second": Double(full.rowsRead) / full.seconds],
            "materialize_incremental": ["rows": incremental.rowsRead, "seconds": incremental.seconds,
                                        "rows_per_second": Double(incremental.rowsRead) / incremental.seconds],
            "store_lookup_single_us": percentiles(single),
            "store_lookup_batch100_us": percentiles(batch),
            "api_read_single_us": percentiles(apiSingle),
            "api_read_batch100_us": percentiles(apiBatch),
        ]
        if json {
            try printJSON(report)
            return
        }
        print("online store: \(entities) entities, 8 scalar features + a 16-dim vector")
        print(String(format: "  materialize full:        %9.0f rows/s (%d rows, %.2f s)", Double(full.rowsRead) / full.seconds, full.rowsRead, full.seconds))
        print(String(format: "  materialize incremental: %9.0f rows/s (%d rows, %.2f s)", Double(incremental.rowsRead) / incremental.seconds,
                     incremental.rowsRead, incremental.seconds))
        for (name, samples) in [("store lookup, single", single), ("store lookup, batch of 100", batch),
                                ("API read, single", apiSingle), ("API read, batch of 100", apiBatch)] {
            let p = percentiles(samples)
            let label = name.padding(toLength: 28, withPad: " ", startingAt: 0)
            print("  " + label + String(format: "p50 %8.2f µs  p99 %8.2f µs  p999 %8.2f µs  (%d reads)",
                                        p["p50"]!, p["p99"]!, p["p999"]!, samples.count))
        }
    }

    private func percentiles(_ samples: [UInt64]) -> [String: Double] {
        let sorted = samples.sorted()
        func at(_ q: Double) -> Double { Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) / 1000 }
        return ["p50": at(0.5), "p99": at(0.99), "p999": at(0.999)]
    }
}

private func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// SplitMix64, for reproducible key choices.
private struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func below(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
