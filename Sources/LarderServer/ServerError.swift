import Hummingbird
import Larder

/// An error the server answers with: an HTTP status and a JSON body naming the problem,
///
/// ```json
/// {"error": {"status": 400, "code": "bad_request", "message": "entity 3: key 'user_id' is int64, not a string"}}
/// ```
///
/// Bad input is always a 4xx; only Larder's own failures (I/O, a damaged store) are 5xx.
public struct ServerError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code: `bad_request`, `not_found`, `unauthorized`,
    /// `payload_too_large`, `timeout`, `internal`, ...
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ message: String) -> ServerError { ServerError(.badRequest, "bad_request", message) }

    /// The JSON body.
    public var body: [UInt8] {
        var w = JSONWriter()
        w.raw("{\"error\":{\"status\":\(status.code),\"code\":")
        w.string(code)
        w.raw(",\"message\":")
        w.string(message)
        w.raw("}}")
        return w.bytes
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The answer's headers (before `Content-Length`): JSON, and the scheme a 401 asks for.
    var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return headers
    }

    /// `error` as the server answers it: Larder's input errors become 4xx, anything unknown 500.
    static func from(_ error: any Error) -> ServerError {
        switch error {
        case let e as ServerError: return e
        case let e as JSONParseError: return .badRequest(e.description)
        case let e as DatabaseError:
            switch e.code {
            case .unknownName: return ServerError(.notFound, "not_found", e.description)
            case .notFound: return ServerError(.notFound, "not_found", e.description)
            case .invalidInput, .invalidDefinitions: return ServerError(.badRequest, "bad_request", e.description)
            case .validationFailed: return ServerError(.unprocessableContent, "validation_failed", e.description)
            default: return ServerError(.internalServerError, "internal", e.description)
            }
        case let e as HTTPError:
            switch e.status {
            case .contentTooLarge: return ServerError(.contentTooLarge, "payload_too_large", e.body ?? "the request body is too large")
            case .notFound: return ServerError(.notFound, "no_route", e.body ?? "no such endpoint")
            case .methodNotAllowed: return ServerError(.methodNotAllowed, "method_not_allowed", e.body ?? "method not allowed")
            default:
                return ServerError(e.status, e.status.code < 500 ? "bad_request" : "internal", e.body ?? e.status.reasonPhrase)
            }
        default:
            return ServerError(.internalServerError, "internal", String(describing: error))
        }
    }
}
