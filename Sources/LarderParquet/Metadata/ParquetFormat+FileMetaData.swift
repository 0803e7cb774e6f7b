extension ParquetFormat {
    /// The file footer: schema, row groups and file-level metadata.
    ///
    /// Encryption fields (`encryption_algorithm`, `footer_signing_key_metadata`) are skipped.
    public struct FileMetaData: Hashable, Sendable {
        /// The format version; writers use 1, readers accept 1 and 2.
        public var version: Int32
        /// The schema tree, depth first; the first element is the root.
        public var schema: [SchemaElement]
        /// Rows in the file.
        public var numRows: Int64
        /// The row groups, in file order.
        public var rowGroups: [RowGroup]
        /// Application-defined key/value metadata.
        public var keyValueMetadata: Optional<[KeyValue]>
        /// The writing application, e.g. `parquet-cpp-arrow version 15.0.0`.
        public var createdBy: Optional<String>
        /// The sort order of each leaf column's statistics, in leaf order.
        public var columnOrders: Optional<[ColumnOrder]>

        /// Creates a ``FileMetaData``; optional fields default to absent.
        public init(version: Int32 = 1, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
                    keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil,
                    columnOrders: [ColumnOrder]? = nil) {
            self.version = version
            self.schema = schema
            self.numRows = numRows
            self.rowGroups = rowGroups
            self.keyValueMetadata = keyValueMetadata
            self.createdBy = createdBy
            self.columnOrders = columnOrders
        }

        /// Decodes a footer from the bytes between the last row group and the footer length.
        ///
        /// ```swift
        /// let footer = try footerBytes.withUnsafeBytes { try ParquetFormat.FileMetaData.decode($0) }
        /// ```
        ///
        /// - Parameter bytes: the serialized footer; only read during the call.
        /// - Throws: ``ParquetError`` with code `.corrupt` for malformed metadata or a missing
        ///   required field, `.truncated` when the bytes end inside a structure.
        public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> FileMetaData {
            var reader = ThriftCompactReader(bytes)
            return try FileMetaData(from: &reader)
        }

        /// The footer in the Thrift compact protocol, as written before the footer length.
        public func serialized() -> [UInt8] {
            var writer = ThriftCompactWriter()
            writer.bytes.reserveCapacity(256 + rowGroups.count * 64 * (rowGroups.first?.columns.count ?? 1))
            write(to: &writer)
            return writer.bytes
        }
    }
}

extension ParquetFormat.FileMetaData: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var version: Int32?, schema: [ParquetFormat.SchemaElement]?, numRows: Int64?
        var rowGroups: [ParquetFormat.RowGroup]?, keyValueMetadata: [ParquetFormat.KeyValue]?
        var createdBy: String?, columnOrders: [ParquetFormat.ColumnOrder]?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: version = try reader.int32(field)
            case 2: schema = try reader.structList(field)
            case 3: numRows = try reader.int64(field)
            case 4: rowGroups = try reader.structList(field)
            case 5: keyValueMetadata = try reader.structList(field)
            case 6: createdBy = try reader.string(field)
            case 7: columnOrders = try reader.structList(field)
            default: try reader.skip(field.type)
            }
        }
        guard let version else { throw ParquetError.missingField("version", in: "FileMetaData") }
        guard let schema else { throw ParquetError.missingField("schema", in: "FileMetaData") }
        guard let numRows else { throw ParquetError.missingField("num_rows", in: "FileMetaData") }
        guard let rowGroups else { throw ParquetError.missingField("row_groups", in: "FileMetaData") }
        self.init(version: version, schema: schema, numRows: numRows, rowGroups: rowGroups,
                  keyValueMetadata: keyValueMetadata, createdBy: createdBy, columnOrders: columnOrders)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: version)
        writer.writeField(2, structs: schema)
        writer.writeField(3, i64: numRows)
        writer.writeField(4, structs: rowGroups)
        if let keyValueMetadata { writer.writeField(5, structs: keyValueMetadata) }
        if let createdBy { writer.writeField(6, string: createdBy) }
        if let columnOrders { writer.writeField(7, structs: columnOrders) }
        writer.endStruct()
    }
}
