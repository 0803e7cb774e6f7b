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
        let process = Process()
        process.executableURL = CommandLineTool.executable
        process.arguments = ["serve", "--db", world.db.path, "--port", "0", "--log-level", "info"]
        process.environment = ProcessInfo.processInfo.environment.merging(["LARDER_SERVER_TOKEN": "e2e-token"]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The first line says where it listens.
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
        }
        let line = String(decoding: printed, as: UTF8.self)
        let port = try #require(line.split(separator: "\n").first.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) },
                                "larder serve printed: \(line)")
        #expect(line.hasPrefix("listening on 127.0.0.1:"))
        #expect(port > 0)

        func call(_ path: String, _ body: String? = nil, token: String? = "e2e-token") async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            if let body {
                request.httpMethod = "POST"
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
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

        process.terminate()   // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let logs = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(logs.contains("request failed") && logs.contains("code=bad_request"), "\(logs)")
        #expect(logs.contains("stopped"), "\(logs)")
    }

    @Test func badFlagsAreUsageErrors() throws {
        let run = try CommandLineTool.run(["serve", "--db", "/nonexistent", "--port", "70000"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--port"))
    }
}
