/// The kinds of feedback the server receives about recommendations it served.
public enum FeedbackKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The recommendations were shown.
    case impression
    /// The user clicked one.
    case click
    /// The user booked one.
    case booking

    /// Parses a feedback kind, case-insensitively.
    /// - Throws: ``BanditError/Code/invalidInput`` naming `text` and the valid kinds.
    public init(parsing text: String) throws {
        guard let kind = FeedbackKind(rawValue: text.lowercased()) else {
            throw BanditError(.invalidInput, "unknown feedback kind '\(text)' (kinds: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = kind
    }

    public var description: String { rawValue }
}

/// The reward, in [0, 1], of a served request by the best feedback it got. Default: a click or
/// a booking is 1, an impression without either is 0.
public struct RewardScheme: Sendable, Hashable, Codable {
    /// The reward of a request that was only shown.
    public var impression: Double
    /// The reward of a request whose best feedback was a click.
    public var click: Double
    /// The reward of a request that led to a booking.
    public var booking: Double

    /// - Throws: ``BanditError/Code/invalidInput`` naming a reward outside [0, 1].
    public init(impression: Double = 0, click: Double = 1, booking: Double = 1) throws {
        for (name, r) in [("impression", impression), ("click", click), ("booking", booking)] where !(r >= 0 && r <= 1) {
            throw BanditError(.invalidInput, "the \(name) reward \(r) is outside [0, 1]")
        }
        self.impression = impression
        self.click = click
        self.booking = booking
    }

    /// The default scheme: impression 0, click 1, booking 1.
    public static let standard = RewardScheme(uncheckedImpression: 0, click: 1, booking: 1)

    private init(uncheckedImpression: Double, click: Double, booking: Double) {
        impression = uncheckedImpression
        self.click = click
        self.booking = booking
    }

    private enum CodingKeys: String, CodingKey { case impression, click, booking }

    /// Decodes and checks the rewards (a hand-edited snapshot gets the same checks).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(impression: try c.decode(Double.self, forKey: .impression), click: try c.decode(Double.self, forKey: .click),
                      booking: try c.decode(Double.self, forKey: .booking))
    }

    /// The reward of a request whose best feedback was `kind`.
    public func reward(for kind: FeedbackKind) -> Double {
        switch kind {
        case .impression: impression
        case .click: click
        case .booking: booking
        }
    }
}

/// How much epsilon-greedy explores at each step: `initial / (1 + step / halfLife)` (so it
/// halves after `halfLife` choices, thirds after twice that, …), never below `minimum`;
/// constant `initial` when `halfLife` is nil.
public struct EpsilonSchedule: Sendable, Hashable, Codable {
    /// Epsilon at the first choice.
    public var initial: Double
    /// Choices after which epsilon has halved; nil: constant.
    public var halfLife: Int?
    /// Epsilon never falls below this.
    public var minimum: Double

    /// - Throws: ``BanditError/Code/invalidInput`` when epsilon is outside [0, 1], the minimum
    ///   exceeds it, or the half-life is not positive.
    public init(initial: Double = 0.1, halfLife: Int? = nil, minimum: Double = 0) throws {
        guard initial >= 0 && initial <= 1 else { throw BanditError(.invalidInput, "epsilon \(initial) is outside [0, 1]") }
        guard minimum >= 0 && minimum <= initial else {
            throw BanditError(.invalidInput, "the minimum epsilon \(minimum) must be in [0, \(initial)]")
        }
        if let halfLife, halfLife <= 0 { throw BanditError(.invalidInput, "the epsilon half-life \(halfLife) must be positive") }
        self.initial = initial
        self.halfLife = halfLife
        self.minimum = minimum
    }

    private enum CodingKeys: String, CodingKey { case initial, halfLife, minimum }

    /// Decodes and checks the schedule.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(initial: try c.decode(Double.self, forKey: .initial), halfLife: try c.decodeIfPresent(Int.self, forKey: .halfLife),
                      minimum: try c.decode(Double.self, forKey: .minimum))
    }

    /// Epsilon at choice number `step` (0-based).
    public func epsilon(atStep step: Int) -> Double {
        guard let halfLife else { return initial }
        return max(minimum, initial / (1 + Double(step) / Double(halfLife)))
    }
}

/// How a ``BanditRouter`` picks arms.
public enum BanditPolicy: Sendable, Hashable, Codable {
    /// Thompson sampling: draw a success rate from each arm's Beta posterior and pick the
    /// highest draw. Explores in proportion to how plausible it is that an arm is the best.
    case thompsonSampling
    /// With probability epsilon a uniformly random arm, else the arm with the best observed
    /// mean reward (arms never tried first).
    case epsilonGreedy(schedule: EpsilonSchedule)
}

/// The settings of a ``BanditRouter``.
public struct BanditConfiguration: Sendable, Hashable, Codable {
    /// How arms are picked.
    public var policy: BanditPolicy
    /// The Beta prior of every arm's success rate (Thompson sampling); Beta(1, 1) is uniform.
    public var priorAlpha: Double
    public var priorBeta: Double
    /// The reward of each kind of feedback.
    public var rewards: RewardScheme

    /// - Throws: ``BanditError/Code/invalidInput`` when a prior parameter is not positive.
    public init(policy: BanditPolicy = .thompsonSampling, priorAlpha: Double = 1, priorBeta: Double = 1,
                rewards: RewardScheme = .standard) throws {
        guard priorAlpha > 0 && priorAlpha.isFinite, priorBeta > 0 && priorBeta.isFinite else {
            throw BanditError(.invalidInput, "the Beta prior (\(priorAlpha), \(priorBeta)) must have positive, finite parameters")
        }
        self.policy = policy
        self.priorAlpha = priorAlpha
        self.priorBeta = priorBeta
        self.rewards = rewards
    }

    private enum CodingKeys: String, CodingKey { case policy, priorAlpha, priorBeta, rewards }

    /// Decodes and checks the settings.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(policy: try c.decode(BanditPolicy.self, forKey: .policy), priorAlpha: try c.decode(Double.self, forKey: .priorAlpha),
                      priorBeta: try c.decode(Double.self, forKey: .priorBeta), rewards: try c.decode(RewardScheme.self, forKey: .rewards))
    }

    /// Thompson sampling with a uniform prior and the standard rewards.
    public static let standard = BanditConfiguration(policy: .thompsonSampling)

    private init(policy: BanditPolicy) {
        self.policy = policy
        priorAlpha = 1
        priorBeta = 1
        rewards = .standard
    }
}
