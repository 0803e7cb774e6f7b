import LarderColumnar

/// A column chunk encoded into pages, ready to be written at some file offset.
struct EncodedColumnChunk {
    /// Page headers and page bodies, the dictionary page (if any) first.
    var bytes: [UInt8] = []
    /// Bytes of the dictionary page (header + body) at the start of ``bytes``; 0 without one.
    var dictionaryPageLength = 0
    var encodings: [ParquetFormat.Encoding] = []
    var encodingStats: [ParquetFormat.PageEncodingStats] = []
    /// Level count (rows for flat columns; rows plus list elements for vectors).
    var numValues = 0
    var uncompressedSize = 0
    var statistics = ColumnStatistics(nullCount: 0, min: nil, max: nil)

    /// The column metadata once the chunk's file offset is known.
    func metadata(field: Field, codec: Codec, offset: Int) -> ParquetFormat.ColumnMetaData {
        var stats: ParquetFormat.Statistics?
        if case .vector = field.type {
            stats = nil
        } else {
            stats = ParquetFormat.Statistics(nullCount: Int64(statistics.nullCount))
            if let lo = statistics.min?.parquetStatisticsBytes, let hi = statistics.max?.parquetStatisticsBytes,
               lo.count <= 1024, hi.count <= 1024 {
                stats?.minValue = lo
                stats?.maxValue = hi
                stats?.isMinValueExact = true
                stats?.isMaxValueExact = true
                // Legacy min/max use signed order: correct for numbers, not for byte arrays.
                if field.type != .string && field.type != .binary {
                    stats?.min = lo
                    stats?.max = hi
                }
            }
        }
        return ParquetFormat.ColumnMetaData(
            type: field.parquetPhysicalType, encodings: encodings, pathInSchema: field.parquetPath,
            codec: ParquetFormat.CompressionCodec(rawValue: codec.parquetValue), numValues: Int64(numValues),
            totalUncompressedSize: Int64(uncompressedSize), totalCompressedSize: Int64(bytes.count),
            dataPageOffset: Int64(offset + dictionaryPageLength),
            dictionaryPageOffset: dictionaryPageLength > 0 ? Int64(offset) : nil,
            statistics: stats, encodingStats: encodingStats)
    }
}

/// Encodes one column of a row group into data pages (format v1): definition levels (and
/// repetition levels for vectors) as length-prefixed RLE, values PLAIN, BYTE_STREAM_SPLIT (floats) or dictionary-encoded.
struct ColumnChunkEncoder {
    let field: Field
    let options: ParquetWriteOptions
    let compressor: PageCompressor

    private var chunk = EncodedColumnChunk()
    /// Scratch buffers reused across pages: one uncompressed page body, its compressed form,
    /// and definition levels.
    private var page: [UInt8] = []
    private var compressed: [UInt8] = []
    private var levels: [UInt32] = []

    init(field: Field, options: ParquetWriteOptions, compressor: PageCompressor) {
        self.field = field
        self.options = options
        self.compressor = compressor
    }

    /// Encodes rows `rows` of `column` (one row group) without copying them out first.
    mutating func encode(_ column: Column, rows: Range<Int>) throws -> EncodedColumnChunk {
        chunk = EncodedColumnChunk()
        chunk.bytes.reserveCapacity(column.estimatedBytes / max(column.count, 1) * rows.count / 2 + 4096)
        page.reserveCapacity(options.pageBytes + options.pageBytes / 4)
        if case .vector(let d) = column.storage.vectorDimension {
            chunk.statistics = ColumnStatistics(column, rows: rows)
            try encodeVector(column, rows: rows, dimension: d)
        } else if options.dictionary, let dict = DictionaryPlan(column, rows: rows, maxBytes: options.maxDictionaryBytes) {
            chunk.statistics = dict.statistics
            try encodeDictionary(column, rows: rows, dict)
        } else {
            chunk.statistics = ColumnStatistics(column, rows: rows)
            try encodePlain(column, rows: rows)
        }
        return chunk
    }

    // MARK: Pages

    /// Rows per page so that a page holds about `pageBytes` at `bytesPerRow`.
    private func rowsPerPage(bytesPerRow: Double) -> Int {
        max(1, Int(Double(options.pageBytes) / max(bytesPerRow, 0.125)))
    }

    /// Appends definition levels for rows `range` (nothing when the field is required).
    private mutating func appendDefinitionLevels(_ column: Column, _ range: Range<Int>) throws {
        guard field.isNullable else { return }
        guard let validity = column.validity else {
            // No nulls: one RLE run of 1s.
            let lengthAt = page.count
            page.append(contentsOf: [0, 0, 0, 0])
            RLEHybridEncoder.appendRepeat(1, count: range.count, bitWidth: 1, into: &page)
            let length = UInt32(page.count - lengthAt - 4)
            for k in 0 ..< 4 { page[lengthAt + k] = UInt8(truncatingIfNeeded: length >> UInt32(8 * k)) }
            return
        }
        levels.removeAll(keepingCapacity: true)
        levels.reserveCapacity(range.count)
        for i in range { levels.append(validity[i] ? 1 : 0) }
        try levels.withUnsafeBufferPointer { try RLEHybridEncoder.encodeLengthPrefixed($0, bitWidth: 1, into: &page) }
    }

    /// Compresses ``page`` and appends it with its header.
    private mutating func flushPage(type: ParquetFormat.PageType, valueCount: Int, encoding: ParquetFormat.Encoding) throws {
        compressed.removeAll(keepingCapacity: true)
        try page.withUnsafeBytes { try compressor.compress($0, appendingTo: &compressed) }
        guard let uncompressedSize = Int32(exactly: page.count), let compressedSize = Int32(exactly: compressed.count),
              let count = Int32(exactly: valueCount) else {
            throw ParquetError(.invalidArgument, "page larger than 2 GiB; lower pageBytes", column: field.name)
        }
        var header: ParquetFormat.PageHeader
        if type == .dictionaryPage {
            header = .init(type: type, uncompressedPageSize: uncompressedSize, compressedPageSize: compressedSize,
                           dictionaryPageHeader: .init(numValues: count, encoding: .plain))
        } else {
            header = .init(type: type, uncompressedPageSize: uncompressedSize, compressedPageSize: compressedSize,
                           dataPageHeader: .init(numValues: count, encoding: encoding))
        }
        let before = chunk.bytes.count
        header.serialize(into: &chunk.bytes)
        let headerLength = chunk.bytes.count - before
        chunk.bytes.append(contentsOf: compressed)
        chunk.uncompressedSize += headerLength + page.count
        if type == .dictionaryPage { chunk.dictionaryPageLength = chunk.bytes.count }
        if let i = chunk.encodingStats.firstIndex(where: { $0.pageType == type && $0.encoding == encoding }) {
            chunk.encodingStats[i].count += 1
        } else {
            chunk.encodingStats.append(.init(pageType: type, encoding: encoding, count: 1))
        }
        page.removeAll(keepingCapacity: true)
    }

    // MARK: PLAIN

    private mutating func encodePlain(_ column: Column, rows: Range<Int>) throws {
        let splitFloats: Bool
        switch column.storage {
        case .float32, .float64: splitFloats = options.byteStreamSplit
        default: splitFloats = false
        }
        let valueEncoding: ParquetFormat.Encoding = splitFloats ? .byteStreamSplit : .plain
        chunk.encodings = field.isNullable ? [valueEncoding, .rle] : [valueEncoding]
        chunk.numValues = rows.count
        let n = rows.upperBound
        let validityBytes = column.validity?.bytes
        // Splits rows into pages and encodes each; `body` appends the values of a row range.
        func pages(bytesPerRow: Double, _ body: (inout [UInt8], Range<Int>, ValidityBitsView?) throws -> Void) throws {
            let step = rowsPerPage(bytesPerRow: bytesPerRow)
            var start = rows.lowerBound
            repeat {
                let end = min(n, start + step)
                try appendDefinitionLevels(column, start ..< end)
                if let validityBytes {
                    try validityBytes.withUnsafeBytes { raw in
                        try body(&page, start ..< end, ValidityBitsView(raw, bitOffset: start))
                    }
                } else {
                    try body(&page, start ..< end, nil)
                }
                try flushPage(type: .dataPage, valueCount: end - start, encoding: valueEncoding)
                start = end
            } while start < n
        }
        func fixed<T: PlainFixedWidth>(_ values: [T]) throws {
            try values.withUnsafeBufferPointer { buf in
                try pages(bytesPerRow: Double(MemoryLayout<T>.stride)) { out, range, validity in
                    if splitFloats {
                        ByteStreamSplitEncoder.encode(UnsafeBufferPointer(rebasing: buf[range]), validity: validity, into: &out)
                    } else {
                        PlainEncoding.encode(UnsafeBufferPointer(rebasing: buf[range]), validity: validity, into: &out)
                    }
                }
            }
        }
        switch column.storage {
        case .int32(let v): try fixed(v)
        case .int64(let v): try fixed(v)
        case .float32(let v): try fixed(v)
        case .float64(let v): try fixed(v)
        case .bool(let v):
            try v.withUnsafeBufferPointer { buf in
                try pages(bytesPerRow: 0.125) { out, range, validity in
                    PlainEncoding.encode(UnsafeBufferPointer(rebasing: buf[range]), validity: validity, into: &out)
                }
            }
        case .bytes(let offsets, let data):
            try encodePlainBytes(column, rows: rows, offsets: offsets, data: data)
        case .vector:
            preconditionFailure("vectors are encoded by encodeVector")
        }
    }

    /// PLAIN byte arrays, paged by accumulated size rather than a fixed row count.
    private mutating func encodePlainBytes(_ column: Column, rows: Range<Int>, offsets: [Int], data: [UInt8]) throws {
        let n = rows.upperBound
        let validity = column.validity
        var start = rows.lowerBound
        try data.withUnsafeBytes { bytes in
            repeat {
                var end = start, size = 0
                while end < n && (size < options.pageBytes || end == start) {
                    size += 4 + offsets[end + 1] - offsets[end]
                    end += 1
                }
                try appendDefinitionLevels(column, start ..< end)
                for i in start ..< end where validity?[i] ?? true {
                    let length = offsets[i + 1] - offsets[i]
                    guard let length32 = UInt32(exactly: length) else {
                        throw ParquetError(.invalidArgument, "value of \(length) bytes is too long for Parquet", column: field.name)
                    }
                    withUnsafeBytes(of: length32.littleEndian) { page.append(contentsOf: $0) }
                    page.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offsets[i] ..< offsets[i + 1]]))
                }
                try flushPage(type: .dataPage, valueCount: end - start, encoding: .plain)
                start = end
            } while start < n
        }
    }

    // MARK: Dictionary

    private mutating func encodeDictionary(_ column: Column, rows: Range<Int>, _ dict: DictionaryPlan) throws {
        chunk.encodings = [.plain, .rle, .rleDictionary]
        chunk.numValues = rows.count
        page = dict.plainDictionary
        try flushPage(type: .dictionaryPage, valueCount: dict.count, encoding: .plain)
        let width = RLEHybridEncoder.bitWidth(forMaxValue: UInt64(max(dict.count - 1, 0)))
        let n = rows.upperBound
        let step = rowsPerPage(bytesPerRow: Double(max(width, 1)) / 8)
        var start = rows.lowerBound, nonNull = 0
        try dict.indices.withUnsafeBufferPointer { indices in
            repeat {
                let end = min(n, start + step)
                try appendDefinitionLevels(column, start ..< end)
                let present = column.validity.map { v in (start ..< end).reduce(0) { $0 + (v[$1] ? 1 : 0) } } ?? (end - start)
                page.append(UInt8(width))
                RLEHybridEncoder.encode(UnsafeBufferPointer(rebasing: indices[nonNull ..< nonNull + present]),
                                        bitWidth: width, into: &page)
                try flushPage(type: .dataPage, valueCount: end - start, encoding: .rleDictionary)
                nonNull += present
                start = end
            } while start < n
        }
    }

    // MARK: Vectors

    /// A vector column as a 3-level list of required floats: a null row is one level entry
    /// (definition 0); a present row of dimension d is d entries, repetition 0 then 1.
    private mutating func encodeVector(_ column: Column, rows: Range<Int>, dimension d: Int) throws {
        guard case .vector(_, let values) = column.storage else { return }
        let maxDef = UInt32(field.isNullable ? 2 : 1)
        let valueEncoding: ParquetFormat.Encoding = options.byteStreamSplit ? .byteStreamSplit : .plain
        chunk.encodings = [valueEncoding, .rle]
        let n = rows.upperBound
        let step = rowsPerPage(bytesPerRow: Double(4 * d))
        var start = rows.lowerBound
        var repetition: [UInt32] = [], definition: [UInt32] = []
        var present: [Float] = []
        try values.withUnsafeBufferPointer { floats in
            repeat {
                let end = min(n, start + step)
                repetition.removeAll(keepingCapacity: true)
                definition.removeAll(keepingCapacity: true)
                for i in start ..< end {
                    if column.isValid(i) {
                        repetition.append(0)
                        repetition.append(contentsOf: repeatElement(1, count: d - 1))
                        definition.append(contentsOf: repeatElement(maxDef, count: d))
                    } else {
                        repetition.append(0)
                        definition.append(0)
                    }
                }
                try repetition.withUnsafeBufferPointer { try RLEHybridEncoder.encodeLengthPrefixed($0, bitWidth: 1, into: &page) }
                let defWidth = RLEHybridEncoder.bitWidth(forMaxValue: UInt64(maxDef))
                try definition.withUnsafeBufferPointer { try RLEHybridEncoder.encodeLengthPrefixed($0, bitWidth: defWidth, into: &page) }
                if options.byteStreamSplit {
                    if column.validity == nil {
                        ByteStreamSplitEncoder.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: floats[start * d ..< end * d])),
                                                      width: 4, into: &page)
                    } else {
                        present.removeAll(keepingCapacity: true)
                        for i in start ..< end where column.isValid(i) { present.append(contentsOf: floats[i * d ..< (i + 1) * d]) }
                        present.withUnsafeBytes { ByteStreamSplitEncoder.append($0, width: 4, into: &page) }
                    }
                } else {
                    for i in start ..< end where column.isValid(i) {
                        page.append(contentsOf: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: floats[i * d ..< (i + 1) * d])))
                    }
                }
                chunk.numValues += definition.count
                try flushPage(type: .dataPage, valueCount: definition.count, encoding: valueEncoding)
                start = end
            } while start < n
        }
    }
}

extension Column {
    /// Roughly the bytes of the column's buffers.
    var estimatedBytes: Int {
        switch storage {
        case .int32(let v): v.count * 4
        case .int64(let v): v.count * 8
        case .float32(let v): v.count * 4
        case .float64(let v): v.count * 8
        case .bool(let v): v.count
        case .bytes(let o, let d): d.count + o.count * 4
        case .vector(_, let v): v.count * 4
        }
    }
}

extension ColumnStorage {
    /// `.vector(d)` wrapped for pattern matching; `.int32([])` otherwise.
    var vectorDimension: VectorDimension {
        if case .vector(let d, _) = self { return .vector(d) }
        return .none
    }
}

enum VectorDimension { case none, vector(Int) }
