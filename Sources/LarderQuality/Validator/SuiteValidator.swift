import LarderColumnar

/// A suite compiled against a schema, ready to validate record batches.
///
/// Compiling checks everything that can be checked without data — expectation types, kwargs,
/// columns and column types — so a bad suite is refused when it is applied, not at ingest.
/// Validation then computes every expectation's metrics in one pass per batch (each column
/// read once for all expectations on it), in parallel over stretches of rows, merges the
/// partial states, and judges the results:
///
/// ```swift
/// let validator = try SuiteValidator(suite: suite, schema: schema)
/// let result = validator.validate(batches)                // GE's SUMMARY result
/// if !result.success { print(result.jsonText(pretty: true)) }
/// ```
public struct SuiteValidator: Sendable {
    public let suite: ExpectationSuite
    public let schema: Schema
    let compiled: [CompiledExpectation]
    let plan: ScanPlan
    /// Identifies suite and schema in states.
    public let fingerprint: UInt64

    /// The Great Expectations types Larder implements, in GE's names.
    public static var supportedExpectationTypes: [String] { ExpectationKind.allCases.map(\.rawValue) }

    /// Rows per scan task: batches are split into stretches of at most this many rows, so
    /// large batches still spread over every core.
    static let taskRows = 131_072

    /// Compiles `suite` against `schema`.
    /// - Throws: ``QualityError`` naming the first bad expectation (index and type):
    ///   `.unknownExpectation`, `.unknownColumn`, `.invalidKwargs` (missing, unknown or
    ///   wrongly typed kwargs, min above max, a regex that does not compile, `mostly` outside
    ///   [0, 1], an unknown `type_`), `.typeMismatch` (e.g. between on a string column, a mean
    ///   of a bool column, any value check but null / length / type on a vector).
    public init(suite: ExpectationSuite, schema: Schema) throws(QualityError) {
        var compiled: [CompiledExpectation] = []
        for (index, expectation) in suite.expectations.enumerated() {
            compiled.append(try ExpectationCompiler.compile(expectation, index: index, schema: schema))
        }
        self.suite = suite
        self.schema = schema
        self.compiled = compiled
        self.plan = ScanPlan(compiled, schema: schema)
        var h = Fingerprint()
        h.add(suite.jsonText(pretty: false))
        h.add(schema.fields.map { "\($0.name):\($0.type)" }.joined(separator: ","))
        self.fingerprint = h.value
    }

    /// Validates `batches` as one table (their rows in order).
    public func validate(_ batches: [RecordBatch], options: ValidationOptions = .init()) -> ValidationResult {
        finish(state(for: batches, options: options), options: options)
    }

    /// The mergeable metrics of `batches`, keeping the first 20 unexpected rows per
    /// expectation (enough for SUMMARY results).
    public func state(for batches: [RecordBatch]) -> ValidationState {
        state(for: batches, options: ValidationOptions())
    }

    /// The mergeable metrics of `batches`, keeping as many unexpected rows as
    /// `options.resultFormat` needs (every one for COMPLETE).
    public func state(for batches: [RecordBatch], options: ValidationOptions) -> ValidationState {
        scan(batches, plan: plan, keepLimit: options.keepLimit, keepValues: true, threads: options.threads)
    }

    /// Scans batches split into tasks, in parallel, and merges the task states in row order.
    func scan(_ batches: [RecordBatch], plan: ScanPlan, keepLimit: Int, keepValues: Bool, threads: Int) -> ValidationState {
        var problems: [String] = []
        var tasks: [(batch: Int, range: Range<Int>)] = []
        for (b, batch) in batches.enumerated() {
            if let problem = schemaProblem(batch.schema) {
                problems.append("batch \(b): \(problem)")
                continue
            }
            var start = 0
            repeat {
                let end = min(batch.rowCount, start + Self.taskRows)
                tasks.append((b, start ..< end))
                start = end
            } while start < batch.rowCount
        }
        let fingerprint = self.fingerprint
        let states = (try? concurrentMap(tasks, threads: threads) { task -> ValidationState in
            var scan = TaskScan(plan: plan, fingerprint: fingerprint, keepLimit: keepLimit, keepValues: keepValues)
            scan.run(batches[task.batch], task.range)
            return scan.state
        }) ?? []
        var merged = Self.mergeInOrder(states) ?? plan.emptyState(fingerprint: fingerprint, keepLimit: keepLimit)
        merged.problems += problems
        return merged
    }

    /// Merges adjacent pairs until one state is left (row order kept; distinct-value counts
    /// merge in O(n log k) rather than O(n k)).
    static func mergeInOrder(_ states: [ValidationState]) -> ValidationState? {
        var level = states
        while level.count > 1 {
            var next: [ValidationState] = []
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i < level.count {
                var s = level[i]
                if i + 1 < level.count { s.merge(level[i + 1]) }
                next.append(s)
                i += 2
            }
            level = next
        }
        return level.first
    }

    /// Why a batch cannot be scanned with this validator, or nil when its columns match.
    func schemaProblem(_ other: Schema) -> String? {
        let expected = schema.fields.map { "\($0.name): \($0.type)" }
        let got = other.fields.map { "\($0.name): \($0.type)" }
        guard expected != got else { return nil }
        return "its columns (\(got.joined(separator: ", "))) differ from the schema the suite was compiled against (\(expected.joined(separator: ", ")))"
    }
}

/// FNV-1a 64 over text: a stable identity for a suite and schema.
struct Fingerprint {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ text: String) {
        for b in text.utf8 {
            value ^= UInt64(b)
            value = value &* 0x100_0000_01B3
        }
        value ^= 0xFF
        value = value &* 0x100_0000_01B3
    }
}
