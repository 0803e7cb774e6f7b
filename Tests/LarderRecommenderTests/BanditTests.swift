import Foundation
import Testing
@testable import LarderRecommender

/// A simulated feedback run: arm A converts at 5%, arm B at 8%.
private func simulate(_ router: BanditRouter, requests: Int, seed: UInt64) throws -> (lastHalfB: Double, chosen: [String: Int]) {
    var world = BanditRandom(seed: seed &+ 1_000)
    let rates = ["A": 0.05, "B": 0.08]
    var lastHalfB = 0
    var chosen: [String: Int] = [:]
    for request in 0 ..< requests {
        let arm = try router.choose()
        chosen[arm.name, default: 0] += 1
        if request >= requests / 2 && arm.name == "B" { lastHalfB += 1 }
        let converted = world.unit() < (rates[arm.name] ?? 0)
        try router.record(arm: arm, outcome: converted ? .booking : .impression)
    }
    return (Double(lastHalfB) / Double(requests - requests / 2), chosen)
}

@Suite struct BanditTests {
    static let arms = [BanditArm("A"), BanditArm("B")]

    @Test(arguments: [1, 2, 3] as [UInt64])
    func thompsonSamplingMovesTrafficToTheBetterArm(seed: UInt64) throws {
        let router = try BanditRouter(arms: Self.arms, seed: seed)
        let run = try simulate(router, requests: 20_000, seed: seed)
        #expect(run.lastHalfB > 0.7, "B got \(run.lastHalfB) of the last half (choices \(run.chosen))")
        #expect(run.chosen["A", default: 0] > 0, "A was explored")
        let stats = router.statistics()
        #expect(stats.map(\.trials).reduce(0, +) == 20_000 && stats.map(\.chosen).reduce(0, +) == 20_000)
        #expect(stats[1].posteriorMean > stats[0].posteriorMean)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func epsilonGreedyMovesTrafficToTheBetterArm(seed: UInt64) throws {
        for schedule in [try EpsilonSchedule(initial: 0.1), try EpsilonSchedule(initial: 0.5, halfLife: 500, minimum: 0.02)] {
            let router = try BanditRouter(arms: Self.arms, configuration: BanditConfiguration(policy: .epsilonGreedy(schedule: schedule)), seed: seed)
            let run = try simulate(router, requests: 20_000, seed: seed)
            #expect(run.lastHalfB > 0.7, "\(schedule): B got \(run.lastHalfB) of the last half (choices \(run.chosen))")
            #expect(run.chosen["A", default: 0] > 0)
        }
    }

    @Test func epsilonScheduleHalvesAfterItsHalfLife() throws {
        let s = try EpsilonSchedule(initial: 0.4, halfLife: 100, minimum: 0.05)
        #expect(s.epsilon(atStep: 0) == 0.4 && s.epsilon(atStep: 100) == 0.2 && s.epsilon(atStep: 300) == 0.1)
        #expect(s.epsilon(atStep: 10_000) == 0.05)
        #expect(try EpsilonSchedule(initial: 0.3).epsilon(atStep: 1_000_000) == 0.3)
        // Epsilon 0 never explores: the first arm tried that keeps the best mean wins every time.
        let greedy = try BanditRouter(arms: Self.arms, configuration: BanditConfiguration(policy: .epsilonGreedy(schedule: EpsilonSchedule(initial: 0))), seed: 5)
        try greedy.record(arm: BanditArm("A"), reward: 1)
        try greedy.record(arm: BanditArm("B"), reward: 0)
        #expect(try (0 ..< 50).map { _ in try greedy.choose().name } == Array(repeating: "A", count: 50))
    }

    @Test func untriedArmsAreTriedFirstByEpsilonGreedy() throws {
        let arms = (0 ..< 5).map { BanditArm("arm\($0)") }
        let router = try BanditRouter(arms: arms, configuration: BanditConfiguration(policy: .epsilonGreedy(schedule: EpsilonSchedule(initial: 0))), seed: 9)
        var seen = Set<String>()
        for _ in 0 ..< 5 {
            let arm = try router.choose()
            seen.insert(arm.name)
            try router.record(arm: arm, reward: 0.5)
        }
        #expect(seen.count == 5)
    }

    @Test func betaDrawsHaveTheRightMeans() {
        var random = BanditRandom(seed: 42)
        for (a, b) in [(2.0, 5.0), (0.5, 0.5), (30.0, 970.0), (1.0, 1.0)] {
            let n = 20_000
            var sum = 0.0
            var inRange = true
            for _ in 0 ..< n {
                let x = random.beta(a, b)
                sum += x
                inRange = inRange && x >= 0 && x <= 1
            }
            let mean = sum / Double(n), expected = a / (a + b)
            // The standard error of the mean is below 0.0036 for all four; allow 5 of them.
            #expect(abs(mean - expected) < 0.018, "Beta(\(a), \(b)) mean \(mean), expected \(expected)")
            #expect(inRange)
        }
    }

    @Test func sameSeedSameChoices() throws {
        let a = try BanditRouter(arms: Self.arms, seed: 77), b = try BanditRouter(arms: Self.arms, seed: 77)
        for _ in 0 ..< 200 {
            let x = try a.choose(), y = try b.choose()
            #expect(x == y)
            try a.record(arm: x, reward: 0.25)
            try b.record(arm: y, reward: 0.25)
        }
    }

    @Test func armsFollowPromotionsAndKeepWhatWasLearned() throws {
        let router = try BanditRouter(arms: [BanditArm(model: "ranker", version: 1), BanditArm(model: "ranker", version: 2)], seed: 3)
        for _ in 0 ..< 10 { try router.record(arm: BanditArm("ranker@2"), reward: 1) }
        let change = try router.setArms([BanditArm("ranker@2"), BanditArm("ranker@3")])
        #expect(change.added == [BanditArm("ranker@3")] && change.removed == [BanditArm("ranker@1")])
        #expect(router.arms.map(\.name) == ["ranker@2", "ranker@3"])
        #expect(router.statistics()[0].trials == 10 && router.statistics()[1].trials == 0)
        #expect(try router.add(BanditArm("ranker@3")) == false)
        #expect(router.remove(BanditArm("ranker@3")) && !router.remove(BanditArm("ranker@3")))
        let late = banditError { try router.record(arm: BanditArm("ranker@1"), reward: 1) }
        #expect(late?.code == .unknownArm && late?.arm == BanditArm("ranker@1") && late?.message.contains("ranker@2") == true)
        #expect(BanditArm("ranker@12").model == "ranker" && BanditArm("ranker@12").version == 12)
        #expect(BanditArm("a@b@2").model == "a@b" && BanditArm("plain").version == nil && BanditArm("x@01").version == nil)
    }

    @Test func badInputGivesTypedErrors() throws {
        let empty = try BanditRouter(seed: 1)
        #expect(banditError { _ = try empty.choose() }?.code == .noArms)
        #expect(banditError { try empty.add(BanditArm("")) }?.code == .invalidInput)
        let router = try BanditRouter(arms: Self.arms, seed: 1)
        for reward in [-0.1, 1.5, .nan, .infinity] {
            let e = banditError { try router.record(arm: BanditArm("A"), reward: reward) }
            #expect(e?.code == .invalidInput && e?.message.contains("'A'") == true, "reward \(reward)")
        }
        #expect(router.statistics().allSatisfy { $0.trials == 0 }, "refused feedback changes nothing")
        #expect(banditError { _ = try RewardScheme(click: 2) }?.message.contains("click") == true)
        #expect(banditError { _ = try EpsilonSchedule(initial: 1.2) }?.code == .invalidInput)
        #expect(banditError { _ = try EpsilonSchedule(initial: 0.1, halfLife: 0) }?.code == .invalidInput)
        #expect(banditError { _ = try BanditConfiguration(priorAlpha: 0) }?.code == .invalidInput)
        #expect(banditError { _ = try FeedbackKind(parsing: "purchase") }?.message.contains("booking") == true)
        #expect(try FeedbackKind(parsing: "Click") == .click)
    }

    @Test func rewardSchemesAreConfigurable() throws {
        let rewards = try RewardScheme(impression: 0, click: 0.2, booking: 1)
        let router = try BanditRouter(arms: Self.arms, configuration: BanditConfiguration(rewards: rewards), seed: 1)
        try router.record(arm: BanditArm("A"), outcome: .click)
        try router.record(arm: BanditArm("A"), outcome: .booking)
        try router.record(arm: BanditArm("A"), outcome: .impression)
        let a = router.statistics()[0]
        #expect(a.trials == 3 && abs(a.rewardSum - 1.2) < 1e-12)
        #expect(abs(a.alpha - 2.2) < 1e-12 && abs(a.beta - 2.8) < 1e-12)
    }

    /// Impressions first, conversions later: the posterior ends where one complete trial per
    /// request would have put it.
    @Test func delayedConversionsRaiseOpenImpressions() throws {
        let rewards = try RewardScheme(impression: 0, click: 0.5, booking: 1)
        let configuration = try BanditConfiguration(rewards: rewards)
        let late = try BanditRouter(arms: Self.arms, configuration: configuration, seed: 1)
        let direct = try BanditRouter(arms: Self.arms, configuration: configuration, seed: 1)
        let outcomes: [FeedbackKind] = [.impression, .click, .booking, .impression, .booking, .click, .impression]
        for _ in outcomes { try late.recordImpression(arm: BanditArm("B")) }
        for kind in outcomes where kind != .impression { try late.recordConversion(arm: BanditArm("B"), kind: kind) }
        for kind in outcomes { try direct.record(arm: BanditArm("B"), outcome: kind) }
        let l = late.statistics()[1], d = direct.statistics()[1]
        #expect(l.trials == d.trials && abs(l.alpha - d.alpha) < 1e-12 && abs(l.beta - d.beta) < 1e-12)
        #expect(abs(l.rewardSum - d.rewardSum) < 1e-12 && l.openImpressions == 3)
        // A conversion whose impression was never recorded counts as a trial of its own.
        try late.recordConversion(arm: BanditArm("A"), kind: .booking)
        #expect(late.statistics()[0].trials == 1 && late.statistics()[0].alpha == 2)
    }
}

/// The bandit error thrown by `body`, if any.
func banditError(_ body: () throws -> Void) -> BanditError? {
    do {
        try body()
        return nil
    } catch {
        return error as? BanditError
    }
}
