import LarderColumnar

extension SuiteValidator {
    /// Judges a state: one result per expectation, in suite order.
    ///
    /// Uniqueness, medians and quantiles are computed here from the rows the state keeps,
    /// each in parallel; everything else is read off the merged metrics. A state scanned with
    /// fewer kept rows than `options.resultFormat` needs (a SUMMARY state finished as
    /// COMPLETE) gives the rows it has.
    public func finish(_ state: ValidationState, options: ValidationOptions = .init()) -> ValidationResult {
        var problems = state.problems
        if state.fingerprint != fingerprint || state.expectations.count != compiled.count || state.columns.count != plan.columns.count {
            problems.insert("the state was computed for a different suite or schema", at: 0)
        }
        if !problems.isEmpty {
            let message = problems.joined(separator: "; ")
            return ValidationResult(suiteName: suite.name, results: compiled.map {
                ExpectationResult(expectation: $0.expectation, index: $0.index, success: false,
                                  result: ExpectationResultDetails(), exceptionInfo: message)
            })
        }
        // One expectation at a time: the costly ones (uniqueness, medians, quantiles) spread
        // their own work over `options.threads`.
        let results = compiled.map { judge($0, state, options) }
        return ValidationResult(suiteName: suite.name, results: results)
    }

    func judge(_ e: CompiledExpectation, _ state: ValidationState, _ options: ValidationOptions) -> ExpectationResult {
        func result(_ success: Bool, _ details: ExpectationResultDetails, _ exception: String? = nil) -> ExpectationResult {
            ExpectationResult(expectation: e.expectation, index: e.index, success: success,
                              result: options.resultFormat == .booleanOnly ? ExpectationResultDetails() : details,
                              exceptionInfo: exception)
        }
        var formatter = MapResultFormatter(format: options.resultFormat, partialCount: options.partialUnexpectedCount)
        let keep = options.keepLimit
        switch e.check {
        case .table(let t):
            let (success, details) = tableResult(t, rowCount: state.rowCount)
            return result(success, details)
        case .aggregate(let column, let check):
            guard let slot = plan.slot[column] else { return result(false, .init(), "column not planned") }
            let (success, details) = aggregateResult(check, state.columns[slot], rowCount: state.rowCount,
                                                     type: schema.fields[column].type, options: options)
            return result(success, details)
        case .values(_, let predicate):
            guard var m = state.expectations[e.index] else { return result(false, .init(), "no metrics") }
            if case .unique = predicate {
                guard let rows = DuplicateFinder(chunks: m.keys ?? [], ignore: .allValuesAreMissing, threads: options.threads).duplicatedRows() else {
                    return result(false, .init(), "too many rows for one uniqueness check (2^32 or more)")
                }
                m.unexpected = rows.count
                m.kept = keptRows(rows.prefix(keep), m.keys ?? []) { columns, i in ValueJSON.value(columns[0], i) }
            }
            let nullness: Bool = switch predicate {
            case .notNull, .null: true
            default: false
            }
            let considered = nullness ? state.rowCount : m.considered
            let success = MapResultFormatter.success(considered: considered, unexpected: m.unexpected, mostly: e.mostly)
            return result(success, formatter.details(elementCount: state.rowCount, nonMissing: nullness ? nil : m.considered,
                                                     unexpected: m.unexpected, kept: m.kept))
        case .compoundUnique(let columns, let ignore):
            guard var m = state.expectations[e.index] else { return result(false, .init(), "no metrics") }
            guard let rows = DuplicateFinder(chunks: m.keys ?? [], ignore: ignore, threads: options.threads).duplicatedRows() else {
                return result(false, .init(), "too many rows for one uniqueness check (2^32 or more)")
            }
            let names = columns.map { schema.fields[$0].name }
            m.unexpected = rows.count
            m.kept = keptRows(rows.prefix(keep), m.keys ?? []) { cols, i in
                .object(Dictionary(uniqueKeysWithValues: zip(names, cols.map { ValueJSON.value($0, i) })))
            }
            formatter.countKey = { value in .array(names.map { value[$0] ?? .null }) }
            let success = MapResultFormatter.success(considered: m.considered, unexpected: m.unexpected, mostly: e.mostly)
            return result(success, formatter.details(elementCount: state.rowCount, nonMissing: m.considered,
                                                     unexpected: m.unexpected, kept: m.kept))
        case .pairGreater:
            guard let m = state.expectations[e.index] else { return result(false, .init(), "no metrics") }
            let success = MapResultFormatter.success(considered: m.considered, unexpected: m.unexpected, mostly: e.mostly)
            return result(success, formatter.details(elementCount: state.rowCount, nonMissing: m.considered,
                                                     unexpected: m.unexpected, kept: m.kept))
        }
    }

    /// Kept rows (with values) for duplicated rows found at finish time.
    private func keptRows<S: Sequence>(_ rows: S, _ chunks: [KeyChunk], value: ([Column], Int) -> QualityJSON) -> [KeptRow]
    where S.Element == Int {
        rows.map { row in
            var lo = 0, hi = chunks.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if chunks[mid].start <= row { lo = mid } else { hi = mid - 1 }
            }
            let chunk = chunks[lo]
            let i = (chunk.columns.first?.range.lowerBound ?? 0) + row - chunk.start
            return KeptRow(row: row, value: value(chunk.columns.map(\.column), i))
        }
    }

    private func tableResult(_ t: TableCheck, rowCount: Int) -> (Bool, ExpectationResultDetails) {
        var d = ExpectationResultDetails()
        let names = schema.names
        switch t {
        case .rowCount(let b):
            d.observedValue = .int(Int64(rowCount))
            return (b.contains(.int(Int64(rowCount))), d)
        case .rowCountEqual(let v):
            d.observedValue = .int(Int64(rowCount))
            return (Int64(rowCount) == v, d)
        case .columnCount(let b):
            d.observedValue = .int(Int64(names.count))
            return (b.contains(.int(Int64(names.count))), d)
        case .columnCountEqual(let v):
            d.observedValue = .int(Int64(names.count))
            return (Int64(names.count) == v, d)
        case .columnsOrdered(let expected):
            d.observedValue = .array(names.map(QualityJSON.string))
            guard let expected, expected != names else { return (true, d) }
            var mismatched: [QualityJSON] = []
            for i in 0 ..< max(expected.count, names.count) {
                let want = i < expected.count ? QualityJSON.string(expected[i]) : .null
                let found = i < names.count ? QualityJSON.string(names[i]) : .null
                if want != found {
                    mismatched.append(["Expected Column Position": .int(Int64(i)), "Expected": want, "Found": found])
                }
            }
            d.details = ["mismatched": .array(mismatched)]
            return (false, d)
        case .columnsSet(let expected, let exact):
            let actual = Set(names)
            let want = Set(expected ?? [])
            d.observedValue = .array(names.map(QualityJSON.string))
            if (expected == nil && !exact) || actual == want { return (true, d) }
            let unexpected = actual.subtracting(want).sorted(), missing = want.subtracting(actual).sorted()
            d.observedValue = .array(names.sorted().map(QualityJSON.string))
            var mismatched: [String: QualityJSON] = [:]
            if !unexpected.isEmpty { mismatched["unexpected"] = .array(unexpected.map(QualityJSON.string)) }
            if !missing.isEmpty { mismatched["missing"] = .array(missing.map(QualityJSON.string)) }
            d.details = ["mismatched": .object(mismatched)]
            return (!exact && missing.isEmpty, d)
        }
    }
}
