/// A model that scores every catalogue item at once for a known user: scoring candidates and
/// taking the top k are the same for all of them, and the ensemble reads members this way.
protocol CatalogueModel: RecommenderModel {
    /// The catalogue, in index order (ascending ids).
    var catalogue: IDIndex { get }
    /// Popularity scores per catalogue item, for users the model does not know.
    var fallback: [Double] { get }
    /// The score of every catalogue item for `user`; nil when the model does not know `user`.
    func catalogueScores(user: Int64) -> [Double]?
}

extension CatalogueModel {
    /// The catalogue scores for `user`, or the fallback's with the flag set.
    func scoresOrFallback(user: Int64) -> (scores: [Double], fallback: Bool) {
        if let scores = catalogueScores(user: user) { return (scores, false) }
        return (fallback, true)
    }

    func scoreCandidates(user: Int64, candidates: [Int64]) -> CandidateScores {
        let (scores, usedFallback) = scoresOrFallback(user: user)
        return CandidateScores(scores: candidates.map { id in catalogue.index(of: id).map { scores[$0] } ?? -.infinity },
                               usedFallback: usedFallback)
    }

    func recommendTop(user: Int64, k: Int, excluding: Set<Int64>) -> Recommendations {
        var (scores, usedFallback) = scoresOrFallback(user: user)
        for id in excluding { if let i = catalogue.index(of: id) { scores[i] = -.infinity } }
        let top = TopK.select(scores, k: k)
        return Recommendations(items: top.map { ScoredItem(item: catalogue.ids[$0], score: scores[$0]) }, usedFallback: usedFallback)
    }
}

/// Top-k selection over dense scores.
enum TopK {
    /// The indexes of the `k` greatest finite scores, best first, ties by the smaller index
    /// (`-infinity` and NaN are never selected).
    static func select(_ scores: [Double], k: Int) -> [Int] {
        guard k > 0 else { return [] }
        // A sorted buffer of at most k (score, index) pairs, worst last.
        var best: [(Double, Int)] = []
        best.reserveCapacity(k + 1)
        for (i, s) in scores.enumerated() where s.isFinite {
            if best.count == k, let worst = best.last, !(s > worst.0) { continue }
            var lo = 0, hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if best[mid].0 >= s { lo = mid + 1 } else { hi = mid }
            }
            best.insert((s, i), at: lo)
            if best.count > k { best.removeLast() }
        }
        return best.map(\.1)
    }
}
