import Foundation
import Hummingbird
import Larder
import LarderColumnar
import LarderRecommender

/// `GET /recommend`, `POST /feedback` and `GET /recommend/arms`: the registry's models served
/// behind a bandit, and the feedback that closes the loop. docs/server.md and the Serving
/// article describe the shapes.
extension FeatureServer {
    /// `GET /recommend?user_id=42&k=10[&model=ranker]`.
    func recommend(_ request: Request) async throws -> Response {
        let query = try RecommendQuery(Array(request.uri.queryParameters), configuration: configuration.recommend)
        let served = try await servedModel(query.model)
        do {
            return Self.json(Self.encode(try recommender.recommend(user: query.user, k: query.k, model: served), k: query.k))
        } catch {
            throw RecommendationService.serverError(error, model: query.model)
        }
    }

    /// `POST /feedback`: one event or `{"events": [...]}`.
    func feedback(_ request: Request) async throws -> Response {
        let body = try await collect(request)
        let events = try FeedbackEvent.parse(try JSONValue.parse(body.readableBytesView), defaultModel: configuration.recommend.model,
                                             maxEvents: configuration.maxEntities)
        for name in Set(events.map(\.model)) { _ = try await servedModel(name) }
        let received = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let skipped = try recommender.feedback(events, receivedAt: received)
        var w = JSONWriter()
        w.raw("{\"accepted\":\(events.count),\"bandit_updates\":\(skipped.count(where: { $0 == nil })),\"ignored_by_bandit\":[")
        var first = true
        for (i, reason) in skipped.enumerated() {
            guard let reason else { continue }
            w.raw(first ? "{\"index\":\(i),\"reason\":" : ",{\"index\":\(i),\"reason\":")
            w.string(reason)
            w.raw("}")
            first = false
        }
        w.raw("]}")
        return Self.json(w.bytes)
    }

    /// `GET /recommend/arms[?model=ranker]`: the bandit's arms and what it learned.
    func recommendArms(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        if let unknown = parameters.first(where: { $0.key != "model" }) {
            throw ServerError.badRequest("unknown query parameter '\(unknown.key)' (expected model)")
        }
        guard let name = parameters.first(where: { $0.key == "model" }).map({ String($0.value) }) ?? configuration.recommend.model else {
            throw ServerError.badRequest("give ?model=NAME (this server has no default model: larder serve --recommender NAME)")
        }
        let served = try await servedModel(name)
        var w = JSONWriter()
        w.raw("{\"model\":")
        w.string(name)
        w.raw(",\"policy\":")
        switch served.router.configuration.policy {
        case .thompsonSampling: w.string("thompson_sampling")
        case .epsilonGreedy: w.string("epsilon_greedy")
        }
        w.raw(",\"arms\":[")
        for (i, arm) in served.router.statistics().enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"arm\":")
            w.string(arm.arm.name)
            w.raw(",\"version\":\(arm.arm.version.map(String.init) ?? "null"),\"stage\":")
            w.string(arm.arm.version.flatMap { served.version($0)?.version.stage.rawValue } ?? "unknown")
            w.raw(",\"chosen\":\(arm.chosen),\"trials\":\(arm.trials),\"reward_sum\":")
            w.number(arm.rewardSum)
            w.raw(",\"open_impressions\":\(arm.openImpressions),\"alpha\":")
            w.number(arm.alpha)
            w.raw(",\"beta\":")
            w.number(arm.beta)
            w.raw(",\"posterior_mean\":")
            w.number(arm.posteriorMean)
            w.raw("}")
        }
        w.raw("]}")
        return Self.json(w.bytes)
    }

    /// Commits the buffered `/feedback` events to their feature view and saves every bandit
    /// whose state changed. The server does this every ``RecommendConfiguration/flushInterval``
    /// and at shutdown; call it to make feedback visible offline at once.
    /// - Throws: The first failure (failed events stay buffered for the next flush).
    public func flushRecommendations() throws {
        try recommender.flush()
    }

    /// The served model `name`; a model not loaded yet loads on a Dispatch thread (it reads
    /// artifacts and the interactions view), not on the event loop.
    func servedModel(_ name: String) async throws -> ServedModel {
        if let hit = recommender.loaded(name) { return hit }
        let recommender = recommender
        return try await offload("loading model '\(name)'") { try recommender.served(name) }
    }

    /// The answer's JSON:
    /// `{"user_id", "k", "model", "version", "arm", "stage", "request_id", "fallback",
    /// "fallback_reason", "segment", "booked_excluded", "items": [{"item_id", "score"}], "features": {...}}`.
    static func encode(_ answer: RecommendationService.Answer, k: Int) -> [UInt8] {
        var w = JSONWriter()
        w.reserve(256 + answer.recommendations.items.count * 48)
        w.raw("{\"user_id\":\(answer.user),\"k\":\(k),\"model\":")
        w.string(answer.version.name)
        w.raw(",\"version\":\(answer.version.version),\"arm\":")
        w.string(answer.version.reference)
        w.raw(",\"stage\":")
        w.string(answer.version.stage.rawValue)
        w.raw(",\"request_id\":")
        w.string(answer.requestID)
        w.raw(",\"fallback\":\(answer.recommendations.usedFallback),\"fallback_reason\":")
        if let reason = answer.fallbackReason { w.string(reason) } else { w.raw("null") }
        w.raw(",\"segment\":")
        if let segment = answer.recommendations.segment { w.string(segment) } else { w.raw("null") }
        w.raw(",\"booked_excluded\":\(answer.bookedExcluded),\"items\":[")
        for (i, item) in answer.recommendations.items.enumerated() {
            w.raw(i == 0 ? "{\"item_id\":\(item.item),\"score\":" : ",{\"item_id\":\(item.item),\"score\":")
            w.number(item.score)
            w.raw("}")
        }
        w.raw("],\"features\":{")
        for (i, feature) in (answer.features?.features ?? []).enumerated() {
            if i > 0 { w.raw(",") }
            w.string(feature.name)
            w.raw(":")
            w.value(feature.values.first ?? .null)
        }
        w.raw("}}")
        return w.bytes
    }
}

/// The query of `GET /recommend`: `user_id` (required, an integer), `k` (default 10, 1 …
/// `maxK`), `model` (default: the server's `--recommender`).
struct RecommendQuery: Sendable {
    var user: Int64
    var k: Int
    var model: String

    init(_ pairs: [(key: Substring, value: Substring)], configuration: RecommendConfiguration) throws(ServerError) {
        let known: Set<Substring> = ["user_id", "k", "model"]
        if let unknown = pairs.first(where: { !known.contains($0.key) }) {
            throw .badRequest("unknown query parameter '\(unknown.key.prefix(40))' (expected user_id, k, model)")
        }
        var parameters: [Substring: Substring] = [:]
        for (name, value) in pairs {
            guard parameters.updateValue(value, forKey: name) == nil else {
                throw .badRequest("query parameter '\(name)' is given \(pairs.count(where: { $0.key == name })) times")
            }
        }
        guard let userText = parameters["user_id"], !userText.isEmpty else {
            throw .badRequest("user_id is required, e.g. /recommend?user_id=42&k=10")
        }
        guard let user = Int64(userText) else { throw .badRequest("user_id '\(userText.prefix(40))' is not an integer id") }
        self.user = user
        if let kText = parameters["k"] {
            guard let k = Int(kText) else { throw .badRequest("k '\(kText.prefix(40))' is not an integer (1 to \(configuration.maxK))") }
            guard k >= 1, k <= configuration.maxK else { throw .badRequest("k = \(k) is out of range: ask for 1 to \(configuration.maxK) items") }
            self.k = k
        } else {
            k = configuration.defaultK
        }
        switch parameters["model"] {
        case .some(let name) where !name.isEmpty: model = String(name)
        case .some: throw .badRequest("model is empty (give a registry model name)")
        case nil:
            guard let model = configuration.model else {
                throw .badRequest("give ?model=NAME (this server has no default model: larder serve --recommender NAME)")
            }
            self.model = model
        }
    }
}
