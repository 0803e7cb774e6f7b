import Foundation
import Hummingbird
import HummingbirdTesting
import LarderRecommender
import LarderTestSupport
import Testing
@testable import LarderServer

/// A simulated feedback run through the HTTP routes: two serving versions, simulated users who
/// click the challenger's lists far more often, every request reported as an impression and
/// its click (if any) through `POST /feedback`. The router must move most traffic to the better
/// arm. Seeded (the router and the simulated users), so the run is the same every time.
@Suite struct FeedbackBanditRunTests {
    /// Runs `rounds` requests; returns, per arm, how often it served in the last half.
    static func run(_ configure: (inout ServerConfiguration) -> Void, rounds: Int) async throws -> [String: Int] {
        let world = try RecommendTestWorld(production: .popularity, staging: [.itemKNN])
        let clickRate = ["ranker@1": 0.05, "ranker@2": 0.30]
        let app = Application(router: world.server(configure).router())
        return try await app.test(.router) { client -> [String: Int] in
            var random = SplitMix64(seed: 2026)
            var late: [String: Int] = [:]
            for round in 0 ..< rounds {
                let user = Int.random(in: 1 ... 200, using: &random)
                let answer = try await client.call(.get, "/recommend?user_id=\(user)&k=5")
                let arm = try #require(answer.arm, "\(answer.text)")
                let rid = try #require(answer.requestID)
                let item = try #require(answer.items.first)
                var events = [#"{"user_id": \#(user), "item_id": \#(item), "event": "impression", "request_id": "\#(rid)"}"#]
                if Double.random(in: 0 ..< 1, using: &random) < (clickRate[arm] ?? 0) {
                    events.append(#"{"user_id": \#(user), "item_id": \#(item), "event": "click", "request_id": "\#(rid)"}"#)
                }
                let posted = try await client.call(.post, "/feedback", #"{"events": [\#(events.joined(separator: ","))]}"#)
                #expect(posted.json?["bandit_updates"] as? Int == events.count, "\(posted.text)")
                if round >= rounds / 2 { late[arm, default: 0] += 1 }
            }
            // The router's own counts agree with what the client saw.
            let arms = try await client.call(.get, "/recommend/arms").armStatistics
            let chosen = arms.values.reduce(0) { $0 + ((($1["chosen"] as? NSNumber)?.intValue) ?? 0) }
            #expect(chosen == rounds)
            return late
        }
    }

    @Test func thompsonSamplingMovesTrafficToTheBetterArm() async throws {
        let late = try await Self.run({ $0.recommend.seed = 5 }, rounds: 400)
        let better = late["ranker@2"] ?? 0, total = late.values.reduce(0, +)
        #expect(total == 200)
        #expect(better >= 160, "the better arm served \(better) of the last \(total) requests: \(late)")
    }

    @Test func epsilonGreedyMovesTrafficToTheBetterArm() async throws {
        let schedule = try EpsilonSchedule(initial: 0.1)
        let late = try await Self.run({ configuration in
            configuration.recommend.seed = 5
            configuration.recommend.policy = .epsilonGreedy(schedule: schedule)
        }, rounds: 400)
        let better = late["ranker@2"] ?? 0
        #expect(better >= 150, "the better arm served \(better) of the last 200 requests: \(late)")
    }
}
