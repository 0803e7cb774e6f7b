/// What a router knows about one arm.
public struct ArmStatistics: Sendable, Hashable, Codable {
    /// The arm.
    public var arm: BanditArm
    /// The Beta posterior of the arm's success rate (the prior plus rewards and failures).
    public var alpha: Double
    public var beta: Double
    /// Trials recorded (one per served request with feedback).
    public var trials: Int
    /// The sum of their rewards.
    public var rewardSum: Double
    /// How often ``BanditRouter/choose()`` picked the arm.
    public var chosen: Int
    /// Impressions recorded with ``BanditRouter/recordImpression(arm:)`` that no conversion has
    /// raised yet.
    public var openImpressions: Int

    /// Statistics of one arm (the router starts each at the prior).
    public init(arm: BanditArm, alpha: Double, beta: Double, trials: Int = 0, rewardSum: Double = 0, chosen: Int = 0,
                openImpressions: Int = 0) {
        self.arm = arm
        self.alpha = alpha
        self.beta = beta
        self.trials = trials
        self.rewardSum = rewardSum
        self.chosen = chosen
        self.openImpressions = openImpressions
    }

    /// The observed mean reward; nil before the first trial.
    public var meanReward: Double? { trials > 0 ? rewardSum / Double(trials) : nil }
    /// The posterior mean of the success rate.
    public var posteriorMean: Double { alpha / (alpha + beta) }
}
