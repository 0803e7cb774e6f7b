/// Thresholds above which a measure counts as drift. A column has drifted when any of the
/// measures computed for it is strictly greater than its threshold; set a threshold to
/// `.infinity` to ignore that measure.
public struct DriftThresholds: Hashable, Sendable, Codable {
    /// Population stability index, numeric columns. 0.2 is the customary "significant shift"
    /// line (0.1 – 0.2 is usually read as "moderate").
    public var psi: Double
    /// Jensen–Shannon distance (base 2, 0 ... 1), numeric and categorical columns.
    public var jensenShannon: Double
    /// L-infinity distance (largest difference in a category's frequency), categorical
    /// columns, as TensorFlow Data Validation uses it.
    public var lInfinity: Double

    /// Thresholds with the defaults: PSI 0.2, Jensen–Shannon 0.1, L-infinity 0.1.
    public init(psi: Double = 0.2, jensenShannon: Double = 0.1, lInfinity: Double = 0.1) {
        self.psi = psi
        self.jensenShannon = jensenShannon
        self.lInfinity = lInfinity
    }
}

/// How ``Drift/compare(reference:current:options:)`` compares two versions of a table.
public struct DriftOptions: Hashable, Sendable {
    /// Bins for numeric columns, cut at the reference's quantiles `1/binCount`, `2/binCount`, …
    /// (deciles by default). Ties can merge cuts, leaving fewer bins.
    public var binCount: Int
    /// The share given to a bin that is empty in one distribution when computing PSI (whose
    /// logarithm would otherwise be infinite). Shares are not renormalized afterwards. Only PSI
    /// uses it; Jensen–Shannon and L-infinity are finite on empty bins.
    public var psiEpsilon: Double
    /// Thresholds for every column without its own entry in `columnThresholds`.
    public var thresholds: DriftThresholds
    /// Per-column thresholds, replacing `thresholds` for that column.
    public var columnThresholds: [String: DriftThresholds]
    /// Only these columns (nil: every column of either side).
    public var columns: [String]?
    /// Categories listed per categorical column in the report (the measures always use all).
    public var reportedCategories: Int
    /// Reference values per column kept exactly for the bin cuts before a KLL sketch takes over
    /// (see ``ProfileOptions/exactQuantileLimit``).
    public var exactQuantileLimit: Int
    /// Worker threads for batches (nil: one per core).
    public var threads: Int?

    /// Options with the documented defaults: 10 bins, epsilon 0.0001, default thresholds, every column.
    public init(binCount: Int = 10, psiEpsilon: Double = 1e-4, thresholds: DriftThresholds = DriftThresholds(),
                columnThresholds: [String: DriftThresholds] = [:], columns: [String]? = nil,
                reportedCategories: Int = 20, exactQuantileLimit: Int = 100_000, threads: Int? = nil) {
        self.binCount = binCount
        self.psiEpsilon = psiEpsilon
        self.thresholds = thresholds
        self.columnThresholds = columnThresholds
        self.columns = columns
        self.reportedCategories = reportedCategories
        self.exactQuantileLimit = exactQuantileLimit
        self.threads = threads
    }

    /// The thresholds that apply to `column`.
    public func thresholds(for column: String) -> DriftThresholds {
        columnThresholds[column] ?? thresholds
    }

    /// - Throws: ``DriftError`` `.invalidOptions` naming the first unusable option.
    func validate() throws {
        guard binCount >= 2 else {
            throw DriftError(.invalidOptions, "binCount is \(binCount); it must be at least 2")
        }
        guard psiEpsilon > 0, psiEpsilon < 1 else {
            throw DriftError(.invalidOptions, "psiEpsilon is \(psiEpsilon); it must be between 0 and 1 (exclusive)")
        }
        guard reportedCategories >= 0, exactQuantileLimit >= 0, (threads ?? 1) >= 1 else {
            throw DriftError(.invalidOptions, "reportedCategories, exactQuantileLimit and threads must not be negative (threads at least 1)")
        }
        for (name, t) in [("default", thresholds)] + columnThresholds.sorted(by: { $0.key < $1.key }) {
            for (measure, value) in [("psi", t.psi), ("jensenShannon", t.jensenShannon), ("lInfinity", t.lInfinity)]
            where value.isNaN || value < 0 {
                throw DriftError(.invalidOptions, "\(measure) threshold is \(value); it must be 0 or more",
                                 column: name == "default" ? nil : name)
            }
        }
    }
}

/// An error from a drift comparison: inconsistent batches, unknown columns, unusable options.
public struct DriftError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added; match with `==` or `~=`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The batches of one side do not share a schema.
        public static let schemaMismatch = Code("schema mismatch")
        /// `DriftOptions.columns` names a column neither side has.
        public static let unknownColumn = Code("unknown column")
        /// An option is out of range.
        public static let invalidOptions = Code("invalid options")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? DriftError)?.code == code
        }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What was wrong, for people.
    public var message: String
    /// The column the error concerns, if any.
    public var column: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, column: String? = nil) {
        self.code = code
        self.message = message
        self.column = column
    }

    public var description: String {
        if let column { return "\(code): \(message) (column '\(column)')" }
        return "\(code): \(message)"
    }
}
