/// The values of one numeric column, kept for quantiles and histograms: every value while the
/// column holds at most `exactLimit` of them, then a KLL sketch (Karnin, Lang and Liberty,
/// "Optimal Quantile Approximation in Streams", 2016).
///
/// Quantiles use the *nearest rank* rule of numpy's and pandas' `nearest` method (which Great
/// Expectations' pandas engine uses): the `q`-quantile of `n` sorted values is the value at
/// index `round(q × (n − 1))`, rounding halves to even. It is always one of the values. With the
/// sketch, the same index is looked up in the sketch's weighted items (rank error of about
/// 1.5% of `n` with the default `k`).
struct ProfileQuantiles: Sendable {
    let exactLimit: Int
    private var values: [Double]? = []
    private var sketch: ProfileKLL?

    init(exactLimit: Int) {
        self.exactLimit = max(exactLimit, 0)
    }

    var isExact: Bool { sketch == nil }

    mutating func append(contentsOf batch: [Double]) {
        if var sketch {
            self.sketch = nil
            sketch.add(contentsOf: batch)
            self.sketch = sketch
        } else if var values {
            self.values = nil
            values.append(contentsOf: batch)
            if values.count > exactLimit {
                sketch = ProfileKLL(values)
            } else {
                self.values = values
            }
        }
    }

    mutating func merge(_ other: ProfileQuantiles) {
        switch (sketch, other.sketch) {
        case (nil, nil):
            append(contentsOf: other.values ?? [])
        case (var mine?, let theirs?):
            sketch = nil
            mine.merge(theirs)
            sketch = mine
        case (var mine?, nil):
            sketch = nil
            mine.add(contentsOf: other.values ?? [])
            sketch = mine
        case (nil, var theirs?):
            theirs.add(contentsOf: values ?? [])
            values = nil
            sketch = theirs
        }
    }

    /// The finished summary: sorted values with weights (all weights 1 when exact).
    func finish() -> ProfileSortedValues {
        if let sketch { return sketch.sorted() }
        let sorted = (values ?? []).sorted()
        return ProfileSortedValues(values: sorted, weights: nil, isExact: true)
    }
}

/// Sorted values, each standing for `weights[i]` original values (1 when `weights` is nil),
/// answering quantile and histogram queries.
struct ProfileSortedValues: Sendable {
    let values: [Double]
    /// Cumulative weights: `cumulative[i]` is the number of original values up to and
    /// including item `i`; nil when every weight is 1.
    private let cumulative: [Int]?
    let isExact: Bool

    init(values: [Double], weights: [Int]?, isExact: Bool) {
        self.values = values
        self.isExact = isExact
        if let weights {
            var running = 0
            cumulative = weights.map { running += $0; return running }
        } else {
            cumulative = nil
        }
    }

    /// The number of original values.
    var count: Int { cumulative?.last ?? values.count }

    /// The nearest-rank quantile (see ``ProfileQuantiles``), or nil when there are no values.
    func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let clamped = min(max(q, 0), 1)
        let index = Int((clamped * Double(count - 1)).rounded(.toNearestOrEven))
        guard let cumulative else { return values[index] }
        // The first item whose cumulative weight passes the index.
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > index { hi = mid } else { lo = mid + 1 }
        }
        return values[lo]
    }

    /// Counts per bin of `edges` (ascending, `bins + 1` of them): bin `i` holds
    /// `edges[i] <= x < edges[i + 1]`, the last bin also `x == edges.last`; values below the
    /// first edge go to the first bin and above the last edge to the last (so infinities land
    /// in the end bins).
    func histogram(edges: [Double]) -> [Int] {
        let bins = max(edges.count - 1, 1)
        var counts = [Int](repeating: 0, count: bins)
        for (i, v) in values.enumerated() {
            let weight = cumulative.map { i == 0 ? $0[0] : $0[i] - $0[i - 1] } ?? 1
            counts[Self.bin(of: v, edges: edges, bins: bins)] += weight
        }
        return counts
    }

    static func bin(of v: Double, edges: [Double], bins: Int) -> Int {
        guard edges.count >= 2 else { return 0 }
        // Last edge with edges[k] <= v, clamped into 0 ..< bins.
        var lo = 0, hi = edges.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if edges[mid] <= v { lo = mid } else { hi = mid - 1 }
        }
        return min(lo, bins - 1)
    }
}
