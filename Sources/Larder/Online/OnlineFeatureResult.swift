import LarderColumnar
import LarderOnline

/// The status of one online value (Feast's `FieldStatus` names).
public enum OnlineFeatureStatus: String, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The entity has a row and the value is not null.
    case present = "PRESENT"
    /// The entity has a row within the view's ttl, but the value is null.
    case null = "NULL_VALUE"
    /// The online store holds no row for the entity (never materialized, or deleted).
    case notFound = "NOT_FOUND"
    /// The entity's row is older than the view's ttl at read time: the value is withheld
    /// (null), as a point-in-time join at that time would give null; its event time is still
    /// reported.
    case outsideMaxAge = "OUTSIDE_MAX_AGE"

    public var description: String { rawValue }
}

/// One requested feature for every requested entity, in the entities' order.
public struct OnlineFeatureValues: Sendable {
    /// The feature's view.
    public var view: String
    /// The feature's name in the view.
    public var feature: String
    /// `view__feature`.
    public var name: String { view + "__" + feature }
    /// The feature's type.
    public var type: DataType
    /// The values: null unless the status is ``OnlineFeatureStatus/present``.
    public var values: [Value]
    /// A status per entity.
    public var statuses: [OnlineFeatureStatus]
    /// The event time (µs since the epoch) of the entity's row, nil when not found.
    public var eventTimestamps: [Int64?]
}

/// What ``FeatureDatabase/onlineFeatures(_:entities:)`` or ``OnlineFeatureReader/read(entities:at:)``
/// returns: per requested feature a column of values, statuses and event times, plus the rows
/// found per view for callers that read values in place (vectors without copying).
public struct OnlineFeatureResult: Sendable {
    /// The number of entities requested.
    public var entityCount: Int
    /// The requested features, in request order.
    public var features: [OnlineFeatureValues]
    /// The read time the ttl was applied at (µs since the epoch).
    public var readTime: Int64
    /// Per view, the row found for each entity (nil: not found), ignoring ttl. A row keeps its
    /// file mapped; ``OnlineRow/vector(_:)`` reads a vector in place.
    public var rows: [String: [OnlineRow?]]
    /// Per view, the table version its online store reflects.
    public var tableVersions: [String: Int64]

    /// The feature named `view__feature` (or just `feature` when unambiguous).
    public subscript(name: String) -> OnlineFeatureValues? {
        if let hit = features.first(where: { $0.name == name }) { return hit }
        let bare = features.filter { $0.feature == name }
        return bare.count == 1 ? bare[0] : nil
    }
}
