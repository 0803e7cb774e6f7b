import Foundation
import Larder
import LarderColumnar
import LarderRecommender
import Logging
import Synchronization

/// The offline side of `POST /feedback`: every accepted event becomes a row of a feature view
/// (default `recommendation_feedback`), so `larder historical`, `larder export` and the
/// recommender's training read feedback like any other data.
///
/// The view is created on the first flush when the catalog lacks it (offline only; keys
/// `user_id`, `item_id` through the catalog's entities with those join keys, which are added as
/// `user` / `item` when missing). Columns, in order:
///
/// | column | type | |
/// | --- | --- | --- |
/// | `user_id`, `item_id` | int64 | keys |
/// | `event_ts` | timestamp | the event's `ts` (default: when the server received it) |
/// | `created_ts` | timestamp | when the server received it |
/// | `event` | string | `impression`, `click` or `booking` |
/// | `label` | int64 | 1 for a booking, else 0 (so the view is an interactions view too) |
/// | `model`, `version`, `arm` | string, int64, string | the model version that served |
/// | `request_id` | string | the `/recommend` request, when the feedback named it |
/// | `reward` | float64 | the event's reward in the bandit's scheme |
///
/// Events are buffered in memory and committed as one ingest (one table version) per flush:
/// every ``RecommendConfiguration/flushInterval``, at shutdown, and on
/// ``FeatureServer/flushRecommendations()``. A commit that fails keeps its rows buffered for
/// the next flush; a full buffer refuses new events with a 503 instead of dropping them.
final class FeedbackLog: Sendable {
    struct Row: Sendable {
        var user: Int64
        var item: Int64
        var eventTime: Int64
        var receivedAt: Int64
        var kind: FeedbackKind
        var arm: BanditArm
        var requestID: String?
        var reward: Double
    }

    let database: FeatureDatabase
    let viewName: String
    let maxBuffered: Int
    let logger: Logger
    private let pending = Mutex<[Row]>([])
    /// Held while flushing, so two flushes never commit the same rows; true once the view is known to exist.
    private let flushing = Mutex<Bool>(false)

    init(database: FeatureDatabase, viewName: String, maxBuffered: Int, logger: Logger) {
        self.database = database
        self.viewName = viewName
        self.maxBuffered = maxBuffered
        self.logger = logger
    }

    /// Events waiting for the next flush.
    var pendingCount: Int { pending.withLock { $0.count } }

    /// Buffers `rows` (all or none).
    /// - Throws: 503 when the buffer is full.
    func append(_ rows: [Row]) throws(ServerError) {
        let accepted = pending.withLock { buffer in
            guard buffer.count + rows.count <= maxBuffered else { return false }
            buffer.append(contentsOf: rows)
            return true
        }
        guard accepted else {
            throw ServerError(.serviceUnavailable, "feedback_buffer_full",
                              "\(maxBuffered) feedback events are waiting to be written to '\(viewName)'; retry later (the last commit may have failed: see the server log)")
        }
    }

    /// Commits every buffered event as one ingest into the view (creating it first if needed).
    /// - Returns: The rows committed.
    /// - Throws: The database's error; the rows stay buffered for the next flush.
    @discardableResult
    func flush() throws -> Int {
        try flushing.withLock { viewReady in
            let rows = pending.withLock { buffer in
                defer { buffer.removeAll() }
                return buffer
            }
            guard !rows.isEmpty else { return 0 }
            do {
                if !viewReady {
                    try ensureView()
                    viewReady = true
                }
                try database.ingest([try Self.batch(rows)], into: viewName, source: "feedback")
                logger.debug("feedback flushed", metadata: ["view": "\(viewName)", "rows": "\(rows.count)"])
                return rows.count
            } catch {
                pending.withLock { $0.insert(contentsOf: rows, at: 0) }
                throw error
            }
        }
    }

    /// Whether the view exists in the catalog.
    func viewExists() throws -> Bool {
        try database.catalog().featureView(named: viewName) != nil
    }

    /// Creates the view when the catalog lacks it; checks its columns when it has it.
    /// - Throws: `.invalidDefinitions` when a view of that name has other columns.
    func ensureView() throws {
        var catalog = try database.catalog()
        if let existing = catalog.featureView(named: viewName) {
            let keys = try database.keys(of: existing, in: catalog)
            let schema = try existing.tableSchema(keys: keys)
            let wanted = try Self.schema
            let missing = wanted.fields.filter { f in schema.field(named: f.name)?.type != f.type }
            guard missing.isEmpty else {
                throw DatabaseError(.invalidDefinitions, "view '\(viewName)' exists without the feedback columns \(missing.map { "\($0.name) (\($0.type))" }.joined(separator: ", ")); serve with another feedback view (--feedback-view)")
            }
            return
        }
        var entities: [String] = []
        for (key, name, description) in [("user_id", "user", "A user (added by the feature server for recommendation feedback)."),
                                         ("item_id", "item", "An item (added by the feature server for recommendation feedback).")] {
            if let entity = catalog.entities.first(where: { $0.joinKeys == [key] }) {
                entities.append(entity.name)
                continue
            }
            var entityName = name
            while catalog.entity(named: entityName) != nil { entityName = "recommendation_" + entityName }
            catalog.entities.append(Entity(name: entityName, joinKeys: [key], description: description))
            entities.append(entityName)
        }
        catalog.featureViews.append(FeatureView(
            name: viewName, entities: entities, timestampField: "event_ts", createdTimestampColumn: "created_ts", online: false,
            schema: try Self.schema.fields.map { FeatureField(name: $0.name, type: try Self.featureType($0.type)) },
            description: "Feedback on served recommendations (POST /feedback): impressions, clicks and bookings."))
        try database.apply(catalog)
        logger.info("created the feedback view", metadata: ["view": "\(viewName)"])
    }

    /// The view's table schema.
    static var schema: Schema {
        get throws {
            try Schema([
                Field("user_id", .int64, nullable: false), Field("item_id", .int64, nullable: false),
                Field("event_ts", .timestamp, nullable: false), Field("created_ts", .timestamp),
                Field("event", .string), Field("label", .int64), Field("model", .string), Field("version", .int64),
                Field("arm", .string), Field("request_id", .string), Field("reward", .float64),
            ])
        }
    }

    private static func featureType(_ type: DataType) throws -> FeatureType {
        switch type {
        case .int64: .int64
        case .timestamp: .timestamp
        case .string: .string
        case .float64: .float64
        default: throw DatabaseError(.internalError, "no feature type for \(type)")
        }
    }

    static func batch(_ rows: [Row]) throws -> RecordBatch {
        try RecordBatch(schema: try schema, columns: [
            .int64(rows.map(\.user)), .int64(rows.map(\.item)), .timestamp(rows.map(\.eventTime)), .timestamp(rows.map(\.receivedAt)),
            .string(rows.map { $0.kind.rawValue }), .int64(rows.map { $0.kind == .booking ? 1 : 0 }),
            .string(rows.map { $0.arm.model ?? $0.arm.name }), .int64(rows.map { Int64($0.arm.version ?? 0) }),
            .string(rows.map(\.arm.name)), .string(rows.map(\.requestID)), .float64(rows.map(\.reward)),
        ])
    }
}
