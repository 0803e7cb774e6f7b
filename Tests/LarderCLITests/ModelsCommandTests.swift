import Foundation
import LarderTestSupport
import Testing

/// `larder models` end to end: register, list, show, promote, and what bad input prints.
@Suite(.serialized) struct ModelsCommandTests {
    /// An empty database and an artifact file.
    static func setUp() throws -> (dir: TemporaryDirectory, db: String, artifact: String) {
        let dir = try TemporaryDirectory(prefix: "larder-cli-models")
        let db = dir.file("db")
        let created = try CommandLineTool.run(["init", "--db", db])
        #expect(created.status == 0, "\(created.stderr)")
        let artifact = dir.file("model.bin")
        try Data("weights".utf8).write(to: URL(fileURLWithPath: artifact))
        return (dir, db, artifact)
    }

    static func json(_ output: CommandLineTool.Output) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
    }

    @Test func registerListShowPromote() throws {
        let (dir, db, artifact) = try Self.setUp()
        defer { withExtendedLifetime(dir) {} }
        let empty = try CommandLineTool.run(["models", "list", "--db", db])
        #expect(empty.status == 0 && empty.stdout.contains("no models registered"))
        #expect(try Self.json(try CommandLineTool.run(["models", "list", "--db", db, "--json"])) as? [Any] != nil)

        let first = try CommandLineTool.run(["models", "register", "ranker", "--db", db, "--kind", "als", "--artifact", artifact,
                                             "--artifact", "extra.bin=\(artifact)", "--parameters", "{\"factors\": 64}",
                                             "--metrics", "{\"ndcg@10\": 0.31}", "--git-commit", "abc123", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let v1 = try #require(try Self.json(first) as? [String: Any])
        #expect(v1["version"] as? Int == 1 && v1["stage"] as? String == "none" && v1["format"] as? Int == 1)
        #expect((v1["artifacts"] as? [[String: Any]])?.compactMap { $0["file"] as? String } == ["extra.bin", "model.bin"])
        #expect((v1["code"] as? [String: Any])?["gitCommit"] as? String == "abc123")
        let second = try CommandLineTool.run(["models", "register", "ranker", "--db", db, "--kind", "als", "--artifact", artifact])
        #expect(second.status == 0 && second.stdout.contains("registered ranker@2"), "\(second.stdout)\(second.stderr)")

        let promote = try CommandLineTool.run(["models", "promote", "ranker", "1", "--db", db, "--stage", "production", "--reason", "first"])
        #expect(promote.status == 0 && promote.stdout.contains("ranker@1: none -> production"), "\(promote.stdout)\(promote.stderr)")
        let again = try CommandLineTool.run(["models", "promote", "ranker", "2", "--db", db, "--stage", "Production",
                                             "--actor", "ci", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let logged = try #require(try Self.json(again) as? [[String: Any]])
        #expect(logged.map { "\($0["version"] ?? ""):\($0["from"] ?? "")>\($0["to"] ?? "")" } == ["1:production>archived", "2:none>production"])
        #expect(logged.allSatisfy { $0["actor"] as? String == "ci" })

        let list = try CommandLineTool.run(["models", "list", "--db", db, "--json"])
        let models = try #require(try Self.json(list) as? [[String: Any]])
        #expect(models.count == 1 && models[0]["name"] as? String == "ranker" && models[0]["production"] as? Int == 2)
        #expect(models[0]["stages"] as? [String: String] == ["1": "archived", "2": "production"])
        let table = try CommandLineTool.run(["models", "list", "--db", db])
        #expect(table.stdout.contains("ranker") && table.stdout.contains("production"))

        let show = try CommandLineTool.run(["models", "show", "ranker", "--db", db])
        #expect(show.status == 0 && show.stdout.contains("archived") && show.stdout.contains("ndcg@10=0.31"), "\(show.stdout)")
        #expect(show.stdout.contains("v1 production -> archived"))
        let one = try CommandLineTool.run(["models", "show", "ranker", "1", "--db", db, "--json"])
        let manifest = try #require(try Self.json(one) as? [String: Any])
        #expect(manifest["stage"] as? String == "archived" && (manifest["history"] as? [Any])?.count == 2)
        #expect((manifest["parameters"] as? [String: Any])?["factors"] as? Int == 64)
        let text = try CommandLineTool.run(["models", "show", "ranker", "1", "--db", db])
        #expect(text.stdout.contains("factors = 64") && text.stdout.contains("crc32"), "\(text.stdout)")
    }

    @Test func badInputExitsWithAMessageNamingIt() throws {
        let (dir, db, artifact) = try Self.setUp()
        defer { withExtendedLifetime(dir) {} }
        #expect(try CommandLineTool.run(["models", "register", "m", "--db", db, "--kind", "k", "--artifact", artifact]).status == 0)
        let model = try CommandLineTool.run(["models", "show", "nope", "--db", db])
        #expect(model.status == 1 && model.stderr.contains("no model 'nope'") && model.stderr.contains("models: m"), "\(model.stderr)")
        let version = try CommandLineTool.run(["models", "promote", "m", "9", "--db", db, "--stage", "staging"])
        #expect(version.status == 1 && version.stderr.contains("no version 9"), "\(version.stderr)")
        let stage = try CommandLineTool.run(["models", "promote", "m", "1", "--db", db, "--stage", "prod"])
        #expect(stage.status == 2 && stage.stderr.contains("prod"), "\(stage.stderr)")
        let name = try CommandLineTool.run(["models", "register", "../x", "--db", db, "--kind", "k"])
        #expect(name.status == 1 && name.stderr.contains("invalid model name '../x'"), "\(name.stderr)")
        let metrics = try CommandLineTool.run(["models", "register", "m", "--db", db, "--kind", "k", "--metrics", "[1]"])
        #expect(metrics.status == 2 && metrics.stderr.contains("--metrics"), "\(metrics.stderr)")
        let noDatabase = try CommandLineTool.run(["models", "list", "--db", db + "-missing"])
        #expect(noDatabase.status == 1 && noDatabase.stderr.contains("larder init"), "\(noDatabase.stderr)")
        let list = try CommandLineTool.run(["models", "list", "--db", db, "--json"])
        #expect((try Self.json(list) as? [[String: Any]])?.first?["versions"] as? [Int] == [1], "failed commands registered nothing")
    }

    /// Registrations from separate processes at the same time get distinct version numbers.
    @Test func concurrentProcessesGetDistinctVersions() throws {
        let (dir, db, artifact) = try Self.setUp()
        let count = 8
        var running: [(Process, URL)] = []
        for i in 0 ..< count {
            let process = Process()
            process.executableURL = CommandLineTool.executable
            process.arguments = ["models", "register", "shared", "--db", db, "--kind", "k", "--artifact", artifact,
                                 "--parameters", "{\"writer\": \(i)}", "--json"]
            let out = dir.fileURL("out-\(i).json")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = FileHandle.nullDevice
            try process.run()
            running.append((process, out))
        }
        var versions: [Int] = []
        for (process, out) in running {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: out)) as? [String: Any]
            versions.append(object?["version"] as? Int ?? -1)
        }
        #expect(versions.sorted() == Array(1 ... count))
        let show = try CommandLineTool.run(["models", "show", "shared", "--db", db, "--json"])
        let listed = try #require(try Self.json(show) as? [String: Any])
        #expect((listed["versions"] as? [[String: Any]])?.count == count)
    }
}
