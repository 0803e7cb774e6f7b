import Foundation
import Larder
import LarderColumnar
import LarderParquet
import LarderRecommender
import LarderTable

/// The production model and what the serving step needs to recommend without the server.
struct DemoModels {
    var productionVersion: Int
    var productionKind: String
    var production: any RecommenderModel
    /// Items each user booked in the training data (never recommended again).
    var booked: [Int64: Set<Int64>]
}

/// Steps 5-7 of `larder demo`: time travel, a point-in-time training set, and recommenders
/// trained, registered and promoted.
extension DemoRun {
    /// Step 5: the commits of user_stats, and the demo user's newest row as of the first
    /// ingest and now (read with statistics pruning).
    func timeTravel(_ db: FeatureDatabase, user: Int64) throws {
        let history = try db.history(of: "user_stats")
        for entry in history.reversed() {
            var line = "  v\(entry.version)  \(Timestamp.iso8601(micros: entry.timestamp))  \(DemoConsole.pad(entry.operation, 6))"
            if entry.rowsAdded > 0 { line += "  +\(DemoConsole.grouped(entry.rowsAdded)) rows" }
            if let quality = entry.metadata["quality"] { line += "  quality=\(quality)" }
            if let source = entry.metadata["source"] ?? entry.metadata["files"] { line += "  (\(source))" }
            print(line)
        }
        // Version 0 created the empty table; the first ingest is the oldest version after it.
        let first = history.map(\.version).filter { $0 > 0 }.min() ?? 0
        let old = try db.snapshot(of: "user_stats", at: .version(first))
        let new = try db.snapshot(of: "user_stats")
        print("  version \(first): \(DemoConsole.grouped(old.rowCount ?? 0)) rows; version \(new.version) (latest): \(DemoConsole.grouped(new.rowCount ?? 0)) rows")
        for snapshot in [old, new] {
            let scan = try snapshot.scan(columns: ["event_ts", "visits_7d", "region"], where: [.equals("user_id", .int64(user))])
            var newest: (ts: Int64, visits: Value, region: Value)?
            for batch in scan.batches {
                guard let times = batch.columns[0].int64Values else { continue }
                for (r, t) in times.enumerated() where t >= (newest?.ts ?? .min) {
                    newest = (t, batch.columns[1][r], batch.columns[2][r])
                }
            }
            let found = newest.map { "newest row \(Timestamp.iso8601(micros: $0.ts)), visits_7d \(Self.text($0.visits)), region \(Self.text($0.region))" }
                ?? "no row"
            print("  user \(user) as of version \(snapshot.version): \(found) "
                + "(\(Self.count(scan.rowGroupsRead, "row group")) read, \(scan.rowGroupsSkipped) skipped by their statistics, "
                + "\(Self.count(scan.filesSkipped, "file")) skipped)")
        }
    }

    /// "1 row group", "3 row groups".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)" + (n == 1 ? "" : "s") }

    /// Step 6: every interaction with the ranker's features as of its own time, written to
    /// training.parquet, and what a naive latest-value join would have leaked.
    func trainingSet(_ db: FeatureDatabase, _ market: MarketplaceSummary) throws {
        let spineFile = (market.directory as NSString).appendingPathComponent(MarketplaceDefinitions.fileName(view: "interactions"))
        let out = path("training.parquet")
        let bar = console.progress("joining")
        var options = HistoricalOptions()
        options.progress = { phase, done, total in bar.update(total.map { Double(done) / Double(max($0, 1)) } ?? 0, note: phase) }
        let summary = try db.writeHistoricalFeatures(spineFile: spineFile, features: .service("ranker_v1"), to: out, options: options)
        bar.finish()
        let features = summary.views.reduce(0) { $0 + $1.features.count }
        let size = ((try? FileManager.default.attributesOfItem(atPath: out))?[.size] as? NSNumber)?.intValue ?? 0
        facts.trainingRows = summary.rows
        facts.trainingFeatures = features
        facts.leakageChecked = summary.leakage.checked
        facts.leakageViolations = summary.leakage.violations
        print("  \(DemoConsole.grouped(summary.rows)) interactions × \(features) features of service ranker_v1 → \(out) (\(DemoConsole.megabytes(size)))")
        let matched = summary.views.map { view in
            "\(view.view) v\(view.version) \(String(format: "%.1f", 100 * Double(view.matched) / Double(max(summary.rows, 1))))%"
        }
        print("  rows that found a feature row, per view (within its ttl): " + matched.joined(separator: ", "))
        print("  leakage check: \(DemoConsole.grouped(summary.leakage.checked)) matched feature rows checked, "
            + "\(summary.leakage.violations) dated after their interaction or older than the ttl")

        // A naive join takes each user's newest user_stats row, whatever its date (as of the
        // first ingest, so today's snapshot does not count against it).
        let firstVersion = try db.history(of: "user_stats").map(\.version).filter { $0 > 0 }.min() ?? 1
        let stats = try db.snapshot(of: "user_stats", at: .version(firstVersion)).read(columns: ["user_id", "event_ts"])
        let spine = try ParquetFile(path: spineFile).read(columns: ["user_id", "event_ts"])
        guard let statUsers = stats.columns[0].int64Values, let statTimes = stats.columns[1].int64Values,
              let spineUsers = spine.columns[0].int64Values, let spineTimes = spine.columns[1].int64Values
        else { throw DemoFailure("user_stats or the spine lack int64 user_id and event_ts") }
        var newest: [Int64: Int64] = [:]
        for (u, t) in zip(statUsers, statTimes) where t > newest[u, default: .min] { newest[u] = t }
        var leaks = 0
        for (u, t) in zip(spineUsers, spineTimes) where (newest[u] ?? .min) > t { leaks += 1 }
        facts.naiveLeaks = leaks
        print("  a naive join on each user's newest user_stats row would have paired \(DemoConsole.grouped(leaks)) of "
            + "\(DemoConsole.grouped(spine.rowCount)) interactions (\(String(format: "%.1f", 100 * Double(leaks) / Double(max(spine.rowCount, 1))))%) "
            + "with values from their future")
    }

    /// Step 7: the training data (point-in-time, with a time split), popularity and ALS fitted
    /// and evaluated on the test window, both registered, the better promoted to production.
    func train(_ db: FeatureDatabase) throws -> DemoModels {
        let start = Date()
        let data = try TrainingData.load(from: db)
        print("  training data: \(DemoConsole.grouped(data.log.count)) interactions (\(DemoConsole.grouped(data.log.positiveCount)) bookings) "
            + String(format: "in %.2f s; split: ", Date().timeIntervalSince(start)) + data.split.description)
        let registry = ModelRegistry(database: db)
        var trained: [(spec: ModelSpec, result: Trainer.Result, version: Int)] = []
        var rows: [[String]] = []
        for spec in [ModelSpec.popularity(.init()), .als(.init())] {
            let result = try Trainer.train(spec, on: data, k: 10)
            let m = result.report.metrics
            // The artifact as model.bin, the parameters, the metrics and the training set's lineage.
            let version = try registry.register(name: Self.modelName, trained: result)
            trained.append((spec, result, version.version))
            let fit = result.report.seconds["fit"] ?? 0
            facts.models.append(.init(kind: spec.kind.rawValue, version: version.version, ndcg: m.ndcg, precision: m.precision,
                                      recall: m.recall, coverage: m.coverage, fitSeconds: fit))
            rows.append([spec.kind.rawValue, "v\(version.version)", String(format: "%.4f", m.ndcg), String(format: "%.4f", m.precision),
                         String(format: "%.4f", m.recall), String(format: "%.3f", m.coverage), String(format: "%.2f s", fit)])
        }
        print("  evaluated on the test window (\(DemoConsole.grouped(trained.first?.result.report.metrics.users ?? 0)) users with new bookings):")
        for line in DemoConsole.table(["model", "version", "NDCG@10", "precision@10", "recall@10", "coverage", "fit"], rows, indent: "    ") {
            print(line)
        }
        guard let best = trained.max(by: { $0.result.report.metrics.ndcg < $1.result.report.metrics.ndcg }) else {
            throw DemoFailure("no model was trained")
        }
        let reason = String(format: "best NDCG@10 on the test window (%.4f)", best.result.report.metrics.ndcg)
        for t in try registry.transition(Self.modelName, version: best.version, to: .production, reason: reason, actor: "larder demo") {
            print("  promoted \(Self.modelName) v\(t.version) (\(best.spec.kind.rawValue)): \(t.from) -> \(t.to), \(reason)")
        }
        for other in trained where other.version != best.version {
            print("  \(Self.modelName) v\(other.version) (\(other.spec.kind.rawValue)) stays registered in stage none "
                + "(promote it to staging and the server's bandit tries it as a challenger)")
        }
        facts.productionVersion = best.version
        var booked: [Int64: Set<Int64>] = [:]
        for r in 0 ..< data.log.count where data.log.positives[r] { booked[data.log.userIDs[r], default: []].insert(data.log.itemIDs[r]) }
        return DemoModels(productionVersion: best.version, productionKind: best.spec.kind.rawValue, production: best.result.model, booked: booked)
    }
}
