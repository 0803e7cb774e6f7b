/// The statistics of one column, as ``Profiler/profile(_:schema:options:)`` computes them.
///
/// Which parts are present depends on the column's type:
///
/// | type | parts |
/// | --- | --- |
/// | int32, int64, date, timestamp | `numeric`, `distinct`; `topValues` when at most ``ProfileOptions/lowCardinalityLimit`` distinct values (dates and timestamps excepted) |
/// | float32, float64 | `numeric`, `distinct`, `nanCount` |
/// | string | `lengths` (Unicode code points, as Python's `len`), `distinct`, `topValues` |
/// | bool | `distinct`, `topValues` |
/// | binary | `lengths` (bytes) |
/// | vector | `vector` |
///
/// NaN is neither null nor a value: it is counted in `nanCount` and left out of every other
/// statistic. Nulls are left out of everything but `nullCount` and `rowCount`.
public struct ColumnProfile: Hashable, Sendable, Codable {
    /// The column's name.
    public var name: String
    /// The column's type, as `DataType.description` spells it (`int64`, `string`,
    /// `array<float32>[4]`, ...).
    public var type: String
    /// The number of rows, nulls included.
    public var rowCount: Int
    /// The number of null rows.
    public var nullCount: Int
    /// `nullCount / rowCount`, or 0 for a column without rows.
    public var nullFraction: Double
    /// The number of NaN values (float columns; 0 otherwise).
    public var nanCount: Int
    /// The number of distinct non-null, non-NaN values; nil for binary and vector columns.
    public var distinct: DistinctCount?
    /// Range, moments, quantiles and histogram, for numeric, date and timestamp columns.
    public var numeric: NumericSummary?
    /// Value lengths, for string and binary columns.
    public var lengths: LengthSummary?
    /// The most frequent values, for strings, bools and low-cardinality integer columns.
    public var topValues: TopValues?
    /// Dimension and norm statistics, for vector columns.
    public var vector: VectorSummary?

    /// The number of non-null values (NaN included).
    public var nonNullCount: Int { rowCount - nullCount }

    /// Creates a profile; `nullFraction` is computed from the counts.
    public init(name: String, type: String, rowCount: Int, nullCount: Int, nanCount: Int = 0,
                distinct: DistinctCount? = nil, numeric: NumericSummary? = nil,
                lengths: LengthSummary? = nil, topValues: TopValues? = nil,
                vector: VectorSummary? = nil) {
        self.name = name
        self.type = type
        self.rowCount = rowCount
        self.nullCount = nullCount
        self.nullFraction = rowCount > 0 ? Double(nullCount) / Double(rowCount) : 0
        self.nanCount = nanCount
        self.distinct = distinct
        self.numeric = numeric
        self.lengths = lengths
        self.topValues = topValues
        self.vector = vector
    }
}

/// A distinct-value count and how it was obtained.
public struct DistinctCount: Hashable, Sendable, Codable {
    /// The number of distinct values.
    public var count: Int
    /// True when counted exactly; false when estimated by HyperLogLog (about 0.8% standard
    /// error) because the column had more than ``ProfileOptions/exactDistinctLimit`` distinct
    /// values.
    public var isExact: Bool

    /// Creates a count.
    public init(count: Int, isExact: Bool) {
        self.count = count
        self.isExact = isExact
    }
}

/// A minimum or maximum, kept exactly: integers (and dates in days, timestamps in
/// microseconds) as `Int64`, floats as `Double`. Encodes as a plain JSON number.
public enum ProfileNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    case int(Int64)
    case double(Double)

    /// The value as a `Double` (integers beyond 2^53 are rounded).
    public var doubleValue: Double {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        }
    }

    public var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .double(let v): "\(v)"
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let v = try? container.decode(Int64.self) {
            self = .int(v)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let v): try container.encode(v)
        case .double(let v): try container.encode(v)
        }
    }
}

/// One quantile: the value at probability `probability` (0 ... 1).
public struct ProfileQuantile: Hashable, Sendable, Codable {
    /// The probability, 0 ... 1 (0.5 is the median).
    public var probability: Double
    /// The value at that probability (nearest rank).
    public var value: Double

    /// Creates a quantile.
    public init(probability: Double, value: Double) {
        self.probability = probability
        self.value = value
    }
}

/// Statistics of the non-null, non-NaN values of a numeric, date or timestamp column
/// (dates in days since the epoch, timestamps in microseconds since the epoch, UTC).
public struct NumericSummary: Hashable, Sendable, Codable {
    /// The number of values summarized (non-null, non-NaN).
    public var count: Int
    /// The smallest value (−infinity when present).
    public var min: ProfileNumber
    /// The largest value (+infinity when present).
    public var max: ProfileNumber
    /// The arithmetic mean (infinite when a value is).
    public var mean: Double
    /// The sample standard deviation (divisor `count − 1`, as pandas' `std`); 0 for one value.
    public var standardDeviation: Double
    /// p0, p1, p5, p25, p50, p75, p95, p99 and p100, nearest rank (see ``ProfileOptions``).
    public var quantiles: [ProfileQuantile]
    /// True when quantiles and histogram counts are exact; false when they come from a KLL
    /// sketch because the column had more than ``ProfileOptions/exactQuantileLimit`` values.
    public var quantilesExact: Bool
    /// Equal-width bins from `min` to `max`.
    public var histogram: NumericHistogram

    /// Creates a summary.
    public init(count: Int, min: ProfileNumber, max: ProfileNumber, mean: Double,
                standardDeviation: Double, quantiles: [ProfileQuantile], quantilesExact: Bool,
                histogram: NumericHistogram) {
        self.count = count
        self.min = min
        self.max = max
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.quantiles = quantiles
        self.quantilesExact = quantilesExact
        self.histogram = histogram
    }

    /// The quantile at `probability`, if it is one of those computed.
    public func quantile(_ probability: Double) -> Double? {
        quantiles.first { $0.probability == probability }?.value
    }
}

/// A fixed-bin histogram: bin `i` counts values in `edges[i] ..< edges[i + 1]` (the last bin
/// includes its upper edge; infinities count in the end bins). A column whose finite values
/// are all equal has one bin of zero width.
public struct NumericHistogram: Hashable, Sendable, Codable {
    /// `counts.count + 1` ascending edges.
    public var edges: [Double]
    /// Values per bin.
    public var counts: [Int]

    /// Creates a histogram.
    public init(edges: [Double], counts: [Int]) {
        self.edges = edges
        self.counts = counts
    }
}

/// Minimum, maximum and mean value length (code points for strings, bytes for binary).
public struct LengthSummary: Hashable, Sendable, Codable {
    /// The shortest length.
    public var min: Int
    /// The longest length.
    public var max: Int
    /// The mean length.
    public var mean: Double
    /// The number of empty values.
    public var emptyCount: Int

    /// Creates a summary.
    public init(min: Int, max: Int, mean: Double, emptyCount: Int) {
        self.min = min
        self.max = max
        self.mean = mean
        self.emptyCount = emptyCount
    }
}

/// A value and how often it occurs; the value as text (strings as they are, integers in
/// decimal, bools as `true` / `false`).
public struct ValueCount: Hashable, Sendable, Codable {
    /// The value as text.
    public var value: String
    /// How many rows hold it.
    public var count: Int

    /// Creates a value count.
    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// The most frequent values of a column: the categorical histogram.
public struct TopValues: Hashable, Sendable, Codable {
    /// Up to ``ProfileOptions/topValueCount`` values, most frequent first (ties by value).
    public var values: [ValueCount]
    /// True when the counts are exact; false when the column outgrew
    /// ``ProfileOptions/exactDistinctLimit`` and they are Misra–Gries lower bounds (short by at
    /// most `nonNullCount / (exactDistinctLimit + 1)`).
    public var isExact: Bool
    /// Values not in `values` (non-null, non-NaN), so bars can show an "other" share.
    public var otherCount: Int

    /// Creates top values.
    public init(values: [ValueCount], isExact: Bool, otherCount: Int) {
        self.values = values
        self.isExact = isExact
        self.otherCount = otherCount
    }
}

/// Statistics of a vector column's non-null rows.
public struct VectorSummary: Hashable, Sendable, Codable {
    /// The number of floats per vector.
    public var dimension: Int
    /// Rows whose vector holds a NaN; left out of the norm statistics.
    public var nanVectorCount: Int
    /// Rows whose vector is all zeros.
    public var zeroVectorCount: Int
    /// Euclidean (L2) norms of the other rows: nil when there are none.
    public var norms: MomentSummary?

    /// Creates a summary.
    public init(dimension: Int, nanVectorCount: Int, zeroVectorCount: Int, norms: MomentSummary?) {
        self.dimension = dimension
        self.nanVectorCount = nanVectorCount
        self.zeroVectorCount = zeroVectorCount
        self.norms = norms
    }
}

/// Count, range, mean and sample standard deviation of some values.
public struct MomentSummary: Hashable, Sendable, Codable {
    /// The number of values.
    public var count: Int
    /// The smallest value.
    public var min: Double
    /// The largest value.
    public var max: Double
    /// The arithmetic mean.
    public var mean: Double
    /// The sample standard deviation (divisor `count − 1`).
    public var standardDeviation: Double

    /// Creates a summary.
    public init(count: Int, min: Double, max: Double, mean: Double, standardDeviation: Double) {
        self.count = count
        self.min = min
        self.max = max
        self.mean = mean
        self.standardDeviation = standardDeviation
    }
}
