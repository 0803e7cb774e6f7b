import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderRecommender

/// `larder recommend batch`: precomputed top-k lists in a feature view, materialized online.
struct RecommendBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Write every user's top-k list into a feature view and materialize it to the online store.",
        discussion: """
        Scores every user the database knows (the users of the model's interactions view and \
        of its user feature views) with a registered model, leaving out the items each user \
        already booked, and appends one row per user to the view (default <model>_topk, keyed \
        by the user entity): items (the item ids, best first, comma-separated), scores \
        (array<float32> of dimension k, NaN after a list shorter than k), model_version and \
        fallback (true when the model did not know the user and answered with popular items). \
        The view is created if missing, then materialized, so `larder get` and the feature \
        server return the lists. Add the view to your definitions file, or a later \
        `larder apply` will see it as removed.
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "The registered model's name.") var model: String
    @Option(help: "The version (default: the one in production).") var version: Int?
    @Option(help: "Items per user.") var k = 20
    @Option(help: "The feature view to write (default: <model>_topk).") var view: String?
    @Option(help: "The interactions view to read users and their bookings from (default: the model's, from its lineage).")
    var interactions: String?
    @Option(help: "Worker threads for scoring (default: one per core).") var threads: Int?
    @Flag(help: "Print what was written as JSON.") var json = false
    @Flag(help: "No progress lines on stderr.") var quiet = false

    /// The longest list a batch writes (the scores vector's dimension).
    static let maxK = 1000

    func validate() throws {
        if k < 1 || k > Self.maxK { throw ValidationError("--k \(k): the list length must be in 1...\(Self.maxK)") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be at least 1") }
        if let view, !Self.isViewName(view) {
            throw ValidationError("--view \(view): a view name is letters, digits and '_', not starting with a digit")
        }
    }

    /// Whether `name` can name a feature view (`[A-Za-z_][A-Za-z0-9_]*`).
    static func isViewName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// `<model>_topk` with every character a view name cannot hold replaced by `_`.
    static func defaultView(model: String) -> String {
        let cleaned = String(model.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return (cleaned.first?.isNumber == true ? "m_" : "") + cleaned + "_topk"
    }

    func run() throws {
        let started = ContinuousClock.now
        let progress = RecommendProgress(quiet: quiet)
        let db = try database.open()
        let registry = ModelRegistry(database: db)
        let chosen = try RecommendModelChoice.version(registry, name: model, version: version, stage: nil, default: .production)
        let recommender = try registry.recommender(model, version: chosen.version)
        var options = TrainingDataOptions()
        if let lineage = chosen.lineage {
            options.userColumn = lineage.userColumn
            options.itemColumn = lineage.itemColumn
            options.timeColumn = lineage.timeColumn
            options.labelColumn = lineage.labelColumn
            options.interactionsView = lineage.interactionsView
        } else if interactions == nil {
            throw RecommendFailure("\(chosen.reference) has no lineage naming its interactions view; pass --interactions VIEW")
        }
        if let interactions { options.interactionsView = interactions }
        options.userFeatures = []
        options.itemFeatures = []
        // The view's shape is checked before the (long) scoring.
        let viewName = view ?? Self.defaultView(model: model)
        let catalog = try db.catalog()
        let definition = try topKView(viewName, catalog: catalog, userColumn: options.userColumn)
        let exists = try viewExists(definition, in: catalog)

        progress.step("reading users and bookings from '\(options.interactionsView)'")
        let ((users, booked), load) = try RecommendClock.timed { try readUsers(db, options: options, lineage: chosen.lineage) }
        progress.step("scoring \(users.count) users with \(chosen.reference) (\(chosen.kind)), top \(k)")
        let (lists, score) = RecommendClock.timed { recommender.recommend(users: users, k: k, excluding: booked, threads: threads) }

        progress.step("writing \(users.count) lists to view '\(viewName)'")
        let (committed, write) = try RecommendClock.timed { () throws -> IngestResult in
            if !exists {
                var next = catalog
                next.featureViews.append(definition)
                try db.apply(next)
            }
            let batch = try rows(users: users, lists: lists, version: chosen.version, userColumn: options.userColumn)
            var ingest = IngestOptions()
            ingest.metadata = ["model": chosen.reference, "k": "\(k)"]
            return try db.ingest([batch], into: viewName, options: ingest, source: "larder recommend batch \(chosen.reference)")
        }
        let created = !exists
        progress.step("materializing '\(viewName)' to the online store")
        let (materialized, sync) = try RecommendClock.timed {
            try db.materialize(MaterializeOptions(mode: .incremental, views: [viewName]))
        }
        let fallbacks = lists.reduce(0) { $0 + ($1.usedFallback ? 1 : 0) }
        let short = lists.reduce(0) { $0 + ($1.items.count < k ? 1 : 0) }
        let total = RecommendClock.seconds(since: started)

        if json {
            var object: [String: Any] = [
                "name": model, "version": chosen.version, "stage": chosen.stage.rawValue, "kind": chosen.kind, "view": viewName,
                "k": k, "users": users.count, "fallbackUsers": fallbacks, "shortLists": short, "createdView": created,
                "seconds": ["load": load, "score": score, "write": write, "materialize": sync, "total": total],
            ]
            if let v = committed.version { object["tableVersion"] = Int(v) }
            if let m = materialized.views.first { object["materialized"] = try RecommendText.object(m) }
            return try printJSON(object)
        }
        print("\(chosen.reference) (\(chosen.kind)): top \(k) for \(users.count) users → view '\(viewName)'\(created ? " (created)" : "") version \(committed.version.map(String.init) ?? "-")")
        print("fallback  \(fallbacks) users the model did not know got popular items; \(short) lists are shorter than \(k)")
        if let m = materialized.views.first { print("online    \(m.rowsWritten) rows written, store at version \(m.toVersion)") }
        print("time      \(RecommendText.timings([("load", load), ("score", score), ("write", write), ("materialize", sync)]))")
    }

    /// Every user to score (ascending) and what each booked: the users of the interactions
    /// view and the keys of the lineage's user feature views.
    private func readUsers(_ db: FeatureDatabase, options: TrainingDataOptions,
                           lineage: TrainingLineage?) throws -> ([Int64], [Int64: Set<Int64>]) {
        let log: InteractionLog
        do {
            log = try TrainingData.load(from: db, options: options).log
        } catch RecommenderError.Code.emptyWindow {
            throw RecommendFailure("view '\(options.interactionsView)' has no interactions: there are no users to score")
        }
        var users = Set(log.userIDs)
        let catalog = try db.catalog()
        let views = Set((lineage?.userFeatures ?? []).compactMap { $0.split(separator: ":").first.map(String.init) })
        for name in views.sorted() {
            guard let view = catalog.featureView(named: name) else { continue }
            let keys = try db.keys(of: view, in: catalog)
            guard keys.count == 1 else { continue }
            let column = try db.snapshot(of: name).read(columns: keys).columns[0]
            if let ids = column.int64Values { users.formUnion(ids) } else if let ids = column.int32Values { users.formUnion(ids.map(Int64.init)) }
        }
        return (users.sorted(), log.positiveItemsByUser())
    }

    /// The definition of the view that holds the lists.
    private func topKView(_ name: String, catalog: Catalog, userColumn: String) throws -> FeatureView {
        guard let entity = catalog.entities.first(where: { $0.joinKeys == [userColumn] }) else {
            throw RecommendFailure("no entity has the join key '\(userColumn)' (entities: \(catalog.entities.map { "\($0.name) [\($0.joinKeys.joined(separator: ", "))]" }.joined(separator: ", "))); the lists are keyed by the user entity")
        }
        return FeatureView(
            name: name, entities: [entity.name], timestampField: "event_ts", online: true,
            schema: [FeatureField(name: userColumn, type: .int64), FeatureField(name: "event_ts", type: .timestamp),
                     FeatureField(name: "items", type: .string), FeatureField(name: "scores", type: .floatVector(dimension: k)),
                     FeatureField(name: "model_version", type: .int64), FeatureField(name: "fallback", type: .bool)],
            description: "Top-\(k) recommendations of model '\(model)' (larder recommend batch).",
            tags: ["larder.recommend.model": model])
    }

    /// Whether the catalog has `definition`'s view already (then it is written to as it is).
    /// - Throws: `RecommendFailure` when a view of that name exists with another shape.
    private func viewExists(_ definition: FeatureView, in catalog: Catalog) throws -> Bool {
        if let existing = catalog.featureView(named: definition.name) {
            if existing.entities == definition.entities && existing.schema == definition.schema
                && existing.timestampField == definition.timestampField && existing.online {
                return true
            }
            if let scores = existing.schema.first(where: { $0.name == "scores" }), case .floatVector(let d) = scores.type, d != k {
                throw RecommendFailure("view '\(definition.name)' holds top-\(d) lists; pass --k \(d) or write to another --view")
            }
            let shape = existing.schema.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
            throw RecommendFailure("view '\(definition.name)' already exists with other columns (\(shape))\(existing.online ? "" : " and is not online"); write to another --view")
        }
        return false
    }

    /// One row per user: key, scoring time, items, scores (NaN-padded to k), version, fallback.
    private func rows(users: [Int64], lists: [Recommendations], version: Int, userColumn: String) throws -> RecordBatch {
        let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        var scores = [Float](repeating: .nan, count: users.count * k)
        for (u, list) in lists.enumerated() {
            for (j, item) in list.items.prefix(k).enumerated() { scores[u * k + j] = Float(item.score) }
        }
        let fields = [Field(userColumn, .int64, nullable: false), Field("event_ts", .timestamp, nullable: false), Field("items", .string),
                      Field("scores", .vector(dimension: k)), Field("model_version", .int64), Field("fallback", .bool)]
        let scoreColumn = try Column(type: .vector(dimension: k), storage: .vector(dimension: k, values: scores))
        return try RecordBatch(schema: Schema(fields), columns: [
            .int64(users), .timestamp([Int64](repeating: now, count: users.count)),
            .string(lists.map { $0.items.map { String($0.item) }.joined(separator: ",") }),
            scoreColumn, .int64([Int64](repeating: Int64(version), count: users.count)), .bool(lists.map(\.usedFallback)),
        ])
    }
}
