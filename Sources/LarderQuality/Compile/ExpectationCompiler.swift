import LarderColumnar

/// Compiles expectations against a schema: checks the type, the kwargs and the column types,
/// and produces the typed ``Check`` the engine runs.
enum ExpectationCompiler {
    static func compile(_ expectation: Expectation, index: Int, schema: Schema) throws(QualityError) -> CompiledExpectation {
        guard let kind = ExpectationKind(rawValue: expectation.type) else {
            throw QualityError(.unknownExpectation, "unknown expectation type '\(expectation.type)'\(suggestion(expectation.type))",
                               expectationIndex: index, expectationType: expectation.type)
        }
        let k = try KwargReader(expectation, index: index, kind: kind, schema: schema)
        let check: Check
        switch kind.scope {
        case .table: check = .table(try tableCheck(kind, k))
        case .row: check = try rowCheck(kind, k)
        case .aggregate: check = try aggregateCheck(kind, k)
        }
        let mostly = kind.kwargs.contains("mostly") ? try k.mostly() : 1
        return CompiledExpectation(index: index, expectation: expectation, kind: kind, check: check, mostly: mostly)
    }

    /// " (did you mean ...?)" for a near miss, else "".
    private static func suggestion(_ type: String) -> String {
        let known = ExpectationKind.allCases.map(\.rawValue)
        let close = known.filter { $0.hasPrefix(type) || type.hasPrefix($0) || editDistance($0, type) <= 3 }
        return close.isEmpty ? "; Larder implements \(known.joined(separator: ", "))"
            : " (did you mean \(close.joined(separator: " or "))?)"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if abs(x.count - y.count) > 3 { return 4 }
        var previous = Array(0 ... y.count)
        for i in 1 ... max(x.count, 1) where !x.isEmpty {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1 ... max(y.count, 1) where !y.isEmpty {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }

    // MARK: Table

    private static func tableCheck(_ kind: ExpectationKind, _ k: KwargReader) throws(QualityError) -> TableCheck {
        switch kind {
        case .tableRowCountBetween: return .rowCount(try k.bounds())
        case .tableRowCountEqual: return .rowCountEqual(try k.integer("value"))
        case .tableColumnCountBetween: return .columnCount(try k.bounds())
        case .tableColumnCountEqual: return .columnCountEqual(try k.integer("value"))
        case .tableColumnsMatchOrderedList: return .columnsOrdered(try k.stringList("column_list"))
        case .tableColumnsMatchSet:
            return .columnsSet(try k.stringList("column_set"), exactMatch: try k.bool("exact_match", default: true))
        default: preconditionFailure("\(kind) is not a table expectation")
        }
    }

    // MARK: Per row

    private static func rowCheck(_ kind: ExpectationKind, _ k: KwargReader) throws(QualityError) -> Check {
        switch kind {
        case .compoundColumnsUnique:
            guard let names = try k.stringList("column_list"), !names.isEmpty else {
                throw k.error(.invalidKwargs, "missing kwarg 'column_list' (a non-empty array of column names)")
            }
            var columns: [Int] = []
            for name in names {
                let (i, field) = try k.resolve(name)
                if case .vector = field.type { throw k.error(.typeMismatch, "column '\(name)' is a vector; uniqueness does not apply to vectors") }
                if columns.contains(i) { throw k.error(.invalidKwargs, "column_list names '\(name)' twice") }
                columns.append(i)
            }
            let ignore = try enumKwarg(k, "ignore_row_if", default: MultiColumnIgnore.allValuesAreMissing)
            return .compoundUnique(columns: columns, ignore: ignore)
        case .pairAGreaterThanB:
            let (a, fa) = try k.column("column_A")
            let (b, fb) = try k.column("column_B")
            guard PairOrder(fa.type, fb.type) != nil else {
                throw k.error(.typeMismatch, "cannot order \(fa.name) (\(fa.type)) against \(fb.name) (\(fb.type)); both must be numbers, both dates or timestamps, or both strings")
            }
            let ignore = try enumKwarg(k, "ignore_row_if", default: PairIgnore.bothValuesAreMissing)
            return .pairGreater(a: a, b: b, orEqual: try k.bool("or_equal"), ignore: ignore)
        default:
            let (column, field) = try k.column()
            return .values(column: column, try valuePredicate(kind, field, k))
        }
    }

    private static func enumKwarg<E: RawRepresentable>(_ k: KwargReader, _ key: String, default fallback: E) throws(QualityError) -> E
    where E.RawValue == String {
        guard let v = k.value(key) else { return fallback }
        guard let s = v.stringValue, let e = E(rawValue: s) else {
            throw k.error(.invalidKwargs, "\(key) \(v.jsonText()) is not one GE accepts")
        }
        return e
    }

    private static func valuePredicate(_ kind: ExpectationKind, _ field: Field, _ k: KwargReader) throws(QualityError) -> ValuePredicate {
        let type = field.type
        func refuse(_ what: String) -> QualityError {
            k.error(.typeMismatch, "\(what) does not apply to column '\(field.name)' of type \(type)")
        }
        let isVector: Bool = { if case .vector = type { true } else { false } }()
        if isVector && ![.valuesNotNull, .valuesNull, .valueLengthsBetween, .valueLengthsEqual].contains(kind) {
            throw refuse(kind.rawValue)
        }
        switch kind {
        case .valuesNotNull: return .notNull
        case .valuesNull: return .null
        case .valuesBetween:
            guard type.isNumeric else { throw refuse("between") }
            let temporal = type == .timestamp || type == .date
            let b = try k.bounds(temporal: temporal, requireOne: true)
            switch type {
            case .float32, .float64: return .doubleRange(lo: b.inclusiveDoubleLow, hi: b.inclusiveDoubleHigh)
            case .date: return .intRange(b.integerRange(unitMicros: Timestamp.microsPerDay))
            default: return .intRange(b.integerRange(unitMicros: 1))
            }
        case .valuesInSet, .valuesNotInSet:
            guard let values = try k.array("value_set") else { throw k.error(.invalidKwargs, "missing kwarg 'value_set' (an array)") }
            let set = try TypedValueSet.make(values, for: type, kwarg: "value_set") { code, message in k.error(code, message) }
            return .inSet(set, negate: kind == .valuesNotInSet)
        case .valuesUnique: return .unique
        case .valuesMatchRegex, .valuesNotMatchRegex:
            guard type == .string else { throw refuse("a regex") }
            let pattern = try k.string("regex")
            let matcher = try RegexMatcher(pattern) { code, message in k.error(code, message) }
            return .regex(matcher, negate: kind == .valuesNotMatchRegex)
        case .valueLengthsBetween:
            guard type == .string || isVector else { throw refuse("value lengths") }
            let b = try k.bounds(requireOne: true)
            for (key, v) in [("min_value", b.min), ("max_value", b.max)] {
                if let v, case .double(let d) = v, d.rounded() != d { throw k.error(.invalidKwargs, "\(key) must be an integer length, not \(d)") }
            }
            return .lengths(b.integerRange(unitMicros: 1).map { Int($0.lowerBound) ... Int($0.upperBound) })
        case .valueLengthsEqual:
            guard type == .string || isVector else { throw refuse("value lengths") }
            let n = try k.integer("value")
            guard n >= 0, let length = Int(exactly: n) else { throw k.error(.invalidKwargs, "value must be a length (a non-negative integer), not \(n)") }
            return .lengths(length ... length)
        case .valuesIncreasing, .valuesDecreasing:
            guard type.isNumeric else { throw refuse("increasing / decreasing") }
            return .monotonic(increasing: kind == .valuesIncreasing, strictly: try k.bool("strictly"))
        default:
            preconditionFailure("\(kind) is not a per-value expectation")
        }
    }
}
