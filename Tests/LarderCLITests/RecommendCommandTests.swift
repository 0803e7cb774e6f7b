import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// `larder recommend train | evaluate | batch` end to end on the tiny generated marketplace
/// (seed 7), split at the 50% and 60% quantiles of time as the library's quality-floor tests
/// do, so the test window holds enough users to measure.
@Suite(.serialized) struct RecommendCommandTests {
    /// The generated data and a database with interactions, user_stats and item_stats
    /// ingested, built once; tests that change tables work on a copy.
    final class Market: Sendable {
        let directory: TemporaryDirectory
        let data: String
        let db: String

        init() throws {
            directory = try TemporaryDirectory(prefix: "larder-cli-recommend")
            data = directory.file("gen")
            db = directory.file("db")
            let gen = try CommandLineTool.run(["generate", "marketplace", "--out", data, "--scale", "tiny", "--seed", "7"])
            guard gen.status == 0 else { throw Failure("generate: \(gen.stderr)") }
            for args in [["init", "--db", db], ["apply", "--db", db, data + "/definitions.yaml"]]
                + ["interactions", "user_stats", "item_stats"].map({ ["ingest", "--db", db, $0, data + "/\($0).parquet"] }) {
                let run = try CommandLineTool.run(args)
                guard run.status == 0 else { throw Failure("\(args.joined(separator: " ")): \(run.stderr)") }
            }
        }

        /// A copy of the database, for a test that moves its tables on.
        func copy(to path: String) throws -> String {
            try FileManager.default.copyItem(atPath: db, toPath: path)
            return path
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let shared = Result { try Market() }

    static let split = ["--validation-quantile", "0.5", "--test-quantile", "0.6"]
    static let als = ["factors=16", "regularization=0.1", "alpha=10", "iterations=10", "cgSteps=3", "seed=3", "threads=2"]
    static let ensemble = [
        #"members=[{"kind":"popularity"},{"kind":"itemknn"},{"kind":"als","parameters":{"factors":16,"regularization":0.1,"alpha":10,"iterations":10,"cgSteps":3,"seed":3,"threads":2}},{"kind":"content"}]"#,
        "candidatesPerMember=20", "maxUsers=1000", "iterations=10",
    ]

    static func params(_ kind: String) -> [String] {
        (kind == "als" ? als : kind == "ensemble" ? ensemble : []).flatMap { ["--param", $0] }
    }

    /// Runs `recommend train` and returns its JSON.
    static func train(_ db: String, name: String, kind: String, extra: [String] = []) throws -> [String: Any] {
        let run = try CommandLineTool.run(["recommend", "train", "--db", db, "--name", name, "--model", kind, "--interactions", "interactions",
                                           "--json"] + split + params(kind) + extra)
        guard run.status == 0 else { throw Failure("train \(kind): \(run.stderr)") }
        return try object(run)
    }

    static func object(_ output: CommandLineTool.Output) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] else {
            throw Failure("not a JSON object: \(output.stdout)")
        }
        return object
    }

    /// A JSON number as a Double (JSONSerialization may give Int, Double or NSNumber).
    static func number(_ value: Any?) -> Double? {
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        return (value as? NSNumber)?.doubleValue
    }

    /// `a` and `b` equal up to JSON's decimal rounding.
    static func close(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return false }
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }

    /// The five ranking figures of a metrics object, each checked to be in [0, 1].
    static func checkedMetrics(_ metrics: Any?, _ what: String) throws -> [String: Double] {
        let m = try #require(metrics as? [String: Any], "\(what): no metrics")
        var out: [String: Double] = [:]
        for key in ["precision", "recall", "ndcg", "map", "coverage"] {
            let value = try #require(number(m[key]), "\(what): no \(key)")
            #expect(value >= 0 && value <= 1, "\(what): \(key) = \(value)")
            out[key] = value
        }
        #expect(m["k"] as? Int == 10 && (m["users"] as? Int ?? 0) >= 100, "\(what): \(m)")
        return out
    }

    @Test func trainEveryKindRegistersItWithMetricsAndTimings() throws {
        let market = try Self.shared.get()
        var ndcg: [String: Double] = [:]
        for kind in ["popularity", "itemknn", "als", "content", "ensemble"] {
            let report = try Self.train(market.db, name: "every_\(kind)", kind: kind)
            #expect(report["name"] as? String == "every_\(kind)" && report["version"] as? Int == 1 && report["stage"] as? String == "none")
            #expect(report["kind"] as? String == kind && (report["model"] as? [String: Any])?["kind"] as? String == kind)
            let metrics = try Self.checkedMetrics(report["metrics"], kind)
            ndcg[kind] = metrics["ndcg"]
            let seconds = try #require(report["seconds"] as? [String: Any])
            #expect(["load", "fit", "evaluate", "register", "total"].allSatisfy { (Self.number(seconds[$0]) ?? -1) >= 0 }, "\(seconds)")
            #expect((report["lineage"] as? [String: Any])?["interactionsView"] as? String == "interactions")
            #expect((report["artifactBytes"] as? Int ?? 0) > 0 && (report["positives"] as? Int ?? 0) > 0)

            // The registry lists the version with the same metrics.
            let show = try CommandLineTool.run(["models", "show", "every_\(kind)", "1", "--db", market.db, "--json"])
            #expect(show.status == 0, "\(show.stderr)")
            let manifest = try Self.object(show)
            #expect(manifest["kind"] as? String == kind && manifest["stage"] as? String == "none")
            #expect(Self.close(Self.number((manifest["metrics"] as? [String: Any])?["ndcg@10"]), metrics["ndcg"]))
            #expect((manifest["artifacts"] as? [[String: Any]])?.first?["file"] as? String == "model.bin")
        }
        // The planted tastes: ALS and the ensemble beat popularity by the library's floors on
        // the same data and parameters, every learned model beats it.
        let popularity = try #require(ndcg["popularity"])
        #expect(popularity > 0)
        #expect(try #require(ndcg["als"]) >= 2 * popularity, "\(ndcg)")
        #expect(try #require(ndcg["ensemble"]) >= 3 * popularity, "\(ndcg)")
        for kind in ["itemknn", "content"] { #expect(try #require(ndcg[kind]) > popularity, "\(ndcg)") }
        let list = try CommandLineTool.run(["models", "list", "--db", market.db])
        #expect(["every_popularity", "every_itemknn", "every_als", "every_content", "every_ensemble"].allSatisfy(list.stdout.contains))
    }

    @Test func textSummaryAndStagedSecondVersion() throws {
        let market = try Self.shared.get()
        let first = try CommandLineTool.run(["recommend", "train", "--db", market.db, "--name", "texty", "--model", "popularity",
                                             "--interactions", "interactions", "--quiet"] + Self.split)
        #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
        #expect(first.stdout.contains("trained texty@1 (popularity)") && first.stdout.contains("ndcg@10"), "\(first.stdout)")
        let second = try CommandLineTool.run(["recommend", "train", "--db", market.db, "--name", "texty", "--model", "popularity",
                                              "--interactions", "interactions", "--stage", "production", "--param", "halfLifeDays=0"]
                                             + Self.split)
        #expect(second.status == 0 && second.stdout.contains("texty@2") && second.stdout.contains("stage production"), "\(second.stdout)")
        // Progress went to stderr.
        #expect(second.stderr.contains("fitting popularity"), "\(second.stderr)")
        let shown = try Self.object(try CommandLineTool.run(["models", "show", "texty", "2", "--db", market.db, "--json"]))
        #expect(shown["stage"] as? String == "production" && (shown["parameters"] as? [String: Any])?["halfLifeDays"] as? Int == 0)
    }

    @Test func evaluateRebuildsTheTestWindowAndMatchesTrain() throws {
        let market = try Self.shared.get()
        let dir = try TemporaryDirectory(prefix: "larder-cli-recommend-eval")
        let db = try market.copy(to: dir.file("db"))
        let trained = try Self.train(db, name: "judged", kind: "als", extra: ["--stage", "production"])
        let trainedMetrics = try Self.checkedMetrics(trained["metrics"], "train")

        // The interactions move on (the same rows again: a new version); the lineage pins the old one.
        let more = try CommandLineTool.run(["ingest", "--db", db, "interactions", market.data + "/interactions.parquet"])
        #expect(more.status == 0, "\(more.stderr)")
        for selector in [["--version", "1"], ["--stage", "production"], []] {
            let run = try CommandLineTool.run(["recommend", "evaluate", "--db", db, "--name", "judged", "--json"] + selector)
            #expect(run.status == 0, "\(run.stderr)")
            let report = try Self.object(run)
            #expect(report["version"] as? Int == 1 && report["stage"] as? String == "production" && report["k"] as? Int == 10)
            let metrics = try Self.checkedMetrics(report["metrics"], "evaluate")
            for (key, value) in trainedMetrics { #expect(Self.close(metrics[key], value), "\(key): \(metrics[key] ?? -1) vs \(value)") }
            let popularity = try Self.checkedMetrics(report["popularity"], "popularity")
            #expect(metrics["ndcg"] ?? 0 > popularity["ndcg"] ?? 1)
            #expect(Self.close(Self.number((report["recorded"] as? [String: Any])?["ndcg@10"]), trainedMetrics["ndcg"]))
            #expect((report["lineage"] as? [String: Any])?["reproduced"] as? Bool == true)
        }
        let text = try CommandLineTool.run(["recommend", "evaluate", "--db", db, "--name", "judged", "--quiet"])
        #expect(text.status == 0 && text.stdout.contains("judged@1") && text.stdout.contains("popular"), "\(text.stdout)\(text.stderr)")
        // A training run on the moved-on table sees twice the rows.
        let retrained = try Self.train(db, name: "judged", kind: "popularity")
        #expect(retrained["version"] as? Int == 2)
        #expect(((retrained["lineage"] as? [String: Any])?["rows"] as? Int) == 2 * (((trained["lineage"] as? [String: Any])?["rows"] as? Int) ?? 0))
    }

    @Test func segmentedTrainingFitsOneModelPerRegion() throws {
        let market = try Self.shared.get()
        let report = try Self.train(market.db, name: "by_region", kind: "popularity", extra: ["--segment", "region", "--segment-min-positives", "5"])
        #expect(report["kind"] as? String == "segmented")
        let parameters = try #require((report["model"] as? [String: Any])?["parameters"] as? [String: Any])
        #expect(parameters["feature"] as? String == "user_stats:region" && parameters["minimumPositives"] as? Int == 5)
        _ = try Self.checkedMetrics(report["metrics"], "segmented")
    }

    /// The items each user booked in the generated interactions (label 1).
    static func booked(_ market: Market) throws -> [Int64: Set<Int64>] {
        let batch = try ParquetFile(path: market.data + "/interactions.parquet").read()
        let users = try #require(batch.column(named: "user_id")?.int64Values)
        let items = try #require(batch.column(named: "item_id")?.int64Values)
        let labels = try #require(batch.column(named: "label")?.int64Values)
        var out: [Int64: Set<Int64>] = [:]
        for r in users.indices where labels[r] > 0 { out[users[r], default: []].insert(items[r]) }
        return out
    }

    @Test func batchWritesTopKPerUserIntoAnOnlineView() throws {
        let market = try Self.shared.get()
        _ = try Self.train(market.db, name: "lists", kind: "als", extra: ["--stage", "production"])
        let run = try CommandLineTool.run(["recommend", "batch", "--db", market.db, "--model", "lists", "--k", "20", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try Self.object(run)
        #expect(report["view"] as? String == "lists_topk" && report["createdView"] as? Bool == true && report["version"] as? Int == 1)
        #expect(report["shortLists"] as? Int == 0 && report["tableVersion"] as? Int == 1)
        #expect((report["materialized"] as? [String: Any])?["toVersion"] as? Int == 1)

        // Every user of the interactions and of user_stats has one row of 20 items, none booked.
        let booked = try Self.booked(market)
        let userStats = try ParquetFile(path: market.data + "/user_stats.parquet").read()
        let everyone = Set(booked.keys).union(try #require(userStats.column(named: "user_id")?.int64Values))
            .union(try #require(try ParquetFile(path: market.data + "/interactions.parquet").read().column(named: "user_id")?.int64Values))
        #expect(report["users"] as? Int == everyone.count)
        let out = market.directory.file("lists_topk.parquet")
        let export = try CommandLineTool.run(["export", "--db", market.db, "lists_topk", "--out", out])
        #expect(export.status == 0, "\(export.stderr)")
        let rows = try ParquetFile(path: out).read()
        let users = try #require(rows.column(named: "user_id")?.int64Values)
        #expect(Set(users) == everyone && users.count == everyone.count)
        let items = try #require(rows.column(named: "items")).values
        let scores = try #require(rows.column(named: "scores")).values
        let fallbacks = try #require(rows.column(named: "fallback")?.boolValues)
        var lists: [Int64: String] = [:]
        for (r, user) in users.enumerated() {
            guard case .string(let text) = items[r], case .vector(let s) = scores[r] else { Issue.record("row \(r): \(items[r]) \(scores[r])"); continue }
            let ids = text.split(separator: ",").compactMap { Int64($0) }
            #expect(ids.count == 20 && Set(ids).count == 20, "user \(user): \(text)")
            #expect(Set(ids).isDisjoint(with: booked[user] ?? []), "user \(user) already booked some of \(text)")
            #expect(s.count == 20 && zip(s, s.dropFirst()).allSatisfy { $0 >= $1 }, "scores best first: \(s)")
            lists[user] = text
        }
        #expect(rows.column(named: "model_version")?.int64Values?.allSatisfy { $0 == 1 } == true)

        // The online store answers with the same list.
        let user = try #require(booked.keys.min())
        let get = try CommandLineTool.run(["get", "--db", market.db, "--features", "lists_topk:items,lists_topk:scores,lists_topk:fallback",
                                           "--entity", "user_id=\(user)", "--json"])
        #expect(get.status == 0, "\(get.stderr)")
        let answer = try Self.object(get)
        let results = try #require(answer["results"] as? [[String: Any]])
        #expect(results.count == 4)
        #expect((results[1]["values"] as? [Any])?.first as? String == lists[user])
        #expect((results[1]["statuses"] as? [String])?.first == "PRESENT")
        #expect(((results[2]["values"] as? [Any])?.first as? [Any])?.count == 20)
        let row = try #require(users.firstIndex(of: user))
        #expect((results[3]["values"] as? [Any])?.first as? Bool == fallbacks[row])

        // A second run appends a new version to the same view; another k does not fit it.
        let again = try Self.object(try CommandLineTool.run(["recommend", "batch", "--db", market.db, "--model", "lists", "--version", "1", "--json", "--quiet"]))
        #expect(again["createdView"] as? Bool == false && again["tableVersion"] as? Int == 2)
        let otherK = try CommandLineTool.run(["recommend", "batch", "--db", market.db, "--model", "lists", "--k", "5"])
        #expect(otherK.status == 1 && otherK.stderr.contains("top-20 lists") && otherK.stderr.contains("--k 20"), "\(otherK.stderr)")
        let elsewhere = try Self.object(try CommandLineTool.run(["recommend", "batch", "--db", market.db, "--model", "lists", "--k", "5",
                                                                 "--view", "lists_top5", "--json", "--quiet"]))
        #expect(elsewhere["view"] as? String == "lists_top5" && elsewhere["createdView"] as? Bool == true)
    }

    @Test func interactionsAloneTrainWithoutFeaturesAndAnEmptyViewIsRefused() throws {
        let market = try Self.shared.get()
        let dir = try TemporaryDirectory(prefix: "larder-cli-recommend-bare")
        let db = dir.file("db"), definitions = dir.file("definitions.yaml")
        try """
        entities:
          - {name: user, join_keys: [user_id]}
          - {name: item, join_keys: [item_id]}
        feature_views:
          - name: interactions
            entities: [user, item]
            timestamp_field: event_ts
            online: false
            schema:
              - {name: user_id, dtype: int64}
              - {name: item_id, dtype: int64}
              - {name: event_ts, dtype: timestamp}
              - {name: label, dtype: int64}
              - {name: price_paid, dtype: float64}
        """.write(toFile: definitions, atomically: true, encoding: .utf8)
        #expect(try CommandLineTool.run(["init", "--db", db]).status == 0)
        #expect(try CommandLineTool.run(["apply", "--db", db, definitions]).status == 0)
        let train = ["recommend", "train", "--db", db, "--name", "bare", "--interactions", "interactions", "--quiet"] + Self.split

        // No rows yet: nothing to train on, nothing registered.
        let empty = try CommandLineTool.run(train + ["--model", "popularity", "--user-features", "", "--item-features", ""])
        #expect(empty.status == 1 && empty.stderr.contains("'interactions'") && empty.stderr.contains("no rows"), "\(empty.stderr)")

        #expect(try CommandLineTool.run(["ingest", "--db", db, "interactions", market.data + "/interactions.parquet"]).status == 0)
        // The default features are the marketplace's: the error names the view and the way out.
        let defaults = try CommandLineTool.run(train + ["--model", "popularity"])
        #expect(defaults.status == 1 && defaults.stderr.contains("user_stats") && defaults.stderr.contains("--user-features"), "\(defaults.stderr)")
        // Without features, collaborative models still learn the planted tastes.
        let popularity = try Self.object(try CommandLineTool.run(train + ["--model", "popularity", "--user-features", "", "--item-features", "", "--json"]))
        let als = try Self.object(try CommandLineTool.run(train + ["--model", "als", "--user-features", "", "--item-features", "", "--json"] + Self.params("als")))
        #expect(als["version"] as? Int == 2 && ((als["lineage"] as? [String: Any])?["userFeatures"] as? [Any])?.isEmpty == true)
        let ndcg = try (Self.checkedMetrics(popularity["metrics"], "popularity")["ndcg"] ?? 1, Self.checkedMetrics(als["metrics"], "als")["ndcg"] ?? 0)
        #expect(ndcg.1 > ndcg.0, "\(ndcg)")
        // The content model needs features it does not have.
        let content = try CommandLineTool.run(train + ["--model", "content", "--user-features", "", "--item-features", ""])
        #expect(content.status == 1 && content.stderr.contains("item_stats:category") && content.stderr.contains("--item-features"), "\(content.stderr)")
        // Batch scoring of the feature-less model: every user of the interactions view.
        let batch = try CommandLineTool.run(["recommend", "batch", "--db", db, "--model", "bare", "--version", "2", "--k", "3", "--json", "--quiet"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let listed = try Self.object(batch)
        #expect(listed["users"] as? Int == Set(try #require(try ParquetFile(path: market.data + "/interactions.parquet").read().column(named: "user_id")?.int64Values)).count)
    }

    @Test func badInputExitsNonZeroNamingIt() throws {
        let market = try Self.shared.get()
        let db = market.db
        _ = try Self.train(db, name: "unpromoted", kind: "popularity")
        let cases: [(args: [String], status: Int32, mentions: [String])] = [
            (["recommend", "batch", "--db", db, "--model", "nope"], 1, ["no model 'nope'"]),
            (["recommend", "batch", "--db", db, "--model", "unpromoted"], 1, ["'unpromoted'", "no version in production"]),
            (["recommend", "batch", "--db", db, "--model", "unpromoted", "--version", "7"], 1, ["no version 7"]),
            (["recommend", "batch", "--db", db, "--model", "unpromoted", "--version", "1", "--k", "0"], 2, ["--k 0"]),
            (["recommend", "batch", "--db", db, "--model", "unpromoted", "--version", "1", "--k=-3"], 2, ["--k -3"]),
            (["recommend", "batch", "--db", db, "--model", "unpromoted", "--version", "1", "--interactions", "clicks"], 1, ["'clicks'"]),
            (["recommend", "batch", "--db", db, "--model", "unpromoted", "--version", "1", "--view", "top-k"], 2, ["--view top-k"]),
            (["recommend", "evaluate", "--db", db, "--name", "nope"], 1, ["no model 'nope'"]),
            (["recommend", "evaluate", "--db", db, "--name", "unpromoted", "--stage", "production"], 1, ["no version in production"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "popularity", "--interactions", "clicks"], 1, ["'clicks'"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "deep", "--interactions", "interactions"], 2, ["deep", "als"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "als", "--interactions", "interactions", "--param", "factors=0"], 1, ["factors"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "als", "--interactions", "interactions", "--param", "depth=3"], 1, ["'depth'", "factors"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "als", "--interactions", "interactions", "--param", "factors=many"], 1, ["factors"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "popularity", "--interactions", "interactions", "--segment", "shoe_size"], 1, ["shoe_size"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "popularity", "--interactions", "interactions", "--user-column", "visitor"], 1, ["visitor"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "popularity", "--interactions", "interactions", "--user-features", "user_stats:height"], 1, ["height"]),
            (["recommend", "train", "--db", db, "--name", "../x", "--model", "popularity", "--interactions", "interactions"], 1, ["../x"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "popularity", "--interactions", "interactions", "--test-start", "2026-01-01T00:00:00Z"], 2, ["--validation-start"]),
            (["recommend", "train", "--db", db, "--name", "x", "--model", "popularity", "--interactions", "interactions", "--test-quantile", "1.5"], 2, ["--test-quantile"]),
        ]
        for c in cases {
            let run = try CommandLineTool.run(c.args)
            #expect(run.status == c.status, "\(c.args.joined(separator: " ")): \(run.status) \(run.stderr)")
            for text in c.mentions { #expect(run.stderr.contains(text), "\(c.args.joined(separator: " ")): \(run.stderr)") }
        }
        // A failed training registers nothing.
        let list = try CommandLineTool.run(["models", "list", "--db", db, "--json"])
        #expect(!list.stdout.contains("\"x\""))

        // A version registered from outside has no lineage to rebuild its test window from.
        let file = market.directory.file("weights.bin")
        try Data("w".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try CommandLineTool.run(["models", "register", "outside", "--db", db, "--kind", "als", "--artifact", file]).status == 0)
        let evaluate = try CommandLineTool.run(["recommend", "evaluate", "--db", db, "--name", "outside"])
        #expect(evaluate.status == 1 && evaluate.stderr.contains("has no lineage"), "\(evaluate.stderr)")
        let batch = try CommandLineTool.run(["recommend", "batch", "--db", db, "--model", "outside", "--version", "1"])
        #expect(batch.status == 1 && batch.stderr.contains("model.bin"), "\(batch.stderr)")
    }
}
