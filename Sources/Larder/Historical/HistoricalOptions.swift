import Foundation
import LarderColumnar

/// Which features a point-in-time request reads: feature references (`view:feature`, or `view`
/// for all of a view's features) or a feature service's.
public enum FeatureSelection: Sendable, Hashable {
    case references([FeatureReference])
    case service(String)

    /// Parses `view:feature,view2` (comma-separated references).
    /// - Throws: `.invalidInput` naming the malformed reference.
    public static func parse(_ text: String) throws -> FeatureSelection {
        var refs: [FeatureReference] = []
        for part in text.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let ref = FeatureReference(trimmed) else {
                throw DatabaseError(.invalidInput, "bad feature reference '\(trimmed)' (expected view:feature or view)")
            }
            refs.append(ref)
        }
        guard !refs.isEmpty else { throw DatabaseError(.invalidInput, "no features requested") }
        return .references(refs)
    }
}

/// Options of ``FeatureDatabase/historicalFeatures(spine:features:options:)``.
public struct HistoricalOptions: Sendable {
    /// Per view, the table version to read (reproduces an old training set exactly). Views not
    /// named read their latest version.
    public var asOf: [String: FeatureDatabase.VersionSelector] = [:]
    /// Available-at mode: a feature row counts only if its created timestamp is at or before
    /// the spine time (no leakage from late backfills). A row whose created time is null does
    /// not count (its ingestion time is unknown). Views without a created column are unaffected.
    public var availableAt = false
    /// Output names `view__feature` (Feast's full feature names, the default); false: the plain
    /// feature name, refused when two requested features, or a feature and a spine column,
    /// share a name.
    public var fullFeatureNames = true
    /// The spine's event-time column. nil: `event_timestamp`, else `event_ts`, else the spine's
    /// only timestamp column.
    public var spineTimestampColumn: String?
    /// Also output, per view, the event time of the row each spine row got
    /// (`view__event_ts`, named after the view's timestamp field), null when none matched.
    public var includeFeatureTimestamps = false
    /// Rows per output batch when results stream out.
    public var batchRows = 1 << 16
    /// At most this many spine rows are joined at a time; a larger spine is joined in chunks,
    /// each scanning the feature tables again, which bounds memory.
    public var spineChunkRows = 4 << 20
    /// Worker threads; nil: one per core.
    public var threads: Int?
    /// Called as work proceeds (phase name, spine rows done, spine rows in total).
    public var progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int?) -> Void)?

    public init() {}
}

extension FeatureDatabase.VersionSelector: CustomStringConvertible {
    public var description: String {
        switch self {
        case .latest: "latest"
        case .version(let v): "version \(v)"
        case .asOf(let t): "as of \(Timestamp.iso8601(micros: t))"
        }
    }
}
