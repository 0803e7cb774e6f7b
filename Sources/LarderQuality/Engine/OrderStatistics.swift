import LarderColumnar

/// Medians and quantiles by selection, never a full sort: ``RankSelect`` narrows each needed
/// rank to a small bucket of values, which quickselect finishes.
///
/// Quantiles follow numpy's `quantile(method=...)` as pandas calls it for GE (virtual index
/// `(n−1)·q`; `nearest` rounds half to even; `linear` uses numpy's two-sided lerp); the median
/// of an even count is the mean of the two middle values, as in pandas.
enum OrderStatistics {
    /// The values at sorted ranks `ranks` (each in 0 ..< count), by selection.
    static func ranks<T: Comparable>(_ values: inout [T], _ ranks: [Int]) -> [Int: T] {
        var result: [Int: T] = [:]
        let sorted = Array(Set(ranks)).sorted()
        values.withUnsafeMutableBufferPointer { a in
            var lo = 0
            for r in sorted {
                select(a, r, lo, a.count)
                result[r] = a[r]
                lo = r + 1
            }
        }
        return result
    }

    /// Rearranges `a[lo ..< hi]` so that `a[k]` holds the value of rank `k`, smaller or equal
    /// values before it and greater or equal after (Hoare partition, median-of-three pivot;
    /// sorts the range after too many rounds).
    static func select<T: Comparable>(_ a: UnsafeMutableBufferPointer<T>, _ k: Int, _ lo0: Int, _ hi0: Int) {
        var lo = lo0, hi = hi0 - 1
        var rounds = 0
        let limit = 2 * (Int.bitWidth - max(1, hi0 - lo0).leadingZeroBitCount) + 8
        while hi > lo {
            if rounds > limit {
                var part = UnsafeMutableBufferPointer(rebasing: a[lo ... hi])
                part.sort()
                return
            }
            rounds += 1
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }

    /// The median: nil for no values; the mean of the two middle values for an even count.
    static func median(_ slices: [ColumnSlice], known: Moments? = nil, threads: Int) -> SortKey? {
        let (n, r) = RankSelect.select(slices, known: known, threads: threads) { n in n == 0 ? [] : (n % 2 == 1 ? [n / 2] : [n / 2 - 1, n / 2]) }
        guard n > 0 else { return nil }
        if n % 2 == 1 { return r[n / 2].map { .double(double($0)) } }
        guard let a = r[n / 2 - 1], let b = r[n / 2] else { return nil }
        let x = double(a), y = double(b)
        let m = (x + y) / 2
        return .double(m.isFinite || !(x.isFinite && y.isFinite) ? m : x / 2 + y / 2)
    }

    private static func double(_ k: SortKey) -> Double {
        switch k {
        case .int(let i): Double(i)
        case .double(let d): d
        }
    }

    /// numpy's quantiles at `qs` with `method`; nil entries when there are no values.
    static func quantiles(_ slices: [ColumnSlice], _ qs: [Double], _ method: QuantileMethod, known: Moments? = nil,
                          threads: Int) -> [SortKey?] {
        var plans: [(lo: Int, hi: Int, gamma: Double)] = []
        let (n, r) = RankSelect.select(slices, known: known, threads: threads) { n in
            guard n > 0 else { return [] }
            plans = qs.map { plan($0, n, method) }
            return plans.flatMap { [$0.lo, $0.hi] }
        }
        guard n > 0 else { return qs.map { _ in nil } }
        let exact = method == .nearest || method == .lower || method == .higher
        return plans.map { p in
            guard let a = r[p.lo], let b = r[p.hi] else { return nil }
            if exact { return a }
            return .double(lerp(double(a), double(b), p.gamma))
        }
    }

    /// numpy's ranks and weight for quantile `q` of `n` values: virtual index (n − 1)·q;
    /// `nearest` rounds half to even.
    static func plan(_ q: Double, _ n: Int, _ method: QuantileMethod) -> (lo: Int, hi: Int, gamma: Double) {
        let virtual = Double(n - 1) * q
        let below = virtual.rounded(.down)
        let lo = min(max(Int(below), 0), n - 1), hi = min(lo + 1, n - 1)
        switch method {
        case .nearest:
            let r = min(max(Int(virtual.rounded(.toNearestOrEven)), 0), n - 1)
            return (r, r, 0)
        case .lower: return (lo, lo, 0)
        case .higher:
            let up = min(max(Int(virtual.rounded(.up)), 0), n - 1)
            return (up, up, 0)
        case .linear: return (lo, hi, virtual - below)
        case .midpoint: return (lo, hi, virtual - below > 0 ? 0.5 : 0)
        }
    }

    /// numpy's `_lerp`: `a + (b−a)·t`, computed from `b` for `t ≥ 0.5`.
    static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }
}
