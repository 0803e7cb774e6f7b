import Foundation

/// The outcome of ``Drift/compare(reference:current:options:)``: one ``ColumnDrift`` per
/// column of either side, and whether any column drifted.
///
/// Codable; ``jsonData()`` writes snake_case keys (`drifted_columns`, `jensen_shannon`, ...) and
/// non-finite numbers as `"NaN"`, `"Infinity"`, `"-Infinity"`, like ``TableProfile``.
public struct DriftReport: Hashable, Sendable, Codable {
    /// Rows in the reference (the older version, or the training set).
    public var referenceRowCount: Int
    /// Rows in the current data.
    public var currentRowCount: Int
    /// The reference's columns in order, then columns only the current data has.
    public var columns: [ColumnDrift]
    /// Names of the columns whose measures exceed their thresholds.
    public var driftedColumns: [String]
    /// True when any column drifted. Schema differences (``schemaChanged``) do not count: a
    /// caller that wants them to fail too checks both.
    public var drifted: Bool
    /// True when a column is missing on one side or changed to an incomparable type.
    public var schemaChanged: Bool
    /// Numeric bins requested (``DriftOptions/binCount``).
    public var binCount: Int
    /// The PSI epsilon used (``DriftOptions/psiEpsilon``).
    public var psiEpsilon: Double

    /// Creates a report; the verdicts (`driftedColumns`, `drifted`, `schemaChanged`) are derived from `columns`.
    public init(referenceRowCount: Int, currentRowCount: Int, columns: [ColumnDrift], binCount: Int, psiEpsilon: Double) {
        self.referenceRowCount = referenceRowCount
        self.currentRowCount = currentRowCount
        self.columns = columns
        self.driftedColumns = columns.filter(\.drifted).map(\.name)
        self.drifted = !driftedColumns.isEmpty
        self.schemaChanged = columns.contains {
            [.onlyInReference, .onlyInCurrent, .typeMismatch].contains($0.status)
        }
        self.binCount = binCount
        self.psiEpsilon = psiEpsilon
    }

    /// The entry for the column called `name`, if any.
    public func column(named name: String) -> ColumnDrift? {
        columns.first { $0.name == name }
    }

    /// The report as pretty-printed JSON with sorted snake_case keys.
    /// - Throws: `EncodingError` (not expected: every value is encodable).
    public func jsonData() throws -> Data {
        try ProfileCoding.encoder().encode(self)
    }

    /// Decodes JSON written by ``jsonData()``.
    /// - Throws: `DecodingError` when `json` is not a drift report.
    public init(json: Data) throws {
        self = try ProfileCoding.decoder().decode(DriftReport.self, from: json)
    }
}

/// The comparison of one column.
public struct ColumnDrift: Hashable, Sendable, Codable {
    /// Whether and how the column was compared.
    public enum Status: String, Hashable, Sendable, Codable {
        /// Measured.
        case compared
        /// Only the reference has the column.
        case onlyInReference = "only_in_reference"
        /// Only the current data has the column.
        case onlyInCurrent = "only_in_current"
        /// The two sides' types cannot be compared (say string against int64).
        case typeMismatch = "type_mismatch"
        /// The type has no drift measure (binary, vectors).
        case unsupportedType = "unsupported_type"
        /// One side has no rows, so it has no distribution.
        case empty
    }

    /// Which measures apply.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Integers, floats, dates, timestamps: PSI and Jensen–Shannon over quantile bins.
        case numeric
        /// Strings and bools: L-infinity and Jensen–Shannon over categories.
        case categorical
    }

    /// The column's name.
    public var name: String
    /// Whether and how the column was compared.
    public var status: Status
    /// Which measures apply; nil when the column was not compared.
    public var kind: Kind?
    /// The column's type on each side, as `DataType.description` spells it; nil when absent.
    public var referenceType: String?
    /// The column's type in the current data.
    public var currentType: String?
    /// Null fraction on each side (nil when the column is absent or the side has no rows).
    public var referenceNullFraction: Double?
    /// Null fraction in the current data.
    public var currentNullFraction: Double?
    /// Population stability index (numeric columns).
    public var psi: Double?
    /// Jensen–Shannon distance, base 2, in 0 ... 1.
    public var jensenShannon: Double?
    /// L-infinity distance (categorical columns).
    public var lInfinity: Double?
    /// The thresholds applied.
    public var thresholds: DriftThresholds?
    /// True when a computed measure exceeds its threshold.
    public var drifted: Bool
    /// The distributions compared: every numeric bin (then `null` and `NaN` when either side
    /// has them), or the most different categories (up to ``DriftOptions/reportedCategories``).
    public var bins: [DriftBin]
    /// The number of categories (categorical columns), so a reader knows whether `bins` is
    /// all of them.
    public var categoryCount: Int?
    /// Why the column was not compared, for statuses other than `compared`.
    public var message: String?

    /// Creates an entry.
    public init(name: String, status: Status, kind: Kind? = nil, referenceType: String? = nil,
                currentType: String? = nil, referenceNullFraction: Double? = nil,
                currentNullFraction: Double? = nil, psi: Double? = nil, jensenShannon: Double? = nil,
                lInfinity: Double? = nil, thresholds: DriftThresholds? = nil, drifted: Bool = false,
                bins: [DriftBin] = [], categoryCount: Int? = nil, message: String? = nil) {
        self.name = name
        self.status = status
        self.kind = kind
        self.referenceType = referenceType
        self.currentType = currentType
        self.referenceNullFraction = referenceNullFraction
        self.currentNullFraction = currentNullFraction
        self.psi = psi
        self.jensenShannon = jensenShannon
        self.lInfinity = lInfinity
        self.thresholds = thresholds
        self.drifted = drifted
        self.bins = bins
        self.categoryCount = categoryCount
        self.message = message
    }
}

/// One bin or category of a compared column, with each side's share of rows (nulls included
/// in the denominator, so a side's shares add up to 1).
public struct DriftBin: Hashable, Sendable, Codable {
    /// `≤ 3.5`, `(3.5, 7]`, `> 12`, a category's value, `null` or `NaN`.
    public var label: String
    /// The numeric bin's bounds: `lower < x ≤ upper`; nil for an open end or a category.
    public var lower: Double?
    /// The bin's upper bound (inclusive); nil for the last bin or a category.
    public var upper: Double?
    /// The reference's share of rows in this bin.
    public var referenceFraction: Double
    /// The current data's share of rows in this bin.
    public var currentFraction: Double

    /// Creates a bin.
    public init(label: String, lower: Double? = nil, upper: Double? = nil, referenceFraction: Double, currentFraction: Double) {
        self.label = label
        self.lower = lower
        self.upper = upper
        self.referenceFraction = referenceFraction
        self.currentFraction = currentFraction
    }
}
