import Foundation

extension Drift {
    /// The population stability index of `current` against `reference`:
    /// `Σ (qᵢ − pᵢ) · ln(qᵢ / pᵢ)` over bins, where `pᵢ` and `qᵢ` are the reference's and the
    /// current data's shares of bin `i`.
    ///
    /// A share of 0 (in either distribution) is replaced by `epsilon` before the formula, and
    /// the shares are not renormalized; a bin empty on both sides contributes 0. Conventional
    /// reading: below 0.1 stable, 0.1 – 0.2 moderate shift, above 0.2 significant.
    ///
    /// - Parameters:
    ///   - reference: Shares per bin (adding up to 1).
    ///   - current: Shares per bin, same length as `reference`.
    ///   - epsilon: The share that stands in for an empty bin.
    /// - Returns: The index (0 when the distributions are equal), or nil when the lengths differ.
    public static func populationStabilityIndex(reference: [Double], current: [Double], epsilon: Double = 1e-4) -> Double? {
        guard reference.count == current.count else { return nil }
        var total = 0.0
        for (p0, q0) in zip(reference, current) {
            let p = p0 > 0 ? p0 : epsilon
            let q = q0 > 0 ? q0 : epsilon
            total += (q - p) * Foundation.log(q / p)
        }
        return total
    }

    /// The Jensen–Shannon distance between two distributions: the square root of the
    /// Jensen–Shannon divergence with base-2 logarithms, so it lies in 0 ... 1 (0 for equal
    /// distributions, 1 for disjoint ones). It is a metric, and finite on empty bins.
    ///
    /// - Parameters:
    ///   - reference: Shares per bin or category (adding up to 1).
    ///   - current: Shares for the same bins, same length.
    /// - Returns: The distance, or nil when the lengths differ.
    public static func jensenShannonDistance(reference: [Double], current: [Double]) -> Double? {
        guard reference.count == current.count else { return nil }
        var divergence = 0.0
        for (p, q) in zip(reference, current) {
            let m = (p + q) / 2
            if p > 0 { divergence += 0.5 * p * log2(p / m) }
            if q > 0 { divergence += 0.5 * q * log2(q / m) }
        }
        // Rounding can leave a tiny negative or a value a hair over 1.
        return min(max(divergence, 0), 1).squareRoot()
    }

    /// The L-infinity distance: the largest absolute difference between the two distributions'
    /// shares of one bin or category (TensorFlow Data Validation's categorical drift measure).
    ///
    /// - Returns: The distance in 0 ... 1, or nil when the lengths differ.
    public static func lInfinityDistance(reference: [Double], current: [Double]) -> Double? {
        guard reference.count == current.count else { return nil }
        return zip(reference, current).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
