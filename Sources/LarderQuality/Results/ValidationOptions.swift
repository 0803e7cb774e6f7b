import Foundation

/// How much detail results carry, with Great Expectations' names and meanings.
public enum ResultFormat: String, Sendable, Codable, CaseIterable {
    /// Only `success`.
    case booleanOnly = "BOOLEAN_ONLY"
    /// Counts, percents, `observed_value` and `partial_unexpected_list`.
    case basic = "BASIC"
    /// BASIC plus `partial_unexpected_counts` and `partial_unexpected_index_list`.
    case summary = "SUMMARY"
    /// SUMMARY plus every unexpected value and row (`unexpected_list`, `unexpected_index_list`).
    case complete = "COMPLETE"
}

/// Options for ``SuiteValidator/validate(_:options:)`` and ``SuiteValidator/finish(_:options:)``.
public struct ValidationOptions: Sendable, Hashable {
    /// The detail of each result (default SUMMARY, as GE's default for validations).
    public var resultFormat: ResultFormat = .summary
    /// Threads for the scan and the finishing steps; 1 runs serially. Results do not depend
    /// on it.
    public var threads: Int
    /// How many unexpected values the partial lists hold (GE's `partial_unexpected_count`).
    public var partialUnexpectedCount = 20

    public init(resultFormat: ResultFormat = .summary, threads: Int? = nil, partialUnexpectedCount: Int = 20) {
        self.resultFormat = resultFormat
        self.threads = max(1, threads ?? ValidationOptions.processorCount)
        self.partialUnexpectedCount = max(0, partialUnexpectedCount)
    }

    static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// How many unexpected rows per expectation the scan keeps for these options.
    var keepLimit: Int {
        switch resultFormat {
        case .booleanOnly: 0
        case .basic, .summary: partialUnexpectedCount
        case .complete: Int.max
        }
    }
}
