extension ParquetFormat {
    /// Where one data page of a column chunk lives (an ``OffsetIndex`` entry).
    public struct PageLocation: Hashable, Sendable {
        /// File offset of the page header.
        public var offset: Int64
        /// Page bytes including the header.
        public var compressedPageSize: Int32
        /// Index of the page's first row within the row group.
        public var firstRowIndex: Int64

        /// Creates a ``PageLocation``; optional fields default to absent.
        public init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
            self.offset = offset
            self.compressedPageSize = compressedPageSize
            self.firstRowIndex = firstRowIndex
        }
    }

    /// The page locations of one column chunk (part of the page index).
    public struct OffsetIndex: Hashable, Sendable {
        /// One entry per data page, in file order.
        public var pageLocations: [PageLocation]
        /// Unencoded BYTE_ARRAY bytes per page.
        public var unencodedByteArrayDataBytes: Optional<[Int64]>

        /// Creates a ``OffsetIndex``; optional fields default to absent.
        public init(pageLocations: [PageLocation], unencodedByteArrayDataBytes: [Int64]? = nil) {
            self.pageLocations = pageLocations
            self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
        }

        /// Decodes an offset index from `bytes` (read only during the call).
        /// - Throws: ``ParquetError`` (`.corrupt` or `.truncated`).
        public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> OffsetIndex {
            var reader = ThriftCompactReader(bytes)
            return try OffsetIndex(from: &reader)
        }

        /// The offset index in the Thrift compact protocol.
        public func serialized() -> [UInt8] {
            var writer = ThriftCompactWriter()
            write(to: &writer)
            return writer.bytes
        }
    }

    /// Per-page bounds and null counts of one column chunk (part of the page index).
    public struct ColumnIndex: Hashable, Sendable {
        /// Whether each page holds only nulls (its bounds are then empty).
        public var nullPages: [Bool]
        /// Per-page lower bounds (empty for a null page).
        public var minValues: [[UInt8]]
        /// Per-page upper bounds (empty for a null page).
        public var maxValues: [[UInt8]]
        /// Whether the bounds are ordered across pages.
        public var boundaryOrder: BoundaryOrder
        /// Per-page null counts.
        public var nullCounts: Optional<[Int64]>
        /// Per-page repetition level histograms, concatenated.
        public var repetitionLevelHistograms: Optional<[Int64]>
        /// Per-page definition level histograms, concatenated.
        public var definitionLevelHistograms: Optional<[Int64]>
        /// Per-page NaN counts (FLOAT, DOUBLE, FLOAT16).
        public var nanCounts: Optional<[Int64]>

        /// Creates a ``ColumnIndex``; optional fields default to absent.
        public init(nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]],
                    boundaryOrder: BoundaryOrder, nullCounts: [Int64]? = nil,
                    repetitionLevelHistograms: [Int64]? = nil, definitionLevelHistograms: [Int64]? = nil,
                    nanCounts: [Int64]? = nil) {
            self.nullPages = nullPages
            self.minValues = minValues
            self.maxValues = maxValues
            self.boundaryOrder = boundaryOrder
            self.nullCounts = nullCounts
            self.repetitionLevelHistograms = repetitionLevelHistograms
            self.definitionLevelHistograms = definitionLevelHistograms
            self.nanCounts = nanCounts
        }

        /// Decodes a column index from `bytes` (read only during the call).
        /// - Throws: ``ParquetError`` (`.corrupt` or `.truncated`).
        public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> ColumnIndex {
            var reader = ThriftCompactReader(bytes)
            return try ColumnIndex(from: &reader)
        }

        /// The column index in the Thrift compact protocol.
        public func serialized() -> [UInt8] {
            var writer = ThriftCompactWriter()
            write(to: &writer)
            return writer.bytes
        }
    }
}

extension ParquetFormat.PageLocation: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var offset: Int64?, size: Int32?, firstRow: Int64?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: offset = try reader.int64(field)
            case 2: size = try reader.int32(field)
            case 3: firstRow = try reader.int64(field)
            default: try reader.skip(field.type)
            }
        }
        guard let offset else { throw ParquetError.missingField("offset", in: "PageLocation") }
        guard let size else { throw ParquetError.missingField("compressed_page_size", in: "PageLocation") }
        guard let firstRow else { throw ParquetError.missingField("first_row_index", in: "PageLocation") }
        self.init(offset: offset, compressedPageSize: size, firstRowIndex: firstRow)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i64: offset)
        writer.writeField(2, i32: compressedPageSize)
        writer.writeField(3, i64: firstRowIndex)
        writer.endStruct()
    }
}

extension ParquetFormat.OffsetIndex: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var locations: [ParquetFormat.PageLocation]?, unencoded: [Int64]?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: locations = try reader.structList(field)
            case 2: unencoded = try reader.int64List(field)
            default: try reader.skip(field.type)
            }
        }
        guard let locations else { throw ParquetError.missingField("page_locations", in: "OffsetIndex") }
        self.init(pageLocations: locations, unencodedByteArrayDataBytes: unencoded)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, structs: pageLocations)
        if let unencodedByteArrayDataBytes { writer.writeField(2, i64s: unencodedByteArrayDataBytes) }
        writer.endStruct()
    }
}

extension ParquetFormat.ColumnIndex: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var nullPages: [Bool]?, minValues: [[UInt8]]?, maxValues: [[UInt8]]?, order: Int32?
        var nullCounts: [Int64]?, repetition: [Int64]?, definition: [Int64]?, nanCounts: [Int64]?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: nullPages = try reader.boolList(field)
            case 2: minValues = try reader.binaryList(field)
            case 3: maxValues = try reader.binaryList(field)
            case 4: order = try reader.int32(field)
            case 5: nullCounts = try reader.int64List(field)
            case 6: repetition = try reader.int64List(field)
            case 7: definition = try reader.int64List(field)
            case 8: nanCounts = try reader.int64List(field)
            default: try reader.skip(field.type)
            }
        }
        guard let nullPages else { throw ParquetError.missingField("null_pages", in: "ColumnIndex") }
        guard let minValues else { throw ParquetError.missingField("min_values", in: "ColumnIndex") }
        guard let maxValues else { throw ParquetError.missingField("max_values", in: "ColumnIndex") }
        guard let order else { throw ParquetError.missingField("boundary_order", in: "ColumnIndex") }
        self.init(nullPages: nullPages, minValues: minValues, maxValues: maxValues,
                  boundaryOrder: .init(rawValue: order), nullCounts: nullCounts,
                  repetitionLevelHistograms: repetition, definitionLevelHistograms: definition,
                  nanCounts: nanCounts)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, bools: nullPages)
        writer.writeField(2, binaries: minValues)
        writer.writeField(3, binaries: maxValues)
        writer.writeField(4, i32: boundaryOrder.rawValue)
        if let nullCounts { writer.writeField(5, i64s: nullCounts) }
        if let repetitionLevelHistograms { writer.writeField(6, i64s: repetitionLevelHistograms) }
        if let definitionLevelHistograms { writer.writeField(7, i64s: definitionLevelHistograms) }
        if let nanCounts { writer.writeField(8, i64s: nanCounts) }
        writer.endStruct()
    }
}
