extension ParquetFormat {
    /// A horizontal slice of the file: one column chunk per leaf column.
    public struct RowGroup: Hashable, Sendable {
        /// One chunk per leaf column, in schema order.
        public var columns: [ColumnChunk]
        /// Uncompressed bytes of all the column data.
        public var totalByteSize: Int64
        /// Rows in the row group.
        public var numRows: Int64
        /// The sort order of the rows, if the writer declared one.
        public var sortingColumns: Optional<[SortingColumn]>
        /// File offset of the first page (data or dictionary) of the row group.
        public var fileOffset: Optional<Int64>
        /// Stored (compressed) bytes of all the column data.
        public var totalCompressedSize: Optional<Int64>
        /// The row group's position in the file.
        public var ordinal: Optional<Int16>

        /// Creates a ``RowGroup``; optional fields default to absent.
        public init(columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64,
                    sortingColumns: [SortingColumn]? = nil, fileOffset: Int64? = nil,
                    totalCompressedSize: Int64? = nil, ordinal: Int16? = nil) {
            self.columns = columns
            self.totalByteSize = totalByteSize
            self.numRows = numRows
            self.sortingColumns = sortingColumns
            self.fileOffset = fileOffset
            self.totalCompressedSize = totalCompressedSize
            self.ordinal = ordinal
        }
    }

    /// One key of a row group's sort order.
    public struct SortingColumn: Hashable, Sendable {
        /// The leaf column's position in the row group.
        public var columnIdx: Int32
        /// Whether the column sorts in descending order.
        public var descending: Bool
        /// Whether nulls sort before all values.
        public var nullsFirst: Bool

        /// Creates a ``SortingColumn``; optional fields default to absent.
        public init(columnIdx: Int32, descending: Bool = false, nullsFirst: Bool = false) {
            self.columnIdx = columnIdx
            self.descending = descending
            self.nullsFirst = nullsFirst
        }
    }
}

extension ParquetFormat.RowGroup: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var columns: [ParquetFormat.ColumnChunk]?, totalByteSize: Int64?, numRows: Int64?
        var sortingColumns: [ParquetFormat.SortingColumn]?, fileOffset: Int64?
        var totalCompressedSize: Int64?, ordinal: Int16?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: columns = try reader.structList(field)
            case 2: totalByteSize = try reader.int64(field)
            case 3: numRows = try reader.int64(field)
            case 4: sortingColumns = try reader.structList(field)
            case 5: fileOffset = try reader.int64(field)
            case 6: totalCompressedSize = try reader.int64(field)
            case 7: ordinal = try reader.int16(field)
            default: try reader.skip(field.type)
            }
        }
        guard let columns else { throw ParquetError.missingField("columns", in: "RowGroup") }
        guard let totalByteSize else { throw ParquetError.missingField("total_byte_size", in: "RowGroup") }
        guard let numRows else { throw ParquetError.missingField("num_rows", in: "RowGroup") }
        self.init(columns: columns, totalByteSize: totalByteSize, numRows: numRows,
                  sortingColumns: sortingColumns, fileOffset: fileOffset,
                  totalCompressedSize: totalCompressedSize, ordinal: ordinal)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, structs: columns)
        writer.writeField(2, i64: totalByteSize)
        writer.writeField(3, i64: numRows)
        if let sortingColumns { writer.writeField(4, structs: sortingColumns) }
        if let fileOffset { writer.writeField(5, i64: fileOffset) }
        if let totalCompressedSize { writer.writeField(6, i64: totalCompressedSize) }
        if let ordinal { writer.writeField(7, i16: ordinal) }
        writer.endStruct()
    }
}

extension ParquetFormat.SortingColumn: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var columnIdx: Int32?, descending: Bool?, nullsFirst: Bool?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: columnIdx = try reader.int32(field)
            case 2: descending = try reader.bool(field)
            case 3: nullsFirst = try reader.bool(field)
            default: try reader.skip(field.type)
            }
        }
        guard let columnIdx else { throw ParquetError.missingField("column_idx", in: "SortingColumn") }
        guard let descending else { throw ParquetError.missingField("descending", in: "SortingColumn") }
        guard let nullsFirst else { throw ParquetError.missingField("nulls_first", in: "SortingColumn") }
        self.init(columnIdx: columnIdx, descending: descending, nullsFirst: nullsFirst)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: columnIdx)
        writer.writeField(2, bool: descending)
        writer.writeField(3, bool: nullsFirst)
        writer.endStruct()
    }
}
