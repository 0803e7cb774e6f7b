import Foundation
import LarderColumnar

/// Turns one column's counts on both sides into shares, measures and a verdict.
enum DriftMeasurement {
    static let nullLabel = "(null)"
    static let nanLabel = "(NaN)"

    static func measure(plan: DriftPlan, cuts: [Double], reference: DriftCounts, current: DriftCounts,
                        options: DriftOptions) -> ColumnDrift {
        var entry = plan.entry
        let thresholds = options.thresholds(for: plan.name)
        entry.referenceNullFraction = share(reference.nulls, of: reference.rows)
        entry.currentNullFraction = share(current.nulls, of: current.rows)

        var labels: [(label: String, lower: Double?, upper: Double?)] = []
        var p: [Double] = []
        var q: [Double] = []
        if plan.kind == .numeric {
            let type = plan.referenceType ?? .float64
            for j in 0 ... cuts.count {
                let lower = j > 0 ? cuts[j - 1] : nil
                let upper = j < cuts.count ? cuts[j] : nil
                labels.append((binLabel(lower, upper, type), lower, upper))
                p.append(share(reference.bins[j], of: reference.rows))
                q.append(share(current.bins[j], of: current.rows))
            }
        } else {
            let keys = Set(reference.categories.keys).union(current.categories.keys).sorted(by: <)
            entry.categoryCount = keys.count
            for key in keys {
                labels.append((key.text, nil, nil))
                p.append(share(reference.categories[key] ?? 0, of: reference.rows))
                q.append(share(current.categories[key] ?? 0, of: current.rows))
            }
        }
        if reference.nulls > 0 || current.nulls > 0 {
            labels.append((nullLabel, nil, nil))
            p.append(share(reference.nulls, of: reference.rows))
            q.append(share(current.nulls, of: current.rows))
        }
        if reference.nans > 0 || current.nans > 0 {
            labels.append((nanLabel, nil, nil))
            p.append(share(reference.nans, of: reference.rows))
            q.append(share(current.nans, of: current.rows))
        }

        let js = Drift.jensenShannonDistance(reference: p, current: q) ?? 0
        entry.jensenShannon = js
        var drifted = js > thresholds.jensenShannon
        if plan.kind == .numeric {
            let psi = Drift.populationStabilityIndex(reference: p, current: q, epsilon: options.psiEpsilon) ?? 0
            entry.psi = psi
            drifted = drifted || psi > thresholds.psi
        } else {
            let lInfinity = Drift.lInfinityDistance(reference: p, current: q) ?? 0
            entry.lInfinity = lInfinity
            drifted = drifted || lInfinity > thresholds.lInfinity
        }
        entry.drifted = drifted

        var bins = zip(labels, zip(p, q)).map { label, shares in
            DriftBin(label: label.label, lower: label.lower, upper: label.upper,
                     referenceFraction: shares.0, currentFraction: shares.1)
        }
        if plan.kind == .categorical, bins.count > options.reportedCategories {
            // The categories that moved most; ties by label for a stable report.
            bins = bins.sorted { a, b in
                let da = abs(a.referenceFraction - a.currentFraction), db = abs(b.referenceFraction - b.currentFraction)
                return da != db ? da > db : a.label < b.label
            }
            bins = Array(bins.prefix(options.reportedCategories))
        }
        entry.bins = bins
        return entry
    }

    static func share(_ count: Int, of rows: Int) -> Double {
        rows > 0 ? Double(count) / Double(rows) : 0
    }

    /// `≤ c`, `(a, b]`, `> c`, or `all values` when there are no cuts.
    static func binLabel(_ lower: Double?, _ upper: Double?, _ type: DataType) -> String {
        switch (lower, upper) {
        case (nil, let u?): "≤ \(format(u, type))"
        case (let l?, let u?): "(\(format(l, type)), \(format(u, type))]"
        case (let l?, nil): "> \(format(l, type))"
        case (nil, nil): "all values"
        }
    }

    /// A bound as text: timestamps and dates in ISO 8601, whole numbers without a fraction,
    /// others to six significant digits (the exact bounds are in `lower` and `upper`).
    static func format(_ value: Double, _ type: DataType) -> String {
        switch type {
        case .timestamp where abs(value) < 9e15: return Timestamp.iso8601(micros: Int64(value))
        case .date where abs(value) < 2e9: return Timestamp.isoDate(days: Int32(value))
        default:
            if value == value.rounded(), abs(value) < 1e15 { return "\(Int64(value))" }
            return String(format: "%.6g", value)
        }
    }
}
