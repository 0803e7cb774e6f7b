import Hummingbird
import Logging

/// The one middleware in front of every route (one layer, not four, to keep the hot path
/// short): the bearer token, errors turned into JSON bodies (never a crash, never a 500 for
/// bad input), a log line per failed request, and the request metrics.
/// ``OnlineFeaturesHandler`` does the same for the requests it answers on the event loop,
/// through the same functions (`authorize`, `failure`).
struct ServerMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let server: FeatureServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let endpoint = ServerMetrics.endpoint(request.uri.path)
        let response: Response
        do {
            if let token = server.configuration.token, endpoint != "/health" {
                try Self.authorize(request.headers[.authorization], token: token)
            }
            response = try await next(request, context)
        } catch {
            let failure = Self.failure(error, method: request.method, path: request.uri.path, logger: server.logger)
            response = try failure.response(from: request, context: context)
        }
        server.metrics.record(endpoint: endpoint, status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }

    /// `error` as the server answers it, logged (info for 4xx, error for 5xx) with the request's
    /// method and path.
    static func failure(_ error: any Error, method: HTTPRequest.Method, path: String, logger: Logger) -> ServerError {
        let failure = ServerError.from(error)
        let level: Logger.Level = failure.status.code >= 500 ? .error : .info
        logger.log(level: level, "request failed", metadata: [
            "method": "\(method)", "path": "\(path)", "status": "\(failure.status.code)",
            "code": "\(failure.code)", "error": "\(failure.message)",
        ])
        return failure
    }

    /// Checks an `Authorization: Bearer <token>` header's value, comparing in constant time.
    static func authorize(_ header: String?, token: String) throws(ServerError) {
        guard let header else {
            throw ServerError(.unauthorized, "unauthorized", "this server requires a bearer token: send 'Authorization: Bearer <token>'")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix.lowercased()) else {
            throw ServerError(.unauthorized, "unauthorized", "the Authorization header must be 'Bearer <token>'")
        }
        let given = Array(header.utf8.dropFirst(prefix.utf8.count)), expected = Array(token.utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for i in 0 ..< max(given.count, expected.count) {
            difference |= (i < given.count ? given[i] : 0) ^ (i < expected.count ? expected[i] : 0)
        }
        guard difference == 0 else { throw ServerError(.unauthorized, "unauthorized", "the bearer token is wrong") }
    }
}
