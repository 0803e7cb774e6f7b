import Foundation
import Hummingbird
import HummingbirdTesting
import Larder
import LarderColumnar
import LarderTable
import Testing
@testable import LarderServer

/// `POST /get-online-features`, `GET /health`, `GET /metrics`, the token, and every way a
/// request can be wrong, in process (Hummingbird's router test client).
@Suite struct ServerReadTests {
    @Test func featuresWithFullNamesAndEveryStatus() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let answer = try await client.call(.post, "/get-online-features", """
                {"features": ["stats:x", "stats:v", "items:price", "recent:y"],
                 "entities": {"user_id": [1, 2, 3], "item_id": ["a", "b", "a"]}, "full_feature_names": true}
                """)
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.headers[.contentType] == "application/json")
            #expect(answer.featureNames == ["user_id", "item_id", "stats__x", "stats__v", "items__price", "recent__y"])
            let statuses = answer.results("statuses") as? [[String]]
            #expect(statuses == [
                ["PRESENT", "PRESENT", "PRESENT"], ["PRESENT", "PRESENT", "PRESENT"],
                ["PRESENT", "NULL_VALUE", "NOT_FOUND"], ["PRESENT", "NULL_VALUE", "NOT_FOUND"],
                ["PRESENT", "NOT_FOUND", "PRESENT"], ["OUTSIDE_MAX_AGE", "NOT_FOUND", "NOT_FOUND"],
            ])
            let values = answer.results("values")
            #expect(values[0] as? [Int] == [1, 2, 3])
            #expect(values[1] as? [String] == ["a", "b", "a"])
            #expect(values[2].first as? Int == 10 && values[2][1] is NSNull && values[2][2] is NSNull)
            #expect(values[3].first as? [Double] == [1, 2])
            #expect(values[4].first as? Double == 1.5 && values[4][1] is NSNull && values[4][2] as? Double == 1.5)
            #expect(values[5].allSatisfy { $0 is NSNull }, "outside max age withholds the value")
            let times = answer.results("event_timestamps") as? [[String]]
            let minute = Timestamp.iso8601(micros: world.minuteAgo)
            #expect(times?[0] == [FeastResponse.epoch, FeastResponse.epoch, FeastResponse.epoch])
            #expect(times?[2] == [minute, minute, FeastResponse.epoch])
            #expect(times?[5] == [Timestamp.iso8601(micros: world.now - 7_200_000_000), FeastResponse.epoch, FeastResponse.epoch])
        }
    }

    @Test func featureServiceWithBareNamesAndStringKeys() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            // Feast clients send int64 keys as strings too; a whole view by name.
            let plain = try await client.call(.post, "/get-online-features", #"{"feature_service": "plain", "entities": {"user_id": ["1"]}}"#)
            #expect(plain.status == .ok, "\(plain.text)")
            #expect(plain.featureNames == ["user_id", "x", "s", "v"])
            #expect(plain.results("values").map { $0.first as? String } == [nil, nil, "one", nil])
            let ranker = try await client.call(.post, "/get-online-features",
                                               #"{"feature_service": "ranker", "entities": {"user_id": [2], "item_id": ["a"]}, "full_feature_names": true}"#)
            #expect(ranker.featureNames == ["user_id", "item_id", "stats__x", "items__price"])
            #expect(ranker.results("statuses").map { $0 as? [String] } == [["PRESENT"], ["PRESENT"], ["NULL_VALUE"], ["PRESENT"]])
        }
    }

    @Test func healthAndTheToken() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server { $0.token = "s3cret" }.router())
        try await app.test(.router) { client in
            let health = try await client.call(.get, "/health")
            #expect(health.status == .ok && health.json?["status"] as? String == "ok")
            let body = #"{"features": ["stats:x"], "entities": {"user_id": [1]}}"#
            let missing = try await client.call(.post, "/get-online-features", body)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            #expect(missing.error?.code == "unauthorized")
            #expect(missing.error?.message.contains("Authorization: Bearer") == true)
            let wrong = try await client.call(.post, "/get-online-features", body, token: "s3cres")
            #expect(wrong.status == .unauthorized && wrong.error?.message == "the bearer token is wrong")
            #expect(try await client.call(.post, "/get-online-features", body, token: "s3cret").status == .ok)
            #expect(try await client.call(.get, "/metrics").status == .unauthorized)
            #expect(try await client.call(.post, "/materialize", "{}").status == .unauthorized)
            #expect(try await client.call(.get, "/metrics", token: "s3cret").status == .ok)
        }
    }

    @Test func badRequestsAreFourHundredsThatNameTheProblem() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server(ServerTestWorld.smallLimits).router())
        try await app.test(.router) { client in
            for (body, status, code, needle) in ServerTestWorld.badFeatureRequests {
                let answer = try await client.call(.post, "/get-online-features", body)
                #expect(answer.status == status, "\(body.prefix(80)): \(answer.text)")
                #expect(answer.headers[.contentType] == "application/json", "\(body.prefix(80))")
                #expect(answer.error?.code == code, "\(body.prefix(80)): \(answer.text)")
                #expect(answer.error?.message.contains(needle) == true, "\(body.prefix(80)): \(answer.text) should contain \(needle)")
            }
            let route = try await client.call(.get, "/nope")
            #expect(route.status == .notFound && route.error?.code == "no_route")
            let method = try await client.call(.get, "/get-online-features")
            #expect(method.status.code >= 400 && method.status.code < 500 && method.error != nil, "\(method.status) \(method.text)")
            // The server still answers after all that.
            let fine = try await client.call(.post, "/get-online-features", #"{"features": ["stats:x"], "entities": {"user_id": [1]}}"#)
            #expect(fine.status == .ok)
        }
    }

    @Test func unmaterializedViewIsANotFoundThatSaysWhatToRun() async throws {
        let world = try ServerTestWorld()
        let later = """
              - name: later
                entities: [user]
                timestamp_field: ts
                schema:
                  - {name: user_id, dtype: int64}
                  - {name: ts, dtype: timestamp}
                  - {name: z, dtype: int64}
            feature_services:
            """
        try world.db.apply(try Definitions.parse(yaml: ServerTestWorld.yaml.replacingOccurrences(of: "feature_services:", with: later)))
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let answer = try await client.call(.post, "/get-online-features", #"{"features": ["later:z"], "entities": {"user_id": [1]}}"#)
            #expect(answer.status == .notFound, "\(answer.text)")
            #expect(answer.error?.message.contains("larder materialize") == true)
        }
    }

    @Test func metricsCountRequestsRowsAndOnlineAge() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            for _ in 0 ..< 3 {
                _ = try await client.call(.post, "/get-online-features", #"{"features": ["stats:x"], "entities": {"user_id": [1, 2]}}"#)
            }
            _ = try await client.call(.post, "/get-online-features", #"{"features": ["stats:nope"], "entities": {"user_id": [1]}}"#)
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = metrics.text
            #expect(text.contains(#"larder_http_requests_total{endpoint="/get-online-features",status="200"} 3"#), "\(text)")
            #expect(text.contains(#"larder_http_requests_total{endpoint="/get-online-features",status="404"} 1"#))
            #expect(text.contains(#"larder_http_request_duration_seconds_count{endpoint="/get-online-features"} 4"#))
            #expect(text.contains("larder_rows_served_total 6"))
            for view in ["stats", "items", "recent"] {
                #expect(text.contains("larder_online_state_age_seconds{view=\"\(view)\"}"), "\(view)")
                #expect(text.contains("larder_online_table_version{view=\"\(view)\"} 1"), "\(view)")
            }
        }
    }

    @Test func servedVectorsOfALoggedServiceLandInItsTable() async throws {
        let world = try ServerTestWorld()
        let server = world.server()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            for user in [1, 2] {
                let answer = try await client.call(.post, "/get-online-features",
                                                   "{\"feature_service\": \"ranker\", \"entities\": {\"user_id\": [\(user)], \"item_id\": [\"a\"]}}")
                #expect(answer.status == .ok)
            }
            // Not logged: a plain feature list, and a service without log_served_features.
            _ = try await client.call(.post, "/get-online-features", #"{"features": ["stats:x"], "entities": {"user_id": [1]}}"#)
            _ = try await client.call(.post, "/get-online-features", #"{"feature_service": "plain", "entities": {"user_id": [1]}}"#)
        }
        server.servedLog.flush()
        let table = try Table.open(at: ServedFeatureLog.tablePath(database: world.db, service: "ranker"))
        let batch = try table.snapshot().read()
        #expect(batch.schema.names == ["user_id", "item_id", "served_at", "stats__x", "stats__x__status", "items__price", "items__price__status"])
        #expect(batch.column(named: "user_id")?.int64Values == [1, 2])
        #expect(batch.column(named: "stats__x")?.values == [.int64(10), .null])
        #expect(batch.column(named: "stats__x__status")?.values == [.string("PRESENT"), .string("NULL_VALUE")])
        #expect(batch.column(named: "items__price")?.values == [.float64(1.5), .float64(1.5)])
        #expect(!FileManager.default.fileExists(atPath: ServedFeatureLog.tablePath(database: world.db, service: "plain")))
    }
}
