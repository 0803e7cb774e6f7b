import Larder

/// What ``TrainingData/load(from:options:)`` reads: the interactions view and its columns, the
/// user and item features, the split, and the table versions.
public struct TrainingDataOptions: Sendable {
    /// The interactions view: one row per event, with a user, an item, a time and a label.
    public var interactionsView = "interactions"
    public var userColumn = "user_id"
    public var itemColumn = "item_id"
    /// The event-time column; nil: the view's timestamp field.
    public var timeColumn: String?
    /// A positive is a row whose label is greater than 0 (or true).
    public var labelColumn = "label"
    /// User features (`view:feature` of views keyed by the user column), joined point in time.
    public var userFeatures = ["user_stats:region", "user_stats:fav_category", "user_stats:is_member"]
    /// Item features (`view:feature` of views keyed by the item column), joined point in time.
    public var itemFeatures = ["item_stats:category", "item_stats:region", "item_stats:price", "item_stats:popularity"]
    /// The split; nil: T1 and T2 at the ``validationQuantile`` and ``testQuantile`` of the
    /// event times.
    public var split: TimeSplit?
    public var validationQuantile = 0.8
    public var testQuantile = 0.9
    /// Per view (the interactions view included), the table version to read; others: latest.
    public var asOf: [String: FeatureDatabase.VersionSelector] = [:]
    /// Available-at mode for the feature joins (a feature row counts only once it was ingested).
    public var availableAt = false
    /// Worker threads of the joins; nil: one per core.
    public var threads: Int?

    /// The defaults: the marketplace's `interactions` view with user and item features.
    public init() {}

    /// Options that rebuild the training set `lineage` describes: the same views at the same
    /// versions, the same columns, features and split.
    public init(reproducing lineage: TrainingLineage) {
        interactionsView = lineage.interactionsView
        userColumn = lineage.userColumn
        itemColumn = lineage.itemColumn
        timeColumn = lineage.timeColumn
        labelColumn = lineage.labelColumn
        userFeatures = lineage.userFeatures
        itemFeatures = lineage.itemFeatures
        split = lineage.split
        availableAt = lineage.availableAt
        for table in lineage.tables { asOf[table.view] = .version(table.version) }
    }
}
