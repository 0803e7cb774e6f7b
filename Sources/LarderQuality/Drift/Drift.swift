import LarderColumnar

/// Distribution drift between two versions of a table (or a training set and current data).
///
/// ```swift
/// let report = try Drift.compare(reference: version3Batches, current: version7Batches)
/// if report.drifted { print(report.driftedColumns) }
/// ```
///
/// - Numeric columns (integers, floats, dates, timestamps): the reference's values are cut
///   into ``DriftOptions/binCount`` bins at its quantiles (deciles by default, nearest rank;
///   bin `j` holds `cⱼ < x ≤ cⱼ₊₁`), both sides are counted into those bins, and the
///   population stability index and the Jensen–Shannon distance are computed on the shares.
/// - Categorical columns (strings, bools): the shares of every category, and the L-infinity
///   distance (as TensorFlow Data Validation) and the Jensen–Shannon distance.
/// - Nulls are a bin (or category) of their own, and NaN another, whenever either side has
///   any, so a column that starts filling with nulls drifts. Shares are of all rows.
///
/// Columns missing on one side, or whose types cannot be compared, are listed with a status
/// instead of measures. Each side is read twice at most (the reference once for its quantiles,
/// then both sides once for counts), batches in parallel.
public enum Drift {
    /// Compares `current` against `reference`.
    ///
    /// - Parameters:
    ///   - reference: The baseline rows; all batches must share a schema. Pass
    ///     `[RecordBatch.empty(schema)]` for an empty version, so its columns are known.
    ///   - current: The rows to check, likewise.
    ///   - options: Bins, epsilon, thresholds (overall and per column), column selection.
    /// - Returns: The per-column measures and the overall verdict.
    /// - Throws: ``DriftError`` `.schemaMismatch` when one side's batches differ in columns,
    ///   `.unknownColumn` when `options.columns` names a column neither side has,
    ///   `.invalidOptions` for unusable options.
    public static func compare(reference: [RecordBatch], current: [RecordBatch],
                               options: DriftOptions = DriftOptions()) throws -> DriftReport {
        try options.validate()
        let referenceSchema = try commonSchema(reference, side: "reference")
        let currentSchema = try commonSchema(current, side: "current")
        let referenceRows = reference.reduce(0) { $0 + $1.rowCount }
        let currentRows = current.reduce(0) { $0 + $1.rowCount }
        let plans = try DriftPlan.make(referenceSchema, currentSchema, options: options)

        let measured = plans.filter { $0.kind != nil }
        let bothSidesHaveRows = referenceRows > 0 && currentRows > 0
        var cuts: [[Double]] = Array(repeating: [], count: plans.count)
        var counts: [(reference: DriftCounts, current: DriftCounts)] = []
        if bothSidesHaveRows, !measured.isEmpty {
            cuts = try referenceCuts(plans, reference, options)
            counts = try countBoth(plans, cuts, reference, current, options)
        }

        var columns: [ColumnDrift] = []
        for (i, plan) in plans.enumerated() {
            var entry = plan.entry
            if plan.kind != nil {
                if bothSidesHaveRows {
                    entry = DriftMeasurement.measure(plan: plan, cuts: cuts[i], reference: counts[i].reference,
                                                     current: counts[i].current, options: options)
                } else {
                    entry.status = .empty
                    entry.message = referenceRows == 0 && currentRows == 0 ? "neither side has rows"
                        : referenceRows == 0 ? "the reference has no rows" : "the current data has no rows"
                }
            }
            columns.append(entry)
        }
        return DriftReport(referenceRowCount: referenceRows, currentRowCount: currentRows, columns: columns,
                           binCount: options.binCount, psiEpsilon: options.psiEpsilon)
    }

    /// The schema every batch of one side shares (an empty schema for no batches).
    private static func commonSchema(_ batches: [RecordBatch], side: String) throws -> Schema {
        guard let first = batches.first else { return try Schema([]) }
        for (index, batch) in batches.enumerated().dropFirst() where !ProfileAccumulator.sameColumns(first.schema, batch.schema) {
            throw DriftError(.schemaMismatch,
                             "\(side) batch \(index) has columns \(batch.schema) but batch 0 has \(first.schema)")
        }
        return first.schema
    }

    /// Pass 1: the reference's quantile cuts per numeric column.
    private static func referenceCuts(_ plans: [DriftPlan], _ reference: [RecordBatch],
                                      _ options: DriftOptions) throws -> [[Double]] {
        let numeric = plans.indices.filter { plans[$0].kind == .numeric }
        guard !numeric.isEmpty else { return Array(repeating: [], count: plans.count) }
        let partials = try concurrentMap(reference, threads: options.threads) { batch -> [ProfileQuantiles] in
            numeric.map { i in
                var q = ProfileQuantiles(exactLimit: options.exactQuantileLimit)
                if let index = plans[i].referenceIndex {
                    q.append(contentsOf: DriftCounts.numericValues(batch.columns[index]).values)
                }
                return q
            }
        }
        var cuts: [[Double]] = Array(repeating: [], count: plans.count)
        for (k, i) in numeric.enumerated() {
            var merged = ProfileQuantiles(exactLimit: options.exactQuantileLimit)
            for partial in partials { merged.merge(partial[k]) }
            let sorted = merged.finish()
            var points: [Double] = []
            for j in 1 ..< options.binCount {
                if let c = sorted.quantile(Double(j) / Double(options.binCount)), points.last.map({ c > $0 }) ?? true {
                    points.append(c)
                }
            }
            cuts[i] = points
        }
        return cuts
    }

    /// Pass 2: counts per bin or category on both sides.
    private static func countBoth(_ plans: [DriftPlan], _ cuts: [[Double]], _ reference: [RecordBatch],
                                  _ current: [RecordBatch], _ options: DriftOptions)
        throws -> [(reference: DriftCounts, current: DriftCounts)] {
        let work = reference.map { (true, $0) } + current.map { (false, $0) }
        let partials = try concurrentMap(work, threads: options.threads) { item -> [DriftCounts] in
            let (isReference, batch) = item
            return plans.indices.map { i in
                let plan = plans[i]
                var c = DriftCounts(bins: plan.kind == .numeric ? cuts[i].count + 1 : 0)
                if plan.kind != nil, let index = isReference ? plan.referenceIndex : plan.currentIndex {
                    c.add(batch.columns[index], cuts: cuts[i])
                }
                return c
            }
        }
        var out = plans.indices.map { i -> (reference: DriftCounts, current: DriftCounts) in
            let bins = plans[i].kind == .numeric ? cuts[i].count + 1 : 0
            return (DriftCounts(bins: bins), DriftCounts(bins: bins))
        }
        for (k, partial) in partials.enumerated() {
            let isReference = k < reference.count
            for i in plans.indices {
                if isReference { out[i].reference.merge(partial[i]) } else { out[i].current.merge(partial[i]) }
            }
        }
        return out
    }
}

/// What to do with one column name: where it is on each side and which measures apply.
struct DriftPlan: Sendable {
    var name: String
    var referenceIndex: Int?
    var currentIndex: Int?
    var referenceType: DataType?
    var currentType: DataType?
    /// Nil when the column is not measured (see `entry.status`).
    var kind: ColumnDrift.Kind?
    /// The report entry for a column that is not measured (or the start of one that is).
    var entry: ColumnDrift

    static func make(_ reference: Schema, _ current: Schema, options: DriftOptions) throws -> [DriftPlan] {
        var names = reference.names
        for name in current.names where reference.index(of: name) == nil { names.append(name) }
        if let selected = options.columns {
            for name in selected where !names.contains(name) {
                throw DriftError(.unknownColumn, "no such column on either side; the reference has \(reference.names), the current data \(current.names)", column: name)
            }
            names = names.filter { selected.contains($0) }
        }
        return names.map { name in
            let r = reference.index(of: name), c = current.index(of: name)
            let rt = r.map { reference.fields[$0].type }, ct = c.map { current.fields[$0].type }
            var entry = ColumnDrift(name: name, status: .compared, referenceType: rt?.description,
                                    currentType: ct?.description, thresholds: options.thresholds(for: name))
            var kind: ColumnDrift.Kind?
            switch (rt, ct) {
            case (_?, nil):
                entry.status = .onlyInReference
                entry.message = "the current data has no column '\(name)'"
            case (nil, _?):
                entry.status = .onlyInCurrent
                entry.message = "the reference has no column '\(name)'"
            case (let a?, let b?):
                if let ga = group(a), let gb = group(b) {
                    if ga == gb {
                        kind = ga == "string" || ga == "bool" ? .categorical : .numeric
                    } else {
                        entry.status = .typeMismatch
                        entry.message = "\(a) in the reference, \(b) in the current data"
                    }
                } else {
                    entry.status = a == b ? .unsupportedType : .typeMismatch
                    entry.message = a == b ? "no drift measure for \(a) columns" : "\(a) in the reference, \(b) in the current data"
                }
            case (nil, nil):
                break
            }
            entry.kind = kind
            if kind == nil { entry.thresholds = nil }
            return DriftPlan(name: name, referenceIndex: r, currentIndex: c, referenceType: rt, currentType: ct,
                             kind: kind, entry: entry)
        }
    }

    /// Types that compare with each other: numbers of any width, timestamps, dates, strings,
    /// bools; nil for types without a measure.
    static func group(_ type: DataType) -> String? {
        switch type {
        case .int32, .int64, .float32, .float64: "number"
        case .timestamp: "timestamp"
        case .date: "date"
        case .string: "string"
        case .bool: "bool"
        case .binary, .vector: nil
        }
    }
}
