import Foundation
import Hummingbird
import HummingbirdTesting
import Larder
import LarderColumnar
import LarderTestSupport
import Logging
import Testing
@testable import LarderServer

/// A small database for server tests, materialized:
///
/// - view `stats` (key `user_id` int64): `x` int64 (nullable), `s` string, `v` 2-dim vector.
///   User 1: x = 10, s = "one", v = [1, 2] (a minute old); user 2: x null, s = "two".
/// - view `items` (key `item_id` string): `price` float64. Item "a": 1.5.
/// - view `recent` (key `user_id`, ttl 1h): `y` int64. User 1: y = 5, two hours old (outside
///   max age).
/// - services `ranker` (stats:x, items:price; served vectors logged) and `plain` (stats).
struct ServerTestWorld {
    let dir: TemporaryDirectory
    let db: FeatureDatabase
    let now: Int64
    let minuteAgo: Int64

    static let yaml = """
    entities:
      - name: user
        join_keys: [user_id]
      - name: item
        join_keys: [item_id]
    feature_views:
      - name: stats
        entities: [user]
        timestamp_field: event_ts
        schema:
          - {name: user_id, dtype: int64}
          - {name: event_ts, dtype: timestamp}
          - {name: x, dtype: int64}
          - {name: s, dtype: string}
          - {name: v, dtype: "array<float32>", dim: 2}
      - name: items
        entities: [item]
        timestamp_field: ts
        schema:
          - {name: item_id, dtype: string}
          - {name: ts, dtype: timestamp}
          - {name: price, dtype: float64}
      - name: recent
        entities: [user]
        timestamp_field: event_ts
        ttl: 1h
        schema:
          - {name: user_id, dtype: int64}
          - {name: event_ts, dtype: timestamp}
          - {name: y, dtype: int64}
    feature_services:
      - name: ranker
        features: ["stats:x", "items:price"]
        log_served_features: true
      - name: plain
        features: ["stats"]
    """

    init() throws {
        dir = try TemporaryDirectory(prefix: "larder-server")
        db = try FeatureDatabase.create(at: dir.file("db"))
        try db.apply(try Definitions.parse(yaml: Self.yaml))
        now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        minuteAgo = now - 60_000_000
        var v = ColumnBuilder(type: .vector(dimension: 2), capacity: 2)
        try v.append(vector: [1, 2])
        v.appendNull()
        try db.ingest([try RecordBatch(schema: try Schema([
            Field("user_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false),
            Field("x", .int64), Field("s", .string), Field("v", .vector(dimension: 2)),
        ]), columns: [
            .int64([1, 2]), .timestamp([minuteAgo, minuteAgo]), .int64([10, 0], validity: Bitmap([true, false])),
            .string(["one", "two"]), v.finish(),
        ])], into: "stats")
        try db.ingest([try RecordBatch(["item_id": .string(["a"]), "ts": .timestamp([minuteAgo]), "price": .float64([1.5])])], into: "items")
        try db.ingest([try RecordBatch(["user_id": .int64([1]), "event_ts": .timestamp([now - 7_200_000_000]), "y": .int64([5])])], into: "recent")
        try db.materialize()
    }

    func server(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> FeatureServer {
        var configuration = ServerConfiguration(port: 0)
        configure(&configuration)
        var logger = Logger(label: "larder.server.test")
        logger.logLevel = .critical
        return FeatureServer(database: db, configuration: configuration, logger: logger)
    }
}

extension ServerTestWorld {
    /// At most 3 entities and 2000 body bytes per request.
    static func smallLimits(_ configuration: inout ServerConfiguration) {
        configuration.maxEntities = 3
        configuration.maxBodyBytes = 2000
    }

    /// Bad get-online-features bodies under ``smallLimits``: status, error code, a piece of the message.
    static let badFeatureRequests: [(String, HTTPResponse.Status, String, String)] = [
        ("{\"features\": [\"stats:x\"], ", .badRequest, "bad_request", "malformed JSON at byte"),
        ("[1, 2]", .badRequest, "bad_request", "must be a JSON object, not an array"),
        (#"{"entities": {"user_id": [1]}}"#, .badRequest, "bad_request", "give 'features'"),
        (#"{"features": ["stats:x"], "feature_service": "plain", "entities": {"user_id": [1]}}"#, .badRequest, "bad_request", "not both"),
        (#"{"features": "stats:x", "entities": {"user_id": [1]}}"#, .badRequest, "bad_request", "must be a list of strings"),
        (#"{"features": [7], "entities": {"user_id": [1]}}"#, .badRequest, "bad_request", "features[0] must be a string"),
        (#"{"features": ["stats:x"], "entities": [1]}"#, .badRequest, "bad_request", "'entities' must be an object"),
        (#"{"features": ["stats:x"], "entities": {"user_id": []}}"#, .badRequest, "bad_request", "no entities"),
        (#"{"features": ["stats:x"], "entitys": {"user_id": [1]}}"#, .badRequest, "bad_request", "unknown field 'entitys'"),
        (#"{"features": ["stats:nope"], "entities": {"user_id": [1]}}"#, .notFound, "not_found", "no feature 'nope'"),
        (#"{"features": ["nope:x"], "entities": {"user_id": [1]}}"#, .notFound, "not_found", "no feature view 'nope'"),
        (#"{"feature_service": "nope", "entities": {"user_id": [1]}}"#, .notFound, "not_found", "no feature service 'nope'"),
        (#"{"features": ["stats:x"], "entities": {"user_id": ["abc"]}}"#, .badRequest, "bad_request", "entities.user_id[0]: key 'user_id' is int64, not the string \"abc\""),
        (#"{"features": ["stats:x"], "entities": {"user_id": [1.5]}}"#, .badRequest, "bad_request", "is int64, not the number 1.5"),
        (#"{"features": ["items:price"], "entities": {"item_id": [3]}}"#, .badRequest, "bad_request", "key 'item_id' is string, not the number 3"),
        (#"{"features": ["stats:x"], "entities": {"item_id": ["a"]}}"#, .badRequest, "bad_request", "'item_id' is not a key"),
        (#"{"features": ["stats:x", "items:price"], "entities": {"user_id": [1]}}"#, .badRequest, "bad_request", "entities lack key 'item_id'"),
        (#"{"features": ["stats:x", "items:price"], "entities": {"user_id": [1, 2], "item_id": ["a"]}}"#, .badRequest, "bad_request", "differ in length"),
        (#"{"features": ["stats:x"], "entities": {"user_id": [1, 2, 3, 4]}}"#, .contentTooLarge, "too_many_entities", "4 entities in one request; the limit is 3"),
        (#"{"features": ["stats:x", "recent"], "entities": {"user_id": [1]}, "full_feature_names": 1}"#, .badRequest, "bad_request", "'full_feature_names' must be a boolean"),
        (#"{"features": ["stats:x", "stats:x"], "entities": {"user_id": [1]}}"#, .badRequest, "bad_request", "set \"full_feature_names\": true"),
        ("{\"features\": [\"stats:x\"], \"entities\": {\"user_id\": [1]}, \"pad\": \"" + String(repeating: "x", count: 3000) + "\"}",
         .contentTooLarge, "payload_too_large", "the limit is 2000"),
        (String(repeating: "[", count: 500) + String(repeating: "]", count: 500), .badRequest, "bad_request", "nested more than 64 levels"),
    ]
}

/// A test request's answer: status, headers and body parsed as JSON (when it is JSON).
struct TestAnswer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] }
    /// The error body's `code` and `message`.
    var error: (code: String, message: String)? {
        guard let e = json?["error"] as? [String: Any], let code = e["code"] as? String, let message = e["message"] as? String else { return nil }
        return (code, message)
    }
    /// `results[i].key` of a get-online-features answer.
    func results(_ key: String) -> [[Any]] {
        ((json?["results"] as? [[String: Any]]) ?? []).map { ($0[key] as? [Any]) ?? [] }
    }
    var featureNames: [String] { ((json?["metadata"] as? [String: Any])?["feature_names"] as? [String]) ?? [] }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, token: String? = nil) async throws -> TestAnswer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer " + token }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            TestAnswer(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }
}
