import Foundation
import Larder
import LarderColumnar
import LarderRecommender
import Logging
import Synchronization

/// The recommendation side of the feature server: the registry's models as served (one
/// ``ServedModel`` per model name, loaded on first use), what users booked, the remembered
/// requests and the feedback log. `RecommendRoutes.swift` turns HTTP into calls here.
final class RecommendationService: Sendable {
    let database: FeatureDatabase
    let registry: ModelRegistry
    let configuration: RecommendConfiguration
    let logger: Logger
    let bookings = BookedItems()
    let requests: RememberedRequests
    let feedbackLog: FeedbackLog
    private let models = Mutex<[String: ServedModel]>([:])
    /// Held while a model loads, so concurrent first requests load it once.
    private let loading = Mutex<Void>(())

    init(database: FeatureDatabase, configuration: RecommendConfiguration, logger: Logger) {
        self.database = database
        registry = ModelRegistry(database: database)
        self.configuration = configuration
        self.logger = logger
        requests = RememberedRequests(capacity: configuration.rememberedRequests)
        feedbackLog = FeedbackLog(database: database, viewName: configuration.feedbackView, maxBuffered: configuration.maxBufferedEvents,
                                  logger: logger)
    }

    /// The served model `name` if it is loaded.
    func loaded(_ name: String) -> ServedModel? { models.withLock { $0[name] } }

    /// The served model `name`, loading it (blocking: artifacts, the interactions view) when
    /// it is not loaded yet. Failures are not cached: the next request tries again.
    /// - Throws: ``ServerError``: 404 `unknown_model`, 409 `no_production_version`, 503
    ///   `model_unavailable`, 400 for a name the registry cannot hold.
    func served(_ name: String) throws(ServerError) -> ServedModel {
        if let hit = loaded(name) { return hit }
        do {
            return try loading.withLock { _ in
                if let hit = loaded(name) { return hit }
                let model = try ServedModel.load(name, registry: registry, database: database, configuration: configuration, logger: logger)
                loadBookings(for: model)
                models.withLock { $0[name] = model }
                logger.info("recommend: serving model", metadata: [
                    "model": "\(name)", "arms": "\(model.router.arms.map(\.name))", "booked_pairs": "\(bookings.count)",
                ])
                return model
            }
        } catch {
            throw Self.serverError(error, model: name)
        }
    }

    /// Reads what the users of `model` booked: its versions' interactions views and the
    /// feedback view's bookings. A source that cannot be read is logged and skipped: the model
    /// is served without leaving those bookings out (`booked_excluded` shows what was).
    private func loadBookings(for model: ServedModel) {
        var sources = model.versions.values.compactMap(\.bookingSource)
        if (try? feedbackLog.viewExists()) == true {
            sources.append(BookedItems.Source(view: configuration.feedbackView, userColumn: "user_id", itemColumn: "item_id",
                                              labelColumn: nil, eventColumn: "event", eventValue: FeedbackKind.booking.rawValue))
        }
        for source in sources {
            do { try bookings.ensure(source, database: database) } catch {
                logger.error("recommend: booked items cannot be read from a view; serving without leaving them out",
                             metadata: ["model": "\(model.name)", "view": "\(source.view)", "error": "\(error)"])
            }
        }
    }

    // MARK: Recommend

    /// One answered `/recommend`.
    struct Answer: Sendable {
        var user: Int64
        var version: ModelVersion
        var requestID: String
        var recommendations: Recommendations
        /// The items left out because the user booked them.
        var bookedExcluded: Int
        var fallbackReason: String?
        var features: OnlineFeatureResult?
    }

    /// The top `k` items for `user` from the arm the bandit picks among `model`'s serving versions.
    func recommend(user: Int64, k: Int, model served: ServedModel) throws -> Answer {
        let loaded = try served.choose()
        let features = loaded.onlineFeatures(of: user, logger: logger)
        let booked = bookings.items(of: user)
        var recommendations: Recommendations
        if let segmented = loaded.model as? SegmentedModel {
            var segment: String?
            if let name = loaded.segmentFeature, let values = features?[name], case .string(let s)? = values.values.first {
                segment = s
            }
            recommendations = segmented.recommend(user: user, segment: segment ?? segmented.segment(of: user), k: k, excluding: booked)
        } else {
            recommendations = loaded.model.recommend(user: user, k: k, excluding: booked)
        }
        var reason: String?
        if recommendations.usedFallback {
            let known = features?.features.contains { feature in feature.statuses.first.map { status in status != .notFound } ?? false } ?? false
            reason = known
                ? "user \(user) has online features but no history in \(loaded.version.reference) (a new user): popular items"
                : "unknown user \(user): \(loaded.version.reference) has no history for it" + (loaded.features == nil ? "" : " and the online store has no features for it") + ": popular items"
        }
        let id = RememberedRequests.makeID(arm: BanditArm(loaded.version))
        requests.remember(id, arm: BanditArm(loaded.version), user: user)
        return Answer(user: user, version: loaded.version, requestID: id, recommendations: recommendations,
                      bookedExcluded: booked.count, fallbackReason: reason, features: features)
    }

    // MARK: Feedback

    /// Applies validated feedback: checks every event's model and version, buffers the rows
    /// for the feedback view, adds bookings, then updates the bandits. The models must be
    /// loaded (``served(_:)``) or load quickly: this runs on the request's thread.
    /// - Returns: Per event, why the bandit did not count it (nil: it did).
    /// - Throws: 404 for an unknown model or version, 409 for no production version, 400 for a
    ///   request id of another user, 503 when the log buffer is full; nothing is applied then.
    func feedback(_ events: [FeedbackEvent], receivedAt: Int64) throws(ServerError) -> [String?] {
        var servedModels: [String: ServedModel] = [:]
        for event in events where servedModels[event.model] == nil {
            servedModels[event.model] = try served(event.model)
        }
        for (i, event) in events.enumerated() {
            if servedModels[event.model]?.version(event.version) == nil {
                do { _ = try registry.version(event.model, event.version) } catch {
                    throw ServerError(.notFound, "unknown_version",
                                      "\(FeedbackEvent.field(i, "version", events.count)): \(Self.serverError(error, model: event.model).message)")
                }
            }
            if let id = event.requestID, let remembered = requests.entry(id), remembered.user != event.user {
                throw .badRequest("\(FeedbackEvent.field(i, "request_id", events.count)): request \(id) served user \(remembered.user), not \(event.user)")
            }
        }
        let rewards = configuration.rewards
        try feedbackLog.append(events.map { e in
            FeedbackLog.Row(user: e.user, item: e.item, eventTime: e.time ?? receivedAt, receivedAt: receivedAt, kind: e.kind,
                            arm: e.arm, requestID: e.requestID, reward: rewards.reward(for: e.kind))
        })
        var skipped: [String?] = []
        for event in events {
            if event.kind == .booking { bookings.add(user: event.user, item: event.item) }
            guard let served = servedModels[event.model], served.router.arms.contains(event.arm) else {
                skipped.append("\(event.arm) is not serving (neither in production nor in staging): kept offline only")
                continue
            }
            do {
                switch requests.claim(event.requestID, kind: event.kind) {
                case .impression: try served.router.recordImpression(arm: event.arm)
                case .conversion: try served.router.recordConversion(arm: event.arm, kind: event.kind)
                case .trial: try served.router.record(arm: event.arm, outcome: event.kind)
                case .none(let reason):
                    skipped.append(reason)
                    continue
                }
                served.markChanged()
                skipped.append(nil)
            } catch {
                // The arm was retired between the check and the update.
                skipped.append("\(error)")
            }
        }
        return skipped
    }

    // MARK: Background work

    /// Follows the registry (promotions, retirements), refreshes the feature readers and re-reads
    /// interactions views that moved. Called by the server's background service.
    func refresh() {
        for (name, model) in models.withLock({ $0 }) {
            do {
                try model.reload(registry: registry, database: database, configuration: configuration, logger: logger)
                loadBookings(for: model)
            } catch {
                logger.notice("recommend: model no longer served", metadata: ["model": "\(name)", "error": "\(error)"])
                _ = try? model.saveSnapshot()
                models.withLock { _ = $0.removeValue(forKey: name) }
                continue
            }
            model.refreshReaders(logger: logger)
        }
        let (reread, failed) = bookings.refresh(database: database)
        if !reread.isEmpty { logger.info("recommend: bookings re-read", metadata: ["views": "\(reread)"]) }
        if !failed.isEmpty { logger.error("recommend: bookings cannot be re-read", metadata: ["errors": "\(failed)"]) }
    }

    /// Commits buffered feedback and saves changed bandit snapshots.
    /// - Throws: The first failure (everything is still attempted; failed rows stay buffered).
    func flush() throws {
        var failure: (any Error)?
        do { try feedbackLog.flush() } catch {
            logger.error("recommend: feedback commit failed; the events stay buffered", metadata: ["view": "\(configuration.feedbackView)", "error": "\(error)"])
            failure = error
        }
        for (name, model) in models.withLock({ $0 }) {
            do { try model.saveSnapshot() } catch {
                logger.error("recommend: bandit snapshot not saved", metadata: ["model": "\(name)", "error": "\(error)"])
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    // MARK: Errors

    /// `error` as the server answers it, naming `model`.
    static func serverError(_ error: any Error, model: String) -> ServerError {
        switch error {
        case let e as ServerError: return e
        case let e as ModelRegistryError:
            switch e.code {
            case .unknownModel: return ServerError(.notFound, "unknown_model", e.message)
            case .unknownVersion: return ServerError(.notFound, "unknown_version", e.message)
            case .noProductionVersion: return ServerError(.conflict, "no_production_version", e.message)
            case .invalidInput: return ServerError(.badRequest, "bad_request", e.message)
            default: return ServerError(.serviceUnavailable, "model_unavailable", "model '\(model)' cannot be served: \(e.description)")
            }
        case let e as BanditError where e.code == .noArms:
            return ServerError(.conflict, "no_production_version", "model '\(model)' has no arm to serve: \(e.message)")
        case let e as BanditError:
            return ServerError(.serviceUnavailable, "model_unavailable", "model '\(model)': bandit: \(e.description)")
        case let e as RecommenderError:
            return ServerError(.serviceUnavailable, "model_unavailable", "model '\(model)' cannot be served: \(e.description)")
        default:
            return ServerError.from(error)
        }
    }
}
