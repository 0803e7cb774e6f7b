import Dispatch
import LarderColumnar
import Synchronization

/// Writes record batches to a Parquet file.
///
/// Rows are buffered into row groups of ``ParquetWriteOptions/rowGroupRows``; column chunks
/// are encoded and compressed in parallel, the chunks of several full row groups at once when
/// a write brings that many rows; a round's bytes are written in the background while the
/// next round is encoded. The file is written under a temporary
/// name and renamed into place by ``close()``, so a failed or abandoned writer never leaves a
/// partial file at `path`.
///
/// ```swift
/// let writer = try ParquetWriter(path: "features.parquet", schema: batch.schema)
/// try writer.write(batch)
/// let summary = try writer.close()
/// ```
public final class ParquetWriter {
    public let path: String
    public let schema: Schema
    public let options: ParquetWriteOptions

    private let output: FileOutput
    /// Buffered input: batches and the row range of each still to be written.
    private var pending: [(batch: RecordBatch, rows: Range<Int>)] = []
    private var pendingRows = 0
    private var rowGroups: [ParquetFormat.RowGroup] = []
    private var statistics: [ColumnStatistics?]
    private var rowCount = 0
    private var closed = false

    /// The `created_by` string written to every file.
    public static let createdBy = "larder version " + LarderVersion.string

    /// Starts a file at `path` (replaced on ``close()`` if it exists).
    /// - Throws: ``ParquetError`` `.invalidArgument` for bad options, `.io` if the file cannot
    ///   be created.
    public init(path: String, schema: Schema, options: ParquetWriteOptions = .init()) throws {
        try options.validate()
        self.path = path
        self.schema = schema
        self.options = options
        self.statistics = Array(repeating: nil, count: schema.count)
        output = try FileOutput(path: path)
        try output.write(Array("PAR1".utf8))
    }

    /// Appends the rows of `batch`.
    /// - Throws: `.invalidArgument` when the batch's schema differs from the writer's; `.io`.
    public func write(_ batch: RecordBatch) throws {
        try write(batch, rows: 0 ..< batch.rowCount)
    }

    /// Appends rows `rows` of `batch`, without copying them out first.
    /// - Throws: `.invalidArgument` for a mismatched schema or a range outside the batch.
    public func write(_ batch: RecordBatch, rows: Range<Int>) throws {
        guard !closed else { throw ParquetError(.invalidArgument, "write after close", path: path) }
        guard batch.schema.fields == schema.fields else {
            throw ParquetError(.invalidArgument, "batch schema \(batch.schema) does not match the file schema \(schema)", path: path)
        }
        guard rows.lowerBound >= 0, rows.upperBound <= batch.rowCount else {
            throw ParquetError(.invalidArgument, "rows \(rows) lie outside the batch of \(batch.rowCount)", path: path)
        }
        guard !rows.isEmpty else { return }
        pending.append((batch, rows))
        pendingRows += rows.count
        // Full row groups are encoded a few at a time, all their columns at once: a row group's
        // columns alone are seldom balanced (one wide column can hold most of the bytes).
        let perRound = options.threads > 1 ? 2 * options.threads : 1
        while pendingRows >= options.rowGroupRows {
            try flushRowGroups(min(perRound, pendingRows / options.rowGroupRows), rows: options.rowGroupRows)
        }
    }

    /// Writes the remaining rows and the footer, and publishes the file at ``path``.
    /// - Returns: the file's size, row count and per-column statistics.
    @discardableResult
    public func close() throws -> ParquetFileSummary {
        guard !closed else { throw ParquetError(.invalidArgument, "close called twice", path: path) }
        do {
            if pendingRows > 0 { try flushRowGroups(1, rows: pendingRows) }
            closed = true
            try writeFooter()
            try output.publish(fsync: options.fsync)
        } catch {
            closed = true
            output.abandon()
            throw (error as? ParquetError)?.at(path: path) ?? error
        }
        var stats: [String: ColumnStatistics] = [:]
        for (field, s) in zip(schema.fields, statistics) {
            stats[field.name] = s ?? ColumnStatistics(nullCount: 0, min: nil, max: nil)
        }
        return ParquetFileSummary(path: path, sizeBytes: output.offset, rowCount: rowCount,
                                  rowGroupCount: rowGroups.count, statistics: stats)
    }

    /// Discards everything written; no file appears at ``path``.
    public func abandon() {
        closed = true
        output.abandon()
    }

    deinit { if !closed { output.abandon() } }

    // MARK: Row groups

    /// Takes the first `rows` pending rows: a row range of each column when they lie in one
    /// input batch (no copy), else the pieces concatenated.
    private func takePending(rows: Int) throws -> [(column: Column, rows: Range<Int>)] {
        var pieces: [[(column: Column, rows: Range<Int>)]] = Array(repeating: [], count: schema.count)
        var need = rows
        while need > 0, let first = pending.first {
            let take = min(need, first.rows.count)
            let range = first.rows.lowerBound ..< first.rows.lowerBound + take
            for c in 0 ..< schema.count { pieces[c].append((first.batch.columns[c], range)) }
            if take == first.rows.count {
                pending.removeFirst()
            } else {
                pending[0].rows = range.upperBound ..< first.rows.upperBound
            }
            need -= take
        }
        pendingRows -= rows
        return try pieces.map { parts in
            if parts.count == 1 { return parts[0] }
            let merged = try Column.concatenate(parts.map { $0.column.slice($0.rows) })
            return (merged, 0 ..< merged.count)
        }
    }

    /// Encodes `count` row groups of `rows` rows each (every column of every group in parallel),
    /// then writes them in order.
    private func flushRowGroups(_ count: Int, rows: Int) throws {
        var groups: [[(column: Column, rows: Range<Int>)]] = []
        for _ in 0 ..< count { groups.append(try takePending(rows: rows)) }
        let encoded = try encodeColumns(groups.flatMap { $0 })
        // The previous round's bytes were written while this one was encoded; waiting here
        // keeps at most one round queued.
        try output.drain()
        let width = schema.count
        for g in 0 ..< count {
            try writeRowGroup(Array(encoded[g * width ..< (g + 1) * width]), rows: rows)
        }
    }

    private func writeRowGroup(_ encoded: [EncodedColumnChunk], rows: Int) throws {
        let groupStart = output.offset
        var chunks: [ParquetFormat.ColumnChunk] = []
        var totalUncompressed = 0
        for (c, chunk) in encoded.enumerated() {
            let offset = output.offset
            output.enqueue(chunk.bytes)
            let meta = chunk.metadata(field: schema.fields[c], codec: options.codec, offset: offset)
            chunks.append(ParquetFormat.ColumnChunk(fileOffset: Int64(offset), metaData: meta))
            totalUncompressed += chunk.uncompressedSize
            statistics[c] = statistics[c].map { $0.merged(with: chunk.statistics) } ?? chunk.statistics
        }
        guard let ordinal = Int16(exactly: rowGroups.count) else {
            throw ParquetError(.invalidArgument, "more than 32767 row groups; raise rowGroupRows", path: path)
        }
        rowGroups.append(ParquetFormat.RowGroup(
            columns: chunks, totalByteSize: Int64(totalUncompressed), numRows: Int64(rows),
            fileOffset: Int64(groupStart), totalCompressedSize: Int64(output.offset - groupStart), ordinal: ordinal))
        rowCount += rows
    }

    /// Encodes every column chunk (row groups one after another, each in schema order), in
    /// parallel across ``ParquetWriteOptions/threads``.
    private func encodeColumns(_ columns: [(column: Column, rows: Range<Int>)]) throws -> [EncodedColumnChunk] {
        let results = UnsafeResultSlots<EncodedColumnChunk>(count: columns.count)
        let schemaFields = schema.fields
        let fields = columns.indices.map { schemaFields[$0 % schemaFields.count] }
        let options = self.options
        let work: @Sendable (Int) -> Void = { c in
            results.set(c, Result {
                let compressor = try PageCompressor(codec: options.codec, level: options.compressionLevel)
                var encoder = ColumnChunkEncoder(field: fields[c], options: options, compressor: compressor)
                return try encoder.encode(columns[c].column, rows: columns[c].rows)
            })
        }
        if options.threads > 1 && columns.count > 1 {
            DispatchQueue.concurrentPerform(iterations: columns.count, execute: work)
        } else {
            for c in columns.indices { work(c) }
        }
        return try results.values()
    }

    private func writeFooter() throws {
        var kv = options.metadata.sorted { $0.key < $1.key }.map { ParquetFormat.KeyValue(key: $0.key, value: $0.value) }
        kv.append(.init(key: LarderSchemaMetadata.key, value: LarderSchemaMetadata(schema).encoded()))
        let meta = ParquetFormat.FileMetaData(
            version: 2, schema: schema.parquetElements, numRows: Int64(rowCount), rowGroups: rowGroups,
            keyValueMetadata: kv, createdBy: Self.createdBy,
            columnOrders: Array(repeating: .typeOrder, count: schema.count))
        let footer = meta.serialized()
        guard let length = UInt32(exactly: footer.count) else {
            throw ParquetError(.invalidArgument, "footer larger than 4 GiB", path: path)
        }
        try output.write(footer)
        try output.write(withUnsafeBytes(of: length.littleEndian) { Array($0) } + Array("PAR1".utf8))
    }
}

extension ParquetWriter {
    /// Writes `batches` (all with the same schema) to a new file at `path`.
    /// - Throws: `.invalidArgument` for an empty list or mismatched schemas; `.io`.
    @discardableResult
    public static func write(_ batches: [RecordBatch], to path: String,
                             options: ParquetWriteOptions = .init()) throws -> ParquetFileSummary {
        guard let first = batches.first else {
            throw ParquetError(.invalidArgument, "no batches to write (an empty file still needs a schema: use init and close)", path: path)
        }
        let writer = try ParquetWriter(path: path, schema: first.schema, options: options)
        do {
            for batch in batches { try writer.write(batch) }
        } catch {
            writer.abandon()
            throw error
        }
        return try writer.close()
    }
}

/// Result slots written by parallel workers, each slot by exactly one worker.
final class UnsafeResultSlots<T: Sendable>: Sendable {
    private let slots: Mutex<[Result<T, any Error>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ i: Int, _ result: sending Result<T, any Error>) {
        slots.withLock { $0[i] = result }
    }

    /// The results in order; rethrows the first failure.
    func values() throws -> [T] {
        let all = slots.withLock { $0 }
        return try all.map { slot in
            guard let slot else { throw ParquetError(.invalidArgument, "internal: a parallel task did not finish") }
            return try slot.get()
        }
    }
}
