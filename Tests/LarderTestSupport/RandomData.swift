// Seeded random schemas and batches for property and round-trip tests. Everything here is
// deterministic for a given seed, so a failing case can be replayed from its seed.

import LarderColumnar

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, seedable generator. Deterministic
/// across runs and platforms, unlike `SystemRandomNumberGenerator`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The current state; a generator made with `SplitMix64(seed: state)` continues the stream.
    public private(set) var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generators of random schemas, columns, batches and values, biased towards edge values:
/// integer extremes, NaN, infinities, -0.0, empty and multi-byte strings (emoji, combining
/// marks), occasional 100 KB strings, binary with zero bytes, timestamps from 1900 to 2200 and
/// dates before 1970.
public enum RandomData {
    /// Every scalar type (vectors are made separately with a random dimension).
    public static let scalarTypes: [DataType] = [
        .int32, .int64, .float32, .float64, .bool, .string, .binary, .timestamp, .date,
    ]

    /// 1900-01-01T00:00:00Z and 2200-01-01T00:00:00Z in microseconds since the epoch.
    public static let timestampRange: ClosedRange<Int64> = -2_208_988_800_000_000 ... 7_258_118_400_000_000
    /// 1900-01-01 and 2200-01-01 in days since the epoch.
    public static let dateRange: ClosedRange<Int32> = -25_567 ... 84_006

    /// Strings that often break encoders: empty, multi-byte, combining marks, emoji sequences,
    /// right-to-left text, an embedded NUL.
    public static let awkwardStrings: [String] = [
        "", " ", "a", "é", "e\u{301}", "Å", "A\u{30A}", "漢字", "日本語テキスト", "مرحبا",
        "👩‍👩‍👧‍👦", "🇯🇵", "🙂", "a\u{0}b", "tab\tnew\nline", "\"quoted\"", "ß", "ǅ",
        "\u{FEFF}bom", "\u{10FFFF}",
    ]

    /// A random type; vectors get a dimension in 1...32.
    public static func type<G: RandomNumberGenerator>(using rng: inout G) -> DataType {
        let k = Int.random(in: 0 ... scalarTypes.count, using: &rng)
        return k == scalarTypes.count ? .vector(dimension: Int.random(in: 1 ... 32, using: &rng)) : scalarTypes[k]
    }

    /// A schema of 1...`maxColumns` fields named `c0`, `c1`, ... with random types and
    /// nullability.
    public static func schema<G: RandomNumberGenerator>(using rng: inout G, maxColumns: Int = 8) -> Schema {
        let n = Int.random(in: 1 ... max(1, maxColumns), using: &rng)
        let fields = (0 ..< n).map { i in
            Field("c\(i)", type(using: &rng), nullable: Bool.random(using: &rng))
        }
        do {
            return try Schema(fields)
        } catch {
            preconditionFailure("RandomData generated an invalid schema: \(error)")
        }
    }

    /// A batch of `rows` random rows for `schema`.
    ///
    /// Nullable fields get nulls with `nullProbability`; with `allNullProbability` a nullable
    /// column is null in every row. Non-nullable fields never hold nulls.
    public static func batch<G: RandomNumberGenerator>(
        schema: Schema, rows: Int, rng: inout G,
        nullProbability: Double = 0.1, allNullProbability: Double = 0.05
    ) -> RecordBatch {
        let columns = schema.fields.map { field -> Column in
            let allNull = field.isNullable && Double.random(in: 0 ..< 1, using: &rng) < allNullProbability
            return column(field.type, rows: rows, rng: &rng,
                          nullProbability: field.isNullable ? nullProbability : 0, allNull: allNull)
        }
        do {
            return try RecordBatch(schema: schema, columns: columns)
        } catch {
            preconditionFailure("RandomData generated a batch that does not fit its schema: \(error)")
        }
    }

    /// A column of `rows` random values; each is null with `nullProbability`, or every one
    /// when `allNull`.
    public static func column<G: RandomNumberGenerator>(
        _ type: DataType, rows: Int, rng: inout G, nullProbability: Double = 0.1, allNull: Bool = false
    ) -> Column {
        var builder = ColumnBuilder(type: type, capacity: rows)
        for _ in 0 ..< rows {
            if allNull || (nullProbability > 0 && Double.random(in: 0 ..< 1, using: &rng) < nullProbability) {
                builder.appendNull()
            } else {
                do {
                    try builder.append(value(type, rng: &rng))
                } catch {
                    preconditionFailure("RandomData generated a value that does not fit \(type): \(error)")
                }
            }
        }
        return builder.finish()
    }

    /// A random non-null value of `type`; about one in five is an edge value.
    public static func value<G: RandomNumberGenerator>(_ type: DataType, rng: inout G) -> Value {
        let edge = Int.random(in: 0 ..< 5, using: &rng) == 0
        switch type {
        case .int32:
            return .int32(edge ? [Int32.min, Int32.max, 0, -1, 1].randomElement(using: &rng) ?? 0
                               : Int32.random(in: -1000 ... 1000, using: &rng))
        case .int64:
            return .int64(edge ? [Int64.min, Int64.max, 0, -1, 1].randomElement(using: &rng) ?? 0
                               : Int64.random(in: -1_000_000 ... 1_000_000, using: &rng))
        case .float32: return .float32(Float(double(edge: edge, rng: &rng)))
        case .float64: return .float64(double(edge: edge, rng: &rng))
        case .bool: return .bool(Bool.random(using: &rng))
        case .string: return .string(string(rng: &rng))
        case .binary: return .binary(binary(rng: &rng))
        case .timestamp:
            return .timestamp(edge ? [timestampRange.lowerBound, timestampRange.upperBound, 0, -1].randomElement(using: &rng) ?? 0
                                   : Int64.random(in: timestampRange, using: &rng))
        case .date:
            return .date(edge ? [dateRange.lowerBound, dateRange.upperBound, 0, -1].randomElement(using: &rng) ?? 0
                              : Int32.random(in: dateRange, using: &rng))
        case .vector(let d):
            return .vector((0 ..< d).map { _ in
                Float(double(edge: Int.random(in: 0 ..< 20, using: &rng) == 0, rng: &rng))
            })
        }
    }

    /// A random double, or with `edge` one of NaN, ±infinity, ±0, extremes and subnormals.
    public static func double<G: RandomNumberGenerator>(edge: Bool, rng: inout G) -> Double {
        guard edge else { return Double.random(in: -1000 ... 1000, using: &rng) }
        let edges: [Double] = [
            .nan, .infinity, -.infinity, 0.0, -0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .leastNonzeroMagnitude, .leastNormalMagnitude, 1, -1,
        ]
        return edges.randomElement(using: &rng) ?? 0
    }

    /// A random string: often awkward, sometimes random Unicode scalars, rarely 100 KB long.
    public static func string<G: RandomNumberGenerator>(rng: inout G) -> String {
        switch Int.random(in: 0 ..< 1000, using: &rng) {
        case 0 ..< 2:
            let tail = Bool.random(using: &rng) ? "🙂" : ""
            return String(repeating: "x", count: Int.random(in: 1 ... 100_000, using: &rng)) + tail
        case 2 ..< 300:
            return awkwardStrings.randomElement(using: &rng) ?? ""
        case 300 ..< 500:
            var s = String.UnicodeScalarView()
            for _ in 0 ..< Int.random(in: 0 ... 12, using: &rng) {
                // Any scalar value outside the surrogate range is valid.
                let v = UInt32.random(in: 1 ... 0x10FFFF, using: &rng)
                if let scalar = Unicode.Scalar(v) { s.append(scalar) }
            }
            return String(s)
        default:
            let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
            return String((0 ..< Int.random(in: 0 ... 16, using: &rng)).map { _ in
                letters.randomElement(using: &rng) ?? "a"
            })
        }
    }

    /// Random bytes: empty, zero bytes, short random runs, rarely up to 100 KB.
    public static func binary<G: RandomNumberGenerator>(rng: inout G) -> [UInt8] {
        switch Int.random(in: 0 ..< 1000, using: &rng) {
        case 0 ..< 2:
            return (0 ..< Int.random(in: 1 ... 100_000, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        case 2 ..< 100: return []
        case 100 ..< 200: return [UInt8](repeating: 0, count: Int.random(in: 1 ... 8, using: &rng))
        default:
            return (0 ..< Int.random(in: 0 ... 24, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        }
    }
}
