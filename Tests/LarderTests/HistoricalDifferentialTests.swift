import Foundation
import Larder
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

// Differential tests of the point-in-time join: random tiny worlds (a database with three
// views, a few commits each) and many random spines and requests against each, every answer
// compared with PointInTimeReference (Tests/LarderTestSupport), which computes the contract
// by nested loops. Every failure message starts with the world's seed; replay one world with
// LARDER_PIT_SEED=<seed> (and more worlds with LARDER_PIT_WORLDS=<n>).

/// One random world: a database, its views, and the batches committed to each.
struct PITWorld: Sendable {
    static let step: Int64 = 1_000_000
    static let base: Int64 = 1_767_225_600_000_000

    struct ViewData: Sendable {
        var view: FeatureView
        var keys: [String]
        var features: [String]
        var types: [String: DataType]
        var commits: [RecordBatch]

        func reference(features: [String], visibleCommits: Int?) -> PointInTimeReference.View {
            .init(name: view.name, keys: keys, timestamp: view.timestampField, created: view.createdTimestampColumn,
                  ttl: view.ttl, features: features, featureTypes: types, commits: commits, visibleCommits: visibleCommits)
        }
    }

    let seed: UInt64
    let directory: TemporaryDirectory?
    let database: FeatureDatabase?
    let views: [ViewData]

    var db: FeatureDatabase { get throws { try #require(database) } }
    func file(_ name: String) throws -> String { try #require(directory).file(name) }
    /// The service `svc`: `u:score`, all of `us`, `s:label`.
    static let service: [(view: String, features: [String]?)] = [("u", ["score"]), ("us", nil), ("s", ["label"])]

    func view(_ name: String) -> ViewData? { views.first { $0.view.name == name } }

    /// A world from `seed`: views `u` (key user_id), `us` (user_id, shop) and `s` (shop), each
    /// with or without a ttl and a created column, 1-4 commits of 1-7 rows on a small grid of
    /// keys and times, so ties on event and created time within and across commits are common.
    /// With `database == false` only the data is made (no directory, no database).
    static func make(seed: UInt64, database: Bool = true) throws -> PITWorld {
        var rng = LarderTestSupport.SplitMix64(seed: seed)
        let entities = [Entity(name: "user", joinKeys: ["user_id"]), Entity(name: "shop", joinKeys: ["shop"])]
        func maybe(_ p: Double) -> Bool { Double.random(in: 0 ..< 1, using: &rng) < p }
        struct Shape { var name: String; var entities: [String]; var keys: [String]; var time: String; var created: String; var ttlSteps: Int64; var features: [(String, FeatureType)] }
        let shapes = [
            Shape(name: "u", entities: ["user"], keys: ["user_id"], time: "event_ts", created: "created_ts", ttlSteps: 2,
                  features: [("score", .int64), ("amount", .float64), ("tag", .string), ("flag", .bool), ("emb", .floatVector(dimension: 2))]),
            Shape(name: "us", entities: ["user", "shop"], keys: ["user_id", "shop"], time: "ts", created: "created_at", ttlSteps: 3,
                  features: [("score", .int64), ("ratio", .float32)]),
            Shape(name: "s", entities: ["shop"], keys: ["shop"], time: "event_ts", created: "created_ts", ttlSteps: 1,
                  features: [("score", .int64), ("label", .string)]),
        ]
        var featureViews: [FeatureView] = []
        for shape in shapes {
            var schema = shape.keys.map { FeatureField(name: $0, type: $0 == "shop" ? .string : .int64) }
            schema.append(FeatureField(name: shape.time, type: .timestamp))
            let created = maybe(0.6) ? shape.created : nil
            if let created { schema.append(FeatureField(name: created, type: .timestamp)) }
            schema += shape.features.map { FeatureField(name: $0.0, type: $0.1) }
            featureViews.append(FeatureView(name: shape.name, entities: shape.entities, timestampField: shape.time,
                                            createdTimestampColumn: created, ttl: maybe(0.5) ? shape.ttlSteps * step : nil,
                                            online: false, schema: schema))
        }
        let service = FeatureService(name: "svc", features: Self.service.map { FeatureReference(view: $0.view, feature: $0.features?.first) })
        let catalog = Catalog(entities: entities, featureViews: featureViews, featureServices: [service])

        var views: [ViewData] = []
        for view in featureViews {
            let keys = view.entities.flatMap { name in entities.first { $0.name == name }?.joinKeys ?? [] }
            let features = view.featureNames(keys: keys)
            let types = Dictionary(uniqueKeysWithValues: view.schema.map { ($0.name, $0.type.dataType) })
            var commits: [RecordBatch] = []
            for c in 0 ..< Int.random(in: 1 ... 4, using: &rng) {
                commits.append(try randomRows(view: view, keys: keys, rows: Int.random(in: 1 ... 7, using: &rng), commit: c, rng: &rng))
            }
            views.append(ViewData(view: view, keys: keys, features: features, types: types, commits: commits))
        }
        guard database else { return PITWorld(seed: seed, directory: nil, database: nil, views: views) }

        let directory = try TemporaryDirectory(prefix: "larder-pit")
        let db = try FeatureDatabase.create(at: directory.file("db"))
        try db.apply(catalog)
        for data in views {
            guard try db.keys(of: data.view, in: catalog) == data.keys else {
                throw PointInTimeReference.Failure("seed \(seed): keys of \(data.view.name) are \(try db.keys(of: data.view, in: catalog))")
            }
            for (c, batch) in data.commits.enumerated() {
                // Half the commits arrive as two batches: "the later row of the input" runs across them.
                let split = batch.rowCount > 1 && (seed &+ UInt64(c)) % 2 == 0 ? batch.rowCount / 2 : 0
                let parts = split == 0 ? [batch] : [batch.slice(0 ..< split), batch.slice(split ..< batch.rowCount)]
                let result = try db.ingest(parts, into: data.view.name)
                // The reference counts commits; the engine counts table versions: apply creates
                // the table empty at version 0 and each ingest adds one.
                guard result.version == Int64(c + 1) else {
                    throw PointInTimeReference.Failure("seed \(seed): ingest \(c + 1) into \(data.view.name) made version \(String(describing: result.version))")
                }
            }
        }
        return PITWorld(seed: seed, directory: directory, database: db, views: views)
    }

    /// Rows on a small grid: users 1-3, shops a, b, ä, event times 0-6 steps, created times
    /// event + 0-3 half steps; feature values name their commit and row (so a wrong winner
    /// shows), about 15% null.
    static func randomRows(view: FeatureView, keys: [String], rows: Int, commit: Int,
                           rng: inout LarderTestSupport.SplitMix64) throws -> RecordBatch {
        var fields: [Field] = []
        var columns: [Column] = []
        var events: [Int64] = []
        for _ in 0 ..< rows { events.append(base + Int64.random(in: 0 ... 6, using: &rng) * step) }
        for field in view.schema {
            let type = field.type.dataType
            var b = ColumnBuilder(type: type, capacity: rows)
            for r in 0 ..< rows {
                let null = Double.random(in: 0 ..< 1, using: &rng) < 0.15
                switch field.name {
                case "user_id": b.append(int64: Int64.random(in: 1 ... 3, using: &rng))
                case "shop": b.append(string: ["a", "b", "ä"][Int.random(in: 0 ... 2, using: &rng)])
                case view.timestampField: b.append(int64: events[r])
                case view.createdTimestampColumn: b.append(int64: events[r] + Int64.random(in: 0 ... 3, using: &rng) * step / 2)
                default:
                    if null { b.appendNull(); continue }
                    let id = commit * 100 + r
                    switch type {
                    case .int64: b.append(int64: Int64(id))
                    case .float64: b.append(float64: r == 3 ? -0.0 : Double(id) + 0.25)
                    case .float32: b.append(float32: Float(id) / 8)
                    case .string: b.append(string: "c\(commit)r\(r)")
                    case .bool: b.append(bool: r % 2 == 0)
                    case .vector: try b.append(vector: [Float(commit), Float(r)])
                    default: throw PointInTimeReference.Failure("no generator for \(type)")
                    }
                }
            }
            let required = keys.contains(field.name) || field.name == view.timestampField
            fields.append(Field(field.name, type, nullable: !required))
            columns.append(b.finish())
        }
        return try RecordBatch(schema: Schema(fields), columns: columns)
    }

    /// A random spine of 1-12 rows: `rid`, `user_id` (0 and 4 unknown, some null), `shop` (zz
    /// unknown, some null), the time column `timeName` on the grid ± 1 µs from one step before
    /// the first row to two after the last (some null), a `note` column, duplicated rows.
    static func randomSpine(timeName: String, rng: inout LarderTestSupport.SplitMix64) throws -> RecordBatch {
        let n = Int.random(in: 1 ... 12, using: &rng)
        var rows: [(rid: Int64, user: Int64?, shop: String?, time: Int64?, note: Double?)] = []
        for i in 0 ..< n {
            if i > 0 && Double.random(in: 0 ..< 1, using: &rng) < 0.15 {
                rows.append(rows[Int.random(in: 0 ..< i, using: &rng)])
                continue
            }
            let p = { (x: Double, rng: inout LarderTestSupport.SplitMix64) in Double.random(in: 0 ..< 1, using: &rng) < x }
            let user: Int64? = p(0.06, &rng) ? nil : Int64.random(in: 0 ... 4, using: &rng)
            let shop: String? = p(0.06, &rng) ? nil : ["a", "b", "ä", "zz"][Int.random(in: 0 ... 3, using: &rng)]
            let delta: Int64 = [-1, 0, 0, 0, 1][Int.random(in: 0 ... 4, using: &rng)]
            let time: Int64? = p(0.05, &rng) ? nil : base + Int64.random(in: -1 ... 8, using: &rng) * step + delta
            let note: Double? = p(0.3, &rng) ? nil : Double(i)
            rows.append((Int64(i), user, shop, time, note))
        }
        var users = ColumnBuilder(type: .int64), times = ColumnBuilder(type: .timestamp), notes = ColumnBuilder(type: .float64)
        for row in rows {
            if let u = row.user { users.append(int64: u) } else { users.appendNull() }
            if let t = row.time { times.append(int64: t) } else { times.appendNull() }
            if let x = row.note { notes.append(float64: x) } else { notes.appendNull() }
        }
        let schema = try Schema([Field("rid", .int64, nullable: false), Field("user_id", .int64), Field("shop", .string),
                                 Field(timeName, .timestamp), Field("note", .float64)])
        return try RecordBatch(schema: schema, columns: [.int64(rows.map(\.rid)), users.finish(), .string(rows.map(\.shop)),
                                                        times.finish(), notes.finish()])
    }
}

/// One request against a world, and what the reference says about it.
struct PITQuery: CustomStringConvertible {
    var spine: RecordBatch
    var timeName: String
    var selection: FeatureSelection
    var options: HistoricalOptions
    /// Per requested view, in output order: the plain features and the version read (nil: latest).
    var plan: [(view: String, features: [String], version: Int?)]

    var description: String {
        var text = "request \(selection), availableAt \(options.availableAt), fullFeatureNames \(options.fullFeatureNames), "
        text += "includeFeatureTimestamps \(options.includeFeatureTimestamps), asOf \(options.asOf.sorted { $0.key < $1.key }), "
        text += "spine time column \(timeName) (option \(options.spineTimestampColumn ?? "nil"))\nspine:\n"
        for i in 0 ..< spine.rowCount { text += "  \(spine.schema.names.enumerated().map { "\($0.element)=\(spine.columns[$0.offset][i])" }.joined(separator: " "))\n" }
        return text
    }

    func expected(in world: PITWorld) throws -> PointInTimeReference.Answer {
        let views = try plan.map { item -> PointInTimeReference.View in
            guard let data = world.view(item.view) else { throw PointInTimeReference.Failure("no view \(item.view)") }
            return data.reference(features: item.features, visibleCommits: item.version)
        }
        var options = PointInTimeReference.Options()
        options.availableAt = self.options.availableAt
        options.fullFeatureNames = self.options.fullFeatureNames
        options.includeFeatureTimestamps = self.options.includeFeatureTimestamps
        return try PointInTimeReference.join(spine: spine, spineTimestamp: timeName, views: views, options: options)
    }

    /// A random request: 1-3 views in random order (whole views or random feature subsets in
    /// random order), or the service; as-of versions, available-at, feature timestamps, plain
    /// names when they cannot clash.
    static func random(in world: PITWorld, rng: inout LarderTestSupport.SplitMix64) throws -> PITQuery {
        func p(_ x: Double) -> Bool { Double.random(in: 0 ..< 1, using: &rng) < x }
        let timeName = ["event_timestamp", "event_ts", "at"][Int.random(in: 0 ... 2, using: &rng)]
        let spine = try PITWorld.randomSpine(timeName: timeName, rng: &rng)
        var options = HistoricalOptions()
        if timeName == "at" || p(0.2) { options.spineTimestampColumn = timeName }
        var refs: [FeatureReference] = []
        var plan: [(view: String, features: [String], version: Int?)] = []
        let useService = p(0.1)
        if useService {
            for item in PITWorld.service {
                let data = try #require(world.view(item.view))
                plan.append((item.view, item.features ?? data.features, nil))
            }
        } else {
            let chosen = world.views.shuffled(using: &rng).prefix(Int.random(in: 1 ... 3, using: &rng))
            for data in chosen {
                if p(0.3) {
                    refs.append(FeatureReference(view: data.view.name, feature: nil))
                    plan.append((data.view.name, data.features, nil))
                } else {
                    let features = Array(data.features.shuffled(using: &rng).prefix(Int.random(in: 1 ... data.features.count, using: &rng)))
                    refs += features.map { FeatureReference(view: data.view.name, feature: $0) }
                    plan.append((data.view.name, features, nil))
                }
            }
        }
        for k in plan.indices where p(0.3) {
            let commits = try #require(world.view(plan[k].view)).commits.count
            let version = Int.random(in: 0 ... commits, using: &rng)
            plan[k].version = version
            options.asOf[plan[k].view] = .version(Int64(version))
        }
        options.availableAt = p(0.35)
        options.includeFeatureTimestamps = p(0.25)
        let plain = plan.flatMap(\.features)
        if !options.includeFeatureTimestamps && Set(plain).count == plain.count
            && Set(plain).isDisjoint(with: spine.schema.names) && p(0.3) {
            options.fullFeatureNames = false
        }
        return PITQuery(spine: spine, timeName: timeName, selection: useService ? .service("svc") : .references(refs),
                        options: options, plan: plan)
    }

    /// Checks the engine's batch and summary against the reference; returns the problems.
    func problems(batch: RecordBatch, summary: HistoricalSummary, in world: PITWorld) throws -> [String] {
        let answer = try expected(in: world)
        var out = PointInTimeReference.differences(got: batch, expected: answer.batch)
        // The spine's columns come back untouched, nullability included.
        for field in spine.schema.fields where batch.schema.field(named: field.name) != field {
            out.append("spine field \(field) came back as \(String(describing: batch.schema.field(named: field.name)))")
        }
        if summary.rows != spine.rowCount { out.append("summary.rows \(summary.rows), spine has \(spine.rowCount)") }
        if summary.spineTimestampColumn != timeName { out.append("summary.spineTimestampColumn \(summary.spineTimestampColumn), expected \(timeName)") }
        if summary.availableAt != options.availableAt { out.append("summary.availableAt \(summary.availableAt)") }
        if summary.views.map(\.view) != plan.map(\.view) {
            out.append("summary views \(summary.views.map(\.view)), expected \(plan.map(\.view))")
        }
        for (lineage, item) in zip(summary.views, plan) {
            let data = try #require(world.view(item.view))
            let version = Int64(item.version ?? data.commits.count)
            if lineage.version != version { out.append("\(item.view): version \(lineage.version), expected \(version)") }
            let selectedBy = item.version.map { "version \($0)" } ?? "latest"
            if lineage.selectedBy != selectedBy { out.append("\(item.view): selectedBy '\(lineage.selectedBy)', expected '\(selectedBy)'") }
            if lineage.features != item.features { out.append("\(item.view): features \(lineage.features), expected \(item.features)") }
            if lineage.ttl != data.view.ttl { out.append("\(item.view): ttl \(String(describing: lineage.ttl)), expected \(String(describing: data.view.ttl))") }
            if lineage.matched != answer.matched[item.view] {
                out.append("\(item.view): matched \(lineage.matched), expected \(answer.matched[item.view] ?? -1)")
            }
        }
        let matched = answer.matched.values.reduce(0, +)
        if summary.leakage.checked != matched { out.append("leakage.checked \(summary.leakage.checked), expected \(matched) matched pairs") }
        if summary.leakage.violations != 0 { out.append("leakage violations: \(summary.leakage.examples)") }
        return out
    }
}

@Suite struct HistoricalDifferentialTests {
    /// Worlds per run and queries per world: 4,800 requests in all.
    static let worlds = Int(ProcessInfo.processInfo.environment["LARDER_PIT_WORLDS"] ?? "") ?? 48
    static let queriesPerWorld = 100
    static let seeds: [UInt64] = {
        if let text = ProcessInfo.processInfo.environment["LARDER_PIT_SEED"], let seed = UInt64(text) { return [seed] }
        return (0 ..< UInt64(worlds)).map { 0x5EED_0000 + $0 }
    }()

    @Test("random requests agree with the reference", arguments: seeds)
    func agreesWithReference(seed: UInt64) throws {
        let world = try PITWorld.make(seed: seed)
        var rng = LarderTestSupport.SplitMix64(seed: seed ^ 0xA5A5_A5A5)
        var failures = 0
        for q in 0 ..< Self.queriesPerWorld {
            let query = try PITQuery.random(in: world, rng: &rng)
            let result = try world.db.historicalFeatures(spine: query.spine, features: query.selection, options: query.options)
            let problems = try query.problems(batch: result.batch, summary: result.summary, in: world)
            if !problems.isEmpty {
                failures += 1
                Issue.record("seed \(seed) query \(q): \(problems.joined(separator: "\n"))\n\(query)\n\(world.dump())")
                if failures >= 3 { return }
            }
        }
    }

    @Test("spine chunks and Parquet streaming give the same answer", arguments: seeds.prefix(8))
    func chunksAndParquetAgree(seed: UInt64) throws {
        let world = try PITWorld.make(seed: seed)
        var rng = LarderTestSupport.SplitMix64(seed: seed ^ 0x0F0F_0F0F)
        for q in 0 ..< 6 {
            var query = try PITQuery.random(in: world, rng: &rng)
            query.options.batchRows = 3
            query.options.spineChunkRows = 4
            let chunks = (query.spine.rowCount + 3) / 4
            // In memory: the spine is sliced into chunks of 4 rows.
            let inMemory = try world.db.historicalFeatures(spine: query.spine, features: query.selection, options: query.options)
            var problems = try query.problems(batch: inMemory.batch, summary: inMemory.summary, in: world).map { "in memory: " + $0 }
            if inMemory.summary.chunks != chunks { problems.append("in memory: \(inMemory.summary.chunks) chunks, expected \(chunks)") }
            // From a file of 4-row row groups: chunks of whole row groups, output in 3-row batches.
            let spinePath = try world.file("spine-\(q).parquet")
            var write = ParquetWriteOptions()
            write.rowGroupRows = 4
            try ParquetWriter.write([query.spine], to: spinePath, options: write)
            var batches: [RecordBatch] = []
            let summary = try world.db.historicalFeatures(spineFile: spinePath, features: query.selection, options: query.options) {
                batches.append($0)
            }
            if !batches.allSatisfy({ $0.rowCount <= 3 }) { problems.append("streamed batches of \(batches.map(\.rowCount)) rows") }
            if summary.chunks != chunks { problems.append("streamed: \(summary.chunks) chunks, expected \(chunks)") }
            problems += try query.problems(batch: RecordBatch.concatenate(batches), summary: summary, in: world).map { "streamed: " + $0 }
            let outPath = try world.file("out-\(q).parquet")
            let written = try world.db.writeHistoricalFeatures(spineFile: spinePath, features: query.selection, to: outPath, options: query.options)
            let back = try ParquetFile(path: outPath).read()
            problems += try query.problems(batch: back, summary: written, in: world).map { "written file: " + $0 }
            #expect(problems.isEmpty, "seed \(seed) query \(q): \(problems.joined(separator: "\n"))\n\(query)\n\(world.dump())")
        }
    }

    /// The random worlds are only useful if they reach the corners of the contract: this
    /// counts, with the reference alone, how often each corner decides an answer.
    @Test func randomCasesReachEveryCorner() throws {
        var counts: [String: Int] = [:]
        for seed in Self.seeds.prefix(16) {
            let world = try PITWorld.make(seed: seed, database: false)
            var rng = LarderTestSupport.SplitMix64(seed: seed ^ 0xA5A5_A5A5)
            for _ in 0 ..< Self.queriesPerWorld {
                let query = try PITQuery.random(in: world, rng: &rng)
                for (k, count) in try query.corners(in: world) { counts[k, default: 0] += count }
            }
        }
        let corners = ["event tie decided by created", "created tie decided by commit", "tie decided by row within a commit",
                       "match at exactly the spine time", "match at exactly ts - ttl", "row 1 µs older than ts - ttl ignored",
                       "row created after the spine time ignored", "null spine key or time", "unknown spine key",
                       "key with only future rows", "duplicate spine row", "null feature value taken", "no match",
                       "as-of hides a later winner", "service request", "plain names", "feature timestamps"]
        for corner in corners {
            #expect(counts[corner, default: 0] >= 5, "\(corner): \(counts[corner, default: 0]) times")
        }
    }
}

extension PITWorld {
    /// Every committed row, for failure messages.
    func dump() -> String {
        var text = "world \(seed):\n"
        for data in views {
            text += "view \(data.view.name) keys \(data.keys) time \(data.view.timestampField) created \(data.view.createdTimestampColumn ?? "-") ttl \(data.view.ttl.map { "\($0)" } ?? "-")\n"
            for (c, batch) in data.commits.enumerated() {
                for r in 0 ..< batch.rowCount {
                    text += "  commit \(c) row \(r): " + batch.schema.names.enumerated().map { "\($0.element)=\(batch.columns[$0.offset][r])" }.joined(separator: " ") + "\n"
                }
            }
        }
        return text
    }
}

extension PITQuery {
    /// How often each corner of the contract decides this request's answer (per spine row and
    /// view), computed with the reference alone.
    func corners(in world: PITWorld) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        func hit(_ corner: String, _ yes: Bool = true) { if yes { counts[corner, default: 0] += 1 } }
        if case .service = selection { hit("service request") }
        hit("plain names", !options.fullFeatureNames)
        hit("feature timestamps", options.includeFeatureTimestamps)
        let time = try #require(spine.column(named: timeName))
        let rows = (0 ..< spine.rowCount).map { spine.row($0) }
        for i in rows.indices where rows[..<i].contains(where: { $0 == rows[i] }) { hit("duplicate spine row") }
        for item in plan {
            let data = try #require(world.view(item.view))
            let view = data.reference(features: item.features, visibleCommits: item.version)
            let visible = Array(data.commits.prefix(item.version ?? data.commits.count))
            for i in 0 ..< spine.rowCount {
                let keys = try data.keys.map { try #require(spine.column(named: $0))[i] }
                guard case .timestamp(let ts) = time[i], !keys.contains(where: \.isNull) else {
                    hit("null spine key or time")
                    continue
                }
                // Every visible row with these keys, as (commit, row, event, created).
                var same: [(c: Int, r: Int, event: Int64, created: Int64?)] = []
                for (c, batch) in visible.enumerated() {
                    let keyColumns = try data.keys.map { try #require(batch.column(named: $0)) }
                    for r in 0 ..< batch.rowCount where keyColumns.indices.allSatisfy({ keyColumns[$0][r] == keys[$0] }) {
                        guard case .timestamp(let event) = try #require(batch.column(named: data.view.timestampField))[r] else { continue }
                        var created: Int64?
                        if let name = data.view.createdTimestampColumn, case .timestamp(let t) = try #require(batch.column(named: name))[r] { created = t }
                        same.append((c, r, event, created))
                    }
                }
                hit("unknown spine key", same.isEmpty && data.commits.allSatisfy { batch in
                    (0 ..< batch.rowCount).allSatisfy { r in data.keys.indices.contains { batch.column(named: data.keys[$0])?[r] != keys[$0] } }
                })
                hit("key with only future rows", !same.isEmpty && same.allSatisfy { $0.event > ts })
                let candidates = try PointInTimeReference.candidates(spineKeys: keys, time: time[i], view: view, commits: visible,
                                                                     availableAt: options.availableAt)
                var best: PointInTimeReference.Candidate?
                for c in candidates where best.map({ PointInTimeReference.isLater(c, than: $0) }) ?? true { best = c }
                guard let winner = best else { hit("no match"); continue }
                let rivals = candidates.filter { $0 != winner && $0.event == winner.event }
                hit("event tie decided by created", rivals.contains { $0.created != winner.created })
                hit("created tie decided by commit", rivals.contains { $0.created == winner.created && $0.commit != winner.commit })
                hit("tie decided by row within a commit", rivals.contains { $0.created == winner.created && $0.commit == winner.commit })
                hit("match at exactly the spine time", winner.event == ts)
                if let ttl = data.view.ttl {
                    hit("match at exactly ts - ttl", winner.event == ts - ttl)
                    hit("row 1 µs older than ts - ttl ignored", same.contains { $0.event == ts - ttl - 1 })
                }
                if options.availableAt && data.view.createdTimestampColumn != nil {
                    hit("row created after the spine time ignored", same.contains { s in
                        s.event <= ts && (data.view.ttl.map { s.event >= ts - $0 } ?? true) && (s.created ?? .max) > ts
                    })
                }
                let batch = visible[winner.commit]
                hit("null feature value taken", item.features.contains { batch.column(named: $0)?[winner.row].isNull ?? false })
                if item.version != nil {
                    let all = try PointInTimeReference.candidates(spineKeys: keys, time: time[i], view: view, commits: data.commits,
                                                                  availableAt: options.availableAt)
                    hit("as-of hides a later winner", all.contains { PointInTimeReference.isLater($0, than: winner) })
                }
            }
        }
        return counts
    }
}
