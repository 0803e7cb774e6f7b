/// What a stored state costs and when a validator may use one.
extension ValidationState {
    /// How many values the state retains that grow with the data: the rows kept for medians,
    /// quantiles and uniqueness keys, plus one per distinct value counted. Zero for suites
    /// whose metrics are all constant-size (counts, sums, min / max, moments, kept rows).
    ///
    /// A database stores a commit's state beside it only when this is small, so the stored
    /// metrics stay a fraction of the data they summarize.
    public var retainedValueCount: Int {
        var n = 0
        for column in columns {
            n += column.values?.reduce(0) { $0 + $1.count } ?? 0
            n += column.counts?.distinctCount ?? 0
        }
        for case let metrics? in expectations {
            n += metrics.keys?.reduce(0) { $0 + $1.count * max(1, $1.columns.count) } ?? 0
        }
        return n
    }

    /// Whether the state was computed without problems (every batch matched the schema).
    public var isClean: Bool { problems.isEmpty }

    /// The most unexpected rows the state kept per expectation.
    public var keptRowLimit: Int { keepLimit }
}

extension SuiteValidator {
    /// Whether `state` (typically decoded from storage) can stand in for scanning its rows
    /// with this validator and `options`: same suite and schema (fingerprint and shape), no
    /// scan problems, and at least as many unexpected rows kept as `options` asks for.
    public func canReuse(_ state: ValidationState, options: ValidationOptions = .init()) -> Bool {
        let empty = plan.emptyState(fingerprint: fingerprint, keepLimit: options.keepLimit)
        return state.isClean && empty.canMerge(state) && state.keepLimit >= options.keepLimit
    }

    /// The state of no rows, to merge others into.
    public func emptyState(options: ValidationOptions = .init()) -> ValidationState {
        plan.emptyState(fingerprint: fingerprint, keepLimit: options.keepLimit)
    }

    /// Judges a state built by merging stored and scanned states (row numbers count rows in
    /// merge order).
    public func finish(merging states: [ValidationState], options: ValidationOptions = .init()) -> ValidationResult {
        var merged = emptyState(options: options)
        for s in states { merged.merge(s) }
        return finish(merged, options: options)
    }
}
