extension ParquetFormat {
    /// The header before every page of a column chunk; exactly one of the page-specific
    /// headers is set, as ``type`` says.
    public struct PageHeader: Hashable, Sendable {
        /// The kind of page, which says which page-specific header is set.
        public var type: PageType
        /// Page bytes after this header, before compression.
        public var uncompressedPageSize: Int32
        /// Page bytes after this header, as stored.
        public var compressedPageSize: Int32
        /// CRC-32 of the stored page bytes, if the writer computed one.
        public var crc: Optional<Int32>
        /// Set for DATA_PAGE.
        public var dataPageHeader: Optional<DataPageHeader>
        /// Set for INDEX_PAGE.
        public var indexPageHeader: Optional<IndexPageHeader>
        /// Set for DICTIONARY_PAGE.
        public var dictionaryPageHeader: Optional<DictionaryPageHeader>
        /// Set for DATA_PAGE_V2.
        public var dataPageHeaderV2: Optional<DataPageHeaderV2>

        /// Creates a ``PageHeader``; optional fields default to absent.
        public init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32,
                    crc: Int32? = nil, dataPageHeader: DataPageHeader? = nil,
                    indexPageHeader: IndexPageHeader? = nil,
                    dictionaryPageHeader: DictionaryPageHeader? = nil,
                    dataPageHeaderV2: DataPageHeaderV2? = nil) {
            self.type = type
            self.uncompressedPageSize = uncompressedPageSize
            self.compressedPageSize = compressedPageSize
            self.crc = crc
            self.dataPageHeader = dataPageHeader
            self.indexPageHeader = indexPageHeader
            self.dictionaryPageHeader = dictionaryPageHeader
            self.dataPageHeaderV2 = dataPageHeaderV2
        }

        /// Decodes the page header at the start of `bytes`.
        ///
        /// ```swift
        /// let (header, length) = try chunk.withUnsafeBytes { try ParquetFormat.PageHeader.decode($0) }
        /// let pageBody = chunk[length..<(length + Int(header.compressedPageSize))]
        /// ```
        ///
        /// - Parameter bytes: bytes starting at the header (more may follow); only read during
        ///   the call.
        /// - Returns: the header and the number of bytes it occupies.
        /// - Throws: ``ParquetError`` with code `.truncated` when `bytes` end inside the header
        ///   (a caller may retry with more bytes), `.corrupt` for malformed headers.
        public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (header: PageHeader, length: Int) {
            var reader = ThriftCompactReader(bytes)
            let header = try PageHeader(from: &reader)
            return (header, reader.offset)
        }

        /// Appends the header in the Thrift compact protocol.
        public func serialize(into bytes: inout [UInt8]) {
            var writer = ThriftCompactWriter(bytes: bytes)
            bytes = []  // keep the buffer uniquely referenced while the writer appends
            write(to: &writer)
            bytes = writer.bytes
        }
    }

    /// The header of a version 1 data page.
    public struct DataPageHeader: Hashable, Sendable {
        /// Values in the page, nulls included.
        public var numValues: Int32
        /// The encoding of the values.
        public var encoding: Encoding
        /// The encoding of the definition levels (RLE).
        public var definitionLevelEncoding: Encoding
        /// The encoding of the repetition levels (RLE).
        public var repetitionLevelEncoding: Encoding
        /// Statistics of the values, if the writer computed them.
        public var statistics: Optional<Statistics>

        /// Creates a ``DataPageHeader``; optional fields default to absent.
        public init(numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding = .rle,
                    repetitionLevelEncoding: Encoding = .rle, statistics: Statistics? = nil) {
            self.numValues = numValues
            self.encoding = encoding
            self.definitionLevelEncoding = definitionLevelEncoding
            self.repetitionLevelEncoding = repetitionLevelEncoding
            self.statistics = statistics
        }
    }

    /// The (empty) header of an index page, a page type no writer uses.
    public struct IndexPageHeader: Hashable, Sendable {
        /// Creates the empty header.
        public init() {}
    }

    /// The header of a dictionary page.
    public struct DictionaryPageHeader: Hashable, Sendable {
        /// Entries in the dictionary.
        public var numValues: Int32
        /// The encoding of the dictionary entries (PLAIN; PLAIN_DICTIONARY in old files).
        public var encoding: Encoding
        /// Whether the entries are in ascending order.
        public var isSorted: Optional<Bool>

        /// Creates a ``DictionaryPageHeader``; optional fields default to absent.
        public init(numValues: Int32, encoding: Encoding = .plain, isSorted: Bool? = nil) {
            self.numValues = numValues
            self.encoding = encoding
            self.isSorted = isSorted
        }
    }

    /// The header of a version 2 data page, whose levels are stored uncompressed before the
    /// (possibly compressed) values.
    public struct DataPageHeaderV2: Hashable, Sendable {
        /// Values in the page, nulls included.
        public var numValues: Int32
        /// Null values in the page.
        public var numNulls: Int32
        /// Rows in the page (a V2 page starts and ends on row boundaries).
        public var numRows: Int32
        /// The encoding of the values.
        public var encoding: Encoding
        /// Bytes of the (uncompressed) definition levels.
        public var definitionLevelsByteLength: Int32
        /// Bytes of the (uncompressed) repetition levels.
        public var repetitionLevelsByteLength: Int32
        /// Whether the values section is compressed; `true` when the field is absent.
        public var isCompressed: Bool
        /// Statistics of the values, if the writer computed them.
        public var statistics: Optional<Statistics>

        /// Creates a ``DataPageHeaderV2``; optional fields default to absent.
        public init(numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding,
                    definitionLevelsByteLength: Int32, repetitionLevelsByteLength: Int32,
                    isCompressed: Bool = true, statistics: Statistics? = nil) {
            self.numValues = numValues
            self.numNulls = numNulls
            self.numRows = numRows
            self.encoding = encoding
            self.definitionLevelsByteLength = definitionLevelsByteLength
            self.repetitionLevelsByteLength = repetitionLevelsByteLength
            self.isCompressed = isCompressed
            self.statistics = statistics
        }
    }
}
