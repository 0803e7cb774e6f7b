import Foundation
import Hummingbird
import HummingbirdTesting
import Larder
import LarderTable
import Testing
@testable import LarderServer

/// `POST /get-online-features` answered on the event loop (``OnlineFeaturesHandler``) against
/// the same request through Hummingbird's router: the same bytes, errors, headers and metrics,
/// over keep-alive and pipelined connections. `eventLoopAnswers` counts only the fast path, so
/// these tests fail if it is not taken.
@Suite struct ServerFastPathTests {
    static let requests = [
        #"{"features": ["stats:x", "stats:v", "items:price", "recent:y"], "entities": {"user_id": [1, 2, 3], "item_id": ["a", "b", "a"]}, "full_feature_names": true}"#,
        #"{"feature_service": "ranker", "entities": {"user_id": [2], "item_id": ["a"]}, "full_feature_names": true}"#,
        #"{"feature_service": "plain", "entities": {"user_id": ["1"]}}"#,
        #"{"features": ["stats:s"], "entities": {"user_id": [2, 1, 7]}}"#,
        #"{"features": ["items:price"], "entities": {"item_id": ["a", "\u00e9\u2713", "é✓ \"q\""]}, "full_feature_names": null}"#,
    ]

    /// The router's answer to each body (Hummingbird's in-process client: no channel pipeline).
    static func routerAnswers(_ world: ServerTestWorld, _ bodies: [String],
                              _ configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
                              token: String? = nil) async throws -> [TestAnswer] {
        try await Application(router: world.server(configure).router()).test(.router) { client in
            var answers: [TestAnswer] = []
            for body in bodies { answers.append(try await client.call(.post, "/get-online-features", body, token: token)) }
            return answers
        }
    }

    @Test func sameBytesAndHeadersAsTheRouter() async throws {
        let world = try ServerTestWorld()
        let expected = try await Self.routerAnswers(world, Self.requests)
        let server = world.server()
        try await server.application().test(.live) { client in
            for (body, want) in zip(Self.requests, expected) {
                // The first request of a selection opens its reader through the router; the
                // second is answered on the event loop.
                let before = server.metrics.eventLoopAnswers.load(ordering: .relaxed)
                let first = try await client.call(.post, "/get-online-features", body)
                let second = try await client.call(.post, "/get-online-features", body)
                let after = server.metrics.eventLoopAnswers.load(ordering: .relaxed)
                #expect(after - before >= 1, "\(body): not answered on the event loop")
                for answer in [first, second] {
                    #expect(answer.status == .ok, "\(answer.text)")
                    #expect(answer.text == want.text, "\(body)")
                }
                #expect(first.headers.map(\.name) == second.headers.map(\.name), "\(body): headers differ")
                #expect(second.headers[.contentType] == "application/json")
                #expect(second.headers[.contentLength] == String(second.text.utf8.count))
                #expect(second.headers[.server] == "larder")
                let date = try #require(second.headers[.date])
                let now = Int64(Date().timeIntervalSince1970)
                #expect((now - 5 ... now + 1).contains { HTTPDate.format(secondsSince1970: $0) == date }, "Date: \(date)")
            }
        }
    }

    @Test func errorsAreTheRoutersAndMostAreAnsweredOnTheEventLoop() async throws {
        let world = try ServerTestWorld()
        let bodies = ServerTestWorld.badFeatureRequests.map(\.0) + ["", "   "]
        let expected = try await Self.routerAnswers(world, bodies, ServerTestWorld.smallLimits)
        let server = world.server(ServerTestWorld.smallLimits)
        try await server.application().test(.live) { client in
            // Twice: the first round opens the readers of the good selections (through the
            // router), so in the second only the requests without a reader to find (unknown
            // features, views and services) go to the router.
            for round in 0 ..< 2 {
                let before = server.metrics.eventLoopAnswers.load(ordering: .relaxed)
                for (body, want) in zip(bodies, expected) {
                    let answer = try await client.call(.post, "/get-online-features", body)
                    #expect(answer.status == want.status, "\(body.prefix(80)): \(answer.text)")
                    #expect(answer.text == want.text, "\(body.prefix(80))")
                    #expect(answer.headers[.contentType] == "application/json")
                }
                let fast = server.metrics.eventLoopAnswers.load(ordering: .relaxed) - before
                if round == 1 { #expect(fast == bodies.count - 3, "\(fast) of \(bodies.count) answered on the event loop") }
            }
            #expect(try await client.call(.post, "/get-online-features", #"{"features": ["stats:x"], "entities": {"user_id": [1]}}"#).status == .ok)
        }
    }

    @Test func theTokenIsCheckedTheSameWay() async throws {
        let world = try ServerTestWorld()
        let body = #"{"features": ["stats:x"], "entities": {"user_id": [1]}}"#
        let withToken: (inout ServerConfiguration) -> Void = { $0.token = "s3cret" }
        let server = world.server(withToken)
        for token in [nil, "s3cres", "s3cret"] {
            let want = try #require(try await Self.routerAnswers(world, [body], withToken, token: token).first)
            try await server.application().test(.live) { client in
                // Twice: the first of a good token opens the reader.
                for _ in 0 ..< 2 {
                    let before = server.metrics.eventLoopAnswers.load(ordering: .relaxed)
                    let answer = try await client.call(.post, "/get-online-features", body, token: token)
                    #expect(answer.status == want.status && answer.text == want.text, "token \(token ?? "none"): \(answer.text)")
                    #expect(answer.headers[.wwwAuthenticate] == want.headers[.wwwAuthenticate])
                    if token != "s3cret" {
                        #expect(answer.status == .unauthorized)
                        #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == before + 1)
                    }
                }
            }
        }
        #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == 5)
    }

    @Test func metricsCountTheEventLoopsAnswers() async throws {
        let world = try ServerTestWorld()
        let server = world.server()
        try await server.application().test(.live) { client in
            let body = #"{"features": ["stats:x"], "entities": {"user_id": [1, 2]}}"#
            for _ in 0 ..< 6 { #expect(try await client.call(.post, "/get-online-features", body).status == .ok) }
            #expect(try await client.call(.post, "/get-online-features", "{").status == .badRequest)
            #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == 6, "five good and one bad, after the first")
            let text = try await client.call(.get, "/metrics").text
            #expect(text.contains(#"larder_http_requests_total{endpoint="/get-online-features",status="200"} 6"#), "\(text)")
            #expect(text.contains(#"larder_http_requests_total{endpoint="/get-online-features",status="400"} 1"#))
            #expect(text.contains(#"larder_http_request_duration_seconds_count{endpoint="/get-online-features"} 7"#))
            #expect(text.contains("larder_rows_served_total 12"))
        }
    }

    @Test func servedVectorsAreLoggedFromTheEventLoop() async throws {
        let world = try ServerTestWorld()
        let server = world.server()
        try await server.application().test(.live) { client in
            for user in [1, 2, 1] {
                let body = "{\"feature_service\": \"ranker\", \"entities\": {\"user_id\": [\(user)], \"item_id\": [\"a\"]}}"
                let answer = try await client.call(.post, "/get-online-features", body)
                #expect(answer.status == .ok)
            }
        }
        #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == 2)
        server.servedLog.flush()
        let table = try Table.open(at: ServedFeatureLog.tablePath(database: world.db, service: "ranker"))
        #expect(try table.snapshot().read().column(named: "user_id")?.int64Values == [1, 2, 1])
    }

    @Test func keepAliveConnectionServesManyThenCloseCloses() async throws {
        let world = try ServerTestWorld()
        let server = world.server()
        let body = #"{"features": ["stats:x", "stats:s"], "entities": {"user_id": [1]}}"#
        let want = try #require(try await Self.routerAnswers(world, [body]).first)
        try await server.application().test(.live) { client in
            let connection = try RawHTTPConnection(port: try #require(client.port))
            for _ in 0 ..< 5 {
                try connection.send(RawHTTPConnection.request("POST", "/get-online-features", body: body))
                let answer = try await connection.answer()
                #expect(answer.status == 200 && answer.body == want.text)
            }
            #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == 4, "all but the first, which opens the reader")
            // Connection: close goes to Hummingbird, which answers and closes.
            try connection.send(RawHTTPConnection.request("POST", "/get-online-features", body: body, headers: ["Connection: close"]))
            let last = try await connection.answer()
            #expect(last.status == 200 && last.body == want.text)
            #expect(try await connection.isClosedByServer())
            #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == 4)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let world = try ServerTestWorld()
        let server = world.server()
        let one = #"{"features": ["stats:s"], "entities": {"user_id": [1]}}"#
        let two = #"{"features": ["stats:s"], "entities": {"user_id": [2]}}"#
        let both = #"{"features": ["stats:s"], "entities": {"user_id": [2, 1]}}"#
        let want = try await Self.routerAnswers(world, [one, two, both])
        try await server.application().test(.live) { client in
            #expect(try await client.call(.post, "/get-online-features", one).status == .ok)  // opens the reader
            let connection = try RawHTTPConnection(port: try #require(client.port))
            let requests: [(String, Int, String?)] = [
                (RawHTTPConnection.request("POST", "/get-online-features", body: one), 200, want[0].text),
                (RawHTTPConnection.request("GET", "/health"), 200, #"{"status":"ok"}"#),
                (RawHTTPConnection.request("POST", "/get-online-features", body: two), 200, want[1].text),
                (RawHTTPConnection.request("POST", "/get-online-features", body: "{"), 400, nil),
                (RawHTTPConnection.request("GET", "/nope"), 404, nil),
                (RawHTTPConnection.request("POST", "/get-online-features", body: both), 200, want[2].text),
                (RawHTTPConnection.request("POST", "/get-online-features", body: one), 200, want[0].text),
            ]
            for _ in 0 ..< 3 {
                try connection.send(requests.map(\.0).joined())
                for (i, (_, status, body)) in requests.enumerated() {
                    let answer = try await connection.answer()
                    #expect(answer.status == status, "answer \(i): \(answer.body)")
                    if let body { #expect(answer.body == body, "answer \(i)") }
                }
            }
            // At least the first of each batch (nothing routed ahead of it) is answered here.
            #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) >= 3)
        }
    }

    @Test func chunkedBodiesAreJoinedAndLimited() async throws {
        let world = try ServerTestWorld()
        let server = world.server(ServerTestWorld.smallLimits)
        let body = #"{"features": ["stats:x", "stats:s"], "entities": {"user_id": [2, 1]}, "full_feature_names": true}"#
        let want = try #require(try await Self.routerAnswers(world, [body]).first)
        @Sendable func chunked(_ text: String, size: Int) -> String {
            var out = "POST /get-online-features HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
            var rest = Substring(text)
            while !rest.isEmpty {
                let chunk = rest.prefix(size)
                out += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
                rest = rest.dropFirst(size)
            }
            return out + "0\r\n\r\n"
        }
        try await server.application().test(.live) { client in
            #expect(try await client.call(.post, "/get-online-features", body).status == .ok)  // opens the reader
            let connection = try RawHTTPConnection(port: try #require(client.port))
            try connection.send(chunked(body, size: 7))
            let answer = try await connection.answer()
            #expect(answer.status == 200 && answer.body == want.text)
            #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == 1)
            // Over the 2000-byte limit without a Content-Length: 413 once it grows past, then the
            // connection goes on.
            let big = "{\"features\": [\"stats:x\"], \"pad\": \"" + String(repeating: "x", count: 3000) + "\"}"
            try connection.send(chunked(big, size: 500) + chunked(body, size: 1000))
            let tooLarge = try await connection.answer()
            #expect(tooLarge.status == 413)
            #expect(tooLarge.body.contains("payload_too_large") && tooLarge.body.contains("over 2000 bytes"), "\(tooLarge.body)")
            let after = try await connection.answer()
            #expect(after.status == 200 && after.body == want.text)
            #expect(server.metrics.eventLoopAnswers.load(ordering: .relaxed) == 3)
        }
    }

    @Test func httpDatesMatchFoundations() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for seconds: Int64 in [0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_210_096, 4_102_444_800, 1_795_478_400, -1, -86_401] {
            #expect(HTTPDate.format(secondsSince1970: seconds) == formatter.string(from: Date(timeIntervalSince1970: Double(seconds))), "\(seconds)")
        }
        var cache = HTTPDate()
        #expect(cache.text(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(cache.text(secondsSince1970: 1) == "Thu, 01 Jan 1970 00:00:01 GMT")
    }
}
