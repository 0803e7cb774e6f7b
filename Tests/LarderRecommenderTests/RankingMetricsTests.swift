import Foundation
import Testing
@testable import LarderRecommender

@Suite struct RankingMetricsTests {
    static let allMetrics: [@Sendable ([Int64], Set<Int64>, Int) -> Double] = [
        RankingMetrics.precision(recommended:relevant:k:), RankingMetrics.recall(recommended:relevant:k:),
        RankingMetrics.ndcg(recommended:relevant:k:), RankingMetrics.averagePrecision(recommended:relevant:k:),
    ]

    /// log₂(j + 1) discount of position j (1-based).
    func discount(_ j: Int) -> Double { 1 / log2(Double(j + 1)) }

    @Test func handComputedListAtThree() {
        // Hits at positions 1 and 3 of a 3-long list; 4 relevant items.
        let list: [Int64] = [1, 2, 3]
        let relevant: Set<Int64> = [1, 3, 8, 9]
        #expect(RankingMetrics.precision(recommended: list, relevant: relevant, k: 3) == 2.0 / 3)
        #expect(RankingMetrics.recall(recommended: list, relevant: relevant, k: 3) == 0.5)
        let dcg = discount(1) + discount(3)
        let ideal = discount(1) + discount(2) + discount(3)
        #expect(abs(RankingMetrics.ndcg(recommended: list, relevant: relevant, k: 3) - dcg / ideal) < 1e-12)
        // AP@3 = (1/1 + 2/3) / min(3, 4)
        #expect(abs(RankingMetrics.averagePrecision(recommended: list, relevant: relevant, k: 3) - (1 + 2.0 / 3) / 3) < 1e-12)
    }

    @Test func perfectListScoresOneAndMissesScoreZero() {
        let relevant: Set<Int64> = [5, 6]
        #expect(RankingMetrics.ndcg(recommended: [6, 5, 1], relevant: relevant, k: 10) == 1)
        #expect(RankingMetrics.averagePrecision(recommended: [5, 6], relevant: relevant, k: 10) == 1)
        #expect(RankingMetrics.recall(recommended: [5, 6], relevant: relevant, k: 10) == 1)
        // A list shorter than k is not forgiven by precision.
        #expect(RankingMetrics.precision(recommended: [5, 6], relevant: relevant, k: 10) == 0.2)
        for metric in Self.allMetrics {
            #expect(metric([1, 2, 3], relevant, 10) == 0)
        }
    }

    @Test func onlyTheFirstKItemsCount() {
        let relevant: Set<Int64> = [4]
        #expect(RankingMetrics.ndcg(recommended: [1, 2, 3, 4], relevant: relevant, k: 3) == 0)
        #expect(RankingMetrics.ndcg(recommended: [1, 2, 3, 4], relevant: relevant, k: 4) == discount(4))
    }

    @Test func emptyRelevantOrNonPositiveKGiveZero() {
        for metric in Self.allMetrics {
            #expect(metric([1, 2], [], 10) == 0)
            #expect(metric([1, 2], [1], 0) == 0)
            #expect(metric([1, 2], [1], -3) == 0)
            #expect(metric([], [1], 10) == 0)
        }
    }

    @Test func evaluatorAveragesOverUsersAndMeasuresCoverage() throws {
        let set = try EvaluationSet(users: [1, 2], relevant: [[10], [20, 21]], excluded: [[], []],
                                    catalogue: [10, 11, 20, 21], knownUsers: [1])
        let metrics = try Evaluator.metrics(of: [[10, 11], [11, 20]], on: set, k: 2)
        #expect(metrics.precision == (0.5 + 0.5) / 2)
        #expect(metrics.recall == (1 + 0.5) / 2)
        #expect(abs(metrics.ndcg - (1 + discount(2) / (discount(1) + discount(2))) / 2) < 1e-12)
        #expect(metrics.coverage == 0.75)
        #expect(metrics.users == 2 && metrics.coldUsers == 1)
        #expect(throws: RecommenderError.self) { try Evaluator.metrics(of: [[10]], on: set, k: 2) }
        #expect(throws: RecommenderError.self) {
            try EvaluationSet(users: [1], relevant: [], excluded: [[]], catalogue: [], knownUsers: [])
        }
    }

    @Test func topKBreaksTiesBySmallerIndexAndSkipsNonFinite() {
        let scores: [Double] = [1, 3, .nan, 3, -.infinity, 2, .infinity]
        #expect(TopK.select(scores, k: 3) == [1, 3, 5])
        #expect(TopK.select(scores, k: 10) == [1, 3, 5, 0])
        #expect(TopK.select(scores, k: 0).isEmpty)
        #expect(TopK.select([], k: 5).isEmpty)
    }
}
