import Larder
import LarderColumnar
import LarderTable
import Synchronization

/// What each user already booked, so `/recommend` never offers it again.
///
/// The sources, read from the offline store (never from a model, which only knows the rows
/// before its training cut-off):
///
/// - each served model's interactions view (its lineage names it and its user, item and label
///   columns): every row with a label above 0, at the table's latest version; re-read when the
///   table gets a new version (``refresh(database:)``, from the server's background service);
/// - the feedback view: its `booking` rows, read once when the first model is served (bookings
///   reported to earlier runs of the server);
/// - `booking` events posted to `/feedback` since, added as they arrive.
///
/// The index only grows: a booking never becomes un-booked (rows deleted from a source by a
/// breaking re-apply stay excluded until the server restarts).
final class BookedItems: Sendable {
    /// A table to read positives from.
    struct Source: Sendable, Hashable {
        var view: String
        var userColumn: String
        var itemColumn: String
        /// A row counts when this column is above 0 (or true); nil: every row counts.
        var labelColumn: String?
        /// Only rows whose `eventColumn` is `eventValue` count (the feedback view's bookings).
        var eventColumn: String?
        var eventValue: String?
    }

    private struct State {
        var byUser: [Int64: Set<Int64>] = [:]
        /// Per source, the table version read (refresh re-reads a source when it moved).
        var read: [Source: Int64] = [:]
    }

    private let state = Mutex(State())

    /// The items `user` booked.
    func items(of user: Int64) -> Set<Int64> {
        state.withLock { $0.byUser[user] ?? [] }
    }

    /// Records that `user` booked `item`.
    func add(user: Int64, item: Int64) {
        state.withLock { _ = $0.byUser[user, default: []].insert(item) }
    }

    /// The number of (user, item) pairs known.
    var count: Int { state.withLock { $0.byUser.values.reduce(0) { $0 + $1.count } } }

    /// Reads `source` unless it was read (or tried) already.
    /// - Throws: ``DatabaseError`` when the view or a column is missing. A source whose table
    ///   exists is not tried again until the table gets a new version.
    func ensure(_ source: Source, database: FeatureDatabase) throws {
        guard state.withLock({ $0.read[source] == nil }) else { return }
        try read(source, database: database)
    }

    /// Re-reads the sources whose tables have a new version (the interactions views; the
    /// feedback view is read once, its later rows come through ``add(user:item:)``). A view
    /// that cannot be opened now (dropped) keeps what was read from it.
    /// - Returns: The views re-read, and the failures (view: error).
    func refresh(database: FeatureDatabase) -> (reread: [String], failed: [String]) {
        let known = state.withLock { $0.read }
        var reread: [String] = [], failed: [String] = []
        for (source, version) in known where source.eventColumn == nil {
            guard let latest = try? database.snapshot(of: source.view).version, latest != version else { continue }
            do {
                try read(source, database: database)
                reread.append(source.view)
            } catch {
                failed.append("\(source.view): \(error)")
            }
        }
        return (reread, failed)
    }

    private func read(_ source: Source, database: FeatureDatabase) throws {
        let snapshot = try database.snapshot(of: source.view)
        // Recorded first: a version that does not read is not tried again until the table moves.
        state.withLock { $0.read[source] = snapshot.version }
        let columns = [source.userColumn, source.itemColumn] + [source.labelColumn, source.eventColumn].compactMap { $0 }
        let batch = try snapshot.read(columns: columns)
        let users = try Self.ids(batch.columns[0], source.userColumn, source.view)
        let items = try Self.ids(batch.columns[1], source.itemColumn, source.view)
        var keep = [Bool](repeating: true, count: batch.rowCount)
        var next = 2
        if source.labelColumn != nil {
            let column = batch.columns[next]
            next += 1
            for r in 0 ..< batch.rowCount { keep[r] = Self.isPositive(column, r) }
        }
        if source.eventColumn != nil, let wanted = source.eventValue {
            let column = batch.columns[next]
            for r in 0 ..< batch.rowCount where keep[r] {
                if case .string(let s) = column[r] { keep[r] = s == wanted } else { keep[r] = false }
            }
        }
        var found: [Int64: Set<Int64>] = [:]
        for r in 0 ..< batch.rowCount where keep[r] {
            guard let u = users[r], let i = items[r] else { continue }
            found[u, default: []].insert(i)
        }
        state.withLock { s in
            for (user, items) in found { s.byUser[user, default: []].formUnion(items) }
            s.read[source] = snapshot.version
        }
    }

    /// The ids of an integer column (nil for nulls).
    private static func ids(_ column: Column, _ name: String, _ view: String) throws -> [Int64?] {
        if let v = column.int64Values { return v.indices.map { column.isValid($0) ? v[$0] : nil } }
        if let v = column.int32Values { return v.indices.map { column.isValid($0) ? Int64(v[$0]) : nil } }
        throw DatabaseError(.invalidInput, "column '\(name)' of view '\(view)' is \(column.type); recommendations need integer ids")
    }

    /// Whether row `r` of a label column counts as a booking (a number above 0, or true).
    private static func isPositive(_ column: Column, _ r: Int) -> Bool {
        guard column.isValid(r) else { return false }
        if let v = column.int64Values { return v[r] > 0 }
        if let v = column.int32Values { return v[r] > 0 }
        if let v = column.float64Values { return v[r] > 0 }
        if let v = column.float32Values { return v[r] > 0 }
        if let v = column.boolValues { return v[r] }
        return false
    }
}
