import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Larder
import LarderRecommender
import LarderTestSupport
import Testing

/// `larder serve --recommender ranker` as a user runs it: real HTTP on a kernel-chosen port,
/// feedback posted, then SIGTERM: the graceful stop commits the feedback and saves the bandit.
@Suite struct RecommendServeEndToEndTests {
    @Test func servesRecommendationsAndFlushesOnSigterm() async throws {
        let world = try RecommendTestWorld(production: .popularity, staging: [.itemKNN])
        let server = try ServeProcess(["--db", world.db.path, "--port", "0", "--recommender", "ranker", "--bandit", "epsilon-greedy",
                                       "--epsilon", "0.2", "--feedback-view", "served_feedback", "--log-level", "info"])
        func call(_ path: String, _ body: String? = nil) async throws -> (Int, [String: Any]) {
            let (status, data) = try await server.call(path, body)
            return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
        }
        let (status, answer) = try await call("/recommend?user_id=3&k=4")
        #expect(status == 200, "\(answer)")
        #expect(((answer["items"] as? [[String: Any]]) ?? []).count == 4)
        let rid = try #require(answer["request_id"] as? String)
        let item = try #require(((answer["items"] as? [[String: Any]])?.first?["item_id"] as? NSNumber)?.int64Value)
        let (posted, result) = try await call("/feedback", #"{"user_id": 3, "item_id": \#(item), "event": "impression", "request_id": "\#(rid)"}"#)
        #expect(posted == 200 && result["bandit_updates"] as? Int == 1, "\(result)")
        let (_, arms) = try await call("/recommend/arms")
        #expect(arms["policy"] as? String == "epsilon_greedy")
        let (missing, error) = try await call("/recommend?user_id=3&model=nope")
        #expect(missing == 404 && (error["error"] as? [String: Any])?["code"] as? String == "unknown_model")

        let logs = server.stop()   // SIGTERM
        #expect(server.exitedCleanly)
        #expect(logs.contains("recommendation feedback flushed"), "\(logs)")
        let rows = try world.feedbackRows(view: "served_feedback")
        #expect(rows.rowCount == 1)
        #expect(rows.column(named: "request_id")?.values == [.string(rid)])
        let snapshot = try BanditSnapshot.read(from: try world.registry.banditSnapshotPath("ranker"))
        #expect(snapshot.arms.map(\.arm.name) == ["ranker@1", "ranker@2"])
        #expect(snapshot.arms.reduce(0) { $0 + $1.trials } == 1)
        if case .epsilonGreedy(let schedule) = snapshot.configuration.policy {
            #expect(schedule.initial == 0.2)
        } else {
            Issue.record("the snapshot's policy is \(snapshot.configuration.policy)")
        }
    }
}
