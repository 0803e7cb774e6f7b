extension ParquetFormat {
    /// The description of one column chunk: its type, codec, sizes, page offsets and
    /// statistics.
    public struct ColumnMetaData: Hashable, Sendable {
        /// The physical type of the column.
        public var type: PhysicalType
        /// Every encoding used by the chunk's pages.
        public var encodings: [Encoding]
        /// The column's path from the root (excluded) to the leaf.
        public var pathInSchema: [String]
        /// The codec that compressed the pages.
        public var codec: CompressionCodec
        /// Values in the chunk, nulls and repeated entries included.
        public var numValues: Int64
        /// Bytes of all pages, headers included, before compression.
        public var totalUncompressedSize: Int64
        /// Bytes of all pages, headers included, as stored.
        public var totalCompressedSize: Int64
        /// Application-defined key/value metadata.
        public var keyValueMetadata: Optional<[KeyValue]>
        /// File offset of the first data page.
        public var dataPageOffset: Int64
        /// File offset of the root index page (unused by current writers).
        public var indexPageOffset: Optional<Int64>
        /// File offset of the dictionary page, if the chunk has one.
        public var dictionaryPageOffset: Optional<Int64>
        /// Statistics of the values, if the writer computed them.
        public var statistics: Optional<Statistics>
        /// Page counts per page type and encoding.
        public var encodingStats: Optional<[PageEncodingStats]>
        /// File offset of the column chunk's Bloom filter.
        public var bloomFilterOffset: Optional<Int64>
        /// Bytes of the Bloom filter, its header included.
        public var bloomFilterLength: Optional<Int32>
        /// Unencoded sizes and level histograms.
        public var sizeStatistics: Optional<SizeStatistics>

        /// Creates a ``ColumnMetaData``; optional fields default to absent.
        public init(type: PhysicalType, encodings: [Encoding], pathInSchema: [String],
                    codec: CompressionCodec, numValues: Int64, totalUncompressedSize: Int64,
                    totalCompressedSize: Int64, keyValueMetadata: [KeyValue]? = nil,
                    dataPageOffset: Int64, indexPageOffset: Int64? = nil,
                    dictionaryPageOffset: Int64? = nil, statistics: Statistics? = nil,
                    encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil,
                    bloomFilterLength: Int32? = nil, sizeStatistics: SizeStatistics? = nil) {
            self.type = type
            self.encodings = encodings
            self.pathInSchema = pathInSchema
            self.codec = codec
            self.numValues = numValues
            self.totalUncompressedSize = totalUncompressedSize
            self.totalCompressedSize = totalCompressedSize
            self.keyValueMetadata = keyValueMetadata
            self.dataPageOffset = dataPageOffset
            self.indexPageOffset = indexPageOffset
            self.dictionaryPageOffset = dictionaryPageOffset
            self.statistics = statistics
            self.encodingStats = encodingStats
            self.bloomFilterOffset = bloomFilterOffset
            self.bloomFilterLength = bloomFilterLength
            self.sizeStatistics = sizeStatistics
        }
    }

    /// A column chunk of a row group: where its metadata and page indexes are.
    ///
    /// Encryption fields (`crypto_metadata`, `encrypted_column_metadata`) are skipped.
    public struct ColumnChunk: Hashable, Sendable {
        /// Deprecated: a file holding the chunk other than this one.
        public var filePath: Optional<String>
        /// Deprecated; writers set 0. Decodes as 0 when absent (its declared default).
        public var fileOffset: Int64
        /// The chunk's metadata; optional in the format but written by every writer.
        public var metaData: Optional<ColumnMetaData>
        /// File offset of the chunk's ``OffsetIndex``.
        public var offsetIndexOffset: Optional<Int64>
        /// Bytes of the chunk's ``OffsetIndex``.
        public var offsetIndexLength: Optional<Int32>
        /// File offset of the chunk's ``ColumnIndex``.
        public var columnIndexOffset: Optional<Int64>
        /// Bytes of the chunk's ``ColumnIndex``.
        public var columnIndexLength: Optional<Int32>

        /// Creates a ``ColumnChunk``; optional fields default to absent.
        public init(filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData? = nil,
                    offsetIndexOffset: Int64? = nil, offsetIndexLength: Int32? = nil,
                    columnIndexOffset: Int64? = nil, columnIndexLength: Int32? = nil) {
            self.filePath = filePath
            self.fileOffset = fileOffset
            self.metaData = metaData
            self.offsetIndexOffset = offsetIndexOffset
            self.offsetIndexLength = offsetIndexLength
            self.columnIndexOffset = columnIndexOffset
            self.columnIndexLength = columnIndexLength
        }
    }

    /// How many pages of a type used an encoding, within a column chunk.
    public struct PageEncodingStats: Hashable, Sendable {
        /// The page type counted.
        public var pageType: PageType
        /// The encoding counted.
        public var encoding: Encoding
        /// The number of such pages.
        public var count: Int32

        /// Creates a ``PageEncodingStats``; optional fields default to absent.
        public init(pageType: PageType, encoding: Encoding, count: Int32) {
            self.pageType = pageType
            self.encoding = encoding
            self.count = count
        }
    }
}

extension ParquetFormat.ColumnMetaData: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var type: ParquetFormat.PhysicalType?, encodings: [ParquetFormat.Encoding]?, path: [String]?
        var codec: ParquetFormat.CompressionCodec?, numValues: Int64?, uncompressed: Int64?
        var compressed: Int64?, dataPageOffset: Int64?
        var keyValueMetadata: [ParquetFormat.KeyValue]?, indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?, statistics: ParquetFormat.Statistics?
        var encodingStats: [ParquetFormat.PageEncodingStats]?, bloomFilterOffset: Int64?
        var bloomFilterLength: Int32?, sizeStatistics: ParquetFormat.SizeStatistics?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: type = .init(rawValue: try reader.int32(field))
            case 2: encodings = try reader.enumList(field)
            case 3: path = try reader.stringList(field)
            case 4: codec = .init(rawValue: try reader.int32(field))
            case 5: numValues = try reader.int64(field)
            case 6: uncompressed = try reader.int64(field)
            case 7: compressed = try reader.int64(field)
            case 8: keyValueMetadata = try reader.structList(field)
            case 9: dataPageOffset = try reader.int64(field)
            case 10: indexPageOffset = try reader.int64(field)
            case 11: dictionaryPageOffset = try reader.int64(field)
            case 12: statistics = try reader.decode(field)
            case 13: encodingStats = try reader.structList(field)
            case 14: bloomFilterOffset = try reader.int64(field)
            case 15: bloomFilterLength = try reader.int32(field)
            case 16: sizeStatistics = try reader.decode(field)
            default: try reader.skip(field.type)
            }
        }
        let name = "ColumnMetaData"
        guard let type else { throw ParquetError.missingField("type", in: name) }
        guard let encodings else { throw ParquetError.missingField("encodings", in: name) }
        guard let path else { throw ParquetError.missingField("path_in_schema", in: name) }
        guard let codec else { throw ParquetError.missingField("codec", in: name) }
        guard let numValues else { throw ParquetError.missingField("num_values", in: name) }
        guard let uncompressed else { throw ParquetError.missingField("total_uncompressed_size", in: name) }
        guard let compressed else { throw ParquetError.missingField("total_compressed_size", in: name) }
        guard let dataPageOffset else { throw ParquetError.missingField("data_page_offset", in: name) }
        // Assigned property by property: a delegating `self.init(...)` here makes the
        // optimizer copy (retain) and destroy (release) the whole value once more.
        self.type = type
        self.encodings = encodings
        self.pathInSchema = path
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = uncompressed
        self.totalCompressedSize = compressed
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.encodingStats = encodingStats
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
        self.sizeStatistics = sizeStatistics
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: type.rawValue)
        writer.writeField(2, i32s: encodings.map(\.rawValue))
        writer.writeField(3, strings: pathInSchema)
        writer.writeField(4, i32: codec.rawValue)
        writer.writeField(5, i64: numValues)
        writer.writeField(6, i64: totalUncompressedSize)
        writer.writeField(7, i64: totalCompressedSize)
        if let keyValueMetadata { writer.writeField(8, structs: keyValueMetadata) }
        writer.writeField(9, i64: dataPageOffset)
        if let indexPageOffset { writer.writeField(10, i64: indexPageOffset) }
        if let dictionaryPageOffset { writer.writeField(11, i64: dictionaryPageOffset) }
        if let statistics { writer.writeField(12, struct: statistics) }
        if let encodingStats { writer.writeField(13, structs: encodingStats) }
        if let bloomFilterOffset { writer.writeField(14, i64: bloomFilterOffset) }
        if let bloomFilterLength { writer.writeField(15, i32: bloomFilterLength) }
        if let sizeStatistics { writer.writeField(16, struct: sizeStatistics) }
        writer.endStruct()
    }
}

extension ParquetFormat.ColumnChunk: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var filePath: String?, fileOffset: Int64 = 0, metaData: ParquetFormat.ColumnMetaData?
        var offsetIndexOffset: Int64?, offsetIndexLength: Int32?
        var columnIndexOffset: Int64?, columnIndexLength: Int32?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: filePath = try reader.string(field)
            case 2: fileOffset = try reader.int64(field)
            case 3: metaData = try reader.decode(field)
            case 4: offsetIndexOffset = try reader.int64(field)
            case 5: offsetIndexLength = try reader.int32(field)
            case 6: columnIndexOffset = try reader.int64(field)
            case 7: columnIndexLength = try reader.int32(field)
            default: try reader.skip(field.type)
            }
        }
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let filePath { writer.writeField(1, string: filePath) }
        writer.writeField(2, i64: fileOffset)
        if let metaData { writer.writeField(3, struct: metaData) }
        if let offsetIndexOffset { writer.writeField(4, i64: offsetIndexOffset) }
        if let offsetIndexLength { writer.writeField(5, i32: offsetIndexLength) }
        if let columnIndexOffset { writer.writeField(6, i64: columnIndexOffset) }
        if let columnIndexLength { writer.writeField(7, i32: columnIndexLength) }
        writer.endStruct()
    }
}

extension ParquetFormat.PageEncodingStats: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var pageType: Int32?, encoding: Int32?, count: Int32?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: pageType = try reader.int32(field)
            case 2: encoding = try reader.int32(field)
            case 3: count = try reader.int32(field)
            default: try reader.skip(field.type)
            }
        }
        guard let pageType else { throw ParquetError.missingField("page_type", in: "PageEncodingStats") }
        guard let encoding else { throw ParquetError.missingField("encoding", in: "PageEncodingStats") }
        guard let count else { throw ParquetError.missingField("count", in: "PageEncodingStats") }
        self.init(pageType: .init(rawValue: pageType), encoding: .init(rawValue: encoding), count: count)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: pageType.rawValue)
        writer.writeField(2, i32: encoding.rawValue)
        writer.writeField(3, i32: count)
        writer.endStruct()
    }
}
