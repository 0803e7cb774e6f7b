import LarderColumnar

extension ExpectationCompiler {
    static func aggregateCheck(_ kind: ExpectationKind, _ k: KwargReader) throws(QualityError) -> Check {
        let (column, field) = try k.column()
        let type = field.type
        let temporal = type == .timestamp || type == .date
        let isVector: Bool = { if case .vector = type { true } else { false } }()
        func refuse(_ what: String) -> QualityError {
            k.error(.typeMismatch, "\(what) does not apply to column '\(field.name)' of type \(type)")
        }
        if isVector && kind != .valuesOfType { throw refuse(kind.rawValue) }
        let check: AggregateCheck
        switch kind {
        case .minBetween, .maxBetween, .medianBetween, .meanBetween:
            guard type.isNumeric else { throw refuse(kind.statisticName) }
            let b = try k.bounds(temporal: temporal)
            check = switch kind {
            case .minBetween: .min(b)
            case .maxBetween: .max(b)
            case .medianBetween: .median(b)
            default: .mean(b)
            }
        case .stdevBetween, .sumBetween:
            guard type.isNumeric && !temporal else { throw refuse(kind.statisticName) }
            let b = try k.bounds()
            check = kind == .sumBetween ? .sum(b) : .stdev(b)
        case .quantileValuesBetween:
            guard type.isNumeric else { throw refuse("quantiles") }
            check = try quantileCheck(k, temporal: temporal)
        case .uniqueValueCountBetween:
            check = .uniqueValueCount(try k.bounds())
        case .proportionOfUniqueValuesBetween:
            check = .uniqueProportion(try k.bounds())
        case .distinctValuesInSet, .distinctValuesContainSet, .distinctValuesEqualSet:
            guard let values = try k.array("value_set") else { throw k.error(.invalidKwargs, "missing kwarg 'value_set' (an array)") }
            if kind == .distinctValuesInSet && values.isEmpty {
                throw k.error(.invalidKwargs, "value_set must not be empty")
            }
            let set = try TypedValueSet.make(values, for: type, kwarg: "value_set") { code, message in k.error(code, message) }
            let mode: DistinctSetMode = switch kind {
            case .distinctValuesInSet: .inSet
            case .distinctValuesContainSet: .containSet
            default: .equalSet
            }
            check = .distinctValues(set, mode)
        case .mostCommonValueInSet:
            guard let values = try k.array("value_set") else { throw k.error(.invalidKwargs, "missing kwarg 'value_set' (an array)") }
            let set = try TypedValueSet.make(values, for: type, kwarg: "value_set") { code, message in k.error(code, message) }
            check = .mostCommonValue(set, tiesOkay: try k.bool("ties_okay"))
        case .valuesOfType:
            let name = try k.string("type_")
            guard let matches = TypeNames.matches(name, type) else {
                throw k.error(.invalidKwargs, "unknown type_ '\(name)'; use a Larder type (\(TypeNames.larderNames)) or a pandas / pyarrow name such as int64, float64, str, bool, datetime64")
            }
            check = .ofType(matches: matches, observed: type.description)
        default:
            preconditionFailure("\(kind) is not an aggregate expectation")
        }
        return .aggregate(column: column, check)
    }

    private static func quantileCheck(_ k: KwargReader, temporal: Bool) throws(QualityError) -> AggregateCheck {
        let spec = try k.required("quantile_ranges")
        guard let o = spec.objectValue, let qs = o["quantiles"]?.arrayValue, let ranges = o["value_ranges"]?.arrayValue else {
            throw k.error(.invalidKwargs, "quantile_ranges must be {\"quantiles\": [...], \"value_ranges\": [[lo, hi], ...]}")
        }
        guard qs.count == ranges.count else {
            throw k.error(.invalidKwargs, "quantile_ranges has \(qs.count) quantiles but \(ranges.count) value ranges")
        }
        var quantiles: [Double] = []
        for q in qs {
            guard let d = q.numberValue, d >= 0, d <= 1 else {
                throw k.error(.invalidKwargs, "quantile \(q.jsonText()) is not a number between 0 and 1")
            }
            quantiles.append(d)
        }
        var parsed: [(lo: QualityJSON?, hi: QualityJSON?)] = []
        for r in ranges {
            guard let pair = r.arrayValue, pair.count == 2 else {
                throw k.error(.invalidKwargs, "value range \(r.jsonText()) is not a [low, high] pair")
            }
            func parse(_ v: QualityJSON) throws(QualityError) -> QualityJSON? {
                if v == .null { return nil }
                return try KwargReader.parseBound(v, temporal: temporal) { code, message in k.error(code, "value range bound \(message)") }
            }
            let lo = try parse(pair[0]), hi = try parse(pair[1])
            if let lo, let hi, let c = NumberOrder.compare(lo, hi), c > 0 {
                throw k.error(.invalidKwargs, "value range \(r.jsonText()) has its low above its high")
            }
            parsed.append((lo, hi))
        }
        var method = QuantileMethod.nearest
        if let v = k.value("allow_relative_error") {
            switch v {
            case .bool(false): break
            case .string(let s):
                guard let m = QuantileMethod(rawValue: s) else {
                    throw k.error(.invalidKwargs, "allow_relative_error \"\(s)\" is not one of linear, lower, higher, midpoint, nearest")
                }
                method = m
            default:
                throw k.error(.invalidKwargs, "allow_relative_error must be false or one of linear, lower, higher, midpoint, nearest (pandas interpolations), not \(v.jsonText())")
            }
        }
        return .quantiles(quantiles, ranges: parsed, method)
    }
}

extension ExpectationKind {
    var statisticName: String {
        switch self {
        case .minBetween: "min"
        case .maxBetween: "max"
        case .meanBetween: "mean"
        case .medianBetween: "median"
        case .stdevBetween: "standard deviation"
        case .sumBetween: "sum"
        default: rawValue
        }
    }
}

/// How `expect_column_pair_values_a_to_be_greater_than_b` compares two columns' values.
enum PairOrder: Sendable {
    /// Integer-like values scaled to a common unit (a date times a day, against a timestamp).
    case integers(scaleA: Int64, scaleB: Int64)
    case doubles
    case bytes

    init?(_ a: DataType, _ b: DataType) {
        func isInt(_ t: DataType) -> Bool { t == .int32 || t == .int64 }
        func isFloat(_ t: DataType) -> Bool { t == .float32 || t == .float64 }
        switch (a, b) {
        case _ where isInt(a) && isInt(b): self = .integers(scaleA: 1, scaleB: 1)
        case _ where (isInt(a) || isFloat(a)) && (isInt(b) || isFloat(b)): self = .doubles
        case (.timestamp, .timestamp), (.date, .date): self = .integers(scaleA: 1, scaleB: 1)
        case (.date, .timestamp): self = .integers(scaleA: Timestamp.microsPerDay, scaleB: 1)
        case (.timestamp, .date): self = .integers(scaleA: 1, scaleB: Timestamp.microsPerDay)
        case (.string, .string), (.binary, .binary): self = .bytes
        default: return nil
        }
    }
}
