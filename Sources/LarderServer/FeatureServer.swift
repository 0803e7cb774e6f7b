import Dispatch
import Foundation
import Hummingbird
import NIOCore
import Larder
import LarderColumnar
import Logging
import ServiceLifecycle
import Synchronization

/// Larder's HTTP feature server: Feast's feature-server API over a ``FeatureDatabase``.
///
/// ```swift
/// let server = FeatureServer(database: try FeatureDatabase.open(at: "larder.db"),
///                            configuration: ServerConfiguration(port: 6566), logger: logger)
/// try await server.application().runService()   // until SIGTERM / SIGINT
/// ```
public final class FeatureServer: Sendable {
    public let database: FeatureDatabase
    public let configuration: ServerConfiguration
    let logger: Logger
    let metrics = ServerMetrics()
    let servedLog: ServedFeatureLog
    /// `/recommend` and `/feedback` (RecommendRoutes.swift).
    let recommender: RecommendationService

    struct CachedReader: Sendable {
        let reader: OnlineFeatureReader
        let keys: [(name: String, type: DataType)]
        /// The service's name when its served vectors are logged.
        let loggedService: String?
    }

    private let readers = Mutex<[String: CachedReader]>([:])

    public init(database: FeatureDatabase, configuration: ServerConfiguration = .init(), logger: Logger = Logger(label: "larder.server")) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
        servedLog = ServedFeatureLog(database: database, logger: logger)
        recommender = RecommendationService(database: database, configuration: configuration.recommend, logger: logger)
    }

    /// The router: the endpoints behind the server's middleware (auth, limits, errors, metrics).
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ServerMiddleware(server: self))
        router.get("/health") { _, _ in Self.json(#"{"status":"ok"}"#) }
        router.get("/metrics") { [self] _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render(database: database))))
        }
        router.post("/get-online-features") { [self] request, _ in try await getOnlineFeatures(request) }
        router.post("/push") { [self] request, _ in try await push(request) }
        router.post("/materialize") { [self] request, _ in try await materialize(request, incremental: false) }
        router.post("/materialize-incremental") { [self] request, _ in try await materialize(request, incremental: true) }
        router.get("/recommend") { [self] request, _ in try await recommend(request) }
        router.get("/recommend/arms") { [self] request, _ in try await recommendArms(request) }
        router.post("/feedback") { [self] request, _ in try await feedback(request) }
        return router
    }

    /// The application: the router on `configuration.host:port`, with the reader refresher and
    /// the served-feature log as services. `onServerRunning` gets the bound port (useful with
    /// port 0).
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let idle = TimeAmount.nanoseconds(Int64(configuration.requestTimeout.components.seconds) * 1_000_000_000
            + configuration.requestTimeout.components.attoseconds / 1_000_000_000)
        return Application(
            router: router(),
            server: .larder(self, configuration: .init(idleTimeout: idle)),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: Self.serverName),
            services: [BackgroundService(server: self)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    // MARK: Endpoints

    func getOnlineFeatures(_ request: Request) async throws -> Response {
        let body = try await collect(request)
        guard let answer = try onlineFeatures(body, openingReaders: true) else {
            throw ServerError(.internalServerError, "internal", "no reader for the request's features")
        }
        return Self.json(answer)
    }

    /// The Feast answer to a `get-online-features` body: parse, read, count, log the served
    /// vectors, encode. The one implementation behind both the route and the event-loop fast
    /// path (``OnlineFeaturesHandler``); neither blocks as long as the selection's reader is
    /// open (the read is a few memory lookups).
    /// - Parameter openingReaders: whether a selection without an open reader may open one
    ///   (it maps and checks files: not on an event loop); when false, such a request gets nil.
    /// - Throws: ``ServerError`` and the database's errors for bad input (mapped by
    ///   ``ServerError/from(_:)``).
    func onlineFeatures(_ body: ByteBuffer, openingReaders: Bool) throws -> [UInt8]? {
        let parsed = try OnlineFeaturesRequest(try JSONValue.parse(body.readableBytesView), maxEntities: configuration.maxEntities)
        guard let cached = openingReaders ? try reader(for: parsed) : openReader(for: parsed) else { return nil }
        let (batch, echoed) = try parsed.keyBatch(cached.keys)
        let result = try cached.reader.read(entities: batch)
        if !parsed.fullFeatureNames {
            var seen = Set<String>()
            for feature in result.features where !seen.insert(feature.feature).inserted {
                throw ServerError.badRequest("feature '\(feature.feature)' is requested from several views; set \"full_feature_names\": true")
            }
        }
        metrics.rowsServed.increment(by: Int64(parsed.entityCount))
        if let service = cached.loggedService { servedLog.append(service: service, keys: batch, result: result) }
        return FeastResponse.encode(result, keys: echoed, fullFeatureNames: parsed.fullFeatureNames)
    }

    func push(_ request: Request) async throws -> Response {
        let body = try await collect(request)
        let push = try PushRequest(try JSONValue.parse(body.readableBytesView), database: database)
        let database = database
        let outcome = try await offload("push to '\(push.view)'") { () throws -> (IngestResult, MaterializeResult?) in
            let ingested = try database.ingest([push.batch], into: push.view, source: "push")
            guard push.online else { return (ingested, nil) }
            return (ingested, try database.materialize(MaterializeOptions(mode: .incremental, views: [push.view])))
        }
        if push.online { refreshReaders() }
        logger.info("push", metadata: ["view": "\(push.view)", "rows": "\(push.batch.rowCount)",
                                       "version": "\(outcome.0.version.map(String.init) ?? "none")", "online": "\(push.online)"])
        var w = JSONWriter()
        w.raw("{\"view\":")
        w.string(push.view)
        w.raw(",\"rows\":\(push.batch.rowCount),\"version\":\(outcome.0.version.map(String.init) ?? "null")")
        if let online = outcome.1?.views.first {
            w.raw(",\"online_version\":\(online.toVersion),\"materialize_mode\":")
            w.string(online.mode)
        }
        w.raw("}")
        return Self.json(w.bytes)
    }

    func materialize(_ request: Request, incremental: Bool) async throws -> Response {
        let body = try await collect(request)
        var options = try MaterializeRequest(body.readableBytes == 0 ? .object([:]) : try JSONValue.parse(body.readableBytesView),
                                             incremental: incremental).options
        if options.views?.isEmpty == true { options.views = nil }
        let database = database, chosen = options
        let result = try await offload(incremental ? "incremental materialization" : "materialization") {
            try database.materialize(chosen)
        }
        refreshReaders()
        for view in result.views {
            logger.info("materialize", metadata: ["view": "\(view.view)", "mode": "\(view.mode)", "version": "\(view.toVersion)",
                                                  "rows": "\(view.rowsWritten)", "seconds": "\(view.seconds)"])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Self.json(Array(try encoder.encode(result)))
    }

    // MARK: Readers

    /// The cached reader of the request's selection, opened on first use.
    func reader(for request: OnlineFeaturesRequest) throws -> CachedReader {
        if let hit = openReader(for: request) { return hit }
        let reader = try database.onlineReader(features: request.selection)
        var loggedService: String?
        if let service = request.service, try database.catalog().featureService(named: service)?.logServedFeatures == true {
            loggedService = service
        }
        let cached = CachedReader(reader: reader, keys: reader.keyColumns, loggedService: loggedService)
        readers.withLock { readers in
            if readers.count >= configuration.readerCacheSize { readers.removeAll() }
            readers[request.selectionKey] = cached
        }
        return cached
    }

    /// The request selection's reader if it is already open.
    func openReader(for request: OnlineFeaturesRequest) -> CachedReader? {
        readers.withLock { $0[request.selectionKey] }
    }

    /// Moves every cached reader to its stores' newest published state; a reader that cannot
    /// (a store rebuilt with another schema, a view dropped) is dropped and reopened on next use.
    public func refreshReaders() {
        let all = readers.withLock { $0 }
        for (key, cached) in all {
            do {
                try cached.reader.refresh()
            } catch {
                logger.notice("dropping a cached reader", metadata: ["selection": "\(key)", "error": "\(error)"])
                readers.withLock { _ = $0.removeValue(forKey: key) }
            }
        }
    }

    // MARK: Helpers

    /// The request's body, up to `maxBodyBytes` (413 beyond). A client that stops sending is
    /// cut off by the connection's idle timeout (`requestTimeout`), not by a timer per request:
    /// a per-request timer costs a scheduled task on the event loop for every read, and its
    /// cancellation showed up in the read path's tail latency.
    func collect(_ request: Request) async throws -> ByteBuffer {
        let limit = configuration.maxBodyBytes
        if let error = Self.declaredBodyTooLarge(request.headers[.contentLength], limit: limit) { throw error }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.bodyTooLarge(limit: limit)
        }
    }

    /// The 413 for a `Content-Length` over `limit`, or nil.
    static func declaredBodyTooLarge(_ contentLength: String?, limit: Int) -> ServerError? {
        guard let length = contentLength.flatMap({ Int($0) }), length > limit else { return nil }
        return ServerError(.contentTooLarge, "payload_too_large", "the request body is \(length) bytes; the limit is \(limit) (raise --max-body-bytes)")
    }

    /// The 413 for a body that grew over `limit` while it arrived.
    static func bodyTooLarge(limit: Int) -> ServerError {
        ServerError(.contentTooLarge, "payload_too_large", "the request body is over \(limit) bytes (raise --max-body-bytes)")
    }

    /// Runs blocking database work on a Dispatch thread (not the server's event loops or the
    /// cooperative pool), answering 503 when it outlasts the request timeout. The work itself
    /// cannot be interrupted: it may still complete after the timeout.
    func offload<T: Sendable>(_ what: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let timeout = configuration.requestTimeout
        let once = Mutex<CheckedContinuation<T, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            once.withLock { $0 = continuation }
            DispatchQueue.global().async {
                let result = Result { try work() }
                once.withLock { $0.take() }?.resume(with: result)
            }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                once.withLock { $0.take() }?.resume(throwing: ServerError(
                    .serviceUnavailable, "timeout", "the \(what) did not finish within \(timeout); it may still complete (check `larder history` and the online store)"))
            }
        }
    }

    /// The `Server` header of every answer.
    static let serverName = "larder"

    static func json(_ text: String) -> Response { json(Array(text.utf8)) }

    static func json(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Refreshes the cached readers and flushes the served-feature log until shutdown (then flushes
/// once more); the same for the recommendation side (models follow the registry, feedback
/// events are committed, bandit snapshots saved). All run on a Dispatch thread: a refresh may
/// map and verify a newly published file and a flush commits to a table, and neither belongs
/// on an event loop.
struct BackgroundService: Service {
    let server: FeatureServer

    func run() async throws {
        let recommendFlush = server.configuration.recommend.flushInterval
        let interval = min(server.configuration.refreshInterval, server.configuration.servedLogFlushInterval, recommendFlush)
        let server = server
        await cancelWhenGracefulShutdown {
            var sinceFlush = Duration.zero, sinceRecommendFlush = Duration.zero
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { break }
                sinceFlush += interval
                sinceRecommendFlush += interval
                let flush = sinceFlush >= server.configuration.servedLogFlushInterval
                if flush { sinceFlush = .zero }
                let flushRecommend = sinceRecommendFlush >= recommendFlush
                if flushRecommend { sinceRecommendFlush = .zero }
                await Self.onDispatch {
                    server.refreshReaders()
                    server.recommender.refresh()
                    if flush { server.servedLog.flush() }
                    if flushRecommend { try? server.recommender.flush() }
                }
            }
        }
        await Self.onDispatch {
            server.servedLog.flush()
            try? server.recommender.flush()
        }
        server.logger.info("stopped: served-feature log and recommendation feedback flushed")
    }

    static func onDispatch(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                work()
                continuation.resume()
            }
        }
    }
}
