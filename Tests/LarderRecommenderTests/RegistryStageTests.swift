import Foundation
import LarderTestSupport
import Testing
@testable import LarderRecommender

/// Stages, the transition log, and what a server reads from them.
@Suite struct RegistryStageTests {
    @Test func promotionArchivesThePreviousProductionVersionAndLogsBoth() throws {
        let f = try RegistryFixture()
        for _ in 0 ..< 3 { try f.registry.register(name: "ranker", kind: "als", artifacts: ["model.bin": bytes("w")]) }
        #expect(try f.registry.stagesRevision("ranker") == 0)
        let first = try f.registry.transition("ranker", version: 1, to: .production, reason: "first model", actor: "ana")
        #expect(first.map(\.version) == [1] && first[0].from == .none && first[0].to == .production)
        try f.registry.transition("ranker", version: 2, to: .staging, reason: "challenger", actor: "ana")
        try f.registry.transition("ranker", version: 3, to: .staging)
        #expect(try f.registry.versions("ranker", in: .staging).map(\.version) == [2, 3])

        let promoted = try f.registry.transition("ranker", version: 2, to: .production, reason: "wins the bandit", actor: "ben")
        #expect(promoted.map(\.version) == [1, 2], "the demotion is logged first")
        #expect(promoted[0].from == .production && promoted[0].to == .archived && promoted[0].reason?.contains("version 2") == true)
        #expect(promoted[1].from == .staging && promoted[1].to == .production && promoted[1].actor == "ben")
        #expect(promoted[0].time == promoted[1].time)
        #expect(try f.registry.production("ranker").version == 2)
        #expect(try f.registry.version("ranker", 1).stage == .archived)

        let model = try f.registry.model("ranker")
        #expect(model.production == 2 && model.staging == [3] && model.stages[1] == .archived)
        #expect(try f.registry.models().first?.production == 2)

        // The whole log, oldest first, and per version.
        let history = try f.registry.history("ranker")
        #expect(history.map { "\($0.version):\($0.from)>\($0.to)" } == [
            "1:none>production", "2:none>staging", "3:none>staging", "1:production>archived", "2:staging>production",
        ])
        #expect(history.map(\.time) == history.map(\.time).sorted())
        #expect(try f.registry.version("ranker", 2).history.map(\.to) == [.staging, .production])
        #expect(try f.registry.stagesRevision("ranker") == 4)
        // Another registry object (another process) reads the same state.
        #expect(try f.reopened().production("ranker").version == 2)
    }

    @Test func movingToTheCurrentStageChangesNothing() throws {
        let f = try RegistryFixture()
        try f.registry.register(name: "m", kind: "k", artifacts: [:])
        try f.registry.transition("m", version: 1, to: .production)
        let again = try f.registry.transition("m", version: 1, to: .production, reason: "retry")
        #expect(again.isEmpty)
        #expect(try f.registry.history("m").count == 1 && f.registry.stagesRevision("m") == 1)
        // Back to none is a transition like any other.
        #expect(try f.registry.transition("m", version: 1, to: .none).first?.from == .production)
        #expect(registryError { _ = try f.registry.production("m") }?.code == .noProductionVersion)
    }

    @Test func stagesFileIsVersionedJSON() throws {
        let f = try RegistryFixture()
        try f.registry.register(name: "m", kind: "k", artifacts: [:])
        try f.registry.transition("m", version: 1, to: .staging, reason: "try it", actor: "ci")
        let data = try Data(contentsOf: URL(fileURLWithPath: f.registry.directory + "/m/stages.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["format"] as? Int == 1 && json["name"] as? String == "m" && json["revision"] as? Int == 1)
        #expect(json["stages"] as? [String: String] == ["1": "staging"])
        let log = try #require(json["history"] as? [[String: Any]])
        #expect(log.count == 1 && log[0]["from"] as? String == "none" && log[0]["to"] as? String == "staging")
        #expect(log[0]["reason"] as? String == "try it" && log[0]["actor"] as? String == "ci")
        #expect(log[0]["time"] as? String == "2026-01-01T00:00:01Z")
    }

    @Test func servingArmsAreProductionThenChallengers() throws {
        let f = try RegistryFixture()
        for _ in 0 ..< 4 { try f.registry.register(name: "ranker", kind: "als", artifacts: [:]) }
        #expect(registryError { _ = try f.registry.servingArms("ranker") }?.code == .noProductionVersion)
        try f.registry.transition("ranker", version: 3, to: .production)
        try f.registry.transition("ranker", version: 4, to: .staging)
        try f.registry.transition("ranker", version: 1, to: .staging)
        try f.registry.transition("ranker", version: 2, to: .archived)
        #expect(try f.registry.servingArms("ranker").map(\.name) == ["ranker@3", "ranker@1", "ranker@4"])
        #expect(try f.registry.banditSnapshotPath("ranker") == f.registry.directory + "/ranker/bandit.json")
    }

    @Test func aCrashedStagesWriteLeavesThePreviousStages() throws {
        let f = try RegistryFixture()
        try f.registry.register(name: "m", kind: "k", artifacts: [:])
        try f.registry.register(name: "m", kind: "k", artifacts: [:])
        try f.registry.transition("m", version: 1, to: .production)
        let crashing = f.reopened { step in
            if step == .stagesBeforeRename { throw RegistrySimulatedCrash(step: step) }
        }
        #expect(throws: RegistrySimulatedCrash.self) { try crashing.transition("m", version: 2, to: .production) }
        // The promotion and its demotion are one write: neither happened.
        #expect(try f.registry.production("m").version == 1)
        #expect(try f.registry.version("m", 2).stage == .none)
        #expect(try f.entries("m").contains { $0.hasPrefix(".tmp-") }, "the crashed write left its temporary file")
        try f.registry.transition("m", version: 2, to: .production)
        #expect(try f.registry.production("m").version == 2 && f.registry.version("m", 1).stage == .archived)
        #expect(try !f.entries("m").contains { $0.hasPrefix(".tmp-") }, "the next writer removed it")
    }
}
