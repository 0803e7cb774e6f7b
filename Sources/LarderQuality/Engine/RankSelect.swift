import LarderColumnar

/// The values of given ranks among the present values of column slices, without gathering
/// or sorting them all: a histogram pass over the data (in parallel across slices) finds the
/// bucket each rank falls in; the next pass looks only inside that bucket, and so on until the
/// bucket is small enough to collect and select exactly, or all its values are equal.
///
/// Buckets split a value window linearly into 4096; a value's bucket is a monotonic function
/// of the value, and each window is defined by the chain of bucket choices that led to it, so
/// rounding in the bucket arithmetic can make buckets uneven but never misplaces a value.
/// Uniform data needs three passes (count and range, one histogram, one collect).
/// Integer-like values are bucketed through `Double` (monotonic, if not exact past 2^53);
/// collected values keep their exact type.
enum RankSelect {
    static let buckets = 4096
    static let collectLimit = 1 << 16

    /// One step of a window's chain: values whose bucket is `bucket`, buckets being linear
    /// over [lo, lo + buckets / scale] — or, when the window's width is not finite (infinite
    /// values), ranges of the values' order-preserving bit patterns.
    struct Step: Sendable {
        var lo: Double
        var scale: Double
        var bucket: Int
        /// Bit-pattern mode: the window's low key and the shift that maps key offsets to buckets.
        var bits: (low: UInt64, shift: UInt64)?

        init(lo: Double, hi: Double) {
            self.lo = lo
            bucket = 0
            let width = hi - lo
            if width.isFinite && width > 0 {
                scale = Double(RankSelect.buckets) / width
                bits = nil
            } else {
                scale = 0
                let low = Self.orderKey(lo), span = Self.orderKey(hi) &- low
                let significant = UInt64(64 - span.leadingZeroBitCount)
                bits = (low, significant > 12 ? significant - 12 : 0)
            }
        }

        /// The double's bits, reordered so that unsigned order is numeric order.
        @inline(__always)
        static func orderKey(_ x: Double) -> UInt64 {
            let b = x.bitPattern
            return b >> 63 == 1 ? ~b : b | (1 << 63)
        }

        @inline(__always)
        func bucketOf(_ x: Double) -> Int {
            if let bits {
                let k = Self.orderKey(x)
                guard k > bits.low else { return 0 }
                return Int(min(UInt64(RankSelect.buckets - 1), (k &- bits.low) >> bits.shift))
            }
            let b = (x - lo) * scale
            return b <= 0 ? 0 : (b >= Double(RankSelect.buckets - 1) ? RankSelect.buckets - 1 : Int(b))
        }
    }

    /// A set of values: those passing every step of `chain`.
    struct Window: Sendable {
        var chain: [Step]
        /// Present values below the window (in sorted order, before it).
        var below: Int
        var count: Int
        var min: Double
        var max: Double
    }

    /// What a pass over the slices reports for one window.
    struct PassResult: Sendable {
        var histogram: [Int]
        var count = 0
        var min = Double.infinity
        var max = -Double.infinity
        var values: [SortKey] = []
    }

    /// The number of present values, and the values at the ranks `ranks(n)` asks for (each in
    /// 0 ..< n).
    /// - Parameter known: the slices' present count, min and max, when the scan measured them.
    static func select(_ slices: [ColumnSlice], known: Moments? = nil, threads: Int,
                       ranks: (Int) -> [Int]) -> (count: Int, values: [Int: SortKey]) {
        guard !slices.isEmpty else { return (0, [:]) }
        var first = PassResult(histogram: [])
        if let known, let lo = known.min, let hi = known.max {
            first.count = known.count
            first.min = Self.double(lo)
            first.max = Self.double(hi)
        } else if let known, known.count == 0 {
            first.count = 0
        } else {
            first = pass(slices, chain: [], mapping: nil, collect: false, threads: threads)
        }
        let wanted = Array(Set(ranks(first.count))).sorted()
        guard first.count > 0, !wanted.isEmpty else { return (first.count, [:]) }
        let exactDoubles: Bool = switch slices[0].column.storage {
        case .float32, .float64, .int32: true
        default: false
        }
        var result: [Int: SortKey] = [:]
        func collect(_ chain: [Step], below: Int, _ targets: [Int]) {
            var values = pass(slices, chain: chain, mapping: nil, collect: true, threads: threads).values
            let local = OrderStatistics.ranks(&values, targets.map { $0 - below })
            for r in targets { result[r] = local[r - below] }
        }
        var work: [(Window, [Int])] = [(Window(chain: [], below: 0, count: first.count, min: first.min, max: first.max), wanted)]
        while let (window, targets) = work.popLast() {
            // Doubles hold every int32 exactly, and int64s below 2^53.
            if window.min == window.max && (exactDoubles || abs(window.min) < 9_007_199_254_740_992) {
                for r in targets { result[r] = key(window.min, slices) }
                continue
            }
            if window.count <= collectLimit || window.chain.count >= 8 {
                collect(window.chain, below: window.below, targets)
                continue
            }
            let mapping = Step(lo: window.min, hi: window.max)
            let h = pass(slices, chain: window.chain, mapping: mapping, collect: false, threads: threads).histogram
            var groups: [Int: [Int]] = [:]
            var cumulative = 0
            var b = 0
            for r in targets {
                let local = r - window.below
                while cumulative + h[b] <= local { cumulative += h[b]; b += 1 }
                groups[b, default: []].append(r)
            }
            for (bucket, rs) in groups {
                var step = mapping
                step.bucket = bucket
                let chain = window.chain + [step]
                let below = window.below + h[0 ..< bucket].reduce(0, +)
                if h[bucket] <= collectLimit {
                    collect(chain, below: below, rs)
                } else {
                    let next = pass(slices, chain: chain, mapping: nil, collect: false, threads: threads)
                    work.append((Window(chain: chain, below: below, count: next.count, min: next.min, max: next.max), rs))
                }
            }
        }
        return (first.count, result)
    }

    private static func double(_ k: SortKey) -> Double {
        switch k {
        case .int(let i): Double(i)
        case .double(let d): d
        }
    }

    /// Integer-like columns keep their exact integers; floats their doubles.
    private static func key(_ x: Double, _ slices: [ColumnSlice]) -> SortKey {
        switch slices[0].column.storage {
        case .float32, .float64: .double(x)
        default: .int(Int64(x))
        }
    }

    /// One parallel pass: count, min and max of the window's values, their histogram under
    /// `mapping`, or the values themselves.
    static func pass(_ slices: [ColumnSlice], chain: [Step], mapping: Step?, collect: Bool, threads: Int) -> PassResult {
        let groupCount = max(1, min(slices.count, threads * 4))
        let groups = (0 ..< groupCount).map { g in (slices.count * g / groupCount) ..< (slices.count * (g + 1) / groupCount) }
        let partials = (try? concurrentMap(groups, threads: threads) { range -> PassResult in
            var r = PassResult(histogram: mapping == nil ? [] : [Int](repeating: 0, count: buckets))
            for s in range { scan(slices[s], chain, mapping, collect, &r) }
            return r
        }) ?? []
        var total = PassResult(histogram: mapping == nil ? [] : [Int](repeating: 0, count: buckets))
        for p in partials {
            total.count += p.count
            total.min = Swift.min(total.min, p.min)
            total.max = Swift.max(total.max, p.max)
            for k in p.histogram.indices { total.histogram[k] += p.histogram[k] }
            total.values += p.values
        }
        return total
    }

    private static func scan(_ slice: ColumnSlice, _ chain: [Step], _ mapping: Step?, _ collect: Bool, _ r: inout PassResult) {
        let c = slice.column
        let bytes = c.validity?.bytes
        func run<T: ScanValue>(_ v: [T]) {
            v.withUnsafeBufferPointer { v in
                if let bytes {
                    bytes.withUnsafeBufferPointer { b in
                        loop(v, ValidityBits(bytes: b.baseAddress), slice.range, chain, mapping, collect, &r)
                    }
                } else {
                    loop(v, ValidityBits(bytes: nil), slice.range, chain, mapping, collect, &r)
                }
            }
        }
        switch c.storage {
        case .int32(let v): run(v)
        case .int64(let v): run(v)
        case .float32(let v): run(v)
        case .float64(let v): run(v)
        default: break
        }
    }

    @inline(__always)
    private static func loop<T: ScanValue>(_ v: UnsafeBufferPointer<T>, _ bits: ValidityBits, _ range: Range<Int>, _ chain: [Step],
                                           _ mapping: Step?, _ collect: Bool, _ r: inout PassResult) {
        var count = 0
        var lo = r.min, hi = r.max
        var values: [SortKey] = []
        chain.withUnsafeBufferPointer { chain in
            r.histogram.withUnsafeMutableBufferPointer { h in
                for i in range {
                    let raw = v[i]
                    if T.isFloating && raw.isNaNValue { continue }
                    let x = raw.double
                    var inside = true
                    for step in chain where step.bucketOf(x) != step.bucket { inside = false; break }
                    guard inside && bits.has(i) else { continue }
                    count += 1
                    if x < lo { lo = x }
                    if x > hi { hi = x }
                    if let mapping { h[mapping.bucketOf(x)] += 1 }
                    if collect { values.append(raw.sortKey) }
                }
            }
        }
        r.count += count
        r.values += values
        r.min = lo
        r.max = hi
    }
}
