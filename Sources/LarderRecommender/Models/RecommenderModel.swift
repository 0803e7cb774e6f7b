import Foundation

/// The kinds of model, by the names the CLI and the registry use.
public enum ModelKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Recent bookings, exponentially time-decayed: the baseline and every model's fallback.
    case popularity
    /// Item-item collaborative filtering over co-bookings (cosine, top-N neighbours).
    case itemKNN = "itemknn"
    /// Implicit-feedback matrix factorization (alternating least squares, conjugate gradient).
    case als
    /// Category, price-band and region affinity from the user's history and features.
    case content
    /// Logistic regression over the other models' scores and a few features.
    case ensemble
    /// One inner model per value of a user feature (a "model of models").
    case segmented

    /// The kind named `text` (case-insensitive; `itemknn`, `item-knn` and `itemKNN` all work).
    /// - Throws: `.unknownModel` listing the kinds.
    public init(parsing text: String) throws {
        let key = text.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        guard let kind = Self.allCases.first(where: { $0.rawValue == key }) else {
            throw RecommenderError(.unknownModel, "unknown model kind '\(text)' (kinds: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = kind
    }

    public var description: String { rawValue }
}

/// One recommended item and its score (higher is better; scales differ between models).
public struct ScoredItem: Sendable, Hashable, Codable {
    public var item: Int64
    public var score: Double

    public init(item: Int64, score: Double) {
        self.item = item
        self.score = score
    }
}

/// A user's top-k list.
public struct Recommendations: Sendable, Hashable, Codable {
    /// Best first; ties broken by the smaller item id.
    public var items: [ScoredItem]
    /// True when the model did not know the user and the list is the popularity fallback.
    public var usedFallback: Bool
    /// For a segmented model: the segment whose model answered (nil: the global model).
    public var segment: String?

    public init(items: [ScoredItem], usedFallback: Bool, segment: String? = nil) {
        self.items = items
        self.usedFallback = usedFallback
        self.segment = segment
    }
}

/// Scores of given candidate items for a user, in the candidates' order.
public struct CandidateScores: Sendable, Hashable, Codable {
    /// One score per candidate; `-infinity` for an item the model's catalogue lacks.
    public var scores: [Double]
    /// True when the model did not know the user and the scores are the popularity fallback's.
    public var usedFallback: Bool
    /// For a segmented model: the segment whose model answered (nil: the global model).
    public var segment: String?

    public init(scores: [Double], usedFallback: Bool, segment: String? = nil) {
        self.scores = scores
        self.usedFallback = usedFallback
        self.segment = segment
    }
}

/// A fitted recommender: every kind of model answers through this one interface ("everything
/// is a model"), so serving, batch scoring, evaluation and the registry treat them alike.
///
/// Fit one with ``ModelSpec/fit(_:stage:)``; store it with ``encode()`` and get it back with
/// ``ModelArtifact/decode(_:)``. Models are immutable values, safe to share between threads.
///
/// ```swift
/// let model = try ModelSpec.als(ALSParameters(factors: 32)).fit(data)
/// let top = model.recommend(user: 42, k: 10, excluding: alreadyBooked)
/// if top.usedFallback { print("cold start: popular items") }
/// ```
public protocol RecommenderModel: Sendable {
    /// What kind of model this is.
    var kind: ModelKind { get }
    /// The parameters it was fitted with.
    var spec: ModelSpec { get }
    /// The catalogue: the items it can recommend, ascending.
    var itemIDs: [Int64] { get }
    /// Whether the model has learned something about `user` (else it answers with popularity).
    func knows(user: Int64) -> Bool
    /// Scores `candidates` for `user`, in their order.
    func score(user: Int64, candidates: [Int64]) -> CandidateScores
    /// The `k` best catalogue items for `user`, leaving out `excluding` (typically what the
    /// user already booked). `k` ≤ 0 gives an empty list.
    func recommend(user: Int64, k: Int, excluding: Set<Int64>) -> Recommendations
    /// The model as artifact bytes (the format is in docs/recommender-artifacts.md).
    func encode() -> Data
}

extension RecommenderModel {
    /// The `k` best catalogue items for `user`.
    public func recommend(user: Int64, k: Int) -> Recommendations {
        recommend(user: user, k: k, excluding: [])
    }
}
