/// The users to evaluate on one window and what counts as a hit for each. Made by
/// ``TrainingData/evaluationSet(_:)``, or by hand for tests.
public struct EvaluationSet: Sendable, Hashable {
    /// The evaluated users (each has at least one relevant item).
    public let users: [Int64]
    /// Per user, the relevant items: booked in the evaluated window and not before its cut-off.
    public let relevant: [[Int64]]
    /// Per user, the items booked before the cut-off: never recommended.
    public let excluded: [[Int64]]
    /// The catalogue the models choose from (for coverage).
    public let catalogue: [Int64]
    /// Users with a booking before the cut-off; the others are cold starts.
    public let knownUsers: Set<Int64>

    /// An evaluation set; `relevant` and `excluded` have one list per user.
    /// - Throws: `.invalidInput` when the lists are not one per user.
    public init(users: [Int64], relevant: [[Int64]], excluded: [[Int64]], catalogue: [Int64], knownUsers: Set<Int64>) throws {
        guard relevant.count == users.count, excluded.count == users.count else {
            throw RecommenderError(.invalidInput, "an evaluation set needs one relevant list (\(relevant.count)) and one excluded list (\(excluded.count)) per user (\(users.count))")
        }
        self.users = users
        self.relevant = relevant
        self.excluded = excluded
        self.catalogue = catalogue
        self.knownUsers = knownUsers
    }

    init(unchecked users: [Int64], relevant: [[Int64]], excluded: [[Int64]], catalogue: [Int64], knownUsers: Set<Int64>) {
        self.users = users
        self.relevant = relevant
        self.excluded = excluded
        self.catalogue = catalogue
        self.knownUsers = knownUsers
    }

    /// The number of evaluated users with no booking before the cut-off.
    public var coldUserCount: Int { users.reduce(0) { $0 + (knownUsers.contains($1) ? 0 : 1) } }
}
