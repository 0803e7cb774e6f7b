import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LarderTestSupport
import Testing

/// `larder serve` as a user runs it: a real process on a loopback port chosen by the kernel,
/// real HTTP, a token from the environment, and a graceful stop on SIGTERM.
@Suite struct ServeEndToEndTests {
    @Test func servesOverLoopbackAndStopsOnSigterm() async throws {
        let world = try ServerTestWorld()
        let server = try ServeProcess(["--db", world.db.path, "--port", "0", "--log-level", "info"],
                                      environment: ["LARDER_SERVER_TOKEN": "e2e-token"])
        // The first line says where it listens.
        #expect(server.firstLine.hasPrefix("listening on 127.0.0.1:"))
        #expect(server.port > 0)
        func call(_ path: String, _ body: String? = nil, token: String? = "e2e-token") async throws -> (Int, String) {
            let (status, data) = try await server.call(path, body, token: token)
            return (status, String(decoding: data, as: UTF8.self))
        }
        let health = try await call("/health", token: nil)
        #expect(health.0 == 200)
        let denied = try await call("/get-online-features", #"{"features": ["stats:x"], "entities": {"user_id": [1]}}"#, token: nil)
        #expect(denied.0 == 401 && denied.1.contains("\"unauthorized\""))
        let read = try await call("/get-online-features", #"{"features": ["stats:x"], "entities": {"user_id": [1, 5]}, "full_feature_names": true}"#)
        #expect(read.0 == 200, "\(read.1)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(read.1.utf8)) as? [String: Any])
        #expect((object["metadata"] as? [String: Any])?["feature_names"] as? [String] == ["user_id", "stats__x"])
        #expect(((object["results"] as? [[String: Any]])?[1]["statuses"]) as? [String] == ["PRESENT", "NOT_FOUND"])
        let bad = try await call("/get-online-features", "{not json")
        #expect(bad.0 == 400 && bad.1.contains("malformed JSON"))
        let metrics = try await call("/metrics")
        #expect(metrics.0 == 200 && metrics.1.contains("larder_rows_served_total 2"))

        let logs = server.stop()   // SIGTERM
        #expect(server.exitedCleanly)
        #expect(logs.contains("request failed") && logs.contains("code=bad_request"), "\(logs)")
        #expect(logs.contains("stopped"), "\(logs)")
    }

    @Test func servesOnOneEventLoop() async throws {
        let world = try ServerTestWorld()
        let server = try ServeProcess(["--db", world.db.path, "--port", "0", "--event-loops", "1"])
        for user in [1, 2, 1] {
            let (status, data) = try await server.call("/get-online-features", "{\"features\": [\"stats:s\"], \"entities\": {\"user_id\": [\(user)]}}")
            #expect(status == 200 && String(decoding: data, as: UTF8.self).contains(user == 1 ? "\"one\"" : "\"two\""))
        }
        server.stop()
        #expect(server.exitedCleanly)
    }

    @Test func badFlagsAreUsageErrors() throws {
        let run = try CommandLineTool.run(["serve", "--db", "/nonexistent", "--port", "70000"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--port"))
        let loops = try CommandLineTool.run(["serve", "--db", "/nonexistent", "--event-loops", "0"])
        #expect(loops.status == 2 && loops.stderr.contains("--event-loops"))
    }
}
