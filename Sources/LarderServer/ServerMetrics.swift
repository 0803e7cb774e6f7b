import Foundation
import Larder
import Prometheus
import Synchronization

/// The server's metrics, rendered in Prometheus' text format by `GET /metrics`:
///
/// - `larder_http_requests_total{endpoint, status}`: requests answered;
/// - `larder_http_request_duration_seconds{endpoint}`: latency histogram (from the request's
///   arrival at the router to its response);
/// - `larder_rows_served_total`: entity rows answered by `get-online-features`;
/// - `larder_online_state_age_seconds{view}`: seconds since each online view's store was last
///   published (a materialization or push); `larder_online_table_version{view}`: the table
///   version the store reflects. Both are read at scrape time.
final class ServerMetrics: Sendable {
    /// The endpoints with their own series; anything else is counted as `other`.
    static let endpoints = ["/get-online-features", "/push", "/materialize", "/materialize-incremental", "/health", "/metrics",
                            "/recommend", "/recommend/arms", "/feedback"]

    let registry = PrometheusCollectorRegistry()
    private let durations: [String: DurationHistogram]
    private let counters = Mutex<[String: Counter]>([:])
    let rowsServed: Counter
    /// Requests ``OnlineFeaturesHandler`` answered on the event loop (not exported: the
    /// request counters above count them with the others; tests check the fast path with it).
    let eventLoopAnswers = Atomic<Int>(0)

    init() {
        // 50 µs to 10 s: single reads sit in the first buckets, materializations in the last.
        let buckets: [Duration] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(10),
        ]
        var durations: [String: DurationHistogram] = [:]
        for endpoint in Self.endpoints + ["other"] {
            durations[endpoint] = registry.makeDurationHistogram(
                descriptor: Self.name("http_request_duration", "seconds", "Time from a request's arrival to its response, per endpoint."),
                labels: [("endpoint", endpoint)], buckets: buckets)
        }
        self.durations = durations
        rowsServed = registry.makeCounter(descriptor: Self.name("rows_served", "total", "Entity rows answered by get-online-features."))
    }

    /// `larder_<metric>_<unit>`, with its help text.
    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "larder", metricName: metric, unitName: unit, helpText: help)
    }

    static func endpoint(_ path: String) -> String {
        endpoints.contains(path) ? path : "other"
    }

    func record(endpoint: String, status: Int, duration: Duration) {
        durations[endpoint]?.record(duration)
        requests(endpoint: endpoint, status: status).increment()
    }

    /// The latency histogram of `endpoint` (one of ``endpoints`` or `other`).
    func durations(endpoint: String) -> DurationHistogram? { durations[endpoint] }

    /// The request counter of `endpoint` and `status`, made on first use. A caller that
    /// answers many requests may keep it (``OnlineFeaturesHandler`` does, per connection).
    func requests(endpoint: String, status: Int) -> Counter {
        let key = "\(endpoint) \(status)"
        return counters.withLock { counters in
            if let hit = counters[key] { return hit }
            let made = registry.makeCounter(descriptor: Self.name("http_requests", "total", "Requests answered, per endpoint and status."),
                                            labels: [("endpoint", endpoint), ("status", String(status))])
            counters[key] = made
            return made
        }
    }

    /// Sets the per-view gauges from the online stores' current state, then renders everything.
    func render(database: FeatureDatabase) -> [UInt8] {
        if let catalog = try? database.catalog() {
            let now = Date()
            for view in catalog.featureViews where view.online {
                let current = database.path + "/online/" + view.name + "/CURRENT"
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: current),
                      let modified = attributes[.modificationDate] as? Date else { continue }
                registry.makeGauge(descriptor: Self.name("online_state_age", "seconds", "Seconds since the view's online store was last published."),
                                   labels: [("view", view.name)])
                    .set(now.timeIntervalSince(modified))
                if let store = try? database.onlineStore(view: view.name, verification: .header) {
                    registry.makeGauge(descriptor: Self.name("online_table", "version", "The table version the view's online store reflects."),
                                       labels: [("view", view.name)])
                        .set(Double(store.tableVersion))
                }
            }
        }
        return registry.emitToBuffer()
    }
}
