/// User and item features as of one time: one row per user, one per item.
public struct EntityFeatures: Sendable, Hashable {
    /// Rows keyed by user id.
    public var users: FeatureTable
    /// Rows keyed by item id.
    public var items: FeatureTable

    public init(users: FeatureTable = .empty, items: FeatureTable = .empty) {
        self.users = users
        self.items = items
    }
}

/// A training set for recommenders: the interaction log in time order, the features of each
/// interaction's user and item as of its time, the features of every user and item as of the
/// two cut-off times, the split, and the lineage.
///
/// Build one from a database with ``load(from:options:)`` (point-in-time joins, so no feature
/// value from after an event is ever paired with it), or from hand-made rows with
/// ``init(log:split:eventFeatures:validationFeatures:testFeatures:lineage:)``.
///
/// ```swift
/// let data = try TrainingData.load(from: db)
/// let model = try ModelSpec.als(.init()).fit(data)
/// let metrics = Evaluator.evaluate(model, on: data.evaluationSet(.test))
/// ```
public struct TrainingData: Sendable {
    /// Which cut-off a window or evaluation set uses.
    public enum Stage: String, Sendable, Hashable, Codable, CaseIterable {
        /// Fit on rows before T1, evaluate on [T1, T2): where the ensemble learns its weights.
        case validation
        /// Fit on rows before T2, evaluate on rows at or after T2: the reported figures.
        case test
    }

    /// Every interaction, in time order.
    public let log: InteractionLog
    public let split: TimeSplit
    /// The point-in-time features of each log row's user and item (aligned with ``log``).
    public let eventFeatures: FeatureTable
    /// User and item features as of just before T1 and just before T2.
    public let validationFeatures: EntityFeatures
    public let testFeatures: EntityFeatures
    /// Where the data came from; nil for hand-made data.
    public let lineage: TrainingLineage?

    /// Training data from rows in memory.
    /// - Throws: `.invalidInput` when the event features are not one row per log row.
    public init(log: InteractionLog, split: TimeSplit, eventFeatures: FeatureTable = .empty,
                validationFeatures: EntityFeatures = .init(), testFeatures: EntityFeatures = .init(),
                lineage: TrainingLineage? = nil) throws {
        if let length = eventFeatures.columns.values.first?.count, length != log.count {
            throw RecommenderError(.invalidInput, "event features have \(length) rows for \(log.count) interactions")
        }
        self.log = log
        self.split = split
        self.eventFeatures = eventFeatures
        self.validationFeatures = validationFeatures
        self.testFeatures = testFeatures
        self.lineage = lineage
    }

    /// The cut-off of `stage`: T1 for validation, T2 for test.
    public func cutoff(_ stage: Stage) -> Int64 {
        stage == .validation ? split.validationStart : split.testStart
    }

    /// The entity features as of `stage`'s cut-off.
    public func features(_ stage: Stage) -> EntityFeatures {
        stage == .validation ? validationFeatures : testFeatures
    }

    /// The rows of the window `stage` evaluates on: [T1, T2) or [T2, end].
    func targetRows(_ stage: Stage) -> Range<Int> {
        let start = log.firstRow(atOrAfter: cutoff(stage))
        let end = stage == .validation ? log.firstRow(atOrAfter: split.testStart) : log.count
        return start ..< max(start, end)
    }

    /// The training window of `stage`: every row before its cut-off, with the features as of it.
    public func window(_ stage: Stage) -> TrainingWindow {
        TrainingWindow(data: self, stage: stage)
    }

    /// The users to evaluate at `stage` and their relevant items: the items a user booked in
    /// the evaluated window ([T1, T2) or [T2, end]) and had not booked before the cut-off.
    /// Items booked before the cut-off are excluded from recommendations (a model is not
    /// credited for recommending what the user already booked) and so from the relevant set.
    /// Users without a relevant item are not evaluated.
    public func evaluationSet(_ stage: Stage) -> EvaluationSet {
        let cut = log.firstRow(atOrAfter: cutoff(stage))
        var history: [Int64: Set<Int64>] = [:]
        for r in 0 ..< cut where log.positives[r] { history[log.userIDs[r], default: []].insert(log.itemIDs[r]) }
        var relevant: [Int64: [Int64]] = [:]
        var seen: [Int64: Set<Int64>] = [:]
        for r in targetRows(stage) where log.positives[r] {
            let u = log.userIDs[r], i = log.itemIDs[r]
            if history[u]?.contains(i) == true { continue }
            if seen[u, default: []].insert(i).inserted { relevant[u, default: []].append(i) }
        }
        let users = relevant.keys.sorted()
        var catalogue = Set<Int64>()
        for r in 0 ..< cut { catalogue.insert(log.itemIDs[r]) }
        catalogue.formUnion(features(stage).items.ids)
        return EvaluationSet(unchecked: users, relevant: users.map { relevant[$0] ?? [] },
                             excluded: users.map { history[$0].map { $0.sorted() } ?? [] },
                             catalogue: catalogue.sorted(), knownUsers: Set(history.keys))
    }
}
