import LarderColumnar

/// Evaluates models on an ``EvaluationSet``: each user's top-k list, with the items booked
/// before the cut-off excluded, scored against the relevant items.
public enum Evaluator {
    /// The top-k lists of `model` for every user of `set`, in the set's order.
    /// - Parameter threads: workers; nil: one per core.
    public static func recommendations(_ model: any RecommenderModel, for set: EvaluationSet, k: Int = 10,
                                       threads: Int? = nil) -> [[Int64]] {
        let chunk = 256
        let starts = Array(stride(from: 0, to: set.users.count, by: chunk))
        let lists = (try? concurrentMap(starts, threads: threads) { start in
            (start ..< min(set.users.count, start + chunk)).map { u in
                model.recommend(user: set.users[u], k: k, excluding: Set(set.excluded[u])).items.map(\.item)
            }
        }) ?? []
        return lists.flatMap { $0 }
    }

    /// The metrics of `lists` (one per user of `set`, in its order) at `k`.
    /// - Throws: `.invalidInput` when there is not one list per user.
    public static func metrics(of lists: [[Int64]], on set: EvaluationSet, k: Int = 10) throws -> RankingMetrics {
        guard lists.count == set.users.count else {
            throw RecommenderError(.invalidInput, "\(lists.count) recommendation lists for \(set.users.count) users")
        }
        var precision = 0.0, recall = 0.0, ndcg = 0.0, map = 0.0
        var shown = Set<Int64>()
        for (u, list) in lists.enumerated() {
            let relevant = Set(set.relevant[u])
            precision += RankingMetrics.precision(recommended: list, relevant: relevant, k: k)
            recall += RankingMetrics.recall(recommended: list, relevant: relevant, k: k)
            ndcg += RankingMetrics.ndcg(recommended: list, relevant: relevant, k: k)
            map += RankingMetrics.averagePrecision(recommended: list, relevant: relevant, k: k)
            shown.formUnion(list.prefix(k))
        }
        let n = Double(max(1, lists.count))
        let catalogue = Set(set.catalogue)
        let covered = shown.intersection(catalogue).count
        return RankingMetrics(k: k, precision: precision / n, recall: recall / n, ndcg: ndcg / n, map: map / n,
                              coverage: catalogue.isEmpty ? 0 : Double(covered) / Double(catalogue.count),
                              users: lists.count, coldUsers: set.coldUserCount)
    }

    /// Recommends for every user of `set` and returns the metrics at `k`.
    public static func evaluate(_ model: any RecommenderModel, on set: EvaluationSet, k: Int = 10,
                                threads: Int? = nil) -> RankingMetrics {
        let lists = recommendations(model, for: set, k: k, threads: threads)
        // One list per user by construction.
        return (try? metrics(of: lists, on: set, k: k))
            ?? RankingMetrics(k: k, precision: 0, recall: 0, ndcg: 0, map: 0, coverage: 0, users: 0, coldUsers: 0)
    }
}
