import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Prometheus

/// Answers `POST /get-online-features` on the connection's event loop, without Swift
/// concurrency: no task, no hop between threads, no per-request logger or context. Every other
/// request goes through untouched to Hummingbird's router.
///
/// It sits in each connection's pipeline after Hummingbird's connection-state handler (idle
/// timeout, graceful shutdown: those see the requests answered here too) and before the async
/// channel that feeds the router (``FeatureServerChannel``). A request it takes gets what the
/// router would give it: the same bearer-token check, body limit, JSON errors, metrics, rows
/// served and served-feature log, through the same functions
/// (``FeatureServer/onlineFeatures(_:openingReaders:)``, ``ServerMiddleware``), and the same
/// headers (`Content-Type`, `Content-Length`, `Date`, `Server`).
///
/// It takes a request only when the answer can be made at once and in order:
///
/// - `POST` to exactly `/get-online-features`, without `Connection: close` (Hummingbird closes
///   the connection after such a request, so those go to it);
/// - no request passed to Hummingbird is still unanswered on the connection: pipelined
///   requests are answered in order, so one behind a routed request is routed too;
/// - the selection's reader is open: opening one maps and checks files, which does not belong
///   on an event loop, so such a request (its head and body as received) goes to the router,
///   which opens it as before.
final class OnlineFeaturesHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let path = "/get-online-features"

    private enum State {
        /// Between requests.
        case idle
        /// The current request's parts go to Hummingbird.
        case routing
        /// A request taken here, its body arriving.
        case reading(head: HTTPRequest, body: ByteBuffer?, start: ContinuousClock.Instant)
        /// A request answered before its body ended (401, 413): the rest is dropped.
        case discarding
        /// Everything goes to Hummingbird from now on (a parse error, or after a request that
        /// closes the connection).
        case passThrough
    }

    private let server: FeatureServer
    private var state = State.idle
    /// Requests passed to Hummingbird whose answer has not been written yet.
    private var routedInFlight = 0
    private var date = HTTPDate()
    /// This endpoint's latency histogram and 200 counter, looked up once per connection (the
    /// counter on first use, so /metrics shows it only once a request was answered).
    private let durations: DurationHistogram?
    private lazy var answered = server.metrics.requests(endpoint: Self.path, status: 200)

    init(server: FeatureServer) {
        self.server = server
        durations = server.metrics.durations(endpoint: Self.path)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch state {
        case .passThrough:
            context.fireChannelRead(data)
        case .routing:
            if case .end = part { state = .idle }
            context.fireChannelRead(data)
        case .discarding:
            if case .end = part { state = .idle }
        case .reading(let head, var body, let start):
            switch part {
            case .head:
                // The codec never starts a request inside another; should it, Hummingbird decides.
                state = .passThrough
                context.fireChannelRead(data)
            case .body(let chunk):
                state = .idle  // drops the state's reference to the body, so appending does not copy it
                let limit = server.configuration.maxBodyBytes
                if (body?.readableBytes ?? 0) + chunk.readableBytes > limit {
                    fail(context, FeatureServer.bodyTooLarge(limit: limit), head: head, start: start)
                    state = .discarding
                } else {
                    if body == nil { body = chunk } else { body?.writeImmutableBuffer(chunk) }
                    state = .reading(head: head, body: body, start: start)
                }
            case .end(let trailers):
                state = .idle
                answer(context, head: head, body: body, trailers: trailers, start: start)
            }
        case .idle:
            guard case .head(let head) = part else {
                context.fireChannelRead(data)
                return
            }
            if routedInFlight == 0, head.method == .post, head.path == Self.path, head.headerFields[.connection] != "close" {
                begin(context, head: head)
            } else {
                route(head)
                context.fireChannelRead(data)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), routedInFlight > 0 { routedInFlight -= 1 }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A malformed request: Hummingbird answers 400 and closes the connection.
        state = .passThrough
        context.fireErrorCaught(error)
    }

    /// Counts a request passed to Hummingbird; one that closes the connection ends the fast path.
    private func route(_ head: HTTPRequest) {
        routedInFlight += 1
        state = head.headerFields[.connection] == "close" ? .passThrough : .routing
    }

    /// The checks the router makes before reading a body: the token, then the declared length.
    private func begin(_ context: ChannelHandlerContext, head: HTTPRequest) {
        let start = ContinuousClock.now
        do {
            if let token = server.configuration.token {
                try ServerMiddleware.authorize(head.headerFields[.authorization], token: token)
            }
            if let error = FeatureServer.declaredBodyTooLarge(head.headerFields[.contentLength], limit: server.configuration.maxBodyBytes) {
                throw error
            }
            state = .reading(head: head, body: nil, start: start)
        } catch {
            fail(context, error, head: head, start: start)
            state = .discarding
        }
    }

    private func answer(_ context: ChannelHandlerContext, head: HTTPRequest, body: ByteBuffer?, trailers: HTTPFields?, start: ContinuousClock.Instant) {
        do {
            guard let answer = try server.onlineFeatures(body ?? ByteBuffer(), openingReaders: false) else {
                // No open reader for this selection: the router opens it (off this path).
                route(head)
                context.fireChannelRead(wrapInboundOut(.head(head)))
                if let body { context.fireChannelRead(wrapInboundOut(.body(body))) }
                context.fireChannelRead(wrapInboundOut(.end(trailers)))
                if case .routing = state { state = .idle }  // the whole request went
                return
            }
            finish(status: .ok, start: start)
            respond(context, status: .ok, headers: [.contentType: "application/json"], body: answer)
        } catch {
            fail(context, error, head: head, start: start)
        }
    }

    private func fail(_ context: ChannelHandlerContext, _ error: any Error, head: HTTPRequest, start: ContinuousClock.Instant) {
        let failure = ServerMiddleware.failure(error, method: head.method, path: Self.path, logger: server.logger)
        finish(status: failure.status, start: start)
        respond(context, status: failure.status, headers: failure.headers, body: failure.body)
    }

    /// Counts the answer before it is written (as the middleware does: from arrival to the
    /// answer made), so a client that reads /metrics after it sees it counted.
    private func finish(status: HTTPResponse.Status, start: ContinuousClock.Instant) {
        if status == .ok {
            durations?.record(ContinuousClock.now - start)
            answered.increment()
        } else {
            server.metrics.record(endpoint: Self.path, status: status.code, duration: ContinuousClock.now - start)
        }
        server.metrics.eventLoopAnswers.add(1, ordering: .relaxed)
    }

    /// Head, body and end, with the headers Hummingbird would add after the route's.
    private func respond(_ context: ChannelHandlerContext, status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8]) {
        var fields = headers
        fields[.contentLength] = String(body.count)
        fields[.date] = date.text(secondsSince1970: Int64(time(nil)))
        fields[.server] = FeatureServer.serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

@available(*, unavailable)
extension OnlineFeaturesHandler: Sendable {}
