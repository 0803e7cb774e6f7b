/// The result of validating a suite: one ``ExpectationResult`` per expectation, in suite
/// order, and GE's statistics. ``jsonText(pretty:)`` writes GE's
/// `ExpectationSuiteValidationResult` JSON.
public struct ValidationResult: Sendable, Hashable, Codable {
    public var suiteName: String
    /// Whether every expectation succeeded.
    public var success: Bool
    public var results: [ExpectationResult]
    public var statistics: ValidationStatistics

    public init(suiteName: String, results: [ExpectationResult]) {
        self.suiteName = suiteName
        self.results = results
        self.success = results.allSatisfy(\.success)
        self.statistics = ValidationStatistics(results)
    }

    /// The results that failed.
    public var failures: [ExpectationResult] { results.filter { !$0.success } }

    enum CodingKeys: String, CodingKey {
        case suiteName = "suite_name", success, results, statistics
    }

    /// GE's validation result JSON (`success`, `results`, `suite_name`, `statistics`, ...).
    public func jsonText(pretty: Bool = false) -> String { json.jsonText(pretty: pretty) }

    /// The result as a JSON value in GE's shape.
    public var json: QualityJSON {
        .object([
            "success": .bool(success),
            "suite_name": .string(suiteName),
            "suite_parameters": .object([:]),
            "results": .array(results.map(\.json)),
            "statistics": statistics.json,
            "meta": .object(["validation_engine": "larder"]),
        ])
    }
}

/// GE's summary counts of a validation.
public struct ValidationStatistics: Sendable, Hashable, Codable {
    public var evaluatedExpectations: Int
    public var successfulExpectations: Int
    public var unsuccessfulExpectations: Int
    /// Successful / evaluated × 100; nil when no expectation was evaluated.
    public var successPercent: Double?

    init(_ results: [ExpectationResult]) {
        evaluatedExpectations = results.count
        successfulExpectations = results.filter(\.success).count
        unsuccessfulExpectations = evaluatedExpectations - successfulExpectations
        successPercent = results.isEmpty ? nil : Double(successfulExpectations) / Double(evaluatedExpectations) * 100
    }

    enum CodingKeys: String, CodingKey {
        case evaluatedExpectations = "evaluated_expectations", successfulExpectations = "successful_expectations"
        case unsuccessfulExpectations = "unsuccessful_expectations", successPercent = "success_percent"
    }

    var json: QualityJSON {
        .object([
            "evaluated_expectations": .int(Int64(evaluatedExpectations)),
            "successful_expectations": .int(Int64(successfulExpectations)),
            "unsuccessful_expectations": .int(Int64(unsuccessfulExpectations)),
            "success_percent": successPercent.map(QualityJSON.double) ?? .null,
        ])
    }
}

/// The result of one expectation.
public struct ExpectationResult: Sendable, Hashable, Codable {
    public var expectation: Expectation
    /// The expectation's position in the suite.
    public var index: Int
    public var success: Bool
    public var result: ExpectationResultDetails
    /// Why the expectation could not be evaluated (it then fails), e.g. a batch whose schema
    /// differs from the one the suite was compiled against.
    public var exceptionInfo: String?

    public init(expectation: Expectation, index: Int, success: Bool, result: ExpectationResultDetails, exceptionInfo: String? = nil) {
        self.expectation = expectation
        self.index = index
        self.success = success
        self.result = result
        self.exceptionInfo = exceptionInfo
    }

    enum CodingKeys: String, CodingKey {
        case expectation = "expectation_config", index, success, result, exceptionInfo = "exception_info"
    }

    /// GE's `ExpectationValidationResult` JSON.
    public var json: QualityJSON {
        .object([
            "success": .bool(success),
            "expectation_config": expectation.json,
            "result": result.json,
            "meta": .object([:]),
            "exception_info": .object([
                "raised_exception": .bool(exceptionInfo != nil),
                "exception_message": exceptionInfo.map(QualityJSON.string) ?? .null,
                "exception_traceback": .null,
            ]),
        ])
    }
}

/// One value of `partial_unexpected_counts`.
public struct UnexpectedValueCount: Sendable, Hashable, Codable {
    public var value: QualityJSON
    public var count: Int

    public init(value: QualityJSON, count: Int) {
        self.value = value
        self.count = count
    }
}

/// The `result` object of an expectation result, with GE's fields. A field is nil when GE
/// leaves it out for that expectation type and result format; percents are nil when their
/// denominator is zero (GE's `None`).
public struct ExpectationResultDetails: Sendable, Hashable, Codable {
    /// The statistic an aggregate or table expectation measured.
    public var observedValue: QualityJSON?
    /// Rows considered (the table's row count). Present for per-row expectations.
    public var elementCount: Int?
    /// Null (or NaN) rows; for multi-column expectations, rows skipped by `ignore_row_if`.
    public var missingCount: Int?
    public var missingPercent: Double?
    public var unexpectedCount: Int?
    /// Unexpected / non-missing × 100 (GE's `unexpected_percent`).
    public var unexpectedPercent: Double?
    public var unexpectedPercentNonmissing: Double?
    /// Unexpected / element count × 100.
    public var unexpectedPercentTotal: Double?
    /// The first unexpected values, in row order (up to `partialUnexpectedCount`).
    public var partialUnexpectedList: [QualityJSON]?
    /// Counts of the values in ``partialUnexpectedList``, most frequent first (SUMMARY and up).
    public var partialUnexpectedCounts: [UnexpectedValueCount]?
    /// The rows of ``partialUnexpectedList`` (SUMMARY and up).
    public var partialUnexpectedIndexList: [Int]?
    /// Every unexpected value (COMPLETE).
    public var unexpectedList: [QualityJSON]?
    /// Every unexpected row, 0-based across the validated batches in order (COMPLETE).
    public var unexpectedIndexList: [Int]?
    /// Values of `value_set` the column lacks (distinct values contain / equal set; GE 1.x).
    public var partialMissingList: [QualityJSON]?
    /// Extra detail GE gives some expectations (`mismatched` columns, quantile
    /// `success_details`, distinct `value_counts`).
    public var details: QualityJSON?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case observedValue = "observed_value", elementCount = "element_count", missingCount = "missing_count"
        case missingPercent = "missing_percent", unexpectedCount = "unexpected_count"
        case unexpectedPercent = "unexpected_percent", unexpectedPercentNonmissing = "unexpected_percent_nonmissing"
        case unexpectedPercentTotal = "unexpected_percent_total", partialUnexpectedList = "partial_unexpected_list"
        case partialUnexpectedCounts = "partial_unexpected_counts"
        case partialUnexpectedIndexList = "partial_unexpected_index_list"
        case unexpectedList = "unexpected_list", unexpectedIndexList = "unexpected_index_list"
        case partialMissingList = "partial_missing_list", details
    }

    /// GE's `result` object. Per-row results always carry their count and percent keys (null
    /// when undefined), as GE writes them.
    public var json: QualityJSON {
        var o: [String: QualityJSON] = [:]
        func number(_ d: Double?) -> QualityJSON { d.map(QualityJSON.double) ?? .null }
        if let observedValue { o["observed_value"] = observedValue }
        if let elementCount {
            o["element_count"] = .int(Int64(elementCount))
            o["unexpected_count"] = unexpectedCount.map { .int(Int64($0)) } ?? .null
            o["unexpected_percent"] = number(unexpectedPercent)
            if let missingCount {
                o["missing_count"] = .int(Int64(missingCount))
                o["missing_percent"] = number(missingPercent)
                o["unexpected_percent_total"] = number(unexpectedPercentTotal)
                o["unexpected_percent_nonmissing"] = number(unexpectedPercentNonmissing)
            }
        } else {
            if let unexpectedCount { o["unexpected_count"] = .int(Int64(unexpectedCount)) }
            if let missingCount { o["missing_count"] = .int(Int64(missingCount)) }
        }
        if let partialUnexpectedList { o["partial_unexpected_list"] = .array(partialUnexpectedList) }
        if let partialUnexpectedCounts {
            o["partial_unexpected_counts"] = .array(partialUnexpectedCounts.map {
                .object(["value": $0.value, "count": .int(Int64($0.count))])
            })
        }
        if let partialUnexpectedIndexList { o["partial_unexpected_index_list"] = .array(partialUnexpectedIndexList.map { .int(Int64($0)) }) }
        if let unexpectedList { o["unexpected_list"] = .array(unexpectedList) }
        if let unexpectedIndexList { o["unexpected_index_list"] = .array(unexpectedIndexList.map { .int(Int64($0)) }) }
        if let partialMissingList { o["partial_missing_list"] = .array(partialMissingList) }
        if let details { o["details"] = details }
        return .object(o)
    }
}

/// A row the quarantine gate sets aside: its position in its batch and the suite positions of
/// the expectations it fails.
public struct RowFailure: Sendable, Hashable, Codable {
    public var row: Int
    public var expectations: [Int]

    public init(row: Int, expectations: [Int]) {
        self.row = row
        self.expectations = expectations
    }
}
