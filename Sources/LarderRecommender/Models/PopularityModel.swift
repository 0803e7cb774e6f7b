import Foundation

/// Recent popularity: every booking before the cut-off counts for 2^(-age / half-life), so
/// last week's bookings outweigh last quarter's. The same for every user (it "knows" everyone
/// and never reports a fallback); the baseline the learned models must beat, and their
/// answer for users they do not know.
///
/// Artifact payload: the catalogue ids ([Int64]), then the scores ([Double]).
public struct PopularityModel: CatalogueModel {
    public let parameters: PopularityParameters
    let catalogue: IDIndex
    let fallback: [Double]

    public var kind: ModelKind { .popularity }
    public var spec: ModelSpec { .popularity(parameters) }
    public var itemIDs: [Int64] { catalogue.ids }

    init(_ window: TrainingWindow, parameters: PopularityParameters) {
        self.parameters = parameters
        catalogue = window.items
        fallback = window.decayedPopularity(halfLife: Self.micros(days: parameters.halfLifeDays))
    }

    init(parameters: PopularityParameters, catalogue: IDIndex, scores: [Double]) {
        self.parameters = parameters
        self.catalogue = catalogue
        fallback = scores
    }

    /// `days` in µs; nil for 0 (no decay).
    static func micros(days: Double) -> Int64? {
        days > 0 ? Int64(days * 86_400_000_000) : nil
    }

    public func knows(user: Int64) -> Bool { true }

    func catalogueScores(user: Int64) -> [Double]? { fallback }

    public func score(user: Int64, candidates: [Int64]) -> CandidateScores {
        scoreCandidates(user: user, candidates: candidates)
    }

    public func recommend(user: Int64, k: Int, excluding: Set<Int64>) -> Recommendations {
        recommendTop(user: user, k: k, excluding: excluding)
    }

    public func encode() -> Data {
        var w = ArtifactWriter(kind: kind, spec: spec)
        w.write(catalogue.ids)
        w.write(fallback)
        return w.finish()
    }

    static func decode(_ r: inout ArtifactReader) throws -> PopularityModel {
        guard case .popularity(let parameters) = r.spec else { throw RecommenderError(.corruptArtifact, "a popularity artifact with \(r.spec.kind) parameters") }
        let catalogue = try r.index()
        let scores = try r.doubles()
        try r.check(scores.count == catalogue.count, "\(scores.count) scores for \(catalogue.count) items")
        return PopularityModel(parameters: parameters, catalogue: catalogue, scores: scores)
    }
}
