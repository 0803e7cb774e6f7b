/// How ``Profiler`` computes a profile: where it switches from exact to sketched statistics,
/// and how much of each distribution it keeps.
///
/// The defaults keep every value of a column up to 100,000 values (exact quantiles) and every
/// distinct value up to 16,384 of them (exact distinct counts and top values); past those
/// limits a column's quantiles come from a KLL sketch and its distinct count from HyperLogLog,
/// and the profile says so (``NumericSummary/quantilesExact``, ``DistinctCount/isExact``).
public struct ProfileOptions: Hashable, Sendable {
    /// The quantiles to report, as probabilities in 0 ... 1.
    public static let standardQuantiles: [Double] = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1]

    /// Values per column kept for exact quantiles and histograms before switching to a sketch.
    public var exactQuantileLimit: Int
    /// Distinct values per column counted exactly before switching to HyperLogLog (and to a
    /// Misra–Gries summary for top values).
    public var exactDistinctLimit: Int
    /// How many top values to report.
    public var topValueCount: Int
    /// Integer columns get top values when they have at most this many distinct values.
    public var lowCardinalityLimit: Int
    /// Equal-width bins in numeric histograms.
    public var histogramBins: Int
    /// Worker threads for batches (nil: one per core).
    public var threads: Int?

    /// Options with the documented defaults.
    public init(exactQuantileLimit: Int = 100_000, exactDistinctLimit: Int = 16_384,
                topValueCount: Int = 20, lowCardinalityLimit: Int = 100, histogramBins: Int = 20,
                threads: Int? = nil) {
        self.exactQuantileLimit = exactQuantileLimit
        self.exactDistinctLimit = exactDistinctLimit
        self.topValueCount = topValueCount
        self.lowCardinalityLimit = lowCardinalityLimit
        self.histogramBins = histogramBins
        self.threads = threads
    }

    /// Checks that every limit is usable.
    /// - Throws: ``ProfileError`` `.invalidOptions` naming the first bad option.
    func validate() throws {
        let checks: [(String, Int, Int)] = [
            ("exactQuantileLimit", exactQuantileLimit, 0),
            ("exactDistinctLimit", exactDistinctLimit, 1),
            ("topValueCount", topValueCount, 0),
            ("lowCardinalityLimit", lowCardinalityLimit, 0),
            ("histogramBins", histogramBins, 1),
            ("threads", threads ?? 1, 1),
        ]
        for (name, value, minimum) in checks where value < minimum {
            throw ProfileError(.invalidOptions, "\(name) is \(value); it must be at least \(minimum)")
        }
    }
}

/// An error from profiling: batches that do not share a schema, or unusable options.
public struct ProfileError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added; match with `==` or `~=`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A batch's columns differ from the first batch's (or the given schema's).
        public static let schemaMismatch = Code("schema mismatch")
        /// An option is out of range.
        public static let invalidOptions = Code("invalid options")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? ProfileError)?.code == code
        }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What was wrong, for people.
    public var message: String
    /// The column the error concerns, if any.
    public var column: String?
    /// The position of the batch the error concerns, if any.
    public var batch: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, column: String? = nil, batch: Int? = nil) {
        self.code = code
        self.message = message
        self.column = column
        self.batch = batch
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let column { text += " (column '\(column)')" }
        if let batch { text += " (batch \(batch))" }
        return text
    }
}
