/// GE's result of a map (per-row) expectation from its counts and unexpected rows, as GE's
/// `_format_map_output` lays it out per result format.
struct MapResultFormatter {
    let format: ResultFormat
    let partialCount: Int
    /// How a value is counted in `partial_unexpected_counts` (GE counts a multi-column row's
    /// values as a tuple, written as an array).
    var countKey: (QualityJSON) -> QualityJSON = { $0 }

    /// GE's `_mostly_success`: (considered − unexpected) / considered ≥ mostly, true when
    /// nothing was considered.
    static func success(considered: Int, unexpected: Int, mostly: Double) -> Bool {
        guard considered > 0 else { return true }
        let c = Double(considered), u = Double(unexpected)
        return (c - u) / c >= mostly
    }

    /// - Parameters:
    ///   - elementCount: the table's rows.
    ///   - nonMissing: rows judged; nil for not-null / null, whose results have no missing
    ///     fields (their percent is over every row).
    ///   - kept: the first unexpected rows (all of them for COMPLETE), in row order.
    func details(elementCount: Int, nonMissing: Int?, unexpected: Int, kept: [KeptRow]) -> ExpectationResultDetails {
        var d = ExpectationResultDetails()
        guard format != .booleanOnly else { return d }
        d.elementCount = elementCount
        d.unexpectedCount = unexpected
        if elementCount > 0 {
            let total = Double(unexpected) / Double(elementCount) * 100
            if let nonMissing {
                let missing = elementCount - nonMissing
                d.missingPercent = Double(missing) / Double(elementCount) * 100
                d.unexpectedPercentTotal = total
                d.unexpectedPercentNonmissing = nonMissing > 0 ? Double(unexpected) / Double(nonMissing) * 100 : nil
                d.unexpectedPercent = d.unexpectedPercentNonmissing
            } else {
                d.unexpectedPercent = total
            }
        }
        if let nonMissing { d.missingCount = elementCount - nonMissing }
        let partial = Array(kept.prefix(partialCount))
        d.partialUnexpectedList = partial.map(\.value)
        guard format != .basic else { return d }
        if partialCount > 0 {
            d.partialUnexpectedCounts = Self.counts(partial.map { countKey($0.value) })
            d.partialUnexpectedIndexList = partial.map(\.row)
        }
        guard format == .complete else { return d }
        d.unexpectedList = kept.map(\.value)
        d.unexpectedIndexList = kept.map(\.row)
        return d
    }

    /// Value counts, most frequent first, ties by value (GE sorts by (−count, value)).
    static func counts(_ values: [QualityJSON]) -> [UnexpectedValueCount] {
        var counts: [QualityJSON: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return counts.map { UnexpectedValueCount(value: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }
}
