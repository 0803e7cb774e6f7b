import LarderColumnar

/// The mergeable statistics of one column while a profile is being computed: one is filled per
/// batch (in parallel), then they are merged in batch order and finished into a
/// ``ColumnProfile``.
struct ProfileColumnState: Sendable {
    let name: String
    let type: DataType
    private(set) var rows = 0
    private(set) var nulls = 0
    private var numeric: ProfileNumericState?
    private var strings: ProfileStringState?
    private var bools: ProfileFrequencies<Bool>?
    private var binary: ProfileLengthState?
    private var vectors: ProfileVectorState?

    init(name: String, type: DataType, options: ProfileOptions) {
        self.name = name
        self.type = type
        switch type {
        case .int32, .int64, .date, .timestamp, .float32, .float64:
            numeric = ProfileNumericState(isInteger: !(type == .float32 || type == .float64), options: options)
        case .string: strings = ProfileStringState(options: options)
        case .bool: bools = ProfileFrequencies(limit: options.exactDistinctLimit)
        case .binary: binary = ProfileLengthState()
        case .vector(let d): vectors = ProfileVectorState(dimension: d)
        }
    }

    mutating func add(_ column: Column) {
        rows += column.count
        nulls += column.nullCount
        let valid: (Int) -> Bool = { column.isValid($0) }
        switch column.storage {
        case .int32(let v): numeric?.addIntegers(v, valid)
        case .int64(let v): numeric?.addIntegers(v, valid)
        case .float32(let v): numeric?.addFloats(v, valid)
        case .float64(let v): numeric?.addFloats(v, valid)
        case .bool(let v):
            for i in 0 ..< v.count where valid(i) { bools?.add(v[i]) }
        case .bytes(let offsets, let data):
            if type == .string {
                strings?.add(offsets: offsets, data: data, valid)
            } else {
                for i in 0 ..< max(offsets.count - 1, 0) where valid(i) {
                    binary?.add(length: offsets[i + 1] - offsets[i])
                }
            }
        case .vector(let d, let values): vectors?.add(dimension: d, values: values, valid)
        }
    }

    mutating func merge(_ other: ProfileColumnState) {
        rows += other.rows
        nulls += other.nulls
        if let o = other.numeric { numeric?.merge(o) }
        if let o = other.strings { strings?.merge(o) }
        if let o = other.bools { bools?.merge(o) }
        if let o = other.binary { binary?.merge(o) }
        if let o = other.vectors { vectors?.merge(o) }
    }

    func finish(options: ProfileOptions) -> ColumnProfile {
        var profile = ColumnProfile(name: name, type: type.description, rowCount: rows, nullCount: nulls)
        if let numeric {
            profile.nanCount = numeric.nanCount
            profile.distinct = DistinctCount(count: numeric.frequencies.distinctCount, isExact: numeric.frequencies.isExact)
            profile.numeric = numeric.summary(options: options)
            let lowCardinality = numeric.frequencies.isExact
                && numeric.frequencies.distinctCount <= options.lowCardinalityLimit
            if numeric.isInteger, type != .date, type != .timestamp, lowCardinality {
                profile.topValues = Self.top(numeric.frequencies, options,
                                             text: { "\(Int64(bitPattern: $0))" },
                                             order: { Int64(bitPattern: $0) < Int64(bitPattern: $1) })
            }
        }
        if let strings {
            profile.distinct = DistinctCount(count: strings.frequencies.distinctCount, isExact: strings.frequencies.isExact)
            profile.lengths = strings.lengths.summary
            profile.topValues = Self.top(strings.frequencies, options, text: \.text, order: <)
        }
        if let bools {
            profile.distinct = DistinctCount(count: bools.distinctCount, isExact: bools.isExact)
            profile.topValues = Self.top(bools, options, text: { $0 ? "true" : "false" }, order: { !$0 && $1 })
        }
        if let binary { profile.lengths = binary.summary }
        if let vectors { profile.vector = vectors.summary }
        return profile
    }

    private static func top<K>(_ f: ProfileFrequencies<K>, _ options: ProfileOptions,
                               text: (K) -> String, order: (K, K) -> Bool) -> TopValues? {
        guard f.total > 0 else { return nil }
        let top = f.top(options.topValueCount, by: order)
        let shown = top.reduce(0) { $0 + $1.count }
        return TopValues(values: top.map { ValueCount(value: text($0.key), count: $0.count) },
                         isExact: f.isExact, otherCount: f.total - shown)
    }
}

/// Numeric, date and timestamp columns.
struct ProfileNumericState: Sendable {
    let isInteger: Bool
    var moments = ProfileMoments()
    var intMin = Int64.max
    var intMax = Int64.min
    var nanCount = 0
    var quantiles: ProfileQuantiles
    /// Keys: integers as their two's-complement bits, floats as their bits with -0.0 as 0.0.
    var frequencies: ProfileFrequencies<UInt64>

    init(isInteger: Bool, options: ProfileOptions) {
        self.isInteger = isInteger
        quantiles = ProfileQuantiles(exactLimit: options.exactQuantileLimit)
        // Numeric top values are shown only while exact, so no summary is kept past the limit.
        frequencies = ProfileFrequencies(limit: options.exactDistinctLimit, keepsSummary: false)
    }

    mutating func addIntegers<T: FixedWidthInteger>(_ values: [T], _ valid: (Int) -> Bool) {
        var doubles: [Double] = []
        doubles.reserveCapacity(values.count)
        for i in 0 ..< values.count where valid(i) {
            let v = Int64(values[i])
            if v < intMin { intMin = v }
            if v > intMax { intMax = v }
            doubles.append(Double(v))
            frequencies.add(UInt64(bitPattern: v))
        }
        moments.add(doubles)
        quantiles.append(contentsOf: doubles)
    }

    mutating func addFloats<T: BinaryFloatingPoint>(_ values: [T], _ valid: (Int) -> Bool) {
        var doubles: [Double] = []
        doubles.reserveCapacity(values.count)
        for i in 0 ..< values.count where valid(i) {
            let v = Double(values[i])
            if v.isNaN {
                nanCount += 1
                continue
            }
            doubles.append(v)
            frequencies.add(v == 0 ? 0 : v.bitPattern)
        }
        moments.add(doubles)
        quantiles.append(contentsOf: doubles)
    }

    mutating func merge(_ other: ProfileNumericState) {
        moments.merge(other.moments)
        intMin = min(intMin, other.intMin)
        intMax = max(intMax, other.intMax)
        nanCount += other.nanCount
        quantiles.merge(other.quantiles)
        frequencies.merge(other.frequencies)
    }

    func summary(options: ProfileOptions) -> NumericSummary? {
        guard moments.count > 0 else { return nil }
        let sorted = quantiles.finish()
        // p0 and p100 are the exact range even when the rest come from the sketch.
        let qs = ProfileOptions.standardQuantiles.compactMap { p -> ProfileQuantile? in
            if p == 0 { return ProfileQuantile(probability: p, value: moments.min) }
            if p == 1 { return ProfileQuantile(probability: p, value: moments.max) }
            return sorted.quantile(p).map { ProfileQuantile(probability: p, value: $0) }
        }
        return NumericSummary(
            count: moments.count,
            min: isInteger ? .int(intMin) : .double(moments.min),
            max: isInteger ? .int(intMax) : .double(moments.max),
            mean: moments.mean, standardDeviation: moments.standardDeviation,
            quantiles: qs, quantilesExact: sorted.isExact,
            histogram: Self.histogram(sorted, bins: options.histogramBins))
    }

    /// Equal-width bins between the smallest and largest finite values.
    static func histogram(_ sorted: ProfileSortedValues, bins: Int) -> NumericHistogram {
        let finite = sorted.values.filter(\.isFinite)
        guard let lo = finite.first, let hi = finite.last else {
            // Only infinities: one bin spanning them.
            let edges = [sorted.values.first ?? 0, sorted.values.last ?? 0]
            return NumericHistogram(edges: edges, counts: [sorted.count])
        }
        guard hi > lo else { return NumericHistogram(edges: [lo, hi], counts: [sorted.count]) }
        // Interpolated rather than lo + i × width, which overflows when hi − lo exceeds the
        // largest double.
        var edges = (0 ..< bins).map { i -> Double in
            let t = Double(i) / Double(bins)
            return lo * (1 - t) + hi * t
        }
        edges.append(hi)
        return NumericHistogram(edges: edges, counts: sorted.histogram(edges: edges))
    }
}

/// String columns: lengths in code points and value frequencies.
struct ProfileStringState: Sendable {
    var lengths = ProfileLengthState()
    var frequencies: ProfileFrequencies<ProfileBytes>

    init(options: ProfileOptions) {
        frequencies = ProfileFrequencies(limit: options.exactDistinctLimit)
    }

    mutating func add(offsets: [Int], data: [UInt8], _ valid: (Int) -> Bool) {
        var lengths = self.lengths
        let distinct = ProfileByteCounts.count(offsets: offsets, data: data, isValid: valid) { value in
            // Code points: every byte that does not continue a UTF-8 sequence.
            var scalars = 0
            for b in value where b & 0xC0 != 0x80 { scalars += 1 }
            lengths.add(length: scalars)
        }
        self.lengths = lengths
        for (key, count) in distinct { frequencies.add(key, count: count) }
    }

    mutating func merge(_ other: ProfileStringState) {
        lengths.merge(other.lengths)
        frequencies.merge(other.frequencies)
    }
}

/// Value lengths of string or binary columns.
struct ProfileLengthState: Sendable {
    var count = 0
    var min = Int.max
    var max = Int.min
    var total = 0
    var empty = 0

    mutating func add(length: Int) {
        count += 1
        total += length
        if length < min { min = length }
        if length > max { max = length }
        if length == 0 { empty += 1 }
    }

    mutating func merge(_ other: ProfileLengthState) {
        count += other.count
        total += other.total
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        empty += other.empty
    }

    var summary: LengthSummary? {
        count > 0 ? LengthSummary(min: min, max: max, mean: Double(total) / Double(count), emptyCount: empty) : nil
    }
}

/// Vector columns: L2 norms of the rows.
struct ProfileVectorState: Sendable {
    let dimension: Int
    var nanVectors = 0
    var zeroVectors = 0
    var norms = ProfileMoments()

    init(dimension: Int) { self.dimension = dimension }

    mutating func add(dimension d: Int, values: [Float], _ valid: (Int) -> Bool) {
        guard d > 0 else { return }
        var batch: [Double] = []
        for row in 0 ..< values.count / d where valid(row) {
            var sum = 0.0
            for k in row * d ..< (row + 1) * d {
                let x = Double(values[k])
                sum += x * x
            }
            if sum.isNaN {
                nanVectors += 1
                continue
            }
            if sum == 0 { zeroVectors += 1 }
            batch.append(sum.squareRoot())
        }
        norms.add(batch)
    }

    mutating func merge(_ other: ProfileVectorState) {
        nanVectors += other.nanVectors
        zeroVectors += other.zeroVectors
        norms.merge(other.norms)
    }

    var summary: VectorSummary {
        VectorSummary(dimension: dimension, nanVectorCount: nanVectors, zeroVectorCount: zeroVectors,
                      norms: norms.summary)
    }
}
