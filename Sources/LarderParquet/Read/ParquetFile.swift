import Dispatch
import LarderColumnar

/// A Parquet file opened for reading, memory-mapped.
///
/// Opening reads and validates the footer; data is decoded on demand, a column chunk per task,
/// in parallel. Errors name the file and the column.
///
/// ```swift
/// let file = try ParquetFile(path: "features.parquet")
/// let batch = try file.read(columns: ["user_id", "spend_30d"])
/// ```
public final class ParquetFile: Sendable {
    public let path: String
    /// The decoded footer.
    public let metadata: ParquetFormat.FileMetaData
    /// The readable top-level columns, in file order.
    public let schema: Schema
    /// Columns that cannot be read, with the reason. Projections must leave them out.
    public let unsupportedColumns: [(name: String, reason: String)]
    public let options: ParquetReadOptions

    let file: MappedFile
    let leaves: [LeafColumn]

    /// Opens and validates the file at `path`.
    /// - Throws: ``ParquetError``: `.io` if it cannot be opened; `.corrupt`/`.truncated` for a
    ///   file that is not Parquet or is damaged; `.unsupported` for encrypted files.
    public init(path: String, options: ParquetReadOptions = .init()) throws {
        self.path = path
        self.options = options
        do {
            file = try MappedFile(path: path)
            metadata = try Self.readFooter(file, options: options)
            let larderMeta = LarderSchemaMetadata.decode(metadata.keyValueMetadata?.first { $0.key == LarderSchemaMetadata.key }?.value)
            var leaves = try ParquetSchemaMapping(metadata.schema, declaredDimensions: larderMeta?.vectorDimensions ?? [:]).leaves
            try Self.validate(metadata, leafCount: leaves.count, fileSize: file.count, options: options)
            // Vectors from other writers: find the dimension in the data.
            for i in leaves.indices where leaves[i].isVector && !leaves[i].dimensionIsDeclared && leaves[i].field != nil {
                leaves[i] = try Self.discoverDimension(leaves[i], column: i, metadata: metadata, file: file, options: options)
            }
            self.leaves = leaves
            var seen = Set<String>()
            var fields: [Field] = []
            var unsupported: [(String, String)] = []
            for leaf in leaves where seen.insert(leaf.name).inserted {
                if let field = leaf.field { fields.append(field) } else { unsupported.append((leaf.name, leaf.unsupportedReason ?? "unsupported")) }
            }
            do {
                schema = try Schema(fields)
            } catch {
                throw ParquetError(.unsupported, "the file's columns do not form a Larder schema: \(error)")
            }
            unsupportedColumns = unsupported
        } catch let error as ParquetError {
            throw error.at(path: path)
        }
    }

    /// Rows in the file.
    public var rowCount: Int { Int(metadata.numRows) }
    /// Row groups in the file.
    public var rowGroupCount: Int { metadata.rowGroups.count }
    /// Rows in row group `index`.
    public func rowCount(ofRowGroup index: Int) -> Int { Int(metadata.rowGroups[index].numRows) }
    /// The footer's key/value metadata.
    public var keyValueMetadata: [String: String] {
        var out: [String: String] = [:]
        for kv in metadata.keyValueMetadata ?? [] { out[kv.key] = kv.value ?? "" }
        return out
    }

    // MARK: Reading

    /// Reads `columns` (default: all) of every row group (or of `rowGroups`) into one batch.
    /// - Throws: `.invalidArgument` for an unknown column or row group; `.unsupported` when a
    ///   requested column cannot be read; `.corrupt` for damaged data.
    public func read(columns: [String]? = nil, rowGroups: [Int]? = nil) throws -> RecordBatch {
        let batches = try readBatches(columns: columns, rowGroups: rowGroups)
        if batches.count == 1 { return batches[0] }
        let projected = try projectedSchema(columns)
        if batches.isEmpty { return RecordBatch.empty(projected) }
        // Concatenate the columns in parallel: each is an independent copy.
        let slots = UnsafeResultSlots<Column>(count: projected.count)
        let work: @Sendable (Int) -> Void = { c in slots.set(c, Result { try Column.concatenate(batches.map { $0.columns[c] }) }) }
        if options.threads > 1 && projected.count > 1 {
            DispatchQueue.concurrentPerform(iterations: projected.count, execute: work)
        } else {
            for c in 0 ..< projected.count { work(c) }
        }
        return try RecordBatch(schema: projected, columns: try slots.values())
    }

    /// Reads one row group.
    public func readRowGroup(_ index: Int, columns: [String]? = nil) throws -> RecordBatch {
        try readBatches(columns: columns, rowGroups: [index])[0]
    }

    /// Reads just rows `rows` (non-decreasing; repeats allowed) of row group `index`, in that
    /// order: `readRowGroup(index, columns:).take(rows)` without decoding the rest. Pages that
    /// hold none of the rows are not decompressed, and dictionary-encoded values are looked up
    /// only for the rows wanted.
    /// - Throws: `.invalidArgument` for an unknown column or row group, or rows that are out of
    ///   range or decreasing.
    public func readRowGroup(_ index: Int, columns: [String]? = nil, rows: [Int]) throws -> RecordBatch {
        let projected = try projectedSchema(columns)
        guard (0 ..< rowGroupCount).contains(index) else {
            throw ParquetError(.invalidArgument, "row group \(index) does not exist; the file has \(rowGroupCount)", path: path)
        }
        let leafIndices = try projected.fields.map { f in
            guard let i = leaves.firstIndex(where: { $0.name == f.name && $0.field != nil }) else {
                throw ParquetError(.invalidArgument, "no readable column", path: path, column: f.name)
            }
            return i
        }
        let results = UnsafeResultSlots<Column>(count: leafIndices.count)
        let work: @Sendable (Int) -> Void = { [self] c in
            let leaf = leafIndices[c]
            results.set(c, Result {
                if self.leaves[leaf].isVector {
                    // Vectors of a declared dimension are selected page by page; anything else
                    // (ragged lists, rows split across pages) is read whole, then taken.
                    if let selected = try? self.decodeChunk(rowGroup: index, leaf: leaf, decompressor: PageDecompressor(), selection: rows) {
                        return selected
                    }
                    return try self.decodeChunk(rowGroup: index, leaf: leaf, decompressor: PageDecompressor()).take(rows)
                }
                return try self.decodeChunk(rowGroup: index, leaf: leaf, decompressor: PageDecompressor(), selection: rows)
            })
        }
        if options.threads > 1 && leafIndices.count > 1 {
            DispatchQueue.concurrentPerform(iterations: leafIndices.count, execute: work)
        } else {
            for c in leafIndices.indices { work(c) }
        }
        return try RecordBatch(schema: projected, columns: try results.values())
    }

    /// Reads each row group (default: all) into its own batch, decoding column chunks in parallel.
    public func readBatches(columns: [String]? = nil, rowGroups: [Int]? = nil) throws -> [RecordBatch] {
        let projected = try projectedSchema(columns)
        let leafIndices = try projected.fields.map { f in
            guard let i = leaves.firstIndex(where: { $0.name == f.name && $0.field != nil }) else {
                throw ParquetError(.invalidArgument, "no readable column", path: path, column: f.name)
            }
            return i
        }
        let groups = rowGroups ?? Array(0 ..< rowGroupCount)
        for g in groups where !(0 ..< rowGroupCount).contains(g) {
            throw ParquetError(.invalidArgument, "row group \(g) does not exist; the file has \(rowGroupCount)", path: path)
        }
        let tasks = groups.flatMap { g in leafIndices.map { (g, $0) } }
        let results = UnsafeResultSlots<Column>(count: tasks.count)
        let work: @Sendable (Int) -> Void = { [self] t in
            results.set(t, Result { try self.decodeChunk(rowGroup: tasks[t].0, leaf: tasks[t].1, decompressor: PageDecompressor()) })
        }
        if options.threads > 1 && tasks.count > 1 {
            DispatchQueue.concurrentPerform(iterations: tasks.count, execute: work)
        } else {
            for t in tasks.indices { work(t) }
        }
        let columns = try results.values()
        return try groups.indices.map { gi in
            try RecordBatch(schema: projected, columns: Array(columns[gi * leafIndices.count ..< (gi + 1) * leafIndices.count]))
        }
    }

    private func projectedSchema(_ columns: [String]?) throws -> Schema {
        guard let columns else {
            if let first = unsupportedColumns.first {
                throw ParquetError(.unsupported, "column '\(first.name)': \(first.reason); read the other columns by name", path: path, column: first.name)
            }
            return schema
        }
        var fields: [Field] = []
        for name in columns {
            if let field = schema.field(named: name) {
                fields.append(field)
            } else if let bad = unsupportedColumns.first(where: { $0.name == name }) {
                throw ParquetError(.unsupported, bad.reason, path: path, column: name)
            } else {
                throw ParquetError(.invalidArgument, "no such column; the file has \(schema.names.joined(separator: ", "))", path: path, column: name)
            }
        }
        do { return try Schema(fields) } catch {
            throw ParquetError(.invalidArgument, "column list names a column twice", path: path)
        }
    }

    /// Decodes the chunk of leaf `leaf` in row group `rowGroup`.
    func decodeChunk(rowGroup: Int, leaf index: Int, decompressor: PageDecompressor, selection: [Int]? = nil) throws -> Column {
        let leaf = leaves[index]
        do {
            let group = metadata.rowGroups[rowGroup]
            guard let meta = group.columns[index].metaData else {
                throw ParquetError(.corrupt, "column chunk has no metadata")
            }
            guard let codec = Codec(parquetValue: meta.codec.rawValue) else {
                throw ParquetError(.unsupported, "compression codec \(meta.codec)")
            }
            var decoder = try ColumnChunkDecoder(leaf: leaf, codec: codec, rowCount: Int(group.numRows),
                                                 options: options, decompressor: decompressor,
                                                 declaredValues: Int(clamping: meta.numValues), selection: selection)
            if group.numRows == 0 { return try decoder.decode(UnsafeRawBufferPointer(start: nil, count: 0)) }
            let range = try Self.chunkRange(meta, fileSize: file.count)
            return try file.withBytes(range) { try decoder.decode($0) }
        } catch let error as ParquetError {
            var e = error.at(path: path)
            if e.column == nil { e.column = leaf.name }
            if e.message.hasPrefix("row group") == false { e.message = "row group \(rowGroup): " + e.message }
            throw e
        }
    }

    // MARK: Footer

    private static func readFooter(_ file: MappedFile, options: ParquetReadOptions) throws -> ParquetFormat.FileMetaData {
        let size = file.count
        guard size >= 12 else {
            throw ParquetError(size == 0 ? .corrupt : .truncated, "file of \(size) bytes is too small to be Parquet")
        }
        return try file.withBytes { bytes in
            let head = Array(bytes[0 ..< 4]), tail = Array(bytes[(size - 4) ..< size])
            let magic = Array("PAR1".utf8)
            if tail == Array("PARE".utf8) { throw ParquetError(.unsupported, "encrypted Parquet files are not supported") }
            guard head == magic else { throw ParquetError(.corrupt, "not a Parquet file (no PAR1 magic at the start)") }
            guard tail == magic else { throw ParquetError(.truncated, "no PAR1 magic at the end: the file is truncated or not Parquet") }
            let length = Int(bytes.loadUnaligned(fromByteOffset: size - 8, as: UInt32.self).littleEndian)
            guard length <= size - 12 else {
                throw ParquetError(.corrupt, "footer length \(length) exceeds the \(size)-byte file")
            }
            guard length <= options.maxFooterBytes else {
                throw ParquetError(.unsupported, "footer of \(length) bytes is over the \(options.maxFooterBytes)-byte limit")
            }
            return try ParquetFormat.FileMetaData.decode(UnsafeRawBufferPointer(rebasing: bytes[(size - 8 - length) ..< (size - 8)]))
        }
    }

    private static func validate(_ meta: ParquetFormat.FileMetaData, leafCount: Int, fileSize: Int,
                                 options: ParquetReadOptions) throws {
        guard meta.numRows >= 0 else { throw ParquetError(.corrupt, "negative row count \(meta.numRows)") }
        var total: Int64 = 0
        for (g, group) in meta.rowGroups.enumerated() {
            guard group.numRows >= 0, group.numRows <= options.maxRowGroupRows else {
                throw ParquetError(group.numRows < 0 ? .corrupt : .unsupported,
                                   "row group \(g) declares \(group.numRows) rows (limit \(options.maxRowGroupRows), ParquetReadOptions.maxRowGroupRows)")
            }
            guard group.columns.count == leafCount else {
                throw ParquetError(.corrupt, "row group \(g) has \(group.columns.count) column chunks for \(leafCount) schema columns")
            }
            for chunk in group.columns where group.numRows > 0 {
                if chunk.filePath != nil { throw ParquetError(.unsupported, "column chunks in external files are not supported") }
                guard let m = chunk.metaData else { throw ParquetError(.corrupt, "row group \(g) has a column chunk without metadata") }
                _ = try chunkRange(m, fileSize: fileSize)
            }
            total += group.numRows
        }
        guard total == meta.numRows else {
            throw ParquetError(.corrupt, "row groups hold \(total) rows but the footer says \(meta.numRows)")
        }
    }

    /// The byte range of a column chunk, checked to lie inside the file's data area.
    static func chunkRange(_ m: ParquetFormat.ColumnMetaData, fileSize: Int) throws -> Range<Int> {
        var start = m.dataPageOffset
        if let d = m.dictionaryPageOffset, d > 0, d < start { start = d }
        let length = m.totalCompressedSize
        guard start >= 4, length >= 0, start <= Int64(fileSize), length <= Int64(fileSize) - start else {
            throw ParquetError(.corrupt, "column chunk at \(start) of \(length) bytes lies outside the \(fileSize)-byte file")
        }
        return Int(start) ..< Int(start + length)
    }

    private static func discoverDimension(_ leaf: LeafColumn, column: Int, metadata: ParquetFormat.FileMetaData,
                                          file: MappedFile, options: ParquetReadOptions) throws -> LeafColumn {
        var leaf = leaf
        for group in metadata.rowGroups where group.numRows > 0 {
            guard let meta = group.columns[column].metaData, let codec = Codec(parquetValue: meta.codec.rawValue) else { continue }
            var probe = leaf
            probe.dimensionIsDeclared = false
            var decoder = try ColumnChunkDecoder(leaf: probe, codec: codec, rowCount: Int(group.numRows),
                                                 options: options, decompressor: PageDecompressor())
            let col: Column
            do {
                col = try file.withBytes(try chunkRange(meta, fileSize: file.count)) { try decoder.decode($0) }
            } catch let error as ParquetError where error.code == .unsupported {
                // Ragged lists or null elements: the column is unreadable, the file is not.
                leaf.field = nil
                leaf.unsupportedReason = error.message
                return leaf
            }
            if col.nullCount < col.count, case .vector(let d) = col.type {
                leaf.field?.type = .vector(dimension: d)
                leaf.dimensionIsDeclared = true
                return leaf
            }
        }
        return leaf
    }
}

// MARK: Statistics and pruning

extension ParquetFile {
    /// The statistics of `column` in row group `rowGroup` as the footer records them, or nil
    /// when absent or not trustworthy (INT96, unsigned integers, unknown column orders).
    public func statistics(rowGroup: Int, column: String) -> ColumnStatistics? {
        guard (0 ..< rowGroupCount).contains(rowGroup),
              let index = leaves.firstIndex(where: { $0.name == column && $0.field != nil }) else { return nil }
        let leaf = leaves[index]
        guard let field = leaf.field, !leaf.isVector,
              let stats = metadata.rowGroups[rowGroup].columns[index].metaData?.statistics else { return nil }
        if let orders = metadata.columnOrders, index < orders.count, orders[index] != .typeOrder { return nil }
        let nulls = Int(stats.nullCount ?? -1)
        var lo = stats.minValue, hi = stats.maxValue
        if lo == nil || hi == nil, leaf.physicalType != .byteArray, leaf.physicalType != .fixedLenByteArray {
            lo = stats.min
            hi = stats.max
        }
        var multiplier: Int64 = 1, divisor: Int64 = 1
        switch leaf.conversion {
        case .none, .fixedToBinary: break
        case .millisToMicros: multiplier = 1000
        case .nanosToMicros: divisor = 1000
        case .int96ToMicros, .unsigned32ToInt64, .unsigned64ToInt64:
            return nulls >= 0 ? ColumnStatistics(nullCount: nulls, min: nil, max: nil) : nil
        }
        func decode(_ bytes: [UInt8]?) -> Value? {
            guard let bytes else { return nil }
            let v = Value.fromParquetStatistics(bytes, type: field.type, multiplier: multiplier, divisor: divisor)
            if case .float32(let f)? = v, f.isNaN { return nil }
            if case .float64(let d)? = v, d.isNaN { return nil }
            return v
        }
        var min = decode(lo), max = decode(hi)
        if min == nil || max == nil { (min, max) = (nil, nil) }
        if nulls < 0 && min == nil { return nil }
        // Without a null count, assume nulls may exist (never prunes on all-null).
        return ColumnStatistics(nullCount: nulls >= 0 ? nulls : 0, min: min, max: max)
    }

    /// The row groups whose statistics do not rule out every predicate (a conjunction).
    public func rowGroups(matching predicates: [ColumnPredicate]) -> [Int] {
        (0 ..< rowGroupCount).filter { g in
            predicates.allSatisfy { p in
                p.mayMatch(statistics(rowGroup: g, column: p.column), rowCount: rowCount(ofRowGroup: g))
            }
        }
    }
}
