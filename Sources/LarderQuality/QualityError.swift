/// An error loading or compiling an expectation suite.
///
/// Every error says what was wrong and, when it concerns one expectation, names it by its
/// position in the suite and its type, so `larder apply` can point at the line to fix:
///
/// ```text
/// expectation 3 (expect_column_values_to_be_between): unknown column 'visits_7'; the view has user_id, event_ts, visits_7d
/// ```
public struct QualityError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public enum Code: Sendable, Hashable {
        /// The suite text is not JSON, or not shaped like a suite.
        case invalidJSON
        /// The expectation type is not one Larder implements.
        case unknownExpectation
        /// A kwarg names a column the schema does not have.
        case unknownColumn
        /// A kwarg is missing, unknown, of the wrong JSON type, or out of range.
        case invalidKwargs
        /// The expectation does not apply to the column's type (e.g. a mean of a string column).
        case typeMismatch
    }

    public var code: Code
    /// What was wrong, in words a user can act on.
    public var message: String
    /// The position of the expectation in the suite, when the error concerns one.
    public var expectationIndex: Int?
    /// The type of that expectation (e.g. `expect_column_values_to_be_between`).
    public var expectationType: String?

    public init(_ code: Code, _ message: String, expectationIndex: Int? = nil, expectationType: String? = nil) {
        self.code = code
        self.message = message
        self.expectationIndex = expectationIndex
        self.expectationType = expectationType
    }

    public var description: String {
        guard let expectationIndex else { return message }
        let type = expectationType.map { " (\($0))" } ?? ""
        return "expectation \(expectationIndex)\(type): \(message)"
    }
}
