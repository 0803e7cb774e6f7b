import Foundation
import LarderTestSupport
import Testing
@testable import LarderRecommender

/// Persisting a router, and using it from many tasks at once.
@Suite struct BanditSnapshotTests {
    @Test func aRestoredRouterContinuesExactlyWhereTheOldOneStopped() throws {
        let config = try BanditConfiguration(policy: .epsilonGreedy(schedule: EpsilonSchedule(initial: 0.3, halfLife: 50, minimum: 0.01)),
                                             priorAlpha: 2, priorBeta: 3, rewards: RewardScheme(impression: 0.1, click: 0.6, booking: 1))
        let router = try BanditRouter(arms: [BanditArm("ranker@1"), BanditArm("ranker@2"), BanditArm("ränker@3")], configuration: config, seed: 11)
        var world = BanditRandom(seed: 5)
        for _ in 0 ..< 500 {
            let arm = try router.choose()
            try router.recordImpression(arm: arm)
            if world.unit() < 0.2 { try router.recordConversion(arm: arm, kind: .click) }
        }
        let dir = try TemporaryDirectory(prefix: "bandit")
        let path = dir.file("bandit.json")
        try router.snapshot().write(to: path)
        let restored = try BanditRouter(snapshot: BanditSnapshot.read(from: path))
        #expect(restored.snapshot() == router.snapshot())
        #expect(restored.configuration == config)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["bandit.json"], "no temporary file left")
        // Same state, same random stream: the same choices from here on.
        for _ in 0 ..< 200 {
            let a = try router.choose(), b = try restored.choose()
            #expect(a == b)
            try router.record(arm: a, reward: 0.5)
            try restored.record(arm: b, reward: 0.5)
        }
        // Writing again replaces the file whole.
        try restored.snapshot().write(to: path)
        #expect(try BanditSnapshot.read(from: path) == restored.snapshot())
    }

    @Test func snapshotJSONIsVersionedAndCheckedOnRead() throws {
        let router = try BanditRouter(arms: [BanditArm("A")], seed: 1)
        try router.record(arm: BanditArm("A"), reward: 1)
        let json = try #require(try JSONSerialization.jsonObject(with: router.snapshot().jsonData()) as? [String: Any])
        #expect(json["format"] as? Int == 1 && (json["random"] as? [String])?.count == 4)
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms.first?["arm"] as? String == "A" && arms.first?["alpha"] as? Double == 2)

        func decodeError(_ text: String) -> BanditError? { banditError { _ = try BanditSnapshot.decode(Data(text.utf8)) } }
        #expect(decodeError("{\"format\": 2, \"whatever\": []}")?.code == .unsupportedFormat)
        #expect(decodeError("{\"format\": 1}")?.code == .corrupt)
        #expect(decodeError("not json")?.code == .corrupt)
        var edited = json
        var configuration = try #require(edited["configuration"] as? [String: Any])
        configuration["priorAlpha"] = -1
        edited["configuration"] = configuration
        let bad = decodeError(String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self))
        #expect(bad?.code == .corrupt && bad?.message.contains("prior") == true, "\(String(describing: bad))")
        var twice = router.snapshot()
        twice.arms.append(twice.arms[0])
        #expect(banditError { _ = try BanditRouter(snapshot: twice) }?.code == .corrupt)
        var zero = router.snapshot()
        zero.random = [0, 0, 0, 0]
        #expect(banditError { _ = try BanditRouter(snapshot: zero) }?.code == .corrupt)
        #expect(banditError { _ = try BanditSnapshot.read(from: "/nonexistent/bandit.json") }?.code == .io)
    }

    @Test func manyTasksShareOneRouter() async throws {
        let router = try BanditRouter(arms: (1 ... 4).map { BanditArm(model: "m", version: $0) }, seed: 8)
        let tasks = 64, perTask = 500
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0 ..< tasks {
                group.addTask {
                    for i in 0 ..< perTask {
                        let arm = try router.choose()
                        if (t + i) % 3 == 0 {
                            try router.recordImpression(arm: arm)
                            try router.recordConversion(arm: arm, kind: .click)
                        } else {
                            try router.record(arm: arm, reward: arm.version == 4 ? 1 : 0)
                        }
                        if i % 100 == 0 { _ = router.snapshot() }
                    }
                }
            }
            try await group.waitForAll()
        }
        let stats = router.statistics()
        #expect(stats.map(\.chosen).reduce(0, +) == tasks * perTask)
        #expect(stats.map(\.trials).reduce(0, +) == tasks * perTask)
        #expect(stats.allSatisfy { $0.openImpressions == 0 })
        #expect(stats.allSatisfy { abs($0.alpha + $0.beta - 2 - Double($0.trials)) < 1e-6 }, "every trial adds one to alpha + beta")
    }
}
