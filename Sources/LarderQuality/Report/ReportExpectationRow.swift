/// One evaluated expectation as the HTML report shows it: a plain model, so the report does
/// not depend on how results are computed (the caller maps validation results to it).
///
/// Every text here is shown escaped: values are user data and render as text, never as markup.
public struct ReportExpectationRow: Hashable, Sendable {
    /// The expectation type, e.g. `expect_column_values_to_be_between`.
    public var type: String
    /// The kwargs as the caller wants them shown, typically compact JSON
    /// (`{"column": "age", "min_value": 0}`).
    public var kwargs: String
    /// Whether the expectation passed.
    public var success: Bool
    /// The observed value for aggregate expectations (`"42.5"`, `"[1, 2]"`), if any.
    public var observed: String?
    /// Values that failed, for per-value expectations.
    public var unexpectedCount: Int?
    /// The failed share in percent (0 ... 100), for per-value expectations.
    public var unexpectedPercent: Double?
    /// A sample of the failing values, as text (GE's `partial_unexpected_list`).
    public var partialUnexpected: [String]
    /// The column the expectation is about, if any; links the row to the column's histogram.
    public var column: String?
    /// An error that stopped the expectation from being evaluated, if any.
    public var exception: String?

    /// Creates a row.
    public init(type: String, kwargs: String, success: Bool, observed: String? = nil,
                unexpectedCount: Int? = nil, unexpectedPercent: Double? = nil,
                partialUnexpected: [String] = [], column: String? = nil, exception: String? = nil) {
        self.type = type
        self.kwargs = kwargs
        self.success = success
        self.observed = observed
        self.unexpectedCount = unexpectedCount
        self.unexpectedPercent = unexpectedPercent
        self.partialUnexpected = partialUnexpected
        self.column = column
        self.exception = exception
    }
}
