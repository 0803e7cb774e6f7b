import Foundation
import LarderTestSupport
import Synchronization
import Testing
@testable import LarderRecommender

/// Atomic registration: what a crash or a failure at each step leaves, and what the next
/// registration does with it. Concurrent registrations get distinct versions.
@Suite struct RegistryCrashTests {
    @Test func aHalfWrittenTemporaryDirectoryIsIgnoredThenRemoved() throws {
        let f = try RegistryFixture()
        try f.registry.register(name: "m", kind: "k", artifacts: ["model.bin": bytes("v1")])
        // What a crash in the middle of registering version 2 leaves: a temporary directory
        // with some artifact bytes and half a manifest; and a version-numbered directory
        // without a manifest (hand-made, or a damaged disk).
        let leftover = f.registry.directory + "/m/.tmp-999-crashed"
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: true)
        try bytes("partial").write(to: URL(fileURLWithPath: leftover + "/model.bin"))
        try bytes("{\"format\": 1, \"na").write(to: URL(fileURLWithPath: leftover + "/manifest.json"))
        try FileManager.default.createDirectory(atPath: f.registry.directory + "/m/2", withIntermediateDirectories: true)

        #expect(try f.registry.versions("m").map(\.version) == [1])
        #expect(try f.registry.models().map(\.versions) == [[1]])
        #expect(try f.registry.latest("m").version == 1)

        let next = try f.registry.register(name: "m", kind: "k", artifacts: ["model.bin": bytes("v3")])
        #expect(next.version == 3, "numbering skips the incomplete directory 2 instead of writing into it")
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(try f.entries("m") == [".lock", "1", "2", "3"])
        #expect(try f.registry.artifact("m", version: 3, file: "model.bin") == bytes("v3"))
    }

    @Test(arguments: [RegistryStep.afterArtifacts, .afterManifest])
    func aCrashBeforeTheRenameLeavesNoVersion(step: RegistryStep) throws {
        let f = try RegistryFixture()
        try f.registry.register(name: "m", kind: "k", artifacts: ["model.bin": bytes("v1")])
        let crashing = f.reopened { if $0 == step { throw RegistrySimulatedCrash(step: $0) } }
        #expect(throws: RegistrySimulatedCrash.self) {
            try crashing.register(name: "m", kind: "k", artifacts: ["model.bin": bytes("v2")])
        }
        #expect(try f.registry.versions("m").map(\.version) == [1])
        #expect(try f.entries("m").filter { $0.hasPrefix(".tmp-") }.count == 1, "a crash cleans nothing up")
        // Another process's next registration takes version 2 and removes the leftover.
        let v2 = try f.reopened().register(name: "m", kind: "k", artifacts: ["model.bin": bytes("v2 again")])
        #expect(v2.version == 2)
        #expect(try f.entries("m") == [".lock", "1", "2"])
        #expect(try f.registry.artifact("m", version: 2, file: "model.bin") == bytes("v2 again"))
    }

    @Test func aCrashAfterTheRenameLeavesACompleteVersion() throws {
        let f = try RegistryFixture()
        let crashing = f.reopened { if $0 == .afterRename { throw RegistrySimulatedCrash(step: $0) } }
        #expect(throws: RegistrySimulatedCrash.self) {
            try crashing.register(name: "m", kind: "k", artifacts: ["model.bin": bytes("v1")])
        }
        #expect(try f.registry.artifact("m", version: 1, file: "model.bin") == bytes("v1"))
    }

    @Test func aFailedRegistrationRemovesItsTemporaryDirectory() throws {
        struct DiskFull: Error {}
        let f = try RegistryFixture()
        let failing = f.reopened { if $0 == .afterManifest { throw DiskFull() } }
        #expect(throws: DiskFull.self) { try failing.register(name: "m", kind: "k", artifacts: ["model.bin": bytes("x")]) }
        #expect(try f.entries("m") == [".lock"])
        #expect(registryError { _ = try f.registry.versions("m") }?.code == .unknownModel)
        #expect(try f.registry.models().isEmpty)
    }

    @Test func concurrentRegistrationsGetDistinctVersions() async throws {
        let f = try RegistryFixture()
        let registry = f.registry
        let writers = 24
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for w in 0 ..< writers {
                group.addTask {
                    // Each writer opens its own registry object, as separate services would.
                    let own = ModelRegistry(directory: registry.directory)
                    let v = try own.register(name: "shared", kind: "k", parameters: ["writer": .integer(Int64(w))],
                                             artifacts: ["model.bin": bytes("writer \(w)")])
                    return (w, v.version)
                }
            }
            return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
        }
        #expect(results.map(\.1).sorted() == Array(1 ... writers))
        for (w, version) in results {
            let v = try registry.version("shared", version)
            #expect(v.parameters["writer"]?.intValue == w)
            #expect(try registry.artifact("shared", version: version, file: "model.bin") == bytes("writer \(w)"))
        }
    }

    @Test func concurrentPromotionsLeaveExactlyOneProductionVersion() async throws {
        let f = try RegistryFixture()
        let versions = 12
        for _ in 0 ..< versions { try f.registry.register(name: "m", kind: "k", artifacts: [:]) }
        let registry = f.registry
        try await withThrowingTaskGroup(of: Void.self) { group in
            for v in 1 ... versions {
                group.addTask { try ModelRegistry(directory: registry.directory).transition("m", version: v, to: .production) }
            }
            try await group.waitForAll()
        }
        let model = try registry.model("m")
        #expect(model.versions.filter { model.stages[$0] == .production }.count == 1)
        #expect(model.versions.filter { model.stages[$0] == .archived }.count == versions - 1)
        let history = try registry.history("m")
        #expect(history.count == 2 * versions - 1, "each promotion after the first logs a demotion too")
        #expect(try registry.stagesRevision("m") == versions)
    }
}
