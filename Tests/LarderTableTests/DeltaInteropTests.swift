import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderTable

/// delta-rs and polars read every version of a Larder table exactly as Larder does, and Larder
/// reads tables delta-rs wrote; tables with features Larder lacks are refused by name.
@Suite struct DeltaInteropTests {
    static let schema: Schema = {
        do {
            return try Schema([
                Field("user_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false),
                Field("spend", .float64), Field("city", .string), Field("day", .date), Field("emb", .vector(dimension: 3)),
                Field("ok", .bool), Field("n", .int32), Field("f", .float32), Field("bin", .binary),
            ])
        } catch { preconditionFailure("\(error)") }
    }()

    /// Rows with nulls, NaN, sub-millisecond timestamps (stats round them) and vectors.
    static func rows(_ ids: [Int64], seed: UInt64) throws -> RecordBatch {
        var rng = SplitMix64(seed: seed)
        var columns = schema.fields.map { RandomData.column($0.type, rows: ids.count, rng: &rng, nullProbability: $0.isNullable ? 0.2 : 0) }
        columns[0] = .int64(ids)
        columns[1] = .timestamp(ids.map { 1_767_225_600_000_000 + $0 * 1_000_123 + 7 })
        return try RecordBatch(schema: schema, columns: columns)
    }

    /// Writes a table through every kind of commit, with a checkpoint every 3 versions.
    static func makeTable(_ dir: TemporaryDirectory) throws -> Table {
        let table = try Table.create(at: dir.path, schema: schema, sortColumns: ["user_id", "event_ts"],
                                     configuration: [TableConfiguration.checkpointInterval: "3"])
        try table.append([rows([3, 1, 2], seed: 1)])
        try table.append([rows([10, 11, 12, 13], seed: 2)])
        try table.delete(where: [.isIn("user_id", [.int64(2), .int64(11)])])
        try table.append([rows([20], seed: 3)])
        try table.compact(targetFileRows: 1000)
        try table.overwrite([rows([7, 8, 9], seed: 4)])
        try table.append([rows([30, 31], seed: 5)])
        return table
    }

    @Test(.interop)
    func toolsReadEveryVersionOfALarderTable() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        let table = try Self.makeTable(dir)
        let latest = try table.snapshot().version
        #expect(latest == 7)
        for v in 0 ... latest {
            let mine = CanonicalTable(try table.snapshot(version: v).read()).sortedRows(by: ["user_id"])
            for engine in DeltaEngine.allCases {
                let theirs = try Interop.readDelta(dir.path, engine: engine, version: Int(v), sortBy: ["user_id"])
                let diff = theirs.differences(from: mine)
                #expect(diff.isEmpty, "version \(v), \(engine): \(diff.joined(separator: "; "))")
            }
        }
    }

    /// Both tools skip files by `add.stats`: stats that understate the data would lose rows.
    @Test(.interop)
    func filteredReadsThroughLarderStatsLoseNothing() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        let table = try Self.makeTable(dir)
        let snapshot = try table.snapshot()
        let all = try snapshot.read()
        guard let ts = all.column(named: "event_ts")?.int64Values, let maxTS = ts.max() else { return }
        // The newest event time carries microseconds that the millisecond stats must round up.
        let cutoff = Timestamp.iso8601(micros: maxTS)
        let mine = try snapshot.scan(where: [.range("event_ts", lower: .timestamp(maxTS), upper: nil)])
        let expected = CanonicalTable(try mine.combined(schema: Self.schema))
        #expect(expected.numRows == 1)
        // delta-rs compares against the timestamp stats; polars' SQL cannot compare a UTC
        // column with a literal, so it checks the integer key's stats instead.
        let byTime = try Interop.readDelta(dir.path, engine: .deltalake, sortBy: ["user_id"],
                                           filter: "event_ts >= TIMESTAMP '\(cutoff.dropLast())'")
        #expect(byTime.numRows == 1, "delta-rs read \(byTime.numRows) rows for event_ts >= \(cutoff)")
        let maxID = all.column(named: "user_id")?.int64Values?.max() ?? 0
        for engine in DeltaEngine.allCases {
            let byKey = try Interop.readDelta(dir.path, engine: engine, sortBy: ["user_id"], filter: "user_id >= \(maxID)")
            #expect(byKey.numRows == 1, "\(engine) read \(byKey.numRows) rows for user_id >= \(maxID)")
        }
    }

    @Test(.interop)
    func deltaRsSeesLarderHistory() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory()
        let table = try Self.makeTable(dir)
        let theirs = try Interop.deltaHistory(dir.path)
        let mine = try table.history().reversed()
        #expect(theirs.map(\.version) == mine.map { Int($0.version) })
        #expect(theirs.map(\.operation) == mine.map(\.operation))
        for (t, v) in zip(theirs, 0...) {
            #expect(t.rowCount == (try table.snapshot(version: Int64(v)).read().rowCount))
        }
    }

    static let readable = ["people", "all_types", "compacted", "with_checkpoint"]

    @Test(arguments: readable)
    func larderReadsTablesDeltaRsWrote(_ name: String) throws {
        let path = Interop.deltaFixturePath(name)
        let table = try Table.open(at: path)
        let latest = try table.snapshot().version
        for v in 0 ... latest {
            let expectedURL = Interop.deltaFixturesDirectory.appendingPathComponent("\(name).v\(v).expected.json")
            guard FileManager.default.fileExists(atPath: expectedURL.path) else { continue }
            let expected = try CanonicalTable.expected(forDeltaFixture: name, version: Int(v))
            let mine = CanonicalTable(try table.snapshot(version: v).read()).sortedRows()
            let diff = mine.differences(from: expected)
            #expect(diff.isEmpty, "\(name) v\(v): \(diff.joined(separator: "; "))")
        }
    }

    @Test(arguments: ["deletion_vectors_enabled", "deletion_vector_inline", "column_mapping"])
    func unsupportedDeltaFeaturesAreRefusedByName(_ name: String) throws {
        let path = Interop.deltaFixturePath(name)
        let before = try FileManager.default.subpathsOfDirectory(atPath: path).sorted()
        #expect { try Table.open(at: path).snapshot().read() } throws: { error in
            guard let e = error as? TableError, e.code == .unsupported else { return false }
            return e.path?.hasPrefix(path) == true
                && (e.message.contains("deletion vector") || e.message.contains("column mapping") || e.message.contains("reader of version"))
        }
        #expect(try FileManager.default.subpathsOfDirectory(atPath: path).sorted() == before)
    }
}
