/// The mergeable metrics of a suite over some rows: what one scan computes, before results are
/// judged. States of consecutive row ranges merge into the state of their concatenation, so a
/// new commit's rows can be validated together with stored ones without rescanning them:
///
/// ```swift
/// var state = stored                                  // state of versions 1...n (decoded)
/// state.merge(validator.state(for: newBatches))       // + the new commit
/// let result = validator.finish(state)
/// ```
///
/// ## Size
/// Most metrics are constant-size: row and missing counts, unexpected counts with the first
/// unexpected rows (up to the keep limit, 20 by default), sums, min / max, mean and squared
/// deviations, increasing / decreasing boundary values. Three grow with the data:
/// - uniqueness (`expect_column_values_to_be_unique`, `expect_compound_columns_to_be_unique`)
///   keeps the key columns' values of every row;
/// - medians and quantiles keep the column's values;
/// - distinct-value expectations (unique value count, proportion of unique values, distinct
///   values in / contain / equal set, most common value) keep one count per distinct value.
///
/// In memory these share the scanned batches' buffers (no copy); encoding writes them out.
/// Rows are numbered across merged states in merge order (the left state's rows first).
public struct ValidationState: Sendable, Codable {
    /// Identifies the suite and schema the state was computed for; states of different
    /// suites do not merge.
    public internal(set) var fingerprint: UInt64
    /// The rows the state covers.
    public internal(set) var rowCount: Int
    /// Batches that could not be scanned (their schema differs from the compiled one).
    var problems: [String]
    /// The most unexpected rows kept per expectation (`Int.max`: all).
    var keepLimit: Int
    /// Per planned column.
    var columns: [ColumnMetrics]
    /// Per expectation, in suite order; nil for table and aggregate expectations.
    var expectations: [ExpectationMetrics?]

    init(fingerprint: UInt64, keepLimit: Int, columns: [ColumnMetrics], expectations: [ExpectationMetrics?]) {
        self.fingerprint = fingerprint
        self.rowCount = 0
        self.problems = []
        self.keepLimit = keepLimit
        self.columns = columns
        self.expectations = expectations
    }

    /// Whether `other` can be merged into this state (same suite and schema).
    public func canMerge(_ other: ValidationState) -> Bool {
        fingerprint == other.fingerprint && columns.count == other.columns.count
            && expectations.count == other.expectations.count
    }

    /// Adds the metrics of `other`, whose rows follow this state's rows.
    ///
    /// States of different suites or schemas (``canMerge(_:)`` false) are not merged: the
    /// result then records the problem, and ``SuiteValidator/finish(_:options:)`` reports it
    /// on every expectation instead of judging them.
    public mutating func merge(_ other: ValidationState) {
        guard canMerge(other) else {
            problems.append("a state computed for a different suite or schema (fingerprint \(other.fingerprint), expected \(fingerprint)) was not merged")
            return
        }
        let offset = rowCount
        keepLimit = min(keepLimit, other.keepLimit)
        for i in columns.indices { columns[i].merge(other.columns[i]) }
        for i in expectations.indices {
            guard let right = other.expectations[i] else { continue }
            if expectations[i] == nil { expectations[i] = right.shifted(by: offset) } else {
                expectations[i]?.merge(right, offset: offset, limit: keepLimit)
            }
        }
        rowCount += other.rowCount
        problems += other.problems
    }
}

/// Metrics of one column shared by the expectations on it.
struct ColumnMetrics: Sendable, Codable {
    /// Null rows, plus NaN rows of float columns (missing, as pandas counts them).
    var missing = 0
    var moments: Moments?
    /// The column's rows, for medians and quantiles.
    var values: [ColumnSlice]?
    var counts: ValueCounts?

    mutating func merge(_ o: ColumnMetrics) {
        missing += o.missing
        if let m = o.moments { moments = moments.map { var x = $0; x.merge(m); return x } ?? m }
        if let v = o.values { values = (values ?? []) + v }
        if let c = o.counts { counts = counts.map { var x = $0; x.merge(c); return x } ?? c }
    }
}

/// One unexpected row kept for the result lists.
struct KeptRow: Sendable, Codable, Hashable {
    var row: Int
    var value: QualityJSON

    init(row: Int, value: QualityJSON) {
        self.row = row
        self.value = value
    }

    // The value is stored as JSON text: a Codable number loses whether it was 1 or 1.0.
    private enum Keys: String, CodingKey { case row, value }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        row = try c.decode(Int.self, forKey: .row)
        value = try QualityJSON.decodeText(c.decode(String.self, forKey: .value))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(row, forKey: .row)
        try c.encode(value.jsonText(), forKey: .value)
    }
}

extension QualityJSON {
    /// Parses JSON text for a decoder, as a `DecodingError`.
    static func decodeText(_ text: String) throws -> QualityJSON {
        do { return try QualityJSON(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.message))
        }
    }
}

/// Metrics of one per-row expectation.
struct ExpectationMetrics: Sendable, Codable {
    /// Rows judged: GE's non-null count (for multi-column ones, rows not skipped by
    /// `ignore_row_if`; for not-null / null, every row).
    var considered = 0
    var unexpected = 0
    /// The first unexpected rows, in row order, up to the state's keep limit.
    var kept: [KeptRow] = []
    /// Uniqueness: the key columns of every row, judged when the state is finished.
    var keys: [KeyChunk]?
    /// Increasing / decreasing: the first and last present values, to judge the rows where
    /// two states meet.
    var edge: OrderEdge?

    func shifted(by offset: Int) -> ExpectationMetrics {
        guard offset != 0 else { return self }
        var s = self
        s.kept = kept.map { KeptRow(row: $0.row + offset, value: $0.value) }
        s.keys = keys?.map { var k = $0; k.start += offset; return k }
        s.edge = edge?.shifted(by: offset)
        return s
    }

    mutating func merge(_ other: ExpectationMetrics, offset: Int, limit: Int) {
        let right = other.shifted(by: offset)
        considered += right.considered
        var boundary: KeptRow?
        if let left = edge, let r = right.edge {
            if let first = r.first, let last = left.last, !left.inOrder(last.key, first.key) {
                boundary = KeptRow(row: first.row, value: first.value)
                unexpected += 1
            }
            edge = OrderEdge(increasing: left.increasing, strictly: left.strictly,
                             first: left.first ?? r.first, last: r.last ?? left.last)
        } else if edge == nil {
            edge = right.edge
        }
        unexpected += right.unexpected
        if kept.count < limit, let boundary { kept.append(boundary) }
        if kept.count < limit { kept += right.kept.prefix(limit - kept.count) }
        if kept.count > limit { kept.removeLast(kept.count - limit) }
        if let k = right.keys { keys = (keys ?? []) + k }
    }
}

/// The first and last present values of a stretch of rows, for increasing / decreasing.
struct OrderEdge: Sendable, Codable {
    struct End: Sendable, Codable {
        var row: Int
        var key: SortKey
        var value: QualityJSON

        init(row: Int, key: SortKey, value: QualityJSON) {
            self.row = row
            self.key = key
            self.value = value
        }

        private enum Keys: String, CodingKey { case row, key, value }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            row = try c.decode(Int.self, forKey: .row)
            key = try c.decode(SortKey.self, forKey: .key)
            value = try QualityJSON.decodeText(c.decode(String.self, forKey: .value))
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(row, forKey: .row)
            try c.encode(key, forKey: .key)
            try c.encode(value.jsonText(), forKey: .value)
        }
    }

    var increasing: Bool
    var strictly: Bool
    var first: End?
    var last: End?

    /// Whether `next` may follow `previous` (GE compares consecutive present values).
    func inOrder(_ previous: SortKey, _ next: SortKey) -> Bool {
        switch (increasing, strictly) {
        case (true, true): previous < next
        case (true, false): !(next < previous)
        case (false, true): next < previous
        case (false, false): !(previous < next)
        }
    }

    func shifted(by offset: Int) -> OrderEdge {
        var e = self
        e.first?.row += offset
        e.last?.row += offset
        return e
    }
}
