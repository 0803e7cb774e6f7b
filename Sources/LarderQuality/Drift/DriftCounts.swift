import LarderColumnar

/// Counts of one column on one side: per numeric bin, or per category; plus nulls and NaN.
/// Mergeable, so batches are counted in parallel.
struct DriftCounts: Sendable {
    var bins: [Int]
    var categories: [ProfileBytes: Int] = [:]
    var nulls = 0
    var nans = 0
    var rows = 0

    init(bins: Int) {
        self.bins = Array(repeating: 0, count: bins)
    }

    mutating func add(_ column: Column, cuts: [Double]) {
        rows += column.count
        switch column.storage {
        case .bytes(let offsets, let data):
            nulls += column.nullCount
            for (key, count) in ProfileByteCounts.count(offsets: offsets, data: data, isValid: column.isValid) {
                categories[key, default: 0] += count
            }
        case .bool(let values):
            var trues = 0, falses = 0
            for i in 0 ..< values.count {
                guard column.isValid(i) else { nulls += 1; continue }
                if values[i] { trues += 1 } else { falses += 1 }
            }
            if trues > 0 { categories[Self.trueKey, default: 0] += trues }
            if falses > 0 { categories[Self.falseKey, default: 0] += falses }
        default:
            let (values, nullCount, nanCount) = Self.numericValues(column)
            nulls += nullCount
            nans += nanCount
            for v in values { bins[Self.bin(of: v, cuts: cuts)] += 1 }
        }
    }

    mutating func merge(_ other: DriftCounts) {
        for i in bins.indices where i < other.bins.count { bins[i] += other.bins[i] }
        categories.merge(other.categories, uniquingKeysWith: +)
        nulls += other.nulls
        nans += other.nans
        rows += other.rows
    }

    static let trueKey = ProfileBytes(bytes: Array("true".utf8))
    static let falseKey = ProfileBytes(bytes: Array("false".utf8))

    /// Bin `j` holds `cuts[j − 1] < x ≤ cuts[j]`: the number of cuts strictly below `x`.
    static func bin(of x: Double, cuts: [Double]) -> Int {
        var lo = 0, hi = cuts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cuts[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The non-null, non-NaN values of a numeric column as doubles, with its null and NaN
    /// counts (dates in days, timestamps in microseconds).
    static func numericValues(_ column: Column) -> (values: [Double], nulls: Int, nans: Int) {
        var values: [Double] = []
        values.reserveCapacity(column.count - column.nullCount)
        var nans = 0
        func collect<T>(_ buffer: [T], _ convert: (T) -> Double) {
            for i in 0 ..< buffer.count where column.isValid(i) {
                let v = convert(buffer[i])
                if v.isNaN { nans += 1 } else { values.append(v) }
            }
        }
        switch column.storage {
        case .int32(let b): collect(b) { Double($0) }
        case .int64(let b): collect(b) { Double($0) }
        case .float32(let b): collect(b) { Double($0) }
        case .float64(let b): collect(b) { $0 }
        default: break
        }
        return (values, column.nullCount, nans)
    }
}
