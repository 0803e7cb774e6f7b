import LarderColumnar

/// Key columns of a batch, checked against a schema, that encode row keys in canonical form
/// (see ``OnlineKey``) into a reused buffer: no allocation per row.
struct KeyColumns {
    enum Part {
        case int64([Int64])
        case int32([Int32])
        case bytes(offsets: [Int], data: [UInt8])
    }

    let parts: [Part]
    let validity: [Bitmap]
    let rowCount: Int

    /// - Throws: ``OnlineStoreError`` `.invalidArgument` when the count or a column's type does
    ///   not match the schema's key columns.
    init(columns: [Column], schema: OnlineSchema) throws {
        guard columns.count == schema.keys.count else {
            throw OnlineStoreError(.invalidArgument, "\(columns.count) key columns were given; the schema has \(schema.keys.count)")
        }
        var parts: [Part] = []
        var validity: [Bitmap] = []
        for (column, field) in zip(columns, schema.keys) {
            switch (field.type, column.storage) {
            case (.int64, .int64(let v)) where column.type == .int64: parts.append(.int64(v))
            case (.int32, .int32(let v)) where column.type == .int32: parts.append(.int32(v))
            case (.string, .bytes(let o, let d)) where column.type == .string: parts.append(.bytes(offsets: o, data: d))
            default:
                throw OnlineStoreError(.invalidArgument, "key column '\(field.name)' must be \(field.type); the batch has \(column.type)")
            }
            if let v = column.validity { validity.append(v) }
        }
        self.parts = parts
        self.validity = validity
        rowCount = columns.first?.count ?? 0
    }

    /// Whether any key column is null in `row`.
    @inline(__always)
    func hasNull(_ row: Int) -> Bool {
        for v in validity where !v[row] { return true }
        return false
    }

    /// Replaces `buffer`'s contents with the canonical key of `row`.
    @inline(__always)
    func encode(_ row: Int, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        for (index, part) in parts.enumerated() {
            switch part {
            case .int64(let v): buffer.appendLittleEndian(v[row])
            case .int32(let v): buffer.appendLittleEndian(v[row])
            case .bytes(let offsets, let data):
                let start = offsets[row], end = offsets[row + 1]
                if index != parts.count - 1 { buffer.appendLittleEndian(UInt32(truncatingIfNeeded: end - start)) }
                buffer.append(contentsOf: data[start ..< end])
            }
        }
    }
}

/// The hash that places a key in a table: XXH64 of the canonical key, with 0 (the empty-slot
/// marker) moved to 1.
enum KeyHash {
    @inline(__always)
    static func table(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }

    @inline(__always)
    static func int64(_ key: Int64) -> UInt64 { table(XXHash64.hash(word: UInt64(bitPattern: key))) }

    @inline(__always)
    static func int32(_ key: Int32) -> UInt64 { table(XXHash64.hash(word32: UInt32(bitPattern: key))) }

    @inline(__always)
    static func bytes(_ key: UnsafeRawBufferPointer) -> UInt64 { table(XXHash64.hash(key)) }
}
