/// Count, minimum, maximum, mean and sum of squared deviations of some doubles, mergeable.
///
/// Each batch is summarized in two passes over its values (mean, then squared deviations from
/// it) and folded in with Chan, Golub and LeVeque's pairwise update, which stays accurate where
/// a running sum of squares would cancel.
struct ProfileMoments: Hashable, Sendable {
    private(set) var count = 0
    private(set) var min = Double.infinity
    private(set) var max = -Double.infinity
    private(set) var mean = 0.0
    /// The sum of squared deviations from `mean`.
    private(set) var m2 = 0.0

    /// Folds in a batch of values (none of them NaN).
    mutating func add(_ values: [Double]) {
        guard !values.isEmpty else { return }
        var sum = 0.0
        var lo = Double.infinity, hi = -Double.infinity
        for v in values {
            sum += v
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        let batchMean = sum / Double(values.count)
        var squares = 0.0
        if batchMean.isFinite {
            for v in values {
                let d = v - batchMean
                squares += d * d
            }
        } else {
            squares = .nan
        }
        var batch = ProfileMoments()
        batch.count = values.count
        batch.min = lo
        batch.max = hi
        batch.mean = batchMean
        batch.m2 = squares
        merge(batch)
    }

    mutating func merge(_ other: ProfileMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        let newMean = (mean.isFinite && other.mean.isFinite)
            ? mean + delta * Double(other.count) / n
            : mean + other.mean   // inf + inf = inf, inf + -inf = NaN, as the true mean would be
        m2 = m2 + other.m2 + delta * delta * Double(count) * Double(other.count) / n
        mean = newMean
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// The sample standard deviation (divisor `count − 1`); 0 for a single value.
    var standardDeviation: Double {
        guard count > 1 else { return m2.isNaN ? .nan : 0 }
        return (Swift.max(m2, 0) / Double(count - 1)).squareRoot()
    }

    var summary: MomentSummary? {
        count > 0 ? MomentSummary(count: count, min: min, max: max, mean: mean,
                                  standardDeviation: standardDeviation) : nil
    }
}
