import LarderColumnar

/// The rows every table benchmark writes: `(key int64, ts timestamp, value float64)`, none
/// nullable. Row `i` has key `i`, an event time one second after the previous row's, and a
/// value drawn uniformly from [0, 1) by a hash of `i` (so its statistics prune nothing).
enum BenchRows {
    static let schema: Schema = {
        do {
            return try Schema([
                Field("key", .int64, nullable: false),
                Field("ts", .timestamp, nullable: false),
                Field("value", .float64, nullable: false),
            ])
        } catch {
            preconditionFailure("the benchmark schema is valid: \(error)")  // constant input
        }
    }()

    /// 2025-01-01T00:00:00Z in microseconds.
    static let epoch2025: Int64 = 1_735_689_600_000_000

    static func timestamp(ofKey key: Int64) -> Int64 { epoch2025 + key * Timestamp.microsPerSecond }

    /// A uniform double in [0, 1) from `key` (SplitMix64's finalizer).
    static func value(ofKey key: Int64) -> Double {
        var z = UInt64(bitPattern: key) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-53
    }

    /// The rows with keys `keys`, in key order.
    static func batch(keys: Range<Int64>) throws -> RecordBatch {
        var key: [Int64] = [], ts: [Int64] = [], values: [Double] = []
        key.reserveCapacity(keys.count)
        ts.reserveCapacity(keys.count)
        values.reserveCapacity(keys.count)
        for k in keys {
            key.append(k)
            ts.append(timestamp(ofKey: k))
            values.append(value(ofKey: k))
        }
        return try RecordBatch(schema: schema, columns: [.int64(key), .timestamp(ts), .float64(values)])
    }

    /// Σ keys over `keys` (wrapping), what a read of those rows must add up to.
    static func keySum(_ keys: Range<Int64>) -> Int64 {
        guard !keys.isEmpty else { return 0 }
        let n = Int64(keys.count)
        // (first + last) * n / 2 without losing the odd factor.
        let a = keys.lowerBound &+ (keys.upperBound &- 1)
        return n % 2 == 0 ? (n / 2) &* a : n &* (a / 2)
    }
}

/// Rows and Σ key of batches, the check every read makes.
struct KeyTally: Equatable, CustomStringConvertible {
    var rows = 0
    var keySum: Int64 = 0

    mutating func add(_ batch: RecordBatch) throws {
        guard let keys = batch.column(named: "key")?.int64Values else {
            throw BenchCheckError("a result batch has no int64 'key' column: \(batch.schema)")
        }
        rows += batch.rowCount
        keys.withUnsafeBufferPointer { buffer in
            for k in buffer { keySum &+= k }
        }
    }

    static func of(_ batches: [RecordBatch]) throws -> KeyTally {
        var tally = KeyTally()
        for b in batches { try tally.add(b) }
        return tally
    }

    static func expected(_ keys: Range<Int64>) -> KeyTally {
        KeyTally(rows: keys.count, keySum: BenchRows.keySum(keys))
    }

    var description: String { "\(rows) rows, Σ key \(keySum)" }
}
