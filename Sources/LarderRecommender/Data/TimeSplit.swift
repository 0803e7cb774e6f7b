import LarderColumnar

/// The explicit time split of a training set: training rows are before ``validationStart``
/// (T1), validation rows in [T1, T2), test rows at or after ``testStart`` (T2). Times are
/// microseconds since the epoch, UTC, like every Larder timestamp.
///
/// Models reported on the test window are fitted on everything before T2 (training and
/// validation rows); the validation window is where the ensemble learns its weights, from
/// members fitted on the training rows alone.
public struct TimeSplit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// T1: the first time of the validation window.
    public let validationStart: Int64
    /// T2: the first time of the test window.
    public let testStart: Int64

    /// A split at T1 = `validationStart` and T2 = `testStart`.
    /// - Throws: `.invalidInput` when T1 is after T2.
    public init(validationStart: Int64, testStart: Int64) throws {
        guard validationStart <= testStart else {
            throw RecommenderError(.invalidInput, "the validation window must start (\(Self.format(validationStart))) no later than the test window (\(Self.format(testStart)))")
        }
        self.validationStart = validationStart
        self.testStart = testStart
    }

    /// The split at quantiles of `times`: T1 is the `validation` quantile and T2 the `test`
    /// quantile (the defaults give 80% training, 10% validation and 10% test rows when times
    /// are distinct). The quantile `q` of n sorted times is the time at position ⌊q·n⌋.
    /// - Throws: `.invalidInput` when `times` is empty or the fractions are not
    ///   0 < validation ≤ test < 1.
    public static func quantiles(of times: [Int64], validation: Double = 0.8, test: Double = 0.9) throws -> TimeSplit {
        guard !times.isEmpty else { throw RecommenderError(.invalidInput, "cannot split an empty interaction log by time") }
        guard validation > 0, validation <= test, test < 1 else {
            throw RecommenderError(.invalidInput, "split fractions must satisfy 0 < validation (\(validation)) <= test (\(test)) < 1")
        }
        let sorted = times.sorted()
        func at(_ q: Double) -> Int64 { sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.down)))] }
        return try TimeSplit(validationStart: at(validation), testStart: at(test))
    }

    public var description: String { "train < \(Self.format(validationStart)) <= validate < \(Self.format(testStart)) <= test" }

    static func format(_ micros: Int64) -> String { Timestamp.iso8601(micros: micros) }
}
