import LarderColumnar

/// How the rows of a generated feature table are laid out.
///
/// A table of `rows` rows has `baseRows` snapshots spread evenly over the date range (base
/// row `b` has the `b`-th event time), and `duplicates` (1%) of them, evenly spaced, come twice: the same key and
/// event time, two created times, two sets of values (a correction of a bad first write; the
/// later `created_ts` holds the right values). Half of the pairs are written correction first,
/// so a reader that trusts file order instead of `created_ts` picks the wrong one.
///
/// Base rows are generated in chunks of ``chunkRows``, each from its own random stream, so
/// chunks can be generated in parallel and the output does not depend on the thread count.
struct SnapshotPlan: Sendable {
    /// Base rows per chunk: a multiple of 99, so that with 1 duplicate per 99 base rows (tables
    /// of a multiple of 100 rows) every full chunk is exactly ``rowGroupRows`` output rows and
    /// becomes one row group without copying.
    static let chunkRows = 99 * 5_296
    /// Output rows of a full chunk; the row-group size of the generated files.
    static let rowGroupRows = 100 * 5_296
    static let duplicateRate = 100 // one in a hundred rows
    static let nullRate = 0.02
    static let lateRate = 0.01

    static let minute: Int64 = 60_000_000
    static let hour: Int64 = 3_600_000_000
    static let day: Int64 = 86_400_000_000

    let rows: Int
    let baseRows: Int
    let duplicates: Int

    init(rows: Int) {
        self.rows = max(rows, 0)
        duplicates = self.rows / Self.duplicateRate
        baseRows = self.rows - duplicates
    }

    var chunkCount: Int { (baseRows + Self.chunkRows - 1) / Self.chunkRows }

    func baseRange(chunk: Int) -> Range<Int> {
        chunk * Self.chunkRows ..< min(baseRows, (chunk + 1) * Self.chunkRows)
    }

    /// Whether base row `b` gets a second version.
    @inline(__always)
    func isDuplicated(_ b: Int) -> Bool {
        (b + 1) * duplicates / baseRows > b * duplicates / baseRows
    }

    /// Rows written for base rows `range`, second versions included.
    func outputRows(_ range: Range<Int>) -> Int {
        guard baseRows > 0 else { return 0 }
        return range.count + range.upperBound * duplicates / baseRows - range.lowerBound * duplicates / baseRows
    }

    /// The event time of base row `b`: evenly spread over the date range, jittered, increasing.
    @inline(__always)
    func eventTime(base b: Int, _ rng: inout SplitMix64) -> Int64 {
        let step = (MarketplaceGenerator.endMicros - MarketplaceGenerator.startMicros) / Int64(max(baseRows, 1))
        return MarketplaceGenerator.startMicros + Int64(b) * step + rng.below64(step)
    }

    /// A created time for an event: a minute to two hours later, or for 1% of rows (late
    /// arrivals) one to fourteen days later.
    @inline(__always)
    static func createdTime(event: Int64, _ rng: inout SplitMix64) -> Int64 {
        if rng.chance(lateRate) { return event + day + rng.below64(13 * day) }
        return event + minute + rng.below64(2 * hour)
    }

    /// `value` rounded to `places` decimal places (tidy generated values).
    @inline(__always)
    static func round(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0 ..< places { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    /// The created time of a correction: a minute to a day after the first write.
    @inline(__always)
    static func correctionTime(after created: Int64, _ rng: inout SplitMix64) -> Int64 {
        created + minute + rng.below64(day)
    }
}

/// A string column over a small vocabulary, built from vocabulary indexes.
struct VocabularyColumnBuilder {
    private let words: [[UInt8]]
    private var offsets: [Int] = [0]
    private var data: [UInt8] = []
    private var validity: Bitmap

    init(_ vocabulary: [String], capacity: Int) {
        words = vocabulary.map { Array($0.utf8) }
        offsets.reserveCapacity(capacity + 1)
        data.reserveCapacity(capacity * (words.map(\.count).max() ?? 0))
        validity = Bitmap(count: 0, value: false)
        validity.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func append(_ index: Int) {
        data.append(contentsOf: words[index])
        offsets.append(data.count)
        validity.append(true)
    }

    @inline(__always)
    mutating func appendNull() {
        offsets.append(data.count)
        validity.append(false)
    }

    func column() throws -> Column {
        try Column(type: .string, storage: .bytes(offsets: offsets, data: data), validity: validity)
    }
}

/// Validity bits appended row by row.
struct ValidityBuilder {
    private(set) var bits: Bitmap

    init(capacity: Int) {
        bits = Bitmap(count: 0, value: false)
        bits.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func append(_ valid: Bool) { bits.append(valid) }

    /// The bitmap, or nil when every row is valid.
    var validity: Bitmap? { bits.allSet ? nil : bits }
}
