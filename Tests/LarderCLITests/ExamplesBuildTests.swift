import Foundation
import LarderTestSupport
import Testing

/// `examples/recommendation-service` builds as its own package against this checkout (as a
/// customer's service links Larder) and answers from a tiny database that `larder demo` made.
@Suite struct ExamplesBuildTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The scratch directory the test binaries were built in (the folder holding `build.db`
    /// above the `larder` binary), so the example's build stays beside it and is incremental
    /// from one run to the next; a temporary folder when it cannot be found.
    static var scratch: URL {
        var dir = CommandLineTool.executable.deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("build.db").path) {
                return dir.appendingPathComponent("examples/recommendation-service")
            }
            dir = dir.deletingLastPathComponent()
        }
        return FileManager.default.temporaryDirectory.appendingPathComponent("larder-examples/recommendation-service")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments` (and `input` on stdin), returning status and output.
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = try TemporaryDirectory(prefix: "larder-example-run")
        let stdoutURL = out.fileURL("stdout"), stderrURL = out.fileURL("stderr"), stdinURL = out.fileURL("stdin")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stdinURL.path, contents: Data((input ?? "").utf8))
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    static func object(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
    }

    @Test func recommendationServiceBuildsAndAnswers() throws {
        // The database: the tiny demo leaves a materialized online store and a production model.
        let dir = try TemporaryDirectory(prefix: "larder-example")
        let demo = try CommandLineTool.run(["demo", "--scale", "tiny", "--dir", dir.path])
        try #require(demo.status == 0, "\(demo.stderr)")
        let db = dir.file("features.larder")
        let userText = try #require(demo.stdout.firstMatch(of: try Regex(#"POST /get-online-features  user ([0-9]+)"#))?.output[1].substring)
        let user = try #require(Int64(userText))
        let models = try CommandLineTool.run(["models", "list", "--db", db, "--json"])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [[String: Any]])
        let production = try #require(listed.first { $0["name"] as? String == "marketplace_recommender" }?["production"] as? Int)

        // One build of the example package.
        let package = Self.root.appendingPathComponent("examples/recommendation-service").path
        let build = try Self.run("/usr/bin/env", ["swift", "build", "--package-path", package, "--scratch-path", Self.scratch.path])
        try #require(build.status == 0, "swift build of the example failed:\n\(build.stdout.suffix(4000))\n\(build.stderr.suffix(4000))")
        let binary = Self.scratch.appendingPathComponent("debug/recommendation-service").path

        // One-shot: the user's features (today's snapshot, within the ttl) and 5 items from the production version.
        let once = try Self.run(binary, ["--db", db, "--user", "\(user)", "--k", "5"])
        #expect(once.status == 0, "\(once.stderr)")
        let lines = once.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let answer = try Self.object(try #require(lines.first))
        #expect(answer["user_id"] as? Int == Int(user))
        #expect(answer["model"] as? String == "marketplace_recommender")
        #expect(answer["version"] as? Int == production)
        let items = try #require(answer["items"] as? [[String: Any]])
        #expect(items.count == 5)
        #expect(Set(items.compactMap { $0["item_id"] as? Int }).count == 5, "distinct items")
        let scores = items.compactMap { $0["score"] as? Double }
        #expect(scores.count == 5 && scores == scores.sorted(by: >), "best first")
        let features = try #require(answer["features"] as? [String: [String: Any]])
        #expect(features["user_stats__visits_7d"]?["status"] as? String == "PRESENT")
        #expect(features["user_stats__region"]?["value"] is String)

        // The worker: one JSON request per line; a bad line gets an error line, the next still answers.
        let worker = try Self.run(binary, ["--db", db], input: "{\"user_id\": \(user), \"k\": 3}\nnot json\n{\"user_id\": \(user)}\n")
        #expect(worker.status == 0, "\(worker.stderr)")
        let answers = try worker.stdout.split(separator: "\n").map(Self.object)
        #expect(answers.count == 3)
        #expect((answers.first?["items"] as? [Any])?.count == 3)
        #expect((answers.dropFirst().first?["error"] as? String)?.contains("not a JSON object") == true)
        #expect((answers.last?["items"] as? [Any])?.count == 10, "k defaults to 10")

        // Bad input is one line on stderr and exit 1.
        let missing = try Self.run(binary, ["--db", dir.file("no-such.larder"), "--user", "1"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("recommendation-service: "))
        let badK = try Self.run(binary, ["--db", db, "--k", "zero"])
        #expect(badK.status == 1 && badK.stderr.contains("--k zero"))
    }
}
