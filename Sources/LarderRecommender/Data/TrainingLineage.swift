import Larder

/// Where a training set came from: the table version of every view read, the feature
/// references, the columns and the time split. ``TrainingDataOptions/init(reproducing:)``
/// turns it back into options that rebuild the same rows (the registry stores it in a model's
/// manifest).
public struct TrainingLineage: Sendable, Hashable, Codable {
    /// One table version read.
    public struct TableVersion: Sendable, Hashable, Codable {
        /// The feature view.
        public var view: String
        /// The table version read.
        public var version: Int64
        /// When that version was committed (µs since the epoch).
        public var committedAt: Int64
        /// How the version was chosen: `latest`, `version N` or `as of TIME`.
        public var selectedBy: String

        public init(view: String, version: Int64, committedAt: Int64, selectedBy: String) {
            self.view = view
            self.version = version
            self.committedAt = committedAt
            self.selectedBy = selectedBy
        }
    }

    /// The interactions view (the spine).
    public var interactionsView: String
    /// Its user, item, time and label columns.
    public var userColumn: String
    public var itemColumn: String
    public var timeColumn: String
    public var labelColumn: String
    /// Every table read, the interactions view first, then the feature views in request order.
    public var tables: [TableVersion]
    /// The user and item feature references (`view:feature`).
    public var userFeatures: [String]
    public var itemFeatures: [String]
    /// Whether the point-in-time joins ran in available-at mode.
    public var availableAt: Bool
    /// The split.
    public var split: TimeSplit
    /// Interaction rows and positives read.
    public var rows: Int
    public var positives: Int
    /// A digest of the rows and features (FNV-1a 64, hex): equal digests mean equal training
    /// data, so a rebuilt set can be checked against the recorded one.
    public var fingerprint: String

    /// The version of `view` that was read, if it was.
    public func version(of view: String) -> Int64? { tables.first { $0.view == view }?.version }
}
