import Larder
import LarderColumnar

/// The user and item feature references of a training set, checked against the catalog, with
/// the join key of the user views and of the item views (the spine's column names).
struct FeaturePlan {
    let userReferences: [FeatureReference]
    let itemReferences: [FeatureReference]
    /// The join key of every user view (nil without user features), and of every item view.
    let userKey: String?
    let itemKey: String?

    var references: [FeatureReference] { userReferences + itemReferences }

    /// - Throws: `.invalidInput` for a malformed reference or a view not keyed by one column;
    ///   `.unknownFeature` for an unknown view or feature.
    init(db: FeatureDatabase, options: TrainingDataOptions, timeColumn: String) throws {
        let catalog = try TrainingData.database("the catalog") { try db.catalog() }
        func resolve(_ texts: [String], side: String) throws -> ([FeatureReference], String?) {
            var refs: [FeatureReference] = []
            var key: String?
            for text in texts {
                guard let ref = FeatureReference(text) else {
                    throw RecommenderError(.invalidInput, "bad \(side) feature reference '\(text)' (expected view:feature)")
                }
                guard let view = catalog.featureView(named: ref.view) else {
                    throw RecommenderError(.unknownFeature, "\(side) feature '\(text)': no feature view '\(ref.view)' (known: \(catalog.featureViews.map(\.name).joined(separator: ", ")))")
                }
                if let feature = ref.feature, !view.schema.contains(where: { $0.name == feature }) {
                    throw RecommenderError(.unknownFeature, "\(side) feature '\(text)': view '\(view.name)' has no feature '\(feature)'")
                }
                let keys = try TrainingData.database("the keys of view '\(view.name)'") { try db.keys(of: view, in: catalog) }
                guard keys.count == 1 else {
                    throw RecommenderError(.invalidInput, "\(side) feature '\(text)': view '\(view.name)' is keyed by \(keys.joined(separator: ", ")); \(side) features come from views keyed by the \(side) alone")
                }
                if let key, key != keys[0] {
                    throw RecommenderError(.invalidInput, "\(side) features come from views with different keys ('\(key)' and '\(keys[0])')")
                }
                key = keys[0]
                refs.append(ref)
            }
            return (refs, key)
        }
        (userReferences, userKey) = try resolve(options.userFeatures, side: "user")
        (itemReferences, itemKey) = try resolve(options.itemFeatures, side: "item")
        if let userKey, userKey == itemKey || userKey == timeColumn {
            throw RecommenderError(.invalidInput, "user and item feature views share the key '\(userKey)'")
        }
        if let itemKey, itemKey == timeColumn {
            throw RecommenderError(.invalidInput, "the item key '\(itemKey)' is also the time column")
        }
        spineUser = userKey ?? (options.userColumn == itemKey ? "_user" : options.userColumn)
        spineItem = itemKey ?? (options.itemColumn == spineUser ? "_item" : options.itemColumn)
    }

    /// The spine's user and item column names: the views' join keys.
    let spineUser: String
    let spineItem: String

    func spineFields(time: String) -> [Field] {
        [Field(spineUser, .int64, nullable: false), Field(spineItem, .int64, nullable: false), Field(time, .timestamp, nullable: false)]
    }

    func spineColumns(users: [Int64], items: [Int64], times: [Int64]) -> [Column] {
        [.int64(users), .int64(items), .timestamp(times)]
    }
}
