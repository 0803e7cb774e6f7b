extension ParquetFormat {
    /// One node of the schema tree, which a file lists depth first: a group has
    /// `numChildren` and no `type`; a leaf (primitive column) has a `type`.
    public struct SchemaElement: Hashable, Sendable {
        /// The physical type of a leaf; `nil` for a group.
        public var type: Optional<PhysicalType>
        /// The byte length of FIXED_LEN_BYTE_ARRAY values.
        public var typeLength: Optional<Int32>
        /// `nil` only for the root.
        public var repetitionType: Optional<FieldRepetitionType>
        /// The field name.
        public var name: String
        /// The number of children of a group; `nil` for a leaf.
        public var numChildren: Optional<Int32>
        /// The deprecated type annotation, kept for older readers.
        public var convertedType: Optional<ConvertedType>
        /// Deprecated decimal scale (also in ``LogicalType/decimal(scale:precision:)``).
        public var scale: Optional<Int32>
        /// Deprecated decimal precision.
        public var precision: Optional<Int32>
        /// The field id of the original schema (Iceberg and others), if any.
        public var fieldId: Optional<Int32>
        /// The logical type annotation.
        public var logicalType: Optional<LogicalType>
        /// The number of element slots per parent for VECTOR repetition.
        public var vectorLength: Optional<Int32>

        /// Creates a ``SchemaElement``; optional fields default to absent.
        public init(name: String, type: PhysicalType? = nil, typeLength: Int32? = nil,
                    repetitionType: FieldRepetitionType? = nil, numChildren: Int32? = nil,
                    convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
                    fieldId: Int32? = nil, logicalType: LogicalType? = nil, vectorLength: Int32? = nil) {
            self.type = type
            self.typeLength = typeLength
            self.repetitionType = repetitionType
            self.name = name
            self.numChildren = numChildren
            self.convertedType = convertedType
            self.scale = scale
            self.precision = precision
            self.fieldId = fieldId
            self.logicalType = logicalType
            self.vectorLength = vectorLength
        }
    }

    /// A key and optional value of application metadata.
    public struct KeyValue: Hashable, Sendable {
        /// The key.
        public var key: String
        /// The value, if any.
        public var value: Optional<String>

        /// Creates a ``KeyValue``; optional fields default to absent.
        public init(key: String, value: String? = nil) {
            self.key = key
            self.value = value
        }
    }
}

extension ParquetFormat.SchemaElement: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var name: String?
        var element = Self(name: "")
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: element.type = .init(rawValue: try reader.int32(field))
            case 2: element.typeLength = try reader.int32(field)
            case 3: element.repetitionType = .init(rawValue: try reader.int32(field))
            case 4: name = try reader.string(field)
            case 5: element.numChildren = try reader.int32(field)
            case 6: element.convertedType = .init(rawValue: try reader.int32(field))
            case 7: element.scale = try reader.int32(field)
            case 8: element.precision = try reader.int32(field)
            case 9: element.fieldId = try reader.int32(field)
            case 10: element.logicalType = try reader.decode(field)
            case 11: element.vectorLength = try reader.int32(field)
            default: try reader.skip(field.type)
            }
        }
        guard let name else { throw ParquetError.missingField("name", in: "SchemaElement") }
        element.name = name
        self = element
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let type { writer.writeField(1, i32: type.rawValue) }
        if let typeLength { writer.writeField(2, i32: typeLength) }
        if let repetitionType { writer.writeField(3, i32: repetitionType.rawValue) }
        writer.writeField(4, string: name)
        if let numChildren { writer.writeField(5, i32: numChildren) }
        if let convertedType { writer.writeField(6, i32: convertedType.rawValue) }
        if let scale { writer.writeField(7, i32: scale) }
        if let precision { writer.writeField(8, i32: precision) }
        if let fieldId { writer.writeField(9, i32: fieldId) }
        if let logicalType { writer.writeField(10, struct: logicalType) }
        if let vectorLength { writer.writeField(11, i32: vectorLength) }
        writer.endStruct()
    }
}

extension ParquetFormat.KeyValue: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var key: String?, value: String?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: key = try reader.string(field)
            case 2: value = try reader.string(field)
            default: try reader.skip(field.type)
            }
        }
        guard let key else { throw ParquetError.missingField("key", in: "KeyValue") }
        self.init(key: key, value: value)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, string: key)
        if let value { writer.writeField(2, string: value) }
        writer.endStruct()
    }
}
