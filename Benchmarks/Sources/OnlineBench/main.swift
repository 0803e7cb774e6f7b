// The online-store benchmark: Larder's LarderOnline against LMDB and SQLite (through their C
// APIs), the same rows into each, in one run on one machine. Benchmarks/online/run.sh builds
// it in release mode, runs it and prints the tables; BENCHMARKS.md ("Online store")
// describes the workload.
//
// For each entity count and each store: full materialization (build from in-memory batches
// into a new, durable store; repeated), optionally the same builds on a tmpfs, single-entity
// random reads (each timed), batch-of-100 reads (each batch timed), incremental
// materialization (upserts of 1% of the entities, repeated, durable), and for Larder the
// reads with the overlays that leaves and the fold. Every read phase checks its checksum
// against the generator's, every write phase its row counts, before its figures count.
//
// Options (all optional):
//   --entities 1000000,10000000   entity counts
//   --lookups 1000000             measured single reads per store (after warm-up)
//   --batches 10000               measured batch reads of --batch-size keys
//   --batch-size 100
//   --repeat 3                    full builds and incremental writes per store
//   --work DIR                    where the stores are written (ext4: the disk measured)
//   --tmpfs DIR                   also time the full builds in DIR (a tmpfs), deleted after each
//   --results DIR                 results.json and summary.md
//   --only larder,lmdb,sqlite
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LarderColumnar

struct Settings {
    var entities = [1_000_000, 10_000_000]
    var lookups = 1_000_000
    var batches = 10_000
    var batchSize = 100
    var repeats = 3
    var work = ".bench-data/online/work"
    var tmpfs: String?
    var results: String?
    var only: Set<String> = ["larder", "lmdb", "sqlite"]

    init(_ arguments: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        func int(_ text: String) throws -> Int {
            guard let v = Int(text.replacingOccurrences(of: "_", with: "")), v > 0 else { throw BenchError("not a positive number: \(text)") }
            return v
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--entities": entities = try value().split(separator: ",").map { try int(String($0)) }
            case "--lookups": lookups = try int(try value())
            case "--batches": batches = try int(try value())
            case "--batch-size": batchSize = try int(try value())
            case "--repeat": repeats = try int(try value())
            case "--work": work = try value()
            case "--tmpfs": tmpfs = try value()
            case "--results": results = try value()
            case "--only": only = Set(try value().split(separator: ",").map(String.init))
            default: throw BenchError("unknown argument \(arguments[i])")
            }
            i += 1
        }
    }
}

/// What one store did at one entity count.
struct StoreResult: Codable {
    var store: String
    var entities: Int
    /// Seconds of each full build (ext4 / the work folder; tmpfs when asked).
    var buildSeconds: [Double] = []
    var tmpfsBuildSeconds: [Double] = []
    var storeBytes: Int64 = 0
    /// Single reads per variant, in nanoseconds per read.
    var singleReads: [String: Latency] = [:]
    var singleReadOrder: [String] = []
    /// Batch reads, nanoseconds per batch.
    var batchReads: Latency?
    var batchSize = 0
    /// Incremental writes: rows given, rows written, seconds.
    var incremental: [Incremental] = []
    /// Larder only: single reads with the overlays the incremental writes left, and the fold.
    var readsWithOverlays: Latency?
    var overlayCount = 0
    var foldSeconds: Double?
    var notes: [String] = []

    struct Incremental: Codable {
        var rows: Int
        var written: Int
        var seconds: Double
    }
}

/// The same read keys, batches and expected checksums for every store at one entity count.
struct ReadPlan {
    let keys: [Int64]
    let expectedSum: Int64
    let batches: [[Int64]]
    let expectedBatchSum: Int64

    init(entities: Int, lookups: Int, batches batchCount: Int, batchSize: Int) {
        var generator = KeyGenerator(seed: 0x5EED_0000 ^ UInt64(entities))
        keys = (0 ..< lookups).map { _ in generator.next(below: entities) }
        expectedSum = keys.reduce(Int64(0)) { $0 &+ BenchRows.expectedTouch($1, 0) }
        batches = (0 ..< batchCount).map { _ in (0 ..< batchSize).map { _ in generator.next(below: entities) } }
        expectedBatchSum = batches.joined().reduce(Int64(0)) { $0 &+ BenchRows.expectedTouch($1, 0) }
    }
}

/// The entities of incremental write `round` (1, 2, …): about 1%, spread at random, in key order.
func incrementalKeys(entities: Int, round: Int) -> [Int64] {
    (Int64(0) ..< Int64(entities)).filter { BenchRows.mix($0, 1000 + round) % 100 == 0 }
}

func runStore<C: Contender>(_: C.Type, entities: Int, base: [RecordBatch], plan: ReadPlan,
                            settings: Settings) throws -> StoreResult {
    var result = StoreResult(store: C.name, entities: entities)
    let loadAverage = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    result.notes.append("load average \(loadAverage) at its start")
    log("\(C.name) \(entities): load average \(loadAverage)")
    let directory = settings.work + "/\(C.name)-\(entities)"

    // Full materialization: a new store each time, the last one kept for the reads.
    for round in 1 ... settings.repeats {
        removeTree(directory)
        try makeDirectory(directory)
        sync()
        let start = nowNanoseconds()
        let rows = try C.build(base, in: directory)
        let elapsed = seconds(since: start)
        try check(rows == entities, "\(C.name): the build holds \(rows) rows, expected \(entities)")
        result.buildSeconds.append(elapsed)
        log("\(C.name) \(entities): build \(round): \(String(format: "%.3f", elapsed)) s, \(String(format: "%.2f", Double(entities) / elapsed / 1e6))M rows/s")
    }
    if let tmpfs = settings.tmpfs {
        let scratch = tmpfs + "/\(C.name)-\(entities)"
        for round in 1 ... settings.repeats {
            removeTree(scratch)
            try makeDirectory(scratch)
            let start = nowNanoseconds()
            let rows = try C.build(base, in: scratch)
            let elapsed = seconds(since: start)
            removeTree(scratch)
            try check(rows == entities, "\(C.name): the tmpfs build holds \(rows) rows, expected \(entities)")
            result.tmpfsBuildSeconds.append(elapsed)
            log("\(C.name) \(entities): tmpfs build \(round): \(String(format: "%.3f", elapsed)) s, \(String(format: "%.2f", Double(entities) / elapsed / 1e6))M rows/s")
        }
    }

    do {
        let store = try C(directory: directory)
        try store.settle()
        result.storeBytes = diskBytes(directory)
        if let sqlite = store as? SQLiteContender { result.notes.append("sqlite mmap_size granted: \(sqlite.mmapSize) bytes") }

        // Warm-up: every row once in key order, then the first 10% of the measured keys.
        let warm = nowNanoseconds()
        try store.warmUp(entities: entities)
        for variant in C.readVariants.indices {
            _ = timeSingleReads(store, variant: variant, keys: Array(plan.keys.prefix(plan.keys.count / 10)))
        }
        log("\(C.name) \(entities): warm-up \(String(format: "%.1f", seconds(since: warm))) s")

        for (variant, label) in C.readVariants.enumerated() {
            let (times, sum, misses) = timeSingleReads(store, variant: variant, keys: plan.keys)
            let expectedSum = variant == 0 ? plan.expectedSum
                : plan.keys.reduce(Int64(0)) { $0 &+ C.expectedTouch($1, generation: 0, variant: variant) }
            try check(misses == 0, "\(label): \(misses) of \(plan.keys.count) keys not found")
            try check(sum == expectedSum, "\(label): single-read checksum \(sum), expected \(expectedSum)")
            let latency = Latency(times)
            result.singleReads[label] = latency
            result.singleReadOrder.append(label)
            log("\(label) \(entities): single reads p50 \(latency.p50) ns, p99 \(latency.p99), p999 \(latency.p999), max \(latency.max)")
        }
        let (times, sum, misses) = timeBatchReads(store, batches: plan.batches)
        try check(misses == 0, "\(C.name): \(misses) batch keys not found")
        try check(sum == plan.expectedBatchSum, "\(C.name): batch checksum \(sum), expected \(plan.expectedBatchSum)")
        result.batchReads = Latency(times)
        result.batchSize = settings.batchSize
        log("\(C.name) \(entities): batch reads p50 \(result.batchReads!.p50) ns, p99 \(result.batchReads!.p99)")

        // Incremental materialization: 1% of the entities, newer rows, one durable write each.
        var generation = [UInt8](repeating: 0, count: entities)
        var lastKeys: [Int64] = []
        for round in 1 ... settings.repeats {
            let keys = incrementalKeys(entities: entities, round: round)
            let batch = try BenchRows.batch(keys: keys, generation: round)
            let start = nowNanoseconds()
            let written = try store.upsert(batch)
            let elapsed = seconds(since: start)
            try check(written == keys.count, "\(C.name): the incremental write \(round) wrote \(written) of \(keys.count) newer rows")
            for key in keys { generation[Int(key)] = UInt8(round) }
            lastKeys = keys
            result.incremental.append(.init(rows: keys.count, written: written, seconds: elapsed))
            log("\(C.name) \(entities): incremental \(round): \(keys.count) rows in \(String(format: "%.4f", elapsed)) s")
        }
        // Check: the last round's rows and a random sample read back at their generation.
        let sample = lastKeys + plan.keys.prefix(100_000)
        let expected = sample.reduce(Int64(0)) { $0 &+ BenchRows.expectedTouch($1, Int(generation[Int($1)])) }
        let (_, readBack, missing) = timeSingleReads(store, variant: 0, keys: sample)
        try check(missing == 0 && readBack == expected, "\(C.name): after the incremental writes the read-back checksum is \(readBack) (\(missing) missing), expected \(expected)")

        if let larder = store as? LarderContender {
            result.overlayCount = larder.overlayCount
            let expectedNow = plan.keys.reduce(Int64(0)) { $0 &+ BenchRows.expectedTouch($1, Int(generation[Int($1)])) }
            let (times, sum, misses) = timeSingleReads(larder, variant: 0, keys: plan.keys)
            try check(misses == 0 && sum == expectedNow, "larder: reads with overlays: checksum \(sum), \(misses) missing")
            result.readsWithOverlays = Latency(times)
            log("larder \(entities): single reads with \(larder.overlayCount) overlays p50 \(result.readsWithOverlays!.p50) ns, p99 \(result.readsWithOverlays!.p99)")
            let start = nowNanoseconds()
            let rows = try larder.fold()
            result.foldSeconds = seconds(since: start)
            try check(rows == entities && larder.overlayCount == 0, "larder: the fold wrote \(rows) rows, \(larder.overlayCount) overlays left")
            let (_, afterFold, lost) = timeSingleReads(larder, variant: 0, keys: sample)
            try check(lost == 0 && afterFold == expected, "larder: after the fold the read-back checksum is \(afterFold), expected \(expected)")
            log("larder \(entities): fold \(String(format: "%.3f", result.foldSeconds!)) s")
        }
        let rows = try store.rowCount()
        try check(rows == entities, "\(C.name): the store holds \(rows) rows at the end, expected \(entities)")
    }
    removeTree(directory)
    return result
}

// MARK: - Report

func format(_ ns: Double) -> String {
    let us = ns / 1000
    return us < 10 ? String(format: "%.2f", us) : us < 100 ? String(format: "%.1f", us) : String(format: "%.0f", us)
}

func rate(_ rows: Int, _ seconds: Double) -> String {
    let r = Double(rows) / seconds
    return r >= 1e6 ? String(format: "%.2fM", r / 1e6) : String(format: "%.0fk", r / 1e3)
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? .nan : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func markdown(_ results: [StoreResult], clock: Latency, settings: Settings) -> String {
    var out: [String] = []
    out.append("Single reads: \(settings.lookups) random keys per store (uniform, all present), each timed; batches: \(settings.batches) × \(settings.batchSize) random keys. Times in µs; timing overhead (two clock reads) p50 \(Int(clock.p50)) ns, included in every single-read figure.")
    out.append("")
    out.append("| entities | store | single p50 µs | p99 µs | p999 µs | max µs | batch-of-\(settings.batchSize) p50 µs | batch p99 µs | per entity in batch µs (mean) |")
    out.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results {
        for (i, label) in r.singleReadOrder.enumerated() {
            guard let l = r.singleReads[label] else { continue }
            let batch = i == 0 ? r.batchReads : nil
            out.append("| \(r.entities.formatted()) | \(label) | \(format(l.p50)) | \(format(l.p99)) | \(format(l.p999)) | \(format(l.max)) | "
                + (batch.map { "\(format($0.p50)) | \(format($0.p99)) | \(String(format: "%.3f", $0.mean / Double(r.batchSize) / 1000))" } ?? " | | ") + " |")
        }
        if let l = r.readsWithOverlays {
            out.append("| \(r.entities.formatted()) | \(r.store), \(r.overlayCount) overlays | \(format(l.p50)) | \(format(l.p99)) | \(format(l.p999)) | \(format(l.max)) | | | |")
        }
    }
    out.append("")
    let tmpfs = settings.tmpfs != nil
    out.append("Materialization: full = \(settings.repeats) builds from the in-memory batches into a new durable store (best / median seconds; rows/s of the best)" + (tmpfs ? ", also on tmpfs" : "") + "; incremental = \(settings.repeats) durable upserts of ~1% of the entities (rows/s of the best, median seconds).")
    out.append("")
    out.append("| entities | store | full build s (best / median) | full rows/s | " + (tmpfs ? "tmpfs build s (best / median) | tmpfs rows/s | " : "") + "incremental rows | incremental s (best / median) | incremental rows/s | store MB |")
    out.append("| ---: | --- | ---: | ---: | " + (tmpfs ? "---: | ---: | " : "") + "---: | ---: | ---: | ---: |")
    for r in results {
        let best = r.buildSeconds.min() ?? .nan
        var row = "| \(r.entities.formatted()) | \(r.store) | \(String(format: "%.3f / %.3f", best, median(r.buildSeconds))) | \(rate(r.entities, best)) | "
        if tmpfs {
            let t = r.tmpfsBuildSeconds.min() ?? .nan
            row += r.tmpfsBuildSeconds.isEmpty ? " | | " : "\(String(format: "%.3f / %.3f", t, median(r.tmpfsBuildSeconds))) | \(rate(r.entities, t)) | "
        }
        let inc = r.incremental.min { $0.seconds < $1.seconds }
        row += inc.map { "\($0.rows.formatted()) | \(String(format: "%.4f / %.4f", $0.seconds, median(r.incremental.map(\.seconds)))) | \(rate($0.rows, $0.seconds)) | " } ?? " | | | "
        row += String(format: "%.0f |", Double(r.storeBytes) / 1e6)
        out.append(row)
    }
    let folds = results.filter { $0.foldSeconds != nil }
    if !folds.isEmpty {
        out.append("")
        for r in folds {
            out.append("- larder \(r.entities.formatted()): fold of the base and \(r.incremental.count) overlays into a new base: \(String(format: "%.3f", r.foldSeconds!)) s (\(rate(r.entities, r.foldSeconds!)) rows/s).")
        }
    }
    for r in results where !r.notes.isEmpty { out.append("- \(r.store) \(r.entities.formatted()): " + r.notes.joined(separator: "; ")) }
    return out.joined(separator: "\n") + "\n"
}

// MARK: - Main

do {
    let settings = try Settings(Array(CommandLine.arguments.dropFirst()))
    try makeDirectory(settings.work)
    let clock = clockOverhead()
    log("clock overhead p50 \(clock.p50) ns, p99 \(clock.p99) ns")
    var results: [StoreResult] = []
    for entities in settings.entities {
        var start = nowNanoseconds()
        let base = try BenchRows.base(count: entities)
        log("\(entities) entities: made \(base.count) batches in \(String(format: "%.1f", seconds(since: start))) s")
        start = nowNanoseconds()
        let plan = ReadPlan(entities: entities, lookups: settings.lookups, batches: settings.batches, batchSize: settings.batchSize)
        log("\(entities) entities: read plan in \(String(format: "%.1f", seconds(since: start))) s")
        if settings.only.contains("larder") { results.append(try runStore(LarderContender.self, entities: entities, base: base, plan: plan, settings: settings)) }
        if settings.only.contains("lmdb") { results.append(try runStore(LMDBContender.self, entities: entities, base: base, plan: plan, settings: settings)) }
        if settings.only.contains("sqlite") { results.append(try runStore(SQLiteContender.self, entities: entities, base: base, plan: plan, settings: settings)) }
    }
    let summary = markdown(results, clock: clock, settings: settings)
    if let directory = settings.results {
        try makeDirectory(directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(results).write(to: URL(fileURLWithPath: directory + "/results.json"))
        try Data(summary.utf8).write(to: URL(fileURLWithPath: directory + "/summary.md"))
    }
    print(summary, terminator: "")
} catch {
    log("FAILED: \(error)")
    exit(1)
}
