import Foundation
import LarderColumnar

/// A blend of other models, learned on the validation window: logistic regression over each
/// member's score (standardized per user: its z-score among the catalogue's scores) and the
/// region and favourite-category match features.
///
/// Fitting (``ModelSpec/fit(_:stage:)`` at the test stage): the members are fitted on the rows
/// before T1; for (at most ``EnsembleParameters/maxUsers``) users who booked something new in
/// [T1, T2), the candidates are the union of each member's top ``EnsembleParameters/candidatesPerMember``
/// (what they booked before T1 left out), labelled 1 when booked in [T1, T2); users with no
/// booked candidate are skipped. Features are standardized over those rows and the regression
/// fitted; then the members are fitted again on every row before T2 and keep the learned weights.
///
/// Recommending ranks the same kind of candidate pool (the union of the members' top N) by
/// the blend; ``score(user:candidates:)`` blends any candidates. The model knows a user when
/// some member other than popularity does (members that do not know the user contribute their
/// fallback scores); other users get the fallback.
///
/// Artifact payload: catalogue ids, fallback scores, member count, each member's complete
/// artifact (nested), feature means, scales and coefficients ([Double]; intercept first), then
/// the match features: user ids, user region and favourite codes, item region and category
/// codes ([Int32] each; empty when unused).
public struct EnsembleModel: CatalogueModel {
    public let parameters: EnsembleParameters
    let catalogue: IDIndex
    let fallback: [Double]
    let members: [any CatalogueModel]
    let match: MatchFeatures
    let means: [Double]
    let scales: [Double]
    let regression: LogisticRegression

    public var kind: ModelKind { .ensemble }
    public var spec: ModelSpec { .ensemble(parameters) }
    public var itemIDs: [Int64] { catalogue.ids }

    /// The blend's feature names, in order: one per member (`0:popularity`, …), then the match features.
    public var featureNames: [String] {
        members.enumerated().map { "\($0.offset):\($0.element.kind)" } + match.names
    }

    /// The learned weight of each feature (on standardized features), and `intercept`.
    public var weights: [String: Double] {
        var out = ["intercept": regression.coefficients[0]]
        for (k, name) in featureNames.enumerated() { out[name] = regression.coefficients[k + 1] }
        return out
    }

    init(parameters: EnsembleParameters, members: [any CatalogueModel], match: MatchFeatures, means: [Double], scales: [Double],
         regression: LogisticRegression) {
        self.parameters = parameters
        catalogue = members[0].catalogue
        fallback = members[0].fallback
        self.members = members
        self.match = match
        self.means = means
        self.scales = scales
        self.regression = regression
    }

    /// Per member, the user's catalogue scores as z-scores (fallback scores for members that do
    /// not know the user); nil when no member knows the user.
    func memberScores(user: Int64) -> [[Double]]? {
        let scored = members.map { $0.scoresOrFallback(user: user) }
        guard Self.personalizes(members, scored) else { return nil }
        return scored.map { Self.standardized($0.scores) }
    }

    /// Whether some member that tells users apart (not popularity, which "knows" everyone)
    /// knows the user; true when every member is a popularity model.
    static func personalizes(_ members: [any CatalogueModel], _ scored: [(scores: [Double], fallback: Bool)]) -> Bool {
        let personal = members.indices.filter { members[$0].kind != .popularity }
        return personal.isEmpty || personal.contains { !scored[$0].fallback }
    }

    /// `scores` minus their mean over finite values, divided by their standard deviation (0 when constant).
    static func standardized(_ scores: [Double]) -> [Double] {
        var n = 0.0, sum = 0.0, squares = 0.0
        for s in scores where s.isFinite { n += 1; sum += s; squares += s * s }
        guard n > 0 else { return scores.map { _ in 0 } }
        let mean = sum / n
        let sd = max(squares / n - mean * mean, 0).squareRoot()
        return scores.map { $0.isFinite && sd > 0 ? ($0 - mean) / sd : 0 }
    }

    /// The raw feature row of catalogue item `i`.
    static func features(_ member: [[Double]], match: MatchFeatures, user: Int?, item i: Int, into row: inout [Double]) {
        row.removeAll(keepingCapacity: true)
        for m in member { row.append(m[i]) }
        match.append(user: user, item: i, to: &row)
    }

    /// The blend's logit for each of `items` (catalogue indexes).
    func blend(_ member: [[Double]], user: Int64, items: some Sequence<Int>) -> [(Int, Double)] {
        let u = match.users.index(of: user)
        var row: [Double] = []
        var out: [(Int, Double)] = []
        for i in items {
            Self.features(member, match: match, user: u, item: i, into: &row)
            for j in row.indices { row[j] = (row[j] - means[j]) / scales[j] }
            out.append((i, row.withUnsafeBufferPointer { regression.logit($0) }))
        }
        return out
    }

    public func knows(user: Int64) -> Bool {
        let personal = members.filter { $0.kind != .popularity }
        return personal.isEmpty || personal.contains { $0.knows(user: user) }
    }

    func catalogueScores(user: Int64) -> [Double]? {
        guard let member = memberScores(user: user) else { return nil }
        return blend(member, user: user, items: 0 ..< catalogue.count).map(\.1)
    }

    /// The candidate pool: the union of each member's top N among the items not excluded.
    static func pool(raw: [[Double]], excluded: Set<Int>, perMember: Int) -> [Int] {
        var pool = Set<Int>()
        for scores in raw {
            var s = scores
            for i in excluded { s[i] = -.infinity }
            pool.formUnion(TopK.select(s, k: perMember))
        }
        return pool.sorted()
    }

    public func score(user: Int64, candidates: [Int64]) -> CandidateScores {
        scoreCandidates(user: user, candidates: candidates)
    }

    public func recommend(user: Int64, k: Int, excluding: Set<Int64>) -> Recommendations {
        let scored = members.map { $0.scoresOrFallback(user: user) }
        guard k > 0, Self.personalizes(members, scored) else { return recommendTop(user: user, k: k, excluding: excluding) }
        let excluded = Set(excluding.compactMap { catalogue.index(of: $0) })
        let raw = scored.map(\.scores)
        let pool = Self.pool(raw: raw, excluded: excluded, perMember: max(k, parameters.candidatesPerMember))
        let blended = blend(raw.map(Self.standardized), user: user, items: pool)
        var scores = [Double](repeating: -.infinity, count: catalogue.count)
        for (i, z) in blended { scores[i] = z }
        return Recommendations(items: TopK.select(scores, k: k).map { ScoredItem(item: catalogue.ids[$0], score: scores[$0]) }, usedFallback: false)
    }

    public func encode() -> Data {
        var w = ArtifactWriter(kind: kind, spec: spec)
        w.write(catalogue.ids)
        w.write(fallback)
        w.write(UInt64(members.count))
        for m in members { w.write(artifact: m.encode()) }
        w.write(means)
        w.write(scales)
        w.write(regression.coefficients)
        w.write(match.users.ids)
        w.write(match.userRegion)
        w.write(match.userFavourite)
        w.write(match.itemRegion)
        w.write(match.itemCategory)
        return w.finish()
    }

    static func decode(_ r: inout ArtifactReader) throws -> EnsembleModel {
        guard case .ensemble(let parameters) = r.spec else { throw RecommenderError(.corruptArtifact, "an ensemble artifact with \(r.spec.kind) parameters") }
        let catalogue = try r.index()
        let fallback = try r.doubles()
        let count = try r.uint64()
        try r.check(count >= 1 && count <= 64, "\(count) members")
        var members: [any CatalogueModel] = []
        for _ in 0 ..< count {
            let member = try ModelArtifact.decode(try r.artifact())
            guard let single = member as? any CatalogueModel, member.kind != .ensemble else {
                throw RecommenderError(.corruptArtifact, "an ensemble member of kind \(member.kind)")
            }
            try r.check(single.catalogue == catalogue, "a member's catalogue differs from the ensemble's")
            members.append(single)
        }
        let means = try r.doubles(), scales = try r.doubles(), coefficients = try r.doubles()
        let users = try r.index()
        let match = MatchFeatures(users: users, userRegion: try r.int32s(), userFavourite: try r.int32s(),
                                  itemRegion: try r.int32s(), itemCategory: try r.int32s())
        let width = members.count + match.names.count
        try r.check(means.count == width && scales.count == width && coefficients.count == width + 1, "blend arrays for \(width) features")
        try r.check(fallback.count == catalogue.count, "\(fallback.count) fallback scores for \(catalogue.count) items")
        try r.check((match.userRegion.isEmpty || match.userRegion.count == users.count) && (match.userFavourite.isEmpty || match.userFavourite.count == users.count)
                    && (match.itemRegion.isEmpty || match.itemRegion.count == catalogue.count) && (match.itemCategory.isEmpty || match.itemCategory.count == catalogue.count)
                    && match.userRegion.isEmpty == match.itemRegion.isEmpty && match.userFavourite.isEmpty == match.itemCategory.isEmpty,
                    "match feature arrays do not fit \(users.count) users and \(catalogue.count) items")
        return EnsembleModel(parameters: parameters, members: members, match: match, means: means, scales: scales,
                             regression: LogisticRegression(coefficients: coefficients))
    }
}
