import Foundation
import LarderColumnar
import LarderParquet
import LarderTable

/// What one view contributes to one spine chunk.
struct ViewJoinOutput {
    /// Per requested feature, one value per chunk row (null where nothing matched).
    var features: [Column]
    /// The matched row's event time per chunk row (null where nothing matched).
    var eventTimes: Column
    var matched = 0
    var filesRead = 0
    var filesSkipped = 0
    var rowGroupsRead = 0
    var rowGroupsSkipped = 0
    var leakage = LeakageCheck()
    /// Seconds per step: `read keys`, `merge`, `read features`, `assemble`.
    var seconds: [String: Double] = [:]
}

/// A row group of a view's table that may hold candidates.
private struct RunLocation {
    let file: ParquetFile
    let rowGroup: Int
}

/// The as-of join of one view against one spine chunk: a merge pass over the key and time
/// columns of every row group that statistics do not rule out, then a second pass that reads
/// the features of just the row groups holding winners.
struct ViewJoin {
    let request: ViewRequest
    let spine: SortedSpine
    /// Spine time per chunk row (for the leakage check).
    let spineTimes: [Int64]
    let chunkRows: Int
    let availableAt: Bool

    /// Row groups whose key columns are decoded together (bounded: they are held at once).
    static let rowGroupsPerRead = 3

    func run() throws -> ViewJoinOutput {
        let view = request.view
        let snapshot = request.snapshot
        var output = ViewJoinOutput(features: [], eventTimes: .timestamp([]))
        let runs = try locateRuns(&output)

        // Pass 1: keys and times only.
        var winners = Winners(count: spine.count)
        let timeColumns = [view.timestampField] + (view.createdTimestampColumn.map { [$0] } ?? [])
        var clock = ContinuousClock.now
        func lap(_ step: String) {
            let now = ContinuousClock.now
            output.seconds[step, default: 0] += (now - clock).seconds
            clock = now
        }
        // Row groups of a file are decoded a few at a time, so every core has a column to decode.
        var next = 0
        while next < runs.count {
            var end = next + 1
            while end < runs.count && end - next < Self.rowGroupsPerRead && runs[end].file === runs[next].file { end += 1 }
            let batches: [RecordBatch]
            do {
                batches = try runs[next].file.readBatches(columns: request.keys + timeColumns, rowGroups: runs[next ..< end].map(\.rowGroup))
            } catch {
                throw DatabaseError(.io, "cannot read the keys of view '\(view.name)'", file: runs[next].file.path, underlying: error)
            }
            lap("read keys")
            for (offset, batch) in batches.enumerated() {
                let run = try JoinRun(keyColumns: request.keys.map { batch.column(named: $0) ?? .int64([]) }, codings: spine.codings,
                                      event: batch.column(named: view.timestampField) ?? .timestamp([]),
                                      created: view.createdTimestampColumn.flatMap { batch.column(named: $0) })
                winners.merge(run, rank: Int32(next + offset), spine: spine, ttl: view.ttl, availableAt: availableAt)
            }
            lap("merge")
            next = end
        }

        // Pass 2: the features of each winning row, read from its row group.
        var positionsByRun = [[Int32]](repeating: [], count: runs.count)
        for p in 0 ..< spine.count where winners.runs[p] >= 0 {
            positionsByRun[Int(winners.runs[p])].append(Int32(truncatingIfNeeded: p))
        }
        // The event time is read again with the features, so the leakage check runs on the
        // data itself; the created time only when available-at mode needs checking.
        let gatherColumns = request.features + (availableAt ? timeColumns : [view.timestampField])
        let gatherSchema = try Schema(gatherColumns.map { name in
            Field(name, snapshot.schema.field(named: name)?.type ?? .timestamp, nullable: true)
        })
        var pieces: [RecordBatch] = []
        // Per chunk row: which piece holds its winner (-1: none) and at which row.
        var targetPiece = [Int32](repeating: -1, count: chunkRows)
        var targetRow = [Int32](repeating: 0, count: chunkRows)
        var offset = 0
        for (rank, positions) in positionsByRun.enumerated() where !positions.isEmpty {
            let location = runs[rank]
            let present = gatherColumns.filter { location.file.schema.index(of: $0) != nil }
            // Read just the winning rows, in row order (packed row << 32 | position sorts so).
            let ordered = positions.map { UInt64(UInt32(bitPattern: winners.rows[Int($0)])) << 32 | UInt64(UInt32(bitPattern: $0)) }.sorted()
            let piece = try read(location, columns: present, rows: ordered.map { Int($0 >> 32) })
            lap("read features")
            let pieceIndex = Int32(pieces.count)
            pieces.append(try Self.conform(piece, to: gatherSchema))
            for (k, packed) in ordered.enumerated() {
                let row = Int(spine.rows[Int(packed & 0xFFFF_FFFF)])
                targetPiece[row] = pieceIndex
                targetRow[row] = Int32(truncatingIfNeeded: k)
            }
            offset += positions.count
        }
        if pieces.isEmpty { pieces = [RecordBatch.empty(gatherSchema)] }
        // Put the winners in spine order straight from the pieces, one column per task.
        let sources = pieces
        let plan = try GatherPlan(pieces: targetPiece, rows: targetRow, sourceRowCounts: pieces.map(\.rowCount))
        let placed = try concurrentMap(Array(gatherSchema.fields.indices)) { c in
            try Column.gather(sources.map { $0.columns[c] }, plan: plan)
        }
        output.features = Array(placed[0 ..< request.features.count])
        output.eventTimes = placed[request.features.count]
        output.matched = offset
        output.leakage = check(placed, matched: targetPiece)
        lap("assemble")
        return output
    }

    /// The row groups to read, in rank order (file order, then row group), skipping files and
    /// row groups whose statistics show they hold no spine key or only rows too late or too old.
    private func locateRuns(_ output: inout ViewJoinOutput) throws -> [RunLocation] {
        guard spine.count > 0, let times = spine.timeRange else { return [] }
        let view = request.view
        let oldest = windowStart(times.min, ttl: view.ttl)
        let firstKey = request.keys[0]
        func mayMatch(_ key: ColumnStatistics?, _ event: ColumnStatistics?) -> Bool {
            if let key, let lo = key.min.flatMap(spine.codings[0].code(of:)), let hi = key.max.flatMap(spine.codings[0].code(of:)),
               !spine.hasFirstKey(in: lo, hi) { return false }
            if let event, case .timestamp(let lo)? = event.min, lo > times.max { return false }
            if let event, case .timestamp(let hi)? = event.max, hi < oldest { return false }
            return true
        }
        var runs: [RunLocation] = []
        // Rank order is commit order, so ties go to the later commit (see CommitOrder).
        for file in request.snapshot.files.sorted(by: { ($0.commitOrder, $0.path) < ($1.commitOrder, $1.path) }) {
            if let stats = file.statistics, !mayMatch(stats.columns[firstKey], stats.columns[view.timestampField]) {
                output.filesSkipped += 1
                continue
            }
            let parquet: ParquetFile
            do { parquet = try ParquetFile(path: request.snapshot.absolutePath(of: file)) } catch {
                throw DatabaseError(.io, "cannot read a data file of view '\(view.name)'", file: file.path, underlying: error)
            }
            output.filesRead += 1
            for g in 0 ..< parquet.rowGroupCount {
                if mayMatch(parquet.statistics(rowGroup: g, column: firstKey), parquet.statistics(rowGroup: g, column: view.timestampField)) {
                    runs.append(RunLocation(file: parquet, rowGroup: g))
                    output.rowGroupsRead += 1
                } else {
                    output.rowGroupsSkipped += 1
                }
            }
        }
        return runs
    }

    private func read(_ location: RunLocation, columns: [String], rows: [Int]? = nil) throws -> RecordBatch {
        do {
            if let rows { return try location.file.readRowGroup(location.rowGroup, columns: columns, rows: rows) }
            return try location.file.readRowGroup(location.rowGroup, columns: columns)
        } catch {
            throw DatabaseError(.io, "cannot read row group \(location.rowGroup) of view '\(request.view.name)'",
                                file: location.file.path, underlying: error)
        }
    }

    /// `batch` with every column of `schema`, nulls for the ones a file predates.
    private static func conform(_ batch: RecordBatch, to schema: Schema) throws -> RecordBatch {
        let columns = try schema.fields.map { field -> Column in
            if let c = batch.column(named: field.name) {
                guard c.type == field.type else {
                    throw DatabaseError(.io, "column '\(field.name)' of a data file is \(c.type), the table says \(field.type)")
                }
                return c
            }
            var builder = ColumnBuilder(type: field.type, capacity: batch.rowCount)
            for _ in 0 ..< batch.rowCount { builder.appendNull() }
            return builder.finish()
        }
        return try RecordBatch(schema: schema, columns: columns)
    }

    /// Re-checks every match from the data read in pass 2 (`placed`: the gathered columns in
    /// spine order): event time within `[ts - ttl, ts]`, and in available-at mode created
    /// time at or before ts.
    private func check(_ placed: [Column], matched: [Int32]) -> LeakageCheck {
        var result = LeakageCheck()
        let view = request.view
        let events = placed[request.features.count]
        let created = availableAt && view.createdTimestampColumn != nil ? placed[request.features.count + 1] : nil
        guard let eventValues = events.int64Values else { return result }
        let createdValues = created?.int64Values
        for row in matched.indices where matched[row] >= 0 {
            let g = row
            result.checked += 1
            let ts = spineTimes[row], event = eventValues[g]
            var why: String?
            if !events.isValid(g) { why = "matched a row without an event time" }
            else if event > ts { why = "event time \(Timestamp.iso8601(micros: event)) is after the spine time \(Timestamp.iso8601(micros: ts))" }
            else if event < windowStart(ts, ttl: view.ttl) { why = "event time \(Timestamp.iso8601(micros: event)) is older than the ttl allows at \(Timestamp.iso8601(micros: ts))" }
            else if availableAt, let c = created, let values = createdValues, !c.isValid(g) || values[g] > ts {
                why = c.isValid(g) ? "created time \(Timestamp.iso8601(micros: values[g])) is after the spine time \(Timestamp.iso8601(micros: ts))"
                    : "matched a row without a created time in available-at mode"
            }
            if let why {
                result.violations += 1
                if result.examples.count < 10 { result.examples.append("view '\(view.name)', spine row \(row + 1): \(why)") }
            }
        }
        return result
    }
}

/// The earliest event time a spine time `ts` accepts: `ts - ttl`, or no bound without a ttl.
@inline(__always)
func windowStart(_ ts: Int64, ttl: Int64?) -> Int64 {
    guard let ttl else { return .min }
    let (start, overflow) = ts.subtractingReportingOverflow(ttl)
    return overflow ? .min : start
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
