import LarderColumnar

/// Medians and quantiles by selection (no full sort): the present values are gathered into
/// one array, then each needed rank is put in place by quickselect on the part of the array
/// the previous rank left unsorted.
///
/// Quantiles follow numpy's `quantile(method=...)` as pandas calls it for GE (virtual index
/// `(n−1)·q`; `nearest` rounds half to even; `linear` uses numpy's two-sided lerp); the median
/// of an even count is the mean of the two middle values, as in pandas.
enum OrderStatistics {
    /// The present values of `slices`: integer-like columns as `Int64`, floats as `Double`.
    enum Values {
        case ints([Int64])
        case doubles([Double])

        var count: Int {
            switch self {
            case .ints(let v): v.count
            case .doubles(let v): v.count
            }
        }
    }

    static func gather(_ slices: [ColumnSlice]) -> Values {
        let total = slices.reduce(0) { $0 + $1.count }
        guard let first = slices.first else { return .doubles([]) }
        switch first.column.storage {
        case .float32, .float64:
            var out = [Double]()
            out.reserveCapacity(total)
            for s in slices {
                let hasValidity = s.column.validity != nil
                switch s.column.storage {
                case .float64(let v):
                    for i in s.range { let x = v[i]; if !x.isNaN && (!hasValidity || s.column.isValid(i)) { out.append(x) } }
                case .float32(let v):
                    for i in s.range { let x = Double(v[i]); if !x.isNaN && (!hasValidity || s.column.isValid(i)) { out.append(x) } }
                default: break
                }
            }
            return .doubles(out)
        default:
            var out = [Int64]()
            out.reserveCapacity(total)
            for s in slices {
                let hasValidity = s.column.validity != nil
                switch s.column.storage {
                case .int64(let v):
                    if hasValidity { for i in s.range where s.column.isValid(i) { out.append(v[i]) } } else { out += v[s.range] }
                case .int32(let v):
                    for i in s.range where !hasValidity || s.column.isValid(i) { out.append(Int64(v[i])) }
                default: break
                }
            }
            return .ints(out)
        }
    }

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
    static func median(_ values: Values) -> SortKey? {
        let n = values.count
        guard n > 0 else { return nil }
        let needed = n % 2 == 1 ? [n / 2] : [n / 2 - 1, n / 2]
        switch values {
        case .ints(var v):
            let r = ranks(&v, needed)
            guard n % 2 == 0 else { return r[n / 2].map { .double(Double($0)) } }
            guard let a = r[n / 2 - 1], let b = r[n / 2] else { return nil }
            return .double((Double(a) + Double(b)) / 2)
        case .doubles(var v):
            let r = ranks(&v, needed)
            guard n % 2 == 0 else { return r[n / 2].map { .double($0) } }
            guard let a = r[n / 2 - 1], let b = r[n / 2] else { return nil }
            let m = (a + b) / 2
            return .double(m.isFinite || !(a.isFinite && b.isFinite) ? m : a / 2 + b / 2)
        }
    }

    /// numpy's quantiles of `values` at `qs` with `method`; nil entries when there are no values.
    static func quantiles(_ values: Values, _ qs: [Double], _ method: QuantileMethod) -> [SortKey?] {
        let n = values.count
        guard n > 0 else { return qs.map { _ in nil } }
        // numpy's virtual index for these methods: (n - 1) * q.
        let plans: [(lo: Int, hi: Int, gamma: Double)] = qs.map { q in
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
        let needed = plans.flatMap { [$0.lo, $0.hi] }
        let exact = method == .nearest || method == .lower || method == .higher
        switch values {
        case .ints(var v):
            let r = ranks(&v, needed)
            return plans.map { p in
                guard let a = r[p.lo], let b = r[p.hi] else { return nil }
                return exact ? .int(a) : .double(lerp(Double(a), Double(b), p.gamma))
            }
        case .doubles(var v):
            let r = ranks(&v, needed)
            return plans.map { p in
                guard let a = r[p.lo], let b = r[p.hi] else { return nil }
                return .double(exact ? a : lerp(a, b, p.gamma))
            }
        }
    }

    /// numpy's `_lerp`: `a + (b−a)·t`, computed from `b` for `t ≥ 0.5`.
    static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }
}
