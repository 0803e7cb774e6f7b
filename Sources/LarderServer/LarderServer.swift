// LarderServer: Larder's HTTP feature server.
//
// Serves a FeatureDatabase over HTTP with the request and response shapes of Feast's feature
// server (`POST /get-online-features`, `/push`, `/materialize`, `/materialize-incremental`),
// plus `GET /health` and `GET /metrics` (Prometheus text), and recommendations from the model
// registry (`GET /recommend`, `POST /feedback`, `GET /recommend/arms`: RecommendRoutes.swift).
// Built on Hummingbird; the application runs under swift-service-lifecycle (graceful shutdown
// on SIGTERM/SIGINT) and logs through swift-log. See docs/server.md for the API.
//
// Reads go through OnlineFeatureReaders cached per feature selection (stores stay mapped);
// a background service refreshes them so materializations by other processes are seen within
// `refreshInterval`, and the server's own pushes and materializations refresh them at once.

/// What a ``FeatureServer`` listens on and how it limits requests.
public struct ServerConfiguration: Sendable {
    /// The address to bind (default loopback).
    public var host = "127.0.0.1"
    /// The port (default Feast's 6566); 0 picks a free one.
    public var port = 6566
    /// When set, every endpoint but `/health` requires `Authorization: Bearer <token>`.
    public var token: String?
    /// The largest request body accepted (bytes); larger ones get 413.
    public var maxBodyBytes = 4 << 20
    /// The most entities one `get-online-features` request may ask for; more get 413.
    public var maxEntities = 10_000
    /// How long a connection may stay idle (a client that stops sending a body is cut off), and
    /// how long a push or materialization may take before the answer is a 503 (the work may
    /// still complete; the response says so).
    public var requestTimeout: Duration = .seconds(30)
    /// How often cached readers look for newly published online state.
    public var refreshInterval: Duration = .seconds(1)
    /// Feature selections whose readers are kept open (each keeps its views' stores mapped).
    public var readerCacheSize = 256
    /// How often served feature vectors are flushed to their `<service>__served` tables.
    public var servedLogFlushInterval: Duration = .seconds(5)
    /// `GET /recommend` and `POST /feedback`: the model served, the bandit, the feedback view.
    public var recommend = RecommendConfiguration()

    public init(host: String = "127.0.0.1", port: Int = 6566, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }
}
