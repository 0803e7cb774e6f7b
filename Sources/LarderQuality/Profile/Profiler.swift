import Foundation
import LarderColumnar

/// Per-column statistics of a table, and a suggested expectation suite built from them.
///
/// ```swift
/// let profile = try Profiler.profile(batches)
/// print(profile.column(named: "visits_7d")?.numeric?.quantile(0.5) ?? .nan)
/// let suiteJSON = Profiler.suggestSuite(from: profile, name: "user_stats_checks")
/// ```
///
/// Each batch is read once, batches in parallel (one ``ProfileAccumulator`` each), and the
/// partial results are merged in batch order. Statistics are exact up to the limits in
/// ``ProfileOptions``; past them quantiles come from a KLL sketch and distinct counts from
/// HyperLogLog, and the profile says which.
public enum Profiler {
    /// Profiles `batches`.
    ///
    /// - Parameters:
    ///   - batches: The table's rows; every batch must have the same column names and types
    ///     (nullability may differ).
    ///   - schema: The table's schema, so a table without batches still lists its columns;
    ///     nil to take the first batch's.
    ///   - options: Limits and sizes; the defaults suit most tables.
    /// - Returns: One ``ColumnProfile`` per column, in schema order.
    /// - Throws: ``ProfileError`` `.schemaMismatch` naming the batch and column that differ,
    ///   `.invalidOptions` for unusable options.
    public static func profile(_ batches: [RecordBatch], schema: Schema? = nil,
                               options: ProfileOptions = ProfileOptions()) throws -> TableProfile {
        try options.validate()
        guard let schema = schema ?? batches.first?.schema else { return TableProfile(rowCount: 0, columns: []) }
        for (index, batch) in batches.enumerated() {
            try ProfileAccumulator.check(batch, against: schema, batchIndex: index)
        }
        let partials = try concurrentMap(batches, threads: options.threads) { batch in
            var accumulator = ProfileAccumulator(schema: schema, options: options)
            try accumulator.add(batch)
            return accumulator
        }
        var total = ProfileAccumulator(schema: schema, options: options)
        for partial in partials { try total.merge(partial) }
        return total.finish()
    }
}

/// A profile being built: add batches, merge with other accumulators of the same schema (for
/// example one per file or per commit), and finish into a ``TableProfile``.
///
/// Merging is exact for counts, ranges, distinct sets and exact quantiles, so accumulating
/// batches in any grouping gives the same profile (up to floating-point rounding of the mean
/// and standard deviation) as long as the limits of ``ProfileOptions`` are not crossed.
public struct ProfileAccumulator: Sendable {
    /// The schema every added batch must have.
    public let schema: Schema
    /// The options the accumulator was made with.
    public let options: ProfileOptions
    private var rows = 0
    private var columns: [ProfileColumnState]

    /// An empty accumulator for tables of `schema`.
    public init(schema: Schema, options: ProfileOptions = ProfileOptions()) {
        self.schema = schema
        self.options = options
        columns = schema.fields.map { ProfileColumnState(name: $0.name, type: $0.type, options: options) }
    }

    /// Adds the rows of `batch`.
    /// - Throws: ``ProfileError`` `.schemaMismatch` when `batch`'s columns differ from `schema`.
    public mutating func add(_ batch: RecordBatch) throws {
        try Self.check(batch, against: schema, batchIndex: nil)
        rows += batch.rowCount
        for i in columns.indices { columns[i].add(batch.columns[i]) }
    }

    /// Adds everything `other` has seen.
    /// - Throws: ``ProfileError`` `.schemaMismatch` when `other` was made for another schema.
    public mutating func merge(_ other: ProfileAccumulator) throws {
        guard Self.sameColumns(schema, other.schema) else {
            throw ProfileError(.schemaMismatch, "cannot merge profiles of different schemas \(schema) and \(other.schema)")
        }
        rows += other.rows
        for i in columns.indices { columns[i].merge(other.columns[i]) }
    }

    /// The profile of everything added so far.
    public func finish() -> TableProfile {
        TableProfile(rowCount: rows, columns: columns.map { $0.finish(options: options) })
    }

    static func check(_ batch: RecordBatch, against schema: Schema, batchIndex: Int?) throws {
        guard batch.schema.count == schema.count else {
            throw ProfileError(.schemaMismatch, "batch has columns \(batch.schema.names), expected \(schema.names)",
                               batch: batchIndex)
        }
        for (mine, theirs) in zip(schema.fields, batch.schema.fields)
        where mine.name != theirs.name || mine.type != theirs.type {
            throw ProfileError(.schemaMismatch, "batch has \(theirs) where the table has \(mine)",
                               column: mine.name, batch: batchIndex)
        }
    }

    static func sameColumns(_ a: Schema, _ b: Schema) -> Bool {
        a.count == b.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.type == $1.type }
    }
}

/// The profile of a table: its row count and one ``ColumnProfile`` per column.
///
/// Codable; ``jsonData()`` writes it with snake_case keys (`row_count`, `null_fraction`, ...)
/// and non-finite numbers as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
public struct TableProfile: Hashable, Sendable, Codable {
    /// The number of rows profiled.
    public var rowCount: Int
    /// One profile per column, in schema order.
    public var columns: [ColumnProfile]

    /// Creates a table profile.
    public init(rowCount: Int, columns: [ColumnProfile]) {
        self.rowCount = rowCount
        self.columns = columns
    }

    /// The profile of the column called `name`, if any.
    public func column(named name: String) -> ColumnProfile? {
        columns.first { $0.name == name }
    }

    /// The profile as pretty-printed JSON with sorted snake_case keys.
    /// - Throws: `EncodingError` (not expected: every value is encodable).
    public func jsonData() throws -> Data {
        try ProfileCoding.encoder().encode(self)
    }

    /// Decodes JSON written by ``jsonData()``.
    /// - Throws: `DecodingError` when `json` is not a profile.
    public init(json: Data) throws {
        self = try ProfileCoding.decoder().decode(TableProfile.self, from: json)
    }
}

/// The JSON conventions of profiles and drift reports.
enum ProfileCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}
