import Foundation
import Larder
import LarderColumnar
import LarderParquet
import LarderQuality
import LarderTable

/// What step 4 leaves for the later steps.
struct DemoToday {
    /// The user whose features and recommendations the server step asks for: in today's
    /// snapshot, with good values.
    var user: Int64
}

/// Step 4 of `larder demo`: the quality gate rejecting a bad batch (`on_invalid: reject`) and
/// quarantining the bad rows of another (`on_invalid: quarantine`).
extension DemoRun {
    func qualityGate(_ db: FeatureDatabase, _ market: MarketplaceSummary) throws -> DemoToday {
        try rejectBadInteractions(db, market)
        return try quarantineBadSnapshotRows(db, market)
    }

    /// Microseconds since the epoch, now.
    static var nowMicros: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    /// Today's interactions with impossible labels and negative prices: the suite rejects the
    /// whole batch and the view's table keeps its version.
    private func rejectBadInteractions(_ db: FeatureDatabase, _ market: MarketplaceSummary) throws {
        let file = (market.directory as NSString).appendingPathComponent(MarketplaceDefinitions.fileName(view: "interactions"))
        let spine = try ParquetFile(path: file).read()
        let n = min(1000, spine.rowCount)
        let recent = spine.slice(spine.rowCount - n ..< spine.rowCount)
        guard let labelIndex = recent.schema.index(of: "label"), let priceIndex = recent.schema.index(of: "price_paid"),
              let timeIndex = recent.schema.index(of: "event_ts"),
              var labels = recent.columns[labelIndex].int64Values, var prices = recent.columns[priceIndex].float64Values
        else { throw DemoFailure("the generated interactions lack label or price_paid") }
        var priceValid = recent.columns[priceIndex].validity ?? Bitmap(count: n, value: true)
        var badLabels = 0, badPrices = 0
        for i in stride(from: 7, to: n, by: 97) {
            labels[i] = 2
            badLabels += 1
        }
        for i in stride(from: 31, to: n, by: 211) {
            prices[i] = -12.5
            priceValid[i] = true
            badPrices += 1
        }
        let now = Self.nowMicros
        var columns = recent.columns
        columns[labelIndex] = .int64(labels)
        columns[priceIndex] = .float64(prices, validity: priceValid)
        columns[timeIndex] = .timestamp((0 ..< n).map { now - Int64(n - $0) * 1_000_000 })
        let batch = try RecordBatch(schema: recent.schema, columns: columns)
        facts.rejectedRows = n
        facts.rejectedBadRows = Set(Array(stride(from: 7, to: n, by: 97)) + Array(stride(from: 31, to: n, by: 211))).count

        let before = try db.snapshot(of: "interactions").version
        print("  today's interactions: \(DemoConsole.grouped(n)) rows, \(facts.rejectedBadRows) of them bad "
            + "(\(badLabels) with label 2, \(badPrices) with a negative price); interactions has on_invalid: reject")
        var rejection: ValidationResult?
        do {
            try db.ingest([batch], into: "interactions", source: "today's interactions")
        } catch let error as DatabaseError where error.code == .validationFailed {
            rejection = error.validationResult
        }
        guard let result = rejection else { throw DemoFailure("the suite accepted a batch with impossible labels") }
        let after = try db.snapshot(of: "interactions").version
        guard after == before else { throw DemoFailure("a rejected batch changed the interactions table to version \(after)") }
        facts.rejectedExpectations = result.failures.count
        print("    REJECTED by suite \(result.suiteName): \(result.failures.count) of \(result.statistics.evaluatedExpectations) "
            + "expectations failed; nothing was committed (interactions stays at version \(after))")
        for failure in result.failures { print("      FAIL  " + QualityText.describe(failure)) }
    }

    /// Today's user_stats snapshot (the newest row of recent users, dated today) with three bad
    /// rows: they go to `user_stats__quarantine`, the rest commits.
    private func quarantineBadSnapshotRows(_ db: FeatureDatabase, _ market: MarketplaceSummary) throws -> DemoToday {
        let file = (market.directory as NSString).appendingPathComponent(MarketplaceDefinitions.fileName(view: "user_stats"))
        let parquet = try ParquetFile(path: file)
        guard parquet.rowGroupCount > 0 else { throw DemoFailure("the generated user_stats file is empty") }
        let last = try parquet.read(rowGroups: [parquet.rowGroupCount - 1])
        guard let users = last.column(named: "user_id")?.int64Values else { throw DemoFailure("user_stats has no int64 user_id") }
        // The last rows of the file are the newest day's snapshot; keep one row per user.
        var seen = Set<Int64>()
        var picked: [Int] = []
        for i in stride(from: users.count - 1, through: 0, by: -1) where seen.insert(users[i]).inserted {
            picked.append(i)
            if picked.count == scale.sizes.users { break }
        }
        picked.reverse()
        let m = picked.count
        guard m >= 4 else { throw DemoFailure("the last snapshot of user_stats has only \(m) users") }
        let today = try last.take(picked)
        guard let visitsIndex = today.schema.index(of: "visits_7d"), let regionIndex = today.schema.index(of: "region"),
              let favouriteIndex = today.schema.index(of: "fav_category"), let eventIndex = today.schema.index(of: "event_ts"),
              let createdIndex = today.schema.index(of: "created_ts"), var visits = today.columns[visitsIndex].int64Values
        else { throw DemoFailure("user_stats lacks the columns the demo changes") }
        var visitsValid = today.columns[visitsIndex].validity ?? Bitmap(count: m, value: true)
        var regions = Self.strings(today.columns[regionIndex])
        var favourites = Self.strings(today.columns[favouriteIndex])
        let bad = [m / 3, m / 2, 2 * m / 3]
        visits[bad[0]] = -4
        visitsValid[bad[0]] = true
        regions[bad[1]] = "atlantis"
        visits[bad[2]] = 5000
        visitsValid[bad[2]] = true
        favourites[bad[2]] = "zumba"
        let now = Self.nowMicros
        let midnight = now - now % 86_400_000_000
        var columns = today.columns
        columns[visitsIndex] = .int64(visits, validity: visitsValid)
        columns[regionIndex] = .string(regions)
        columns[favouriteIndex] = .string(favourites)
        columns[eventIndex] = .timestamp([Int64](repeating: midnight, count: m))
        columns[createdIndex] = .timestamp([Int64](repeating: now, count: m))
        let batch = try RecordBatch(schema: today.schema, columns: columns)

        print("  today's user_stats snapshot: \(DemoConsole.grouped(m)) rows dated \(Timestamp.iso8601(micros: midnight)), 3 of them bad "
            + "(visits_7d -4; region \"atlantis\"; visits_7d 5000 with fav_category \"zumba\"); user_stats has on_invalid: quarantine")
        let result = try db.ingest([batch], into: "user_stats", source: "today's user_stats snapshot")
        guard let outcome = result.quality, outcome.quarantinedRows > 0, let version = result.version else {
            throw DemoFailure("the suite did not quarantine the bad rows of today's snapshot")
        }
        let quarantine = FeatureDatabase.quarantineTableName(of: "user_stats")
        let held = try db.snapshot(of: quarantine).read(columns: ["user_id", "visits_7d", "region", "fav_category", "_failed_expectations"])
        facts.quarantineOffered = m
        facts.quarantineCommitted = result.rows
        facts.quarantinedRows = outcome.quarantinedRows
        facts.quarantineTableRows = held.rowCount
        if let index = facts.views.firstIndex(where: { $0.view == "user_stats" }) {
            facts.views[index].rows += result.rows
            facts.views[index].version = version
        }
        print("    committed \(DemoConsole.grouped(result.rows)) rows as user_stats version \(version); "
            + "quarantined \(outcome.quarantinedRows) rows to \(quarantine) (version \(outcome.quarantineVersion.map(String.init) ?? "-"), "
            + "\(held.rowCount) rows in the table)")
        print("    commit record: quality=\(outcome.commitMetadata["quality"] ?? "-")")
        let shown = ["user_id", "visits_7d", "region", "fav_category", "_failed_expectations"]
        var rows: [[String]] = []
        for r in 0 ..< min(held.rowCount, 10) {
            rows.append(held.columns.map { Self.text($0[r]) })
        }
        for line in DemoConsole.table(shown, rows, indent: "      ", leftAligned: [2, 3, 4]) { print(line) }
        guard let user = batch.column(named: "user_id")?.int64Values?.first else { throw DemoFailure("today's snapshot is empty") }
        return DemoToday(user: user)
    }

    /// A string column's values, nil for nulls.
    static func strings(_ column: Column) -> [String?] {
        column.values.map { value -> String? in
            if case .string(let s) = value { return s }
            return nil
        }
    }

    /// A value as plain text: strings unquoted, null as "null".
    static func text(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .string(let s): s
        case .timestamp(let t): Timestamp.iso8601(micros: t)
        case .float64(let d): String(format: "%.4g", d)
        case .float32(let f): String(format: "%.4g", Double(f))
        default: "\(value)"
        }
    }
}
