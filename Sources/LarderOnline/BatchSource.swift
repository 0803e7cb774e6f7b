import LarderColumnar

/// A record batch as builder input: its key, value and timestamp columns checked against the
/// schema once, so the hot loops need no checks.
struct BatchSource {
    let keys: KeyColumns
    /// The value columns in schema order (empty for deletions).
    let values: [Column]
    let events: [Int64]
    /// Nil when the batch has no created-time column (every created time is then 0).
    let created: [Int64]?
    /// Whether the rows are deletions (tombstones): keys and timestamps only.
    let isDeletion: Bool
    /// Whether the rows replace the store's rows for their keys even when those are newer
    /// (an overlay's replacements and removals).
    let replaces: Bool
    let count: Int

    /// - Throws: ``OnlineStoreError`` `.invalidArgument` when a key, value or timestamp column
    ///   is missing, has the wrong type, or (keys, timestamps) holds a null.
    init(batch: RecordBatch, schema: OnlineSchema, isDeletion: Bool, replaces: Bool = false) throws {
        func column(_ name: String, role: String) throws -> Column {
            guard let column = batch.column(named: name) else {
                throw OnlineStoreError(.invalidArgument, "the batch has no \(role) column '\(name)'; it has \(batch.schema.names.joined(separator: ", "))")
            }
            return column
        }
        let keyColumns = try schema.keys.map { try column($0.name, role: "key") }
        for (field, key) in zip(schema.keys, keyColumns) where key.nullCount > 0 {
            throw OnlineStoreError(.invalidArgument, "key column '\(field.name)' holds \(key.nullCount) nulls; online keys cannot be null")
        }
        keys = try KeyColumns(columns: keyColumns, schema: schema)
        if isDeletion {
            values = []
        } else {
            values = try schema.values.map { field in
                let value = try column(field.name, role: "value")
                guard value.type == field.type else {
                    throw OnlineStoreError(.invalidArgument, "value column '\(field.name)' is \(value.type) in the batch; the schema says \(field.type)")
                }
                return value
            }
        }
        func timestamps(_ name: String) throws -> [Int64]? {
            guard let column = batch.column(named: name) else { return nil }
            guard column.type == .timestamp || column.type == .int64, let values = column.int64Values else {
                throw OnlineStoreError(.invalidArgument, "timestamp column '\(name)' is \(column.type); it must be a timestamp or int64 microseconds")
            }
            guard column.nullCount == 0 else {
                throw OnlineStoreError(.invalidArgument, "timestamp column '\(name)' holds \(column.nullCount) nulls")
            }
            return values
        }
        guard let events = try timestamps(schema.eventTimestampColumn) else {
            throw OnlineStoreError(.invalidArgument, "the batch has no event timestamp column '\(schema.eventTimestampColumn)'")
        }
        self.events = events
        created = try timestamps(schema.createdTimestampColumn)
        self.isDeletion = isDeletion
        self.replaces = replaces
        count = batch.rowCount
    }

    @inline(__always)
    func timestamps(_ row: Int) -> (event: Int64, created: Int64) {
        (events[row], created?[row] ?? 0)
    }

    /// Writes the table hash of every row's key into `out` (`count` entries).
    func computeHashes(into out: UnsafeMutableBufferPointer<UInt64>) {
        if keys.parts.count == 1 {
            switch keys.parts[0] {
            case .int64(let v):
                v.withUnsafeBufferPointer { p in for i in 0 ..< count { out[i] = KeyHash.int64(p[i]) } }
                return
            case .int32(let v):
                v.withUnsafeBufferPointer { p in for i in 0 ..< count { out[i] = KeyHash.int32(p[i]) } }
                return
            case .bytes(let offsets, let data):
                data.withUnsafeBytes { d in
                    offsets.withUnsafeBufferPointer { o in
                        for i in 0 ..< count {
                            out[i] = KeyHash.bytes(UnsafeRawBufferPointer(rebasing: d[o[i] ..< o[i + 1]]))
                        }
                    }
                }
                return
            }
        }
        var buffer: [UInt8] = []
        for i in 0 ..< count {
            keys.encode(i, into: &buffer)
            out[i] = buffer.withUnsafeBytes { KeyHash.bytes($0) }
        }
    }

    /// The canonical key of `row`, in `buffer`.
    func keyBytes(_ row: Int, into buffer: inout [UInt8]) {
        keys.encode(row, into: &buffer)
    }

    /// The heap bytes the rows `rows` need for the key (variable keys only) and for each value
    /// column (bytes and vectors; 0 for fixed-width columns).
    func regionLengths(rows: [Int32], allRows: Bool, layout: RowLayout) -> (key: Int, values: [Int]) {
        var key = 0
        if layout.fixedKeyWidth == nil {
            var buffer: [UInt8] = []
            for r in rows { keys.encode(Int(r), into: &buffer); key += buffer.count }
        }
        var lengths = [Int](repeating: 0, count: layout.slots.count)
        for (c, column) in values.enumerated() {
            switch column.storage {
            case .bytes(let offsets, _):
                // Only values longer than the inline capacity go to the heap.
                offsets.withUnsafeBufferPointer { o in
                    var total = 0
                    if allRows && column.validity == nil {
                        for r in 0 ..< count {
                            let length = o[r + 1] - o[r]
                            if length > RowLayout.inlineBytesCapacity { total += length }
                        }
                    } else {
                        for r in rows where column.isValid(Int(r)) {
                            let length = o[Int(r) + 1] - o[Int(r)]
                            if length > RowLayout.inlineBytesCapacity { total += length }
                        }
                    }
                    lengths[c] = total
                }
            case .vector(let d, _):
                guard case .vector(_, false) = layout.slots[c].kind else { break }
                var present = rows.count
                if let validity = column.validity { present = rows.reduce(0) { $0 + (validity[Int($1)] ? 1 : 0) } }
                lengths[c] = present * d * 4
            default:
                break
            }
        }
        return (key, lengths)
    }

    /// Writes rows `rows` (source row numbers, increasing) to their table entries,
    /// `destinations[r]` for row `r`, with its key hash `hashes[r]`, copying variable data to
    /// the heap at `output`'s cursors. Works a tile of rows at a time, column by column, so
    /// the tile's entries stay in cache while every column is written.
    func writeRows(_ rows: ArraySlice<Int32>, destinations: UnsafeBufferPointer<UInt32>, hashes: UnsafeBufferPointer<UInt64>,
                   layout: RowLayout, output: inout OutputCursor) {
        let tile = 2048
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + tile, rows.endIndex)
            writeTile(rows[start ..< end], Entries(table: output.table, stride: layout.stride, destinations: destinations),
                      hashes: hashes, layout: layout, output: &output)
            start = end
        }
    }

    /// Where source row `r`'s entry is.
    struct Entries {
        let table: UnsafeMutableRawPointer
        let stride: Int
        let destinations: UnsafeBufferPointer<UInt32>

        @inline(__always)
        subscript(row: Int32) -> UnsafeMutableRawPointer { table + Int(destinations[Int(row)]) &* stride }
    }

    private func writeTile(_ rows: ArraySlice<Int32>, _ entries: Entries, hashes: UnsafeBufferPointer<UInt64>,
                           layout: RowLayout, output: inout OutputCursor) {
        for r in rows {
            let row = entries[r]
            row.store(hashes[Int(r)], at: RowLayout.hashOffset)
            let (event, created) = timestamps(Int(r))
            row.store(event, at: RowLayout.eventOffset)
            row.store(created, at: RowLayout.createdOffset)
            if isDeletion { row.store(RowLayout.tombstoneFlag, at: RowLayout.flagsOffset) }
        }
        writeKeys(rows, entries, layout: layout, output: &output)
        for (c, column) in values.enumerated() {
            let byte = RowLayout.validityOffset + (c >> 3)
            let mask = UInt8(1) << UInt8(c & 7)
            for r in rows where column.isValid(Int(r)) {
                let row = entries[r]
                row.storeBytes(of: row.load(fromByteOffset: byte, as: UInt8.self) | mask, toByteOffset: byte, as: UInt8.self)
            }
            writeValues(column, rows, entries, slot: layout.slots[c], column: c, output: &output)
        }
    }

    private func writeKeys(_ rows: ArraySlice<Int32>, _ entries: Entries, layout: RowLayout, output: inout OutputCursor) {
        if layout.fixedKeyWidth != nil {
            var fieldOffset = layout.keyOffset
            for part in keys.parts {
                switch part {
                case .int64(let v):
                    for r in rows { entries[r].store(v[Int(r)], at: fieldOffset) }
                    fieldOffset += 8
                case .int32(let v):
                    for r in rows { entries[r].store(v[Int(r)], at: fieldOffset) }
                    fieldOffset += 4
                case .bytes:
                    break  // a fixed-width key has no string part
                }
            }
            return
        }
        var buffer: [UInt8] = []
        for r in rows {
            keys.encode(Int(r), into: &buffer)
            let offset = output.appendKey(buffer)
            entries[r].store(UInt64(offset), at: layout.keyOffset)
            entries[r].store(UInt32(buffer.count), at: layout.keyOffset + 8)
        }
    }

    private func writeValues(_ column: Column, _ rows: ArraySlice<Int32>, _ entries: Entries,
                             slot: RowLayout.Slot, column c: Int, output: inout OutputCursor) {
        let offset = slot.offset
        switch column.storage {
        case .int32(let v):
            v.withUnsafeBufferPointer { p in for r in rows { entries[r].store(p[Int(r)], at: offset) } }
        case .int64(let v):
            v.withUnsafeBufferPointer { p in for r in rows { entries[r].store(p[Int(r)], at: offset) } }
        case .float32(let v):
            v.withUnsafeBufferPointer { p in for r in rows { entries[r].store(p[Int(r)].bitPattern, at: offset) } }
        case .float64(let v):
            v.withUnsafeBufferPointer { p in for r in rows { entries[r].store(p[Int(r)].bitPattern, at: offset) } }
        case .bool(let v):
            v.withUnsafeBufferPointer { p in for r in rows { entries[r].store(UInt8(p[Int(r)] ? 1 : 0), at: offset) } }
        case .bytes(let offsets, let data):
            data.withUnsafeBytes { d in
                offsets.withUnsafeBufferPointer { o in
                    for r in rows where column.isValid(Int(r)) {
                        let start = o[Int(r)], length = o[Int(r) + 1] - start
                        let entry = entries[r]
                        entry.store(UInt32(length), at: offset)
                        if length <= RowLayout.inlineBytesCapacity {
                            if length > 0, let b = d.baseAddress { (entry + offset + 4).copyMemory(from: b + start, byteCount: length) }
                        } else {
                            let at = output.append(UnsafeRawBufferPointer(rebasing: d[start ..< start + length]), column: c)
                            entry.store(UInt64(at), at: offset + RowLayout.bytesHeapOffset)
                        }
                    }
                }
            }
        case .vector(let dimension, let values):
            values.withUnsafeBytes { d in
                let width = dimension * 4
                if case .vector(_, true) = slot.kind, let b = d.baseAddress {
                    for r in rows where column.isValid(Int(r)) {
                        (entries[r] + offset).copyMemory(from: b + Int(r) * width, byteCount: width)
                    }
                    return
                }
                for r in rows where column.isValid(Int(r)) {
                    let at = output.append(UnsafeRawBufferPointer(rebasing: d[Int(r) * width ..< (Int(r) + 1) * width]), column: c)
                    entries[r].store(UInt64(at), at: offset)
                }
            }
        }
    }
}
