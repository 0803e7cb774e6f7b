import Foundation
import Testing
@testable import LarderRecommender

/// Batch scoring (every user's list at once) and registering / loading trained models: what
/// `larder recommend batch` and `train` build on.
@Suite struct BatchScoringTests {
    @Test(arguments: [ModelSpec.popularity(.init()), .itemKNN(.init(neighbours: 5, shrinkage: 0)), .als(HandMade.als), .content(.init())])
    func batchListsEqualOneUserAtATime(spec: ModelSpec) throws {
        let data = try HandMade.blocks()
        let model = try spec.fit(data)
        let booked = data.log.positiveItemsByUser()
        // Known users, the cold user 21 (features only) and a stranger, out of order.
        let users: [Int64] = [21, 3, 15, 999_999] + Array(1 ... 20).reversed()
        for threads in [1, 2] {
            let lists = model.recommend(users: users, k: 4, excluding: booked, threads: threads)
            #expect(lists.count == users.count)
            for (u, user) in users.enumerated() {
                #expect(lists[u] == model.recommend(user: user, k: 4, excluding: booked[user] ?? []), "\(spec.kind) user \(user)")
                #expect(Set(lists[u].items.map(\.item)).isDisjoint(with: booked[user] ?? []))
            }
        }
        // A stranger gets the popularity fallback, flagged (popularity itself knows everyone).
        #expect(model.recommend(users: [999_999], k: 3).first?.usedFallback == (spec.kind != .popularity))
    }

    @Test func batchOfNoUsersOrZeroLengthListsIsEmpty() throws {
        let model = try ModelSpec.popularity(.init()).fit(try HandMade.blocks())
        #expect(model.recommend(users: [], k: 5).isEmpty)
        let zero = model.recommend(users: [1, 2], k: 0)
        #expect(zero.count == 2 && zero.allSatisfy(\.items.isEmpty))
        // Excluding every item leaves nothing to recommend.
        let all = Set(model.itemIDs)
        #expect(model.recommend(users: [1], k: 5, excluding: [1: all]).first?.items.isEmpty == true)
    }

    @Test func positiveItemsByUserKeepsBookingsOnly() throws {
        let log = try InteractionLog(userIDs: [1, 1, 2, 2, 3], itemIDs: [10, 11, 10, 10, 12], times: [5, 4, 3, 2, 1],
                                     positives: [true, false, true, true, false])
        #expect(log.positiveItemsByUser() == [1: [10], 2: [10]])
        let empty = try InteractionLog(userIDs: [], itemIDs: [], times: [], positives: [])
        #expect(empty.positiveItemsByUser().isEmpty)
    }

    @Test func namedMetricsCarryTheirK() {
        let m = RankingMetrics(k: 20, precision: 0.1, recall: 0.2, ndcg: 0.3, map: 0.4, coverage: 0.5, users: 7, coldUsers: 2)
        #expect(m.named == ["precision@20": 0.1, "recall@20": 0.2, "ndcg@20": 0.3, "map@20": 0.4, "coverage@20": 0.5,
                            "users": 7, "cold_users": 2])
        #expect(RankingMetrics.k(ofNamed: m.named) == 20)
        #expect(RankingMetrics.k(ofNamed: ["rows": 3]) == nil)
        #expect(RankingMetrics.k(ofNamed: [:]) == nil)
    }

    @Test func aTrainedModelRegistersAndLoadsBack() throws {
        let f = try RegistryFixture()
        let data = try HandMade.blocks()
        let trained = try Trainer.train(.als(HandMade.groupALS), on: data, k: 5)
        let v = try f.registry.register(name: "ranker", trained: trained, stage: .staging, reason: "challenger", actor: "ci")
        #expect(v.version == 1 && v.stage == .staging && v.kind == "als")
        #expect(v.history.last?.reason == "challenger" && v.history.last?.actor == "ci")
        #expect(v.metrics == trained.report.metrics.named && v.metrics["ndcg@5"] == trained.report.metrics.ndcg)
        #expect(v.manifest.artifacts.map(\.file) == [ModelRegistry.modelArtifactName])
        // The stored parameters are the spec's: they rebuild it.
        let stored = ParameterValue.object(["kind": .string(v.kind), "parameters": .object(v.parameters)])
        #expect(try stored.decode(as: ModelSpec.self) == .als(HandMade.groupALS))
        let loaded = try f.registry.recommender("ranker", version: 1)
        #expect(loaded.kind == .als)
        let booked = data.log.positiveItemsByUser()
        for user in [Int64(3), 15, 21] {
            #expect(loaded.recommend(user: user, k: 3, excluding: booked[user] ?? []) == trained.model.recommend(user: user, k: 3, excluding: booked[user] ?? []))
        }
        // A second registration in stage none stays there.
        #expect(try f.registry.register(name: "ranker", trained: trained).stage == ModelStage.none)
    }

    @Test func modelNamesAreCheckedBeforeTraining() throws {
        try ModelRegistry.validateModelName("ranker.v2_eu-1")
        for bad in ["", "../x", ".hidden", "naïve", String(repeating: "m", count: 129)] {
            let error = registryError { try ModelRegistry.validateModelName(bad) }
            #expect(error?.code == .invalidInput && error?.message.contains("'\(bad)'") == true, "\(bad)")
        }
    }

    @Test func aVersionWithoutAModelArtifactIsNamedAsSuch() throws {
        let f = try RegistryFixture()
        try f.registry.register(name: "outside", kind: "als", artifacts: ["weights.npy": bytes("x")])
        let error = registryError { _ = try f.registry.recommender("outside", version: 1) }
        #expect(error?.code == .unknownArtifact && error?.message.contains(ModelRegistry.modelArtifactName) == true)
        #expect(registryError { _ = try f.registry.recommender("nope", version: 1) }?.code == .unknownModel)
        // Bytes that are not an artifact fail to decode with the recommender's error.
        try f.registry.register(name: "garbage", kind: "als", artifacts: [ModelRegistry.modelArtifactName: bytes("not a model")])
        #expect(throws: RecommenderError.self) { _ = try f.registry.recommender("garbage", version: 1) }
    }
}
