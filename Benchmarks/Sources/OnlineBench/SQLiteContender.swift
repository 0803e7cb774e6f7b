import CSQLite
import LarderColumnar

/// SQLite through its C API, as a careful engineer would use it for an online store: one
/// table with the entity id as `INTEGER PRIMARY KEY` (the rowid, so the table's own B-tree
/// is the index), WAL mode with `synchronous=FULL` (a commit is durable), the full load as
/// one transaction of prepared-statement inserts in key order (SQLite's automatic checkpoint
/// at the commit copies it into the database file), the incremental load as one transaction
/// of `INSERT … ON CONFLICT DO UPDATE … WHERE` newer. Reads: one prepared
/// `SELECT … WHERE entity_id = ?` of every feature, the connection with a memory map over the
/// whole file (`mmap_size`) and a 1 GiB page cache; a batch is 100 such reads in one read
/// transaction.
final class SQLiteContender: Contender {
    static let name = "sqlite"
    static let file = "features.db"

    static let columns = "entity_id, event_ts, created_ts, clicks_7d, orders_30d, last_item_id, spend_30d, ctr_7d, score, is_member, segment, embedding"
    static let createTable = """
        CREATE TABLE features (entity_id INTEGER PRIMARY KEY, event_ts INTEGER NOT NULL, created_ts INTEGER NOT NULL,
            clicks_7d INTEGER, orders_30d INTEGER, last_item_id INTEGER, spend_30d REAL, ctr_7d REAL, score REAL,
            is_member INTEGER, segment TEXT, embedding BLOB)
        """
    static let insert = "INSERT INTO features (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    static let upsertSQL = insert + """
         ON CONFLICT(entity_id) DO UPDATE SET event_ts = excluded.event_ts, created_ts = excluded.created_ts,
            clicks_7d = excluded.clicks_7d, orders_30d = excluded.orders_30d, last_item_id = excluded.last_item_id,
            spend_30d = excluded.spend_30d, ctr_7d = excluded.ctr_7d, score = excluded.score,
            is_member = excluded.is_member, segment = excluded.segment, embedding = excluded.embedding
          WHERE excluded.event_ts > features.event_ts
             OR (excluded.event_ts = features.event_ts AND excluded.created_ts >= features.created_ts)
        """
    /// Every feature, in the order ``touch(_:)`` reads them.
    static let select = "SELECT event_ts, created_ts, clicks_7d, orders_30d, last_item_id, spend_30d, ctr_7d, score, is_member, segment, embedding FROM features WHERE entity_id = ?"

    let db: OpaquePointer
    let selectStatement: OpaquePointer
    let begin: OpaquePointer
    let commit: OpaquePointer
    /// What SQLite granted for `PRAGMA mmap_size` (it caps the request at compile time).
    private(set) var mmapSize: Int64 = 0

    static func open(_ path: String) throws -> OpaquePointer {
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            throw BenchError("sqlite3_open_v2 \(path): \(String(cString: sqlite3_errstr(status)))")
        }
        try exec(db, "PRAGMA journal_mode = WAL")
        try exec(db, "PRAGMA synchronous = FULL")
        return db
    }

    static func build(_ batches: [RecordBatch], in directory: String) throws -> Int {
        let db = try open(directory + "/" + file)
        defer { sqlite3_close_v2(db) }
        try exec(db, createTable)
        try exec(db, "BEGIN")
        let statement = try prepare(db, insert)
        defer { sqlite3_finalize(statement) }
        for batch in batches {
            let columns = try BatchColumns(batch)
            try insertRows(columns, db: db, statement: statement)
        }
        try exec(db, "COMMIT")
        return try count(db)
    }

    /// Binds and steps `statement` (an insert or upsert of every column) for each row;
    /// returns the rows it changed.
    @discardableResult
    static func insertRows(_ c: BatchColumns, db: OpaquePointer, statement: OpaquePointer) throws -> Int {
        var changed = 0
        try c.segmentBytes.withUnsafeBytes { segments in
            try c.embedding.withUnsafeBytes { vectors in
                for r in 0 ..< c.rowCount {
                    sqlite3_bind_int64(statement, 1, c.keys[r])
                    sqlite3_bind_int64(statement, 2, c.events[r])
                    sqlite3_bind_int64(statement, 3, c.created[r])
                    sqlite3_bind_int64(statement, 4, c.clicks[r])
                    sqlite3_bind_int64(statement, 5, c.orders[r])
                    sqlite3_bind_int64(statement, 6, c.lastItem[r])
                    sqlite3_bind_double(statement, 7, c.spend[r])
                    sqlite3_bind_double(statement, 8, c.ctr[r])
                    sqlite3_bind_double(statement, 9, c.score[r])
                    sqlite3_bind_int(statement, 10, c.member[r] ? 1 : 0)
                    let start = c.segmentOffsets[r]
                    // SQLITE_STATIC (nil): the buffers outlive the step.
                    sqlite3_bind_text(statement, 11, (segments.baseAddress! + start).assumingMemoryBound(to: CChar.self),
                                      Int32(c.segmentOffsets[r + 1] - start), nil)
                    sqlite3_bind_blob(statement, 12, vectors.baseAddress! + r * BenchRows.dimension * 4,
                                      Int32(BenchRows.dimension * 4), nil)
                    let status = sqlite3_step(statement)
                    guard status == SQLITE_DONE else { throw error(db, "insert row \(c.keys[r])") }
                    changed += Int(sqlite3_changes(db))
                    sqlite3_reset(statement)
                }
            }
        }
        return changed
    }

    init(directory: String) throws {
        db = try Self.open(directory + "/" + Self.file)
        try Self.exec(db, "PRAGMA cache_size = -1048576")   // 1 GiB
        mmapSize = try Self.queryInt(db, "PRAGMA mmap_size = 17179869184")
        selectStatement = try Self.prepare(db, Self.select)
        begin = try Self.prepare(db, "BEGIN")
        commit = try Self.prepare(db, "COMMIT")
    }

    deinit {
        sqlite3_finalize(selectStatement)
        sqlite3_finalize(begin)
        sqlite3_finalize(commit)
        sqlite3_close_v2(db)
    }

    func warmUp(entities: Int) throws {
        var sum: Int64 = 0
        for key in 0 ..< Int64(entities) { sum &+= read(key) ?? 0 }
        blackHole(sum)
    }

    @inline(__always)
    func touch(_ s: OpaquePointer) -> Int64 {
        let length = Int(sqlite3_column_bytes(s, 9))
        let text = sqlite3_column_text(s, 9)
        let last: UInt8 = length > 0 && text != nil ? text![length - 1] : 0
        let blob = sqlite3_column_blob(s, 10)
        let e0: Float = blob != nil && sqlite3_column_bytes(s, 10) >= 4 ? blob!.loadUnaligned(as: Float.self) : 0
        return BenchRows.touch(clicks: sqlite3_column_int64(s, 2), spend: sqlite3_column_double(s, 5),
                               segmentLast: last, embedding0: e0, eventTs: sqlite3_column_int64(s, 0))
    }

    @inline(__always)
    func read(_ key: Int64, variant: Int = 0) -> Int64? {
        let s = selectStatement
        sqlite3_bind_int64(s, 1, key)
        defer { sqlite3_reset(s) }
        guard sqlite3_step(s) == SQLITE_ROW else { return nil }
        return touch(s)
    }

    func read(batch keys: [Int64]) -> (sum: Int64, found: Int) {
        guard sqlite3_step(begin) == SQLITE_DONE else { return (0, 0) }
        sqlite3_reset(begin)
        var sum: Int64 = 0
        var found = 0
        for key in keys {
            guard let t = read(key) else { continue }
            sum &+= t
            found += 1
        }
        _ = sqlite3_step(commit)
        sqlite3_reset(commit)
        return (sum, found)
    }

    func upsert(_ batch: RecordBatch) throws -> Int {
        let columns = try BatchColumns(batch)
        try Self.exec(db, "BEGIN")
        let statement = try Self.prepare(db, Self.upsertSQL)
        defer { sqlite3_finalize(statement) }
        let changed = try Self.insertRows(columns, db: db, statement: statement)
        try Self.exec(db, "COMMIT")
        return changed
    }

    func rowCount() throws -> Int { try Self.count(db) }

    func settle() throws { try checkpoint() }

    /// Copies the WAL into the database file and truncates it (untimed: frees disk).
    func checkpoint() throws { try Self.exec(db, "PRAGMA wal_checkpoint(TRUNCATE)") }

    // MARK: - Helpers

    static func count(_ db: OpaquePointer) throws -> Int {
        Int(try queryInt(db, "SELECT count(*) FROM features"))
    }

    static func exec(_ db: OpaquePointer, _ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw BenchError("sqlite: \(sql.prefix(60)): \(text)")
        }
    }

    static func prepare(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error(db, "prepare \(sql.prefix(60))")
        }
        return statement
    }

    static func queryInt(_ db: OpaquePointer, _ sql: String) throws -> Int64 {
        let statement = try prepare(db, sql)
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw error(db, sql) }
        return sqlite3_column_int64(statement, 0)
    }

    static func error(_ db: OpaquePointer, _ what: String) -> BenchError {
        BenchError("sqlite: \(what): \(String(cString: sqlite3_errmsg(db)))")
    }
}
