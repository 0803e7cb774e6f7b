/// What ``FeatureDatabase/materialize(_:)`` does.
public struct MaterializeOptions: Sendable, Hashable {
    /// How a view's online store is brought up to date.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// Rebuild each store from the view's latest table version (rows up to ``end``).
        case full
        /// Replay the commits after the version the store reflects (see docs/online-format.md,
        /// "Materialization"); a store that cannot be followed incrementally (none yet, another
        /// schema, a rewritten or recreated table, vacuumed files) is rebuilt instead.
        case incremental
    }

    /// Full (the default) or incremental.
    public var mode: Mode = .full
    /// Full builds only: rows whose event time is after this (µs since the epoch) are left out.
    /// Nil: every row counts.
    public var end: Int64?
    /// The views to materialize; nil: every view with `online: true`.
    public var views: [String]?
    /// Overlays a store may accumulate before the writer folds them into a new base.
    public var maxOverlays = 8

    public init(mode: Mode = .full, end: Int64? = nil, views: [String]? = nil) {
        self.mode = mode
        self.end = end
        self.views = views
    }
}

/// What materializing one view did.
public struct ViewMaterialization: Sendable, Hashable, Codable {
    /// The view.
    public var view: String
    /// `full`, `incremental`, or `none` (the store already reflected the latest version).
    public var mode: String
    /// Why an incremental request rebuilt the store, if it did.
    public var reason: String?
    /// The table version the store reflected before (nil: no readable store).
    public var fromVersion: Int64?
    /// The table version the store reflects now.
    public var toVersion: Int64
    /// Commits replayed (incremental).
    public var commits: Int = 0
    /// Rows read from the offline table.
    public var rowsRead: Int = 0
    /// Rows written to the store (after newest-per-key reduction), tombstones included.
    public var rowsWritten: Int = 0
    /// Tombstones written (entities whose every row was deleted offline).
    public var tombstones: Int = 0
    /// Entity keys recomputed from the table because a delete removed some of their rows.
    public var keysRecomputed: Int = 0
    /// Overlay files the store has now.
    public var overlays: Int = 0
    /// Whether the writer folded the overlays into a new base.
    public var folded = false
    /// Wall time, seconds.
    public var seconds: Double = 0
}

/// What ``FeatureDatabase/materialize(_:)`` did, per view.
public struct MaterializeResult: Sendable, Hashable, Codable {
    public var views: [ViewMaterialization] = []
    /// Rows read over every view.
    public var rowsRead: Int { views.reduce(0) { $0 + $1.rowsRead } }
}
