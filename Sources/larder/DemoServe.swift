import Dispatch
import Foundation
import Larder
import LarderRecommender
import LarderServer
import Logging
import Synchronization

/// Step 8 of `larder demo`: materialize the online store, start the feature server in this
/// process on a loopback port, ask it for a user's features and recommendations over HTTP,
/// time a few hundred more calls, and stop it.
extension DemoRun {
    /// The user_stats features the server step reads.
    static let servedFeatures = ["user_stats:visits_7d", "user_stats:spend_30d", "user_stats:fav_category", "user_stats:region",
                                 "user_stats:is_member"]

    func serve(_ db: FeatureDatabase, user: Int64, models: DemoModels) throws {
        let synced = try db.materialize()
        let entities = synced.views.map { "\($0.view) \(DemoConsole.grouped($0.rowsWritten))" }
        print("  materialized \(synced.views.count) views (entities per view: \(entities.joined(separator: ", "))) "
            + String(format: "in %.2f s", synced.views.reduce(0) { $0 + $1.seconds }))

        let running = try DemoServer.start(database: db, port: port)
        defer {
            let stopped = running.stop()
            print("  feature server stopped" + (stopped ? "" : " (it did not finish within 10 s; the process exit ends it)"))
        }
        print("  feature server listening on 127.0.0.1:\(running.port) (in this process; `larder serve` runs the same server)")
        let client = try DemoHTTPClient(port: running.port)
        _ = try client.get("/health")  // the first request opens the connection's server side

        // One user's features.
        let features = try client.post("/get-online-features", json: Self.featuresRequest(users: [user]))
        guard features.status == 200 else { throw DemoFailure("POST /get-online-features answered \(features.status): \(features.text)") }
        print("  POST /get-online-features  user \(user)  \(DemoConsole.latency(micros: features.micros)) (the first call opens the view's store)")
        for line in try Self.describeFeatures(features.body) { print("    " + line) }

        // Recommendations: over HTTP when the server has the route, else from the model itself.
        let k = 5
        let recommendPath = { (u: Int64) in "/recommend?user_id=\(u)&k=\(k)&model=\(Self.modelName)" }
        let probe = try client.get(recommendPath(user))
        let overHTTP = probe.status != 404 || !probe.text.contains("no_route")
        if overHTTP {
            guard probe.status == 200 else { throw DemoFailure("GET /recommend answered \(probe.status): \(probe.text)") }
            facts.recommendVia = "HTTP GET /recommend"
            print("  GET \(recommendPath(user))  \(DemoConsole.latency(micros: probe.micros)) (the first call loads the production model)")
            for line in Self.describeRecommendations(probe.body) { print("    " + line) }
        } else {
            facts.recommendVia = "in-process (no /recommend route on this server)"
            let start = DispatchTime.now().uptimeNanoseconds
            let top = models.production.recommend(user: user, k: k, excluding: models.booked[user] ?? [])
            let micros = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
            print("  recommendations served in-process: this server has no GET /recommend (it answered \(probe.status)), so the "
                + "production model \(Self.modelName) v\(models.productionVersion) (\(models.productionKind)) answers through the library "
                + "in \(DemoConsole.latency(micros: micros))")
            let items = top.items.map { "\($0.item) (\(String(format: "%.3g", $0.score)))" }
            print("    top \(k) for user \(user): " + items.joined(separator: ", ") + (top.usedFallback ? " [popularity fallback]" : ""))
        }

        // A few hundred more calls, one user each, for the latency figures.
        let users = Array(models.booked.keys.sorted().prefix(200))
        for u in users {
            let read = try client.post("/get-online-features", json: Self.featuresRequest(users: [u]))
            guard read.status == 200 else { throw DemoFailure("POST /get-online-features answered \(read.status): \(read.text)") }
            facts.featureLatencies.append(read.micros)
            if overHTTP {
                let answer = try client.get(recommendPath(u))
                guard answer.status == 200 else { throw DemoFailure("GET /recommend answered \(answer.status): \(answer.text)") }
                facts.recommendLatencies.append(answer.micros)
            } else {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = models.production.recommend(user: u, k: k, excluding: models.booked[u] ?? [])
                facts.recommendLatencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            }
        }
        facts.featureLatencies.sort()
        facts.recommendLatencies.sort()
        let f = facts.featureLatencies, r = facts.recommendLatencies
        print("  \(f.count) more calls each, one user per call: features p50 \(DemoConsole.latency(micros: DemoConsole.percentile(f, 50))), "
            + "p99 \(DemoConsole.latency(micros: DemoConsole.percentile(f, 99))); recommendations (\(facts.recommendVia)) "
            + "p50 \(DemoConsole.latency(micros: DemoConsole.percentile(r, 50))), p99 \(DemoConsole.latency(micros: DemoConsole.percentile(r, 99)))")
    }

    /// A Feast `get-online-features` body for `users`.
    static func featuresRequest(users: [Int64]) -> String {
        let features = servedFeatures.map { "\"\($0)\"" }.joined(separator: ",")
        let ids = users.map(String.init).joined(separator: ",")
        return "{\"features\":[\(features)],\"entities\":{\"user_id\":[\(ids)]},\"full_feature_names\":true}"
    }

    /// "user_stats__visits_7d = 3  PRESENT  2026-11-23T00:00:00Z", one line per feature.
    static func describeFeatures(_ body: Data) throws -> [String] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
              let names = (object["metadata"] as? [String: Any])?["feature_names"] as? [String],
              let results = object["results"] as? [[String: Any]], results.count == names.count
        else { throw DemoFailure("the get-online-features answer is not Feast's shape: \(String(decoding: body.prefix(200), as: UTF8.self))") }
        var rows: [[String]] = []
        for (name, result) in zip(names, results) {
            let value = (result["values"] as? [Any])?.first.map(jsonText) ?? "?"
            let status = (result["statuses"] as? [String])?.first ?? "?"
            let time = (result["event_timestamps"] as? [String])?.first ?? ""
            // Feast's shape stamps the entity key column with the epoch; it has no event time.
            rows.append([name, value, status, time == "1970-01-01T00:00:00Z" ? "" : time])
        }
        return DemoConsole.table(["feature", "value", "status", "event time"], rows, indent: "", leftAligned: [0, 1, 2, 3])
    }

    /// The items of a `/recommend` answer, or its JSON when the shape is unfamiliar.
    static func describeRecommendations(_ body: Data) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return [String(decoding: body.prefix(300), as: UTF8.self)]
        }
        var lines: [String] = []
        if let items = object["items"] as? [[String: Any]] {
            let shown = items.map { item -> String in
                let id = (item["item_id"] ?? item["item"]).map(jsonText) ?? "?"
                let score = (item["score"] as? Double).map { String(format: " (%.3g)", $0) } ?? ""
                return id + score
            }
            lines.append("items: " + shown.joined(separator: ", "))
        }
        var known: Set<String> = ["items", "request_id", "user_id", "k"]
        if let model = object["model"] as? String, let version = object["version"] as? Int {
            var text = "answered by \(model) v\(version)"
            if let stage = object["stage"] as? String { text += " (\(stage))" }
            if let fallback = object["fallback"] { text += ", popularity fallback: \(jsonText(fallback))" }
            if let excluded = object["booked_excluded"] { text += ", already-booked items left out: \(jsonText(excluded))" }
            lines.append(text)
            known.formUnion(["model", "version", "stage", "arm", "fallback", "booked_excluded", "fallback_reason", "segment"])
        }
        if let features = object["features"] as? [String: Any], !features.isEmpty {
            lines.append("features it read online: " + features.keys.sorted().map { "\($0)=\(jsonText(features[$0] as Any))" }.joined(separator: ", "))
            known.insert("features")
        }
        let other = object.keys.sorted().filter { !known.contains($0) && !(object[$0] is NSNull) }.map { "\($0)=\(jsonText(object[$0] as Any))" }
        if !other.isEmpty { lines.append(other.joined(separator: "  ")) }
        return lines.isEmpty ? [String(decoding: body.prefix(300), as: UTF8.self)] : lines
    }

    /// A parsed JSON value as compact text.
    static func jsonText(_ value: Any) -> String {
        switch value {
        case let s as String: return s
        case is NSNull: return "null"
        case let n as NSNumber:
            // JSON true and false parse as NSNumbers of type char.
            return String(cString: n.objCType) == "c" ? (n.boolValue ? "true" : "false") : n.stringValue
        default:
            guard JSONSerialization.isValidJSONObject(value),
                  let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
            else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// The feature server running in this process until ``stop()``.
struct DemoServer {
    /// The port it listens on.
    let port: Int
    private let task: Task<Void, Never>
    private let finished: DispatchSemaphore

    /// Starts a ``FeatureServer`` on 127.0.0.1:`port` (0: any free port) and waits until it
    /// accepts connections.
    /// - Throws: the server's error when it cannot start (e.g. the port is taken).
    static func start(database: FeatureDatabase, port: Int) throws -> DemoServer {
        // Cancelling the server (how the demo stops it, no signal involved) makes Hummingbird log
        // its closing channels as errors; the demo's own checks report any real failure.
        var logger = Logger(label: "larder.demo.server")
        logger.logLevel = .critical
        let server = FeatureServer(database: database, configuration: ServerConfiguration(host: "127.0.0.1", port: port), logger: logger)
        let bound = Mutex<Int?>(nil)
        let failure = Mutex<(any Error)?>(nil)
        let event = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let app = server.application { port in
            bound.withLock { $0 = port }
            event.signal()
        }
        let task = Task {
            do { try await app.runService(gracefulShutdownSignals: []) } catch { failure.withLock { $0 = error } }
            event.signal()
            finished.signal()
        }
        if event.wait(timeout: .now() + 60) == .timedOut {
            task.cancel()
            throw DemoFailure("the feature server did not start within 60 s")
        }
        guard let listening = bound.withLock({ $0 }), listening > 0 else {
            let error = failure.withLock { $0 }
            throw DemoFailure("the feature server did not start on 127.0.0.1:\(port): \(error.map { "\($0)" } ?? "no port")")
        }
        return DemoServer(port: listening, task: task, finished: finished)
    }

    /// Cancels the server and waits up to 10 s for it to close; false if it did not.
    func stop() -> Bool {
        task.cancel()
        return finished.wait(timeout: .now() + 10) == .success
    }
}
