import LarderColumnar

/// Point lookups. Each consults the overlays newest first, then the base; the first file that
/// holds the key decides (a tombstone there means the entity was deleted).
///
/// Single-column keys have typed entry points that hash the key in registers: one hash, a
/// probe of a sorted slot run (usually one cache line) and the row (one more), no allocation,
/// no lock, no system call. Calling the entry point of another key type is a programming error
/// and traps.
extension OnlineStore {
    /// The row of the entity whose single int64 key is `key`, or nil.
    public func lookup(_ key: Int64) -> OnlineRow? {
        precondition(state.base.schema.keyShape == .int64, "the store's key is \(keyDescription), not a single int64")
        let hash = KeyHash.int64(key)
        let word = UInt64(bitPattern: key)
        for table in state.layers {
            if let row = table.findRow(hash: hash, word: word) { return Self.visible(table, row) }
        }
        return nil
    }

    /// The row of the entity whose single int32 key is `key`, or nil.
    public func lookup(_ key: Int32) -> OnlineRow? {
        precondition(state.base.schema.keyShape == .int32, "the store's key is \(keyDescription), not a single int32")
        let hash = KeyHash.int32(key)
        let word = UInt32(bitPattern: key)
        for table in state.layers {
            if let row = table.findRow(hash: hash, word32: word) { return Self.visible(table, row) }
        }
        return nil
    }

    /// The row of the entity whose single string key is `key`, or nil.
    public func lookup(_ key: String) -> OnlineRow? {
        precondition(state.base.schema.keyShape == .string, "the store's key is \(keyDescription), not a single string")
        var key = key
        return key.withUTF8 { utf8 in lookup(canonical: UnsafeRawBufferPointer(utf8)) }
    }

    /// The row of the entity with key `key` (any key shape), or nil.
    public func lookup(_ key: OnlineKey) -> OnlineRow? {
        key.bytes.withUnsafeBytes { lookup(canonical: $0) }
    }

    /// The rows of many int64 keys, in the order of `keys` (nil where absent).
    public func lookup(_ keys: [Int64]) -> [OnlineRow?] {
        keys.map { lookup($0) }
    }

    /// The rows of many keys, in the order of `keys` (nil where absent).
    public func lookup(_ keys: [OnlineKey]) -> [OnlineRow?] {
        keys.map { lookup($0) }
    }

    /// The rows of the keys in `keyColumns` (one column per key column of the schema, in
    /// order), row by row; nil where absent or where a key column is null.
    /// - Throws: ``OnlineStoreError`` `.invalidArgument` when the columns do not match the
    ///   schema's key columns.
    public func lookup(keyColumns: [Column]) throws -> [OnlineRow?] {
        let keys = try KeyColumns(columns: keyColumns, schema: schema)
        var result: [OnlineRow?] = []
        result.reserveCapacity(keys.rowCount)
        if keys.validity.isEmpty, case .int64(let values) = keys.parts[0], keys.parts.count == 1 {
            for value in values { result.append(lookup(value)) }
            return result
        }
        var buffer: [UInt8] = []
        for row in 0 ..< keys.rowCount {
            if keys.hasNull(row) { result.append(nil); continue }
            keys.encode(row, into: &buffer)
            result.append(buffer.withUnsafeBytes { lookup(canonical: $0) })
        }
        return result
    }

    /// The row holding canonical key bytes `key`.
    @inline(__always)
    func lookup(canonical key: UnsafeRawBufferPointer) -> OnlineRow? {
        let hash = KeyHash.bytes(key)
        for table in state.layers {
            if let row = table.findRow(hash: hash, key: key) { return Self.visible(table, row) }
        }
        return nil
    }

    @inline(__always)
    private static func visible(_ table: MappedTable, _ row: UnsafeRawPointer) -> OnlineRow? {
        MappedTable.isTombstone(row) ? nil : OnlineRow(table: table, pointer: row)
    }

    private var keyDescription: String {
        state.base.schema.keys.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
    }
}
