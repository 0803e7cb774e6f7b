#if canImport(Glibc)
import Glibc
#endif
import CLMDB
import LarderColumnar

/// LMDB through its C API, used as a careful engineer would for this data: one unnamed
/// database with `MDB_INTEGERKEY` (8-byte native keys), each value one packed record
/// (``Record``); the full load is one write transaction of `MDB_APPEND` puts in key order,
/// committed with LMDB's default durable sync; the incremental load is one write transaction
/// that reads each key's stored row and overwrites it only when the new row is not older.
/// Reads: `mdb_get` inside a read transaction, one per request (`mdb_txn_renew` / `reset`,
/// the documented cheap way), or one long-lived transaction (a reader that never moves to
/// newer data).
final class LMDBContender: Contender {
    static let name = "lmdb"

    /// The packed value: fixed-width fields at fixed offsets, then the string's bytes.
    enum Record {
        static let event = 0, created = 8, clicks = 16, orders = 24, lastItem = 32
        static let spend = 40, ctr = 48, score = 56, embedding = 64, member = 128
        static let segmentLength = 129, segment = 130
        static let maxSize = 130 + 255
    }

    let env: OpaquePointer
    let dbi: MDB_dbi
    /// The per-request read transaction (reset between requests).
    let requestTxn: OpaquePointer
    /// The long-lived read transaction of the second variant.
    var longTxn: OpaquePointer

    static func mapSize(rows: Int) -> Int { max(rows * 512, 1 << 30) }

    static func openEnvironment(_ directory: String, rows: Int) throws -> OpaquePointer {
        var env: OpaquePointer?
        try lmdb(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw BenchError("mdb_env_create returned no environment") }
        try lmdb(mdb_env_set_mapsize(env, mapSize(rows: rows)), "mdb_env_set_mapsize")
        try lmdb(mdb_env_open(env, directory, UInt32(MDB_NOTLS), 0o644), "mdb_env_open \(directory)")
        return env
    }

    static func build(_ batches: [RecordBatch], in directory: String) throws -> Int {
        let rows = batches.reduce(0) { $0 + $1.rowCount }
        let env = try openEnvironment(directory, rows: rows)
        defer { mdb_env_close(env) }
        var txn: OpaquePointer?
        try lmdb(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
        var dbi: MDB_dbi = 0
        try lmdb(mdb_dbi_open(txn, nil, UInt32(MDB_INTEGERKEY | MDB_CREATE), &dbi), "mdb_dbi_open")
        let record = UnsafeMutableRawPointer.allocate(byteCount: Record.maxSize, alignment: 8)
        defer { record.deallocate() }
        for batch in batches {
            let columns = try BatchColumns(batch)
            for r in 0 ..< columns.rowCount {
                var key = columns.keys[r]
                let size = pack(columns, r, into: record)
                let status = withUnsafeMutableBytes(of: &key) { k -> Int32 in
                    var kv = MDB_val(mv_size: 8, mv_data: k.baseAddress)
                    var vv = MDB_val(mv_size: size, mv_data: record)
                    return mdb_put(txn, dbi, &kv, &vv, UInt32(MDB_APPEND))
                }
                if status != 0 { mdb_txn_abort(txn); try lmdb(status, "mdb_put") }
            }
        }
        try lmdb(mdb_txn_commit(txn), "mdb_txn_commit")
        return try entries(env, dbi)
    }

    @inline(__always)
    static func pack(_ c: BatchColumns, _ r: Int, into p: UnsafeMutableRawPointer) -> Int {
        p.storeBytes(of: c.events[r], toByteOffset: Record.event, as: Int64.self)
        p.storeBytes(of: c.created[r], toByteOffset: Record.created, as: Int64.self)
        p.storeBytes(of: c.clicks[r], toByteOffset: Record.clicks, as: Int64.self)
        p.storeBytes(of: c.orders[r], toByteOffset: Record.orders, as: Int64.self)
        p.storeBytes(of: c.lastItem[r], toByteOffset: Record.lastItem, as: Int64.self)
        p.storeBytes(of: c.spend[r], toByteOffset: Record.spend, as: Double.self)
        p.storeBytes(of: c.ctr[r], toByteOffset: Record.ctr, as: Double.self)
        p.storeBytes(of: c.score[r], toByteOffset: Record.score, as: Double.self)
        c.embedding.withUnsafeBytes { e in
            (p + Record.embedding).copyMemory(from: e.baseAddress! + r * BenchRows.dimension * 4, byteCount: BenchRows.dimension * 4)
        }
        p.storeBytes(of: c.member[r] ? 1 : 0, toByteOffset: Record.member, as: UInt8.self)
        let start = c.segmentOffsets[r], length = min(c.segmentOffsets[r + 1] - start, 255)
        p.storeBytes(of: UInt8(length), toByteOffset: Record.segmentLength, as: UInt8.self)
        c.segmentBytes.withUnsafeBytes { s in
            (p + Record.segment).copyMemory(from: s.baseAddress! + start, byteCount: length)
        }
        return Record.segment + length
    }

    static func entries(_ env: OpaquePointer, _ dbi: MDB_dbi) throws -> Int {
        var txn: OpaquePointer?
        try lmdb(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin (read)")
        defer { mdb_txn_abort(txn) }
        var stat = MDB_stat()
        try lmdb(mdb_stat(txn, dbi, &stat), "mdb_stat")
        return stat.ms_entries
    }

    init(directory: String) throws {
        // The map must be at least as large as the data; the file tells how large it is.
        var info = stat()
        guard stat(directory + "/data.mdb", &info) == 0 else { throw BenchError("no LMDB data file in \(directory)") }
        env = try Self.openEnvironment(directory, rows: Int(info.st_size) / 256)
        var txn: OpaquePointer?
        try lmdb(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin (read)")
        var dbi: MDB_dbi = 0
        try lmdb(mdb_dbi_open(txn, nil, UInt32(MDB_INTEGERKEY), &dbi), "mdb_dbi_open")
        self.dbi = dbi
        mdb_txn_reset(txn)
        guard let txn else { throw BenchError("no read transaction") }
        requestTxn = txn
        var long: OpaquePointer?
        try lmdb(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &long), "mdb_txn_begin (long read)")
        guard let long else { throw BenchError("no read transaction") }
        longTxn = long
    }

    deinit {
        mdb_txn_abort(longTxn)
        mdb_txn_abort(requestTxn)
        mdb_env_close(env)
    }

    func warmUp(entities: Int) throws {
        var sum: Int64 = 0
        for key in 0 ..< Int64(entities) { sum &+= readLong(key) ?? 0 }
        blackHole(sum)
    }

    @inline(__always)
    static func touch(_ v: MDB_val) -> Int64 {
        let p = UnsafeRawPointer(v.mv_data!)
        let length = Int(p.load(fromByteOffset: Record.segmentLength, as: UInt8.self))
        return BenchRows.touch(clicks: p.loadUnaligned(fromByteOffset: Record.clicks, as: Int64.self),
                               spend: p.loadUnaligned(fromByteOffset: Record.spend, as: Double.self),
                               segmentLast: length == 0 ? 0 : p.load(fromByteOffset: Record.segment + length - 1, as: UInt8.self),
                               embedding0: p.loadUnaligned(fromByteOffset: Record.embedding, as: Float.self),
                               eventTs: p.loadUnaligned(fromByteOffset: Record.event, as: Int64.self))
    }

    @inline(__always)
    func get(_ txn: OpaquePointer, _ key: Int64) -> Int64? {
        var key = key
        return withUnsafeMutableBytes(of: &key) { k -> Int64? in
            var kv = MDB_val(mv_size: 8, mv_data: k.baseAddress)
            var vv = MDB_val()
            guard mdb_get(txn, dbi, &kv, &vv) == 0 else { return nil }
            return Self.touch(vv)
        }
    }

    /// A read transaction per request.
    func read(_ key: Int64) -> Int64? {
        guard mdb_txn_renew(requestTxn) == 0 else { return nil }
        defer { mdb_txn_reset(requestTxn) }
        return get(requestTxn, key)
    }

    /// The long-lived read transaction.
    func readLong(_ key: Int64) -> Int64? { get(longTxn, key) }

    static let readVariants = ["lmdb, txn per read", "lmdb, one long read txn"]

    @inline(__always)
    func read(_ key: Int64, variant: Int) -> Int64? { variant == 0 ? read(key) : readLong(key) }

    func read(batch keys: [Int64]) -> (sum: Int64, found: Int) {
        guard mdb_txn_renew(requestTxn) == 0 else { return (0, 0) }
        defer { mdb_txn_reset(requestTxn) }
        var sum: Int64 = 0
        var found = 0
        for key in keys {
            guard let t = get(requestTxn, key) else { continue }
            sum &+= t
            found += 1
        }
        return (sum, found)
    }

    func upsert(_ batch: RecordBatch) throws -> Int {
        let columns = try BatchColumns(batch)
        var txn: OpaquePointer?
        try lmdb(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
        let record = UnsafeMutableRawPointer.allocate(byteCount: Record.maxSize, alignment: 8)
        defer { record.deallocate() }
        var written = 0
        for r in 0 ..< columns.rowCount {
            var key = columns.keys[r]
            let status = withUnsafeMutableBytes(of: &key) { k -> Int32 in
                var kv = MDB_val(mv_size: 8, mv_data: k.baseAddress)
                var old = MDB_val()
                let found = mdb_get(txn, dbi, &kv, &old)
                if found == 0 {
                    let p = UnsafeRawPointer(old.mv_data!)
                    let event = p.loadUnaligned(fromByteOffset: Record.event, as: Int64.self)
                    let created = p.loadUnaligned(fromByteOffset: Record.created, as: Int64.self)
                    if (columns.events[r], columns.created[r]) < (event, created) { return 0 }
                } else if found != MDB_NOTFOUND {
                    return found
                }
                let size = Self.pack(columns, r, into: record)
                var vv = MDB_val(mv_size: size, mv_data: record)
                written += 1
                return mdb_put(txn, dbi, &kv, &vv, 0)
            }
            if status != 0 { mdb_txn_abort(txn); try lmdb(status, "mdb_put (upsert)") }
        }
        try lmdb(mdb_txn_commit(txn), "mdb_txn_commit")
        // The long reader moves to the new data, as the per-request one does by itself.
        mdb_txn_reset(longTxn)
        try lmdb(mdb_txn_renew(longTxn), "mdb_txn_renew")
        return written
    }

    func rowCount() throws -> Int { try Self.entries(env, dbi) }
}

func lmdb(_ status: Int32, _ what: String) throws {
    guard status == 0 else { throw BenchError("\(what): \(String(cString: mdb_strerror(status)))") }
}
