import LarderColumnar
@testable import LarderQuality

/// Helpers for the engine tests: one-expectation validations and small batches.
enum Q {
    /// Validates one expectation on `batches`; fails the test (by throwing) when it does not compile.
    static func run(_ type: String, _ kwargs: [String: QualityJSON], _ batches: [RecordBatch],
                    format: ResultFormat = .summary, threads: Int = 1) throws -> ExpectationResult {
        let schema = try batches.first?.schema ?? Schema([])
        let validator = try SuiteValidator(suite: ExpectationSuite(name: "t", expectations: [Expectation(type, kwargs)]), schema: schema)
        return validator.validate(batches, options: ValidationOptions(resultFormat: format, threads: threads)).results[0]
    }

    static func run(_ type: String, _ kwargs: [String: QualityJSON], _ batch: RecordBatch,
                    format: ResultFormat = .summary) throws -> ExpectationResult {
        try run(type, kwargs, [batch], format: format)
    }

    /// The compile error of one expectation against `schema`, or nil when it compiles.
    static func compileError(_ type: String, _ kwargs: [String: QualityJSON], _ schema: Schema) -> QualityError? {
        do {
            _ = try SuiteValidator(suite: ExpectationSuite(name: "t", expectations: [Expectation(type, kwargs)]), schema: schema)
            return nil
        } catch {
            return error
        }
    }

    static func batch(_ pairs: KeyValuePairs<String, Column>) throws -> RecordBatch { try RecordBatch(pairs) }

    static func ints(_ values: [Int64?]) -> Column {
        .int64(values.map { $0 ?? 0 }, validity: values.contains(nil) ? Bitmap(values.map { $0 != nil }) : nil)
    }

    static func doubles(_ values: [Double?]) -> Column {
        .float64(values.map { $0 ?? 0 }, validity: values.contains(nil) ? Bitmap(values.map { $0 != nil }) : nil)
    }

    static func timestamps(_ values: [String?]) -> Column {
        let micros = values.map { $0.flatMap { Timestamp.parseISO8601($0) } }
        return .timestamp(micros.map { $0 ?? 0 }, validity: micros.contains(nil) ? Bitmap(micros.map { $0 != nil }) : nil)
    }
}
