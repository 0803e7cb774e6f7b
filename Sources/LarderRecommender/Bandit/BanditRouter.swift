import Synchronization

/// Routes requests between model versions (arms) and learns from feedback which converts
/// best: Thompson sampling over Beta posteriors, or epsilon-greedy.
///
/// Thread-safe: the server calls ``choose()`` and the `record` methods from many tasks at
/// once; each call holds an internal lock for a few hundred nanoseconds. Persist it with
/// ``snapshot()`` and ``init(snapshot:)`` (or ``BanditSnapshot/write(to:)``), so a restart
/// keeps what was learned.
///
/// ```swift
/// let router = try BanditRouter(arms: [BanditArm(model: "ranker", version: 3),
///                                      BanditArm(model: "ranker", version: 4)])
/// let arm = try router.choose()                  // serve with this model version
/// try router.record(arm: arm, outcome: .click)   // the request's best feedback
/// ```
///
/// Feedback comes in one of two ways. Either one complete trial per served request,
/// ``record(arm:reward:)`` or ``record(arm:outcome:)`` with the request's best feedback; or,
/// when feedback arrives late, ``recordImpression(arm:)`` when the request is served (a trial
/// at the impression reward) and ``recordConversion(arm:kind:)`` when a click or booking
/// follows, which raises one open impression of the arm to that kind's reward. Send at most
/// one conversion per impression (its best kind): the router keeps counts, not requests.
public final class BanditRouter: Sendable {
    private struct State: Sendable {
        var configuration: BanditConfiguration
        var arms: [ArmStatistics] = []
        var index: [BanditArm: Int] = [:]
        var steps = 0
        var random: BanditRandom

        mutating func reindex() {
            index = Dictionary(uniqueKeysWithValues: arms.enumerated().map { ($0.element.arm, $0.offset) })
        }

        func position(of arm: BanditArm) throws -> Int {
            guard let i = index[arm] else {
                throw BanditError(.unknownArm, "the router has no arm '\(arm)' (arms: \(arms.map(\.arm.name).joined(separator: ", ")))", arm: arm)
            }
            return i
        }
    }

    private let state: Mutex<State>

    /// A router over `arms` (in order; duplicates are ignored).
    /// - Parameter seed: Seeds the random choices (tests); nil: a random seed.
    /// - Throws: ``BanditError/Code/invalidInput`` for an empty arm name.
    public init(arms: [BanditArm] = [], configuration: BanditConfiguration = .standard, seed: UInt64? = nil) throws {
        var s = State(configuration: configuration, random: BanditRandom(seed: seed ?? UInt64.random(in: .min ... .max)))
        for arm in arms { _ = try Self.add(arm, to: &s) }
        state = Mutex(s)
    }

    /// A router continuing from `snapshot`: the same arms, posteriors, counts and random stream.
    /// - Throws: ``BanditError/Code/corrupt`` when the snapshot is inconsistent.
    public init(snapshot: BanditSnapshot) throws {
        guard let random = BanditRandom(words: snapshot.random) else {
            throw BanditError(.corrupt, "the snapshot's random state is not four non-zero words")
        }
        var s = State(configuration: snapshot.configuration, steps: snapshot.steps, random: random)
        for a in snapshot.arms {
            guard !a.arm.name.isEmpty, s.index[a.arm] == nil else {
                throw BanditError(.corrupt, "the snapshot lists arm '\(a.arm)' twice or with an empty name", arm: a.arm)
            }
            guard a.alpha > 0, a.beta > 0, a.alpha.isFinite, a.beta.isFinite, a.trials >= 0, a.chosen >= 0, a.openImpressions >= 0 else {
                throw BanditError(.corrupt, "the snapshot's statistics of arm '\(a.arm)' are out of range", arm: a.arm)
            }
            s.index[a.arm] = s.arms.count
            s.arms.append(a)
        }
        state = Mutex(s)
    }

    /// The router's settings.
    public var configuration: BanditConfiguration { state.withLock { $0.configuration } }

    /// The arms, in the order they were added.
    public var arms: [BanditArm] { state.withLock { $0.arms.map(\.arm) } }

    /// What the router knows about each arm, in arm order.
    public func statistics() -> [ArmStatistics] { state.withLock { $0.arms } }

    /// The router's whole state, to persist and restore with ``init(snapshot:)``.
    public func snapshot() -> BanditSnapshot {
        state.withLock { s in
            BanditSnapshot(configuration: s.configuration, arms: s.arms, steps: s.steps, random: s.random.words)
        }
    }

    // MARK: Arms

    /// Adds `arm` with the prior; no change when it is there already.
    /// - Returns: Whether it was added.
    /// - Throws: ``BanditError/Code/invalidInput`` for an empty name.
    @discardableResult
    public func add(_ arm: BanditArm) throws -> Bool {
        try state.withLock { try Self.add(arm, to: &$0) }
    }

    /// Removes `arm` and what was learned about it (feedback that arrives for it later is
    /// refused with ``BanditError/Code/unknownArm``).
    /// - Returns: Whether it was there.
    @discardableResult
    public func remove(_ arm: BanditArm) -> Bool {
        state.withLock { s in
            guard let i = s.index[arm] else { return false }
            s.arms.remove(at: i)
            s.reindex()
            return true
        }
    }

    /// Makes the arms exactly `arms`: keeps what was learned about arms that stay, adds new
    /// ones with the prior, removes the others. Call it when models are promoted or retired
    /// (e.g. with ``ModelRegistry/servingArms(_:)``).
    /// - Returns: The arms added and removed.
    @discardableResult
    public func setArms(_ arms: [BanditArm]) throws -> (added: [BanditArm], removed: [BanditArm]) {
        try state.withLock { s in
            let wanted = Set(arms)
            let removed = s.arms.map(\.arm).filter { !wanted.contains($0) }
            var next = s
            next.arms.removeAll { !wanted.contains($0.arm) }
            next.reindex()
            var added: [BanditArm] = []
            for arm in arms {
                if try Self.add(arm, to: &next) { added.append(arm) }
            }
            s = next
            return (added, removed)
        }
    }

    private static func add(_ arm: BanditArm, to s: inout State) throws -> Bool {
        guard !arm.name.isEmpty else { throw BanditError(.invalidInput, "an arm needs a name (e.g. ranker@3)") }
        guard s.index[arm] == nil else { return false }
        s.index[arm] = s.arms.count
        s.arms.append(ArmStatistics(arm: arm, alpha: s.configuration.priorAlpha, beta: s.configuration.priorBeta))
        return true
    }

    // MARK: Choosing

    /// The arm to serve this request with.
    /// - Throws: ``BanditError/Code/noArms`` when the router has none.
    public func choose() throws -> BanditArm {
        try state.withLock { s in
            guard !s.arms.isEmpty else {
                throw BanditError(.noArms, "the router has no arms: add the production model and its challengers")
            }
            let i: Int
            switch s.configuration.policy {
            case .thompsonSampling: i = Self.thompson(&s)
            case .epsilonGreedy(let schedule): i = Self.epsilonGreedy(&s, epsilon: schedule.epsilon(atStep: s.steps))
            }
            s.steps += 1
            s.arms[i].chosen += 1
            return s.arms[i].arm
        }
    }

    private static func thompson(_ s: inout State) -> Int {
        var best = 0, bestDraw = -Double.infinity
        for i in s.arms.indices {
            let draw = s.random.beta(s.arms[i].alpha, s.arms[i].beta)
            if draw > bestDraw { (best, bestDraw) = (i, draw) }
        }
        return best
    }

    private static func epsilonGreedy(_ s: inout State, epsilon: Double) -> Int {
        if s.random.unit() < epsilon { return Int.random(in: s.arms.indices, using: &s.random) }
        let untried = s.arms.indices.filter { s.arms[$0].trials == 0 }
        if !untried.isEmpty { return untried.randomElement(using: &s.random) ?? untried[0] }
        let means = s.arms.map { $0.rewardSum / Double($0.trials) }
        let top = means.max() ?? 0
        let leaders = s.arms.indices.filter { means[$0] == top }
        return leaders.randomElement(using: &s.random) ?? leaders[0]
    }

    // MARK: Feedback

    /// Records one served request of `arm` that earned `reward` (in [0, 1]; fractions count
    /// as that much success and the rest failure).
    /// - Throws: ``BanditError/Code/unknownArm``; `.invalidInput` for a reward outside [0, 1] or NaN.
    public func record(arm: BanditArm, reward: Double) throws {
        try Self.check(reward: reward, arm: arm)
        try state.withLock { s in
            let i = try s.position(of: arm)
            s.arms[i].alpha += reward
            s.arms[i].beta += 1 - reward
            s.arms[i].trials += 1
            s.arms[i].rewardSum += reward
        }
    }

    /// Records one served request of `arm` whose best feedback was `outcome`, at that kind's
    /// reward in the configuration's ``RewardScheme``.
    public func record(arm: BanditArm, outcome: FeedbackKind) throws {
        try record(arm: arm, reward: configuration.rewards.reward(for: outcome))
    }

    /// Records that a request served by `arm` was shown: a trial at the impression reward,
    /// which a later ``recordConversion(arm:kind:)`` can raise.
    public func recordImpression(arm: BanditArm) throws {
        try state.withLock { s in
            let i = try s.position(of: arm)
            let r = s.configuration.rewards.impression
            s.arms[i].alpha += r
            s.arms[i].beta += 1 - r
            s.arms[i].trials += 1
            s.arms[i].rewardSum += r
            s.arms[i].openImpressions += 1
        }
    }

    /// Records a click or booking on a request served by `arm`: raises one open impression
    /// of the arm from the impression reward to `kind`'s, or, when none is open (its
    /// impression was never recorded), records a new trial at `kind`'s reward.
    public func recordConversion(arm: BanditArm, kind: FeedbackKind) throws {
        try state.withLock { s in
            let i = try s.position(of: arm)
            let rewards = s.configuration.rewards
            let r = rewards.reward(for: kind)
            if s.arms[i].openImpressions > 0 {
                let gain = max(0, r - rewards.impression)
                s.arms[i].openImpressions -= 1
                s.arms[i].alpha += gain
                s.arms[i].beta = max(s.configuration.priorBeta, s.arms[i].beta - gain)
                s.arms[i].rewardSum += gain
            } else {
                s.arms[i].alpha += r
                s.arms[i].beta += 1 - r
                s.arms[i].trials += 1
                s.arms[i].rewardSum += r
            }
        }
    }

    private static func check(reward: Double, arm: BanditArm) throws {
        guard reward >= 0 && reward <= 1 else {
            throw BanditError(.invalidInput, "the reward \(reward) for arm '\(arm)' is outside [0, 1]", arm: arm)
        }
    }
}
