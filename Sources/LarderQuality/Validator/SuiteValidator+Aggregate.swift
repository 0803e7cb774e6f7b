import LarderColumnar

extension SuiteValidator {
    /// GE's result of a column aggregate expectation from the column's merged metrics.
    func aggregateResult(_ check: AggregateCheck, _ m: ColumnMetrics, rowCount: Int, type: DataType,
                         options: ValidationOptions) -> (Bool, ExpectationResultDetails) {
        var d = ExpectationResultDetails()
        let moments = m.moments ?? Moments()
        /// GE's `_validate_metric_value_between`: no value (empty column, NaN) fails.
        func between(_ observed: SortKey?, _ b: NumericBounds) -> (Bool, ExpectationResultDetails) {
            guard let observed else { d.observedValue = .null; return (false, d) }
            d.observedValue = Self.observedJSON(observed, type)
            return (b.contains(Self.comparable(observed, type)), d)
        }
        switch check {
        case .min(let b): return between(moments.count > 0 ? moments.min : nil, b)
        case .max(let b): return between(moments.count > 0 ? moments.max : nil, b)
        case .mean(let b):
            guard moments.count > 0 else { return between(nil, b) }
            let isFloat = type == .float32 || type == .float64
            let mean = isFloat ? moments.floatSum / Double(moments.count) : Double(moments.intSum) / Double(moments.count)
            return between(.double(mean), b)
        case .stdev(let b):
            guard moments.count > 1 else { return between(nil, b) }
            return between(.double((moments.m2 / Double(moments.count - 1)).squareRoot()), b)
        case .sum(let b):
            let isFloat = type == .float32 || type == .float64
            if isFloat { return between(.double(moments.floatSum), b) }
            if let s = Int64(exactly: moments.intSum) { return between(.int(s), b) }
            return between(.double(Double(moments.intSum)), b)
        case .median(let b):
            return between(OrderStatistics.median(m.values ?? [], known: m.moments, threads: options.threads), b)
        case .quantiles(let qs, let ranges, let method):
            let values = OrderStatistics.quantiles(m.values ?? [], qs, method, known: m.moments, threads: options.threads)
            var details: [QualityJSON] = []
            for (v, r) in zip(values, ranges) {
                details.append(.bool(v.map { Self.quantileInRange(Self.comparable($0, type), r, temporal: Self.isTemporal(type)) } ?? false))
            }
            d.observedValue = ["quantiles": .array(qs.map(QualityJSON.double)),
                               "values": .array(values.map { $0.map { Self.observedJSON($0, type) } ?? .null })]
            d.details = ["success_details": .array(details)]
            return (details.allSatisfy { $0 == .bool(true) }, d)
        case .uniqueValueCount(let b):
            let n = Int64(m.counts?.distinctCount ?? 0)
            d.observedValue = .int(n)
            return (b.contains(.int(n)), d)
        case .uniqueProportion(let b):
            let present = rowCount - m.missing
            let observed: QualityJSON = rowCount > 0 && present > 0
                ? .double(Double(m.counts?.distinctCount ?? 0) / Double(present)) : .int(0)
            d.observedValue = observed
            return (b.contains(observed), d)
        case .distinctValues(let set, let mode):
            return distinctResult(set, mode, m.counts, type: type, options: options)
        case .mostCommonValue(let set, let tiesOkay):
            let modes = Self.modes(m.counts)
            let keys = Set(modes.map(\.key))
            d.observedValue = .array(modes.map { Self.distinctJSON($0.key, type) }.sorted())
            let hits = keys.intersection(set?.keys ?? []).count
            return (tiesOkay ? hits > 0 : modes.count == 1 && hits == 1, d)
        case .ofType(let matches, let observed):
            d.observedValue = .string(observed)
            return (matches, d)
        }
    }

    /// GE 1.x distinct-value set expectations: values seen but not expected are
    /// "unexpected", values expected but not seen are "missing"; the lists hold up to 20
    /// values, sorted.
    private func distinctResult(_ set: TypedValueSet?, _ mode: DistinctSetMode, _ counts: ValueCounts?, type: DataType,
                                options: ValidationOptions) -> (Bool, ExpectationResultDetails) {
        var d = ExpectationResultDetails()
        d.observedValue = .null
        let observed = Set(Self.distinctKeys(counts))
        let expected = set?.keys ?? []
        let unexpected = observed.subtracting(expected).map { Self.distinctJSON($0, type) }.sorted()
        var missingValues: [QualityJSON] = []
        var seenMissing = Set<QualityJSON>()
        var seenKeys = Set<TypedValueSet.Key>()
        for (value, key) in set?.elements ?? [] {
            if let key {
                if observed.contains(key) || !seenKeys.insert(key).inserted { continue }
            } else if !seenMissing.insert(value).inserted { continue }
            missingValues.append(value)
        }
        missingValues.sort()
        let lists = options.partialUnexpectedCount > 0
        let limit = 20
        switch mode {
        case .inSet:
            d.unexpectedCount = unexpected.count
            if lists { d.partialUnexpectedList = Array(unexpected.prefix(limit)) }
            return (unexpected.isEmpty, d)
        case .containSet:
            d.missingCount = missingValues.count
            if lists { d.partialMissingList = Array(missingValues.prefix(limit)) }
            return (missingValues.isEmpty, d)
        case .equalSet:
            d.unexpectedCount = unexpected.count
            d.missingCount = missingValues.count
            if lists {
                d.partialUnexpectedList = Array(unexpected.prefix(limit))
                d.partialMissingList = Array(missingValues.prefix(limit))
            }
            return (unexpected.isEmpty && missingValues.isEmpty, d)
        }
    }

    static func distinctKeys(_ counts: ValueCounts?) -> [TypedValueSet.Key] {
        switch counts {
        case .fixed(let keys, _)?: keys.map { .fixed($0) }
        case .bytes(let keys, _)?: keys.map { .bytes($0) }
        case nil: []
        }
    }

    /// The most frequent values (all of them on a tie).
    static func modes(_ counts: ValueCounts?) -> [(key: TypedValueSet.Key, count: Int)] {
        let pairs: [(TypedValueSet.Key, Int)] = switch counts {
        case .fixed(let keys, let c)?: zip(keys.map { .fixed($0) }, c).map { ($0, $1) }
        case .bytes(let keys, let c)?: zip(keys.map { .bytes($0) }, c).map { ($0, $1) }
        case nil: []
        }
        guard let top = pairs.map(\.1).max() else { return [] }
        return pairs.filter { $0.1 == top }.map { (key: $0.0, count: $0.1) }
    }

    static func distinctJSON(_ key: TypedValueSet.Key, _ type: DataType) -> QualityJSON {
        switch key {
        case .fixed(let k): ValueJSON.value(fixedKey: k, type: type)
        case .bytes(let b): ValueJSON.value(bytesKey: b, type: type)
        }
    }

    static func isTemporal(_ type: DataType) -> Bool { type == .timestamp || type == .date }

    /// A statistic as GE shows it: a number, or ISO 8601 text for dates and timestamps.
    static func observedJSON(_ key: SortKey, _ type: DataType) -> QualityJSON {
        if isTemporal(type), case .double(let d) = key {
            guard d.isFinite else { return .null }
            return ValueJSON.value(.int(Int64(d.rounded(.down))), type: type)
        }
        return ValueJSON.value(key, type: type)
    }

    /// A statistic in the unit bounds are in (microseconds for dates and timestamps).
    static func comparable(_ key: SortKey, _ type: DataType) -> QualityJSON {
        let scale: Int64 = type == .date ? Timestamp.microsPerDay : 1
        switch key {
        case .int(let i): return .int(i.multipliedReportingOverflow(by: scale).partialValue)
        case .double(let d): return .double(d * Double(scale))
        }
    }

    /// GE's quantile test: within [low, high] (a null bound is unbounded), or close to a bound
    /// (`numpy.isclose`, rtol 1e-4, atol 1e-8; timestamps in seconds).
    static func quantileInRange(_ value: QualityJSON, _ range: (lo: QualityJSON?, hi: QualityJSON?), temporal: Bool) -> Bool {
        let scale = temporal ? 1e-6 : 1.0
        func close(_ bound: QualityJSON?) -> Bool {
            guard let bound, let a = value.numberValue, let b = bound.numberValue else { return false }
            let x = a * scale, y = b * scale
            return abs(x - y) <= 1e-8 + 1e-4 * abs(y)
        }
        if close(range.lo) || close(range.hi) { return true }
        return NumericBounds(min: range.lo, max: range.hi).contains(value)
    }
}
