import LarderRecommender

/// How the feature server serves recommendations (`GET /recommend`) and takes feedback
/// (`POST /feedback`): which registry model, how the bandit routes between its versions, where
/// feedback events are kept.
///
/// ```swift
/// var configuration = ServerConfiguration(port: 6566)
/// configuration.recommend.model = "ranker"                     // larder serve --recommender ranker
/// configuration.recommend.policy = .epsilonGreedy(schedule: try EpsilonSchedule(initial: 0.1))
/// ```
public struct RecommendConfiguration: Sendable {
    /// The registry model `/recommend` serves when a request names none (`?model=` overrides
    /// it); nil: every request must name one.
    public var model: String?
    /// How the bandit picks between the production version and the challengers in staging:
    /// Thompson sampling (default) or epsilon-greedy.
    public var policy: BanditPolicy = .thompsonSampling
    /// The reward of each kind of feedback (default: impression 0, click 1, booking 1).
    public var rewards: RewardScheme = .standard
    /// Seeds the bandits' random choices (tests); nil: a random seed. A router restored from
    /// its snapshot continues that snapshot's random stream instead.
    public var seed: UInt64?
    /// `k` when the request gives none.
    public var defaultK = 10
    /// The largest `k` a request may ask for (larger: 400).
    public var maxK = 1_000
    /// The feature view feedback events are appended to (created on first use, offline only).
    public var feedbackView = "recommendation_feedback"
    /// The artifact of a registered version that holds the model (what `larder recommend
    /// train` registers; a version with a single artifact of another name is read too).
    public var artifactFile = ModelRegistry.modelArtifactName
    /// How often buffered feedback events are committed and changed bandit state is saved
    /// (also at shutdown and on ``FeatureServer/flushRecommendations()``).
    public var flushInterval: Duration = .seconds(5)
    /// Feedback events kept in memory before a flush; `/feedback` answers 503 beyond (the
    /// events are refused, not dropped silently).
    public var maxBufferedEvents = 1 << 20
    /// Request ids remembered (the newest ones), so feedback on a request counts once per
    /// request in the bandit.
    public var rememberedRequests = 100_000

    /// The defaults, serving `model` when given.
    public init(model: String? = nil) {
        self.model = model
    }
}
