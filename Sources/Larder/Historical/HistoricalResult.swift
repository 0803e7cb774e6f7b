/// What one feature view contributed to a point-in-time result.
public struct ViewLineage: Sendable, Hashable, Codable {
    /// The feature view.
    public var view: String
    /// The table version read.
    public var version: Int64
    /// When that version was committed (µs since the epoch).
    public var committedAt: Int64
    /// How the version was chosen: `latest`, `version N` or `as of TIME`.
    public var selectedBy: String
    /// The features read, in output order (plain names).
    public var features: [String]
    /// The view's ttl in µs, nil for none.
    public var ttl: Int64?
    /// Spine rows that found a row of this view.
    public var matched: Int
    /// Data files and row groups read, and those skipped by statistics.
    public var filesRead: Int
    public var filesSkipped: Int
    public var rowGroupsRead: Int
    public var rowGroupsSkipped: Int
}

/// The leakage check run over every result: no matched feature row has an event time later
/// than its spine time, or earlier than the spine time minus the view's ttl, and in
/// available-at mode no created time later than the spine time.
public struct LeakageCheck: Sendable, Hashable, Codable {
    /// Matched (spine row, view) pairs checked.
    public var checked: Int = 0
    /// Pairs that broke the contract (always 0 unless Larder has a bug; the result is refused then).
    public var violations: Int = 0
    /// Up to 10 violations, described.
    public var examples: [String] = []

    public init() {}
    public var passed: Bool { violations == 0 }
}

/// The summary of a point-in-time request: rows, lineage, leakage check and timings.
public struct HistoricalSummary: Sendable, Hashable, Codable {
    /// Spine rows (= output rows).
    public var rows: Int = 0
    /// The spine's event-time column.
    public var spineTimestampColumn: String = ""
    /// Per view, in request order.
    public var views: [ViewLineage] = []
    /// Whether available-at mode was on.
    public var availableAt = false
    /// Spine chunks joined (1 unless the spine exceeded `spineChunkRows`).
    public var chunks: Int = 0
    public var leakage = LeakageCheck()
    /// Seconds per phase (`spine`, `plan`, `join`, `gather`, `output`) and `total`.
    public var seconds: [String: Double] = [:]

    public init() {}
}
