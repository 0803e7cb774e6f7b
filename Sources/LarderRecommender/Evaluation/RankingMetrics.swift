import Foundation

/// Ranking quality of a model's top-k lists over an ``EvaluationSet``.
///
/// For a user u with relevant set R (|R| ≥ 1) and recommended list L = (l₁, …, lₙ), n ≤ k
/// (items booked before the cut-off are never in L), with rel(j) = 1 when lⱼ ∈ R, else 0:
///
/// - **precision@k** = |L ∩ R| / k (a list shorter than k is not forgiven);
/// - **recall@k** = |L ∩ R| / |R|;
/// - **NDCG@k** = DCG / IDCG with DCG = Σⱼ rel(j) / log₂(j + 1) and
///   IDCG = Σ_{j=1}^{min(k, |R|)} 1 / log₂(j + 1) (binary gains; 1 when the first min(k, |R|)
///   items are all relevant);
/// - **MAP@k**: the mean over users of AP@k = Σⱼ rel(j) · precision@j / min(k, |R|), where
///   precision@j = |{l₁…lⱼ} ∩ R| / j;
///
/// each averaged over the evaluated users (every user weighs the same). **Coverage** is the
/// share of the catalogue that appears in at least one user's list.
public struct RankingMetrics: Sendable, Hashable, Codable {
    /// The list length the metrics are at.
    public var k: Int
    public var precision: Double
    public var recall: Double
    public var ndcg: Double
    public var map: Double
    /// Distinct recommended items / catalogue size.
    public var coverage: Double
    /// Users evaluated, and how many of them had no history (answered by the fallback).
    public var users: Int
    public var coldUsers: Int

    public init(k: Int, precision: Double, recall: Double, ndcg: Double, map: Double, coverage: Double, users: Int, coldUsers: Int) {
        self.k = k
        self.precision = precision
        self.recall = recall
        self.ndcg = ndcg
        self.map = map
        self.coverage = coverage
        self.users = users
        self.coldUsers = coldUsers
    }

    /// precision@k of one list: hits among the first k / k. 0 when k ≤ 0.
    public static func precision(recommended: [Int64], relevant: Set<Int64>, k: Int) -> Double {
        guard k > 0 else { return 0 }
        return Double(hits(recommended, relevant, k)) / Double(k)
    }

    /// recall@k of one list: hits among the first k / |relevant|. 0 when nothing is relevant.
    public static func recall(recommended: [Int64], relevant: Set<Int64>, k: Int) -> Double {
        guard k > 0, !relevant.isEmpty else { return 0 }
        return Double(hits(recommended, relevant, k)) / Double(relevant.count)
    }

    /// NDCG@k of one list with binary gains. 0 when nothing is relevant.
    public static func ndcg(recommended: [Int64], relevant: Set<Int64>, k: Int) -> Double {
        guard k > 0, !relevant.isEmpty else { return 0 }
        var dcg = 0.0
        for (j, item) in recommended.prefix(k).enumerated() where relevant.contains(item) { dcg += 1 / log2(Double(j + 2)) }
        var ideal = 0.0
        for j in 0 ..< min(k, relevant.count) { ideal += 1 / log2(Double(j + 2)) }
        return dcg / ideal
    }

    /// AP@k of one list: Σ over hits at position j of (hits in the first j) / j, divided by
    /// min(k, |relevant|). 0 when nothing is relevant.
    public static func averagePrecision(recommended: [Int64], relevant: Set<Int64>, k: Int) -> Double {
        guard k > 0, !relevant.isEmpty else { return 0 }
        var found = 0
        var sum = 0.0
        for (j, item) in recommended.prefix(k).enumerated() where relevant.contains(item) {
            found += 1
            sum += Double(found) / Double(j + 1)
        }
        return sum / Double(min(k, relevant.count))
    }

    private static func hits(_ recommended: [Int64], _ relevant: Set<Int64>, _ k: Int) -> Int {
        recommended.prefix(k).reduce(0) { $0 + (relevant.contains($1) ? 1 : 0) }
    }
}
