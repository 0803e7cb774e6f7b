import Foundation
import LarderTestSupport
import Testing
@testable import LarderRecommender

/// Registration, manifests, artifacts and typed errors.
@Suite struct RegistryTests {
    @Test func registrationNumbersVersionsAndRoundTripsEverything() throws {
        let f = try RegistryFixture()
        let weights = Data((0 ..< 10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let v1 = try f.registry.register(name: "ranker", kind: "als",
                                         parameters: ["factors": 64, "regularization": 0.01, "solver": "cg", "nested": ["a": [1, 2.5, nil, true]]],
                                         metrics: ["ndcg@10": 0.31, "précision@10": 0.12], artifacts: ["model.bin": weights, "items.json": bytes("[1,2]")],
                                         code: CodeVersion(gitCommit: "abc123"))
        let v2 = try f.registry.register(name: "ranker", kind: "als", artifacts: ["model.bin": bytes("second")])
        #expect(v1.version == 1 && v2.version == 2)
        #expect(v1.stage == .none && v1.history.isEmpty)
        #expect(v1.manifest.createdAt == RegistryFixture.start)
        #expect(v2.manifest.createdAt > v1.manifest.createdAt)

        // What a reader gets back equals what was registered.
        let read = try f.registry.version("ranker", 1)
        #expect(read == v1)
        #expect(read.parameters["factors"]?.intValue == 64)
        #expect(read.parameters["solver"]?.stringValue == "cg")
        #expect(read.metrics["précision@10"] == 0.12)
        #expect(read.manifest.code == CodeVersion(larder: CodeVersion.larderVersion, gitCommit: "abc123"))
        #expect(try f.registry.artifact("ranker", version: 1, file: "model.bin") == weights)
        #expect(try f.registry.artifact("ranker", version: 2, file: "model.bin") == bytes("second"))
        #expect(try f.registry.artifactPath("ranker", version: 1, file: "items.json") == f.registry.directory + "/ranker/1/items.json")
        #expect(try f.registry.versions("ranker").map(\.version) == [1, 2])
        #expect(try f.registry.latest("ranker").version == 2)

        // The layout on disk: <models>/<name>/<version>/ with the artifacts and the manifest.
        #expect(try f.entries("ranker") == [".lock", "1", "2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: v1.directory).sorted() == ["items.json", "manifest.json", "model.bin"])
        let models = try f.registry.models()
        #expect(models.map(\.name) == ["ranker"] && models[0].versions == [1, 2] && models[0].production == nil)
    }

    @Test func manifestIsVersionedJSONWithZlibChecksums() throws {
        let f = try RegistryFixture()
        let v = try f.registry.register(name: "pop", kind: "popularity", metrics: ["coverage": 0.5],
                                        artifacts: ["check.bin": bytes("123456789"), "empty.bin": Data()])
        let data = try Data(contentsOf: URL(fileURLWithPath: v.directory + "/manifest.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["format"] as? Int == ModelManifest.currentFormat)
        #expect(json["name"] as? String == "pop" && json["version"] as? Int == 1 && json["kind"] as? String == "popularity")
        #expect(json["createdAt"] as? String == "2026-01-01T00:00:00Z")
        let artifacts = try #require(json["artifacts"] as? [[String: Any]])
        // CRC-32's published check value: "123456789" → cbf43926; the empty input → 0.
        #expect(artifacts.map { $0["file"] as? String } == ["check.bin", "empty.bin"])
        #expect(artifacts.map { $0["crc32"] as? String } == ["cbf43926", "00000000"])
        #expect(artifacts.map { $0["bytes"] as? Int } == [9, 0])
        #expect((json["code"] as? [String: Any])?["larder"] as? String == CodeVersion.larderVersion)
        #expect(try f.registry.artifact("pop", version: 1, file: "empty.bin").isEmpty)
    }

    @Test func nonFiniteMetricsAreKept() throws {
        let f = try RegistryFixture()
        try f.registry.register(name: "m", kind: "k", metrics: ["nan": .nan, "inf": .infinity, "ninf": -.infinity, "one": 1],
                                artifacts: [:])
        let metrics = try f.registry.version("m", 1).metrics
        #expect(metrics["nan"]?.isNaN == true)
        #expect(metrics["inf"] == .infinity && metrics["ninf"] == -.infinity && metrics["one"] == 1)
    }

    @Test func unknownNamesGiveTypedErrorsNamingTheInput() throws {
        let f = try RegistryFixture()
        let empty = registryError { _ = try f.registry.version("ranker", 1) }
        #expect(empty?.code == .unknownModel && empty?.model == "ranker" && empty?.message.contains("'ranker'") == true)
        #expect(try f.registry.models().isEmpty)

        try f.registry.register(name: "ranker", kind: "als", artifacts: ["model.bin": bytes("x")])
        let model = registryError { _ = try f.registry.versions("rankr") }
        #expect(model?.code == .unknownModel && model?.message.contains("models: ranker") == true, "\(String(describing: model))")
        let version = registryError { _ = try f.registry.version("ranker", 7) }
        #expect(version?.code == .unknownVersion && version?.version == 7 && version?.message.contains("versions: 1") == true)
        let artifact = registryError { _ = try f.registry.artifact("ranker", version: 1, file: "weights.bin") }
        #expect(artifact?.code == .unknownArtifact && artifact?.message.contains("'weights.bin'") == true
            && artifact?.message.contains("model.bin") == true)
        let noProduction = registryError { _ = try f.registry.production("ranker") }
        #expect(noProduction?.code == .noProductionVersion && noProduction?.model == "ranker")
        let stage = registryError { _ = try ModelStage(parsing: "prod") }
        #expect(stage?.code == .unknownStage && stage?.message.contains("'prod'") == true
            && stage?.message.contains("production") == true)
        #expect(try ModelStage(parsing: " Production ") == .production)
        let transition = registryError { try f.registry.transition("ranker", version: 3, to: .staging) }
        #expect(transition?.code == .unknownVersion && transition?.version == 3)
    }

    @Test func badInputIsRefusedBeforeAnythingIsWritten() throws {
        let f = try RegistryFixture()
        let cases: [(String, () throws -> Void)] = [
            ("empty name", { try f.registry.register(name: "", kind: "k", artifacts: [:]) }),
            ("unicode name", { try f.registry.register(name: "modèle", kind: "k", artifacts: [:]) }),
            ("path name", { try f.registry.register(name: "../escape", kind: "k", artifacts: [:]) }),
            ("hidden name", { try f.registry.register(name: ".hidden", kind: "k", artifacts: [:]) }),
            ("empty kind", { try f.registry.register(name: "m", kind: " ", artifacts: [:]) }),
            ("artifact path", { try f.registry.register(name: "m", kind: "k", artifacts: ["a/b.bin": Data()]) }),
            ("manifest artifact", { try f.registry.register(name: "m", kind: "k", artifacts: ["manifest.json": Data()]) }),
            ("NaN parameter", { try f.registry.register(name: "m", kind: "k", parameters: ["grid": ["lr": [0.1, .number(.nan)]]], artifacts: [:]) }),
            ("empty metric", { try f.registry.register(name: "m", kind: "k", metrics: ["": 1], artifacts: [:]) }),
        ]
        for (label, body) in cases {
            let error = registryError(body)
            #expect(error?.code == .invalidInput, "\(label): \(String(describing: error))")
        }
        let nan = registryError { try f.registry.register(name: "m", kind: "k", parameters: ["grid": ["lr": [0.1, .number(.nan)]]], artifacts: [:]) }
        #expect(nan?.message.contains("grid.lr[1]") == true, "\(String(describing: nan))")
        let unicode = registryError { try f.registry.register(name: "modèle", kind: "k", artifacts: [:]) }
        #expect(unicode?.message.contains("'modèle'") == true)
        #expect(try f.registry.models().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: f.registry.directory + "/m/1"))
    }

    @Test func damagedArtifactsAndManifestsAreReportedNotReturned() throws {
        let f = try RegistryFixture()
        let v = try f.registry.register(name: "m", kind: "k", artifacts: ["model.bin": bytes("weights")])
        // Same length, one byte changed: only the checksum can tell.
        try bytes("weightz").write(to: URL(fileURLWithPath: v.path(of: "model.bin")))
        let changed = registryError { _ = try f.registry.artifact("m", version: 1, file: "model.bin") }
        #expect(changed?.code == .corrupt && changed?.message.contains("CRC-32") == true)
        try FileManager.default.removeItem(atPath: v.path(of: "model.bin"))
        #expect(registryError { _ = try f.registry.artifact("m", version: 1, file: "model.bin") }?.code == .corrupt)

        try bytes("{\"format\": 1, \"name\": ").write(to: URL(fileURLWithPath: v.directory + "/manifest.json"))
        let manifest = registryError { _ = try f.registry.version("m", 1) }
        #expect(manifest?.code == .corrupt && manifest?.path?.hasSuffix("m/1/manifest.json") == true)
    }

    @Test func newerFormatsAreRefusedClearly() throws {
        let f = try RegistryFixture()
        let v = try f.registry.register(name: "m", kind: "k", artifacts: [:])
        try f.registry.transition("m", version: 1, to: .staging)
        // A future manifest: a higher format and fields this build does not know.
        try bytes("{\"format\": 2, \"name\": \"m\", \"version\": 1, \"kind\": {\"new\": true}}")
            .write(to: URL(fileURLWithPath: v.directory + "/manifest.json"))
        let manifest = registryError { _ = try f.registry.version("m", 1) }
        #expect(manifest?.code == .unsupportedFormat && manifest?.message.contains("format 2") == true
            && manifest?.message.contains("upgrade Larder") == true, "\(String(describing: manifest))")

        try f.registry.register(name: "s", kind: "k", artifacts: [:])
        try f.registry.transition("s", version: 1, to: .production)
        try bytes("{\"format\": 9, \"name\": \"s\"}").write(to: URL(fileURLWithPath: f.registry.directory + "/s/stages.json"))
        let stages = registryError { _ = try f.registry.production("s") }
        #expect(stages?.code == .unsupportedFormat && stages?.path?.hasSuffix("s/stages.json") == true)
    }

    @Test func parameterValuesFollowJSONNumberEquality() throws {
        let decoded = try JSONDecoder().decode([String: ParameterValue].self, from: bytes("{\"a\": 3, \"b\": 2.5, \"c\": \"NaN\", \"d\": [true, null]}"))
        #expect(decoded["a"] == .integer(3) && decoded["a"] == .number(3.0))
        #expect(decoded["b"] == .number(2.5) && decoded["b"] != .integer(2))
        #expect(decoded["c"] == .string("NaN"))
        #expect(decoded["d"] == [true, nil])
        #expect(Set<ParameterValue>([.integer(3), .number(3.0)]).count == 1)
        let big = ParameterValue.integer(9_007_199_254_740_993)  // 2^53 + 1: no Double holds it
        #expect(big != .number(9_007_199_254_740_992))
    }
}
