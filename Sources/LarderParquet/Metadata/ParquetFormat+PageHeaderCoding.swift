extension ParquetFormat.PageHeader: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var type: Int32?, uncompressed: Int32?, compressed: Int32?, crc: Int32?
        var data: ParquetFormat.DataPageHeader?, index: ParquetFormat.IndexPageHeader?
        var dictionary: ParquetFormat.DictionaryPageHeader?, dataV2: ParquetFormat.DataPageHeaderV2?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: type = try reader.int32(field)
            case 2: uncompressed = try reader.int32(field)
            case 3: compressed = try reader.int32(field)
            case 4: crc = try reader.int32(field)
            case 5: data = try reader.decode(field)
            case 6: index = try reader.decode(field)
            case 7: dictionary = try reader.decode(field)
            case 8: dataV2 = try reader.decode(field)
            default: try reader.skip(field.type)
            }
        }
        guard let type else { throw ParquetError.missingField("type", in: "PageHeader") }
        guard let uncompressed else { throw ParquetError.missingField("uncompressed_page_size", in: "PageHeader") }
        guard let compressed else { throw ParquetError.missingField("compressed_page_size", in: "PageHeader") }
        self.init(type: .init(rawValue: type), uncompressedPageSize: uncompressed,
                  compressedPageSize: compressed, crc: crc, dataPageHeader: data,
                  indexPageHeader: index, dictionaryPageHeader: dictionary, dataPageHeaderV2: dataV2)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: type.rawValue)
        writer.writeField(2, i32: uncompressedPageSize)
        writer.writeField(3, i32: compressedPageSize)
        if let crc { writer.writeField(4, i32: crc) }
        if let dataPageHeader { writer.writeField(5, struct: dataPageHeader) }
        if let indexPageHeader { writer.writeField(6, struct: indexPageHeader) }
        if let dictionaryPageHeader { writer.writeField(7, struct: dictionaryPageHeader) }
        if let dataPageHeaderV2 { writer.writeField(8, struct: dataPageHeaderV2) }
        writer.endStruct()
    }
}

extension ParquetFormat.DataPageHeader: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?, encoding: Int32?, definition: Int32?, repetition: Int32?
        var statistics: ParquetFormat.Statistics?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: numValues = try reader.int32(field)
            case 2: encoding = try reader.int32(field)
            case 3: definition = try reader.int32(field)
            case 4: repetition = try reader.int32(field)
            case 5: statistics = try reader.decode(field)
            default: try reader.skip(field.type)
            }
        }
        let name = "DataPageHeader"
        guard let numValues else { throw ParquetError.missingField("num_values", in: name) }
        guard let encoding else { throw ParquetError.missingField("encoding", in: name) }
        guard let definition else { throw ParquetError.missingField("definition_level_encoding", in: name) }
        guard let repetition else { throw ParquetError.missingField("repetition_level_encoding", in: name) }
        self.init(numValues: numValues, encoding: .init(rawValue: encoding),
                  definitionLevelEncoding: .init(rawValue: definition),
                  repetitionLevelEncoding: .init(rawValue: repetition), statistics: statistics)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, i32: encoding.rawValue)
        writer.writeField(3, i32: definitionLevelEncoding.rawValue)
        writer.writeField(4, i32: repetitionLevelEncoding.rawValue)
        if let statistics { writer.writeField(5, struct: statistics) }
        writer.endStruct()
    }
}

extension ParquetFormat.IndexPageHeader: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            try reader.skip(field.type)
        }
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.endStruct()
    }
}

extension ParquetFormat.DictionaryPageHeader: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?, encoding: Int32?, isSorted: Bool?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: numValues = try reader.int32(field)
            case 2: encoding = try reader.int32(field)
            case 3: isSorted = try reader.bool(field)
            default: try reader.skip(field.type)
            }
        }
        guard let numValues else { throw ParquetError.missingField("num_values", in: "DictionaryPageHeader") }
        guard let encoding else { throw ParquetError.missingField("encoding", in: "DictionaryPageHeader") }
        self.init(numValues: numValues, encoding: .init(rawValue: encoding), isSorted: isSorted)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, i32: encoding.rawValue)
        if let isSorted { writer.writeField(3, bool: isSorted) }
        writer.endStruct()
    }
}

extension ParquetFormat.DataPageHeaderV2: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?, numNulls: Int32?, numRows: Int32?, encoding: Int32?
        var definitionLength: Int32?, repetitionLength: Int32?, isCompressed = true
        var statistics: ParquetFormat.Statistics?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: numValues = try reader.int32(field)
            case 2: numNulls = try reader.int32(field)
            case 3: numRows = try reader.int32(field)
            case 4: encoding = try reader.int32(field)
            case 5: definitionLength = try reader.int32(field)
            case 6: repetitionLength = try reader.int32(field)
            case 7: isCompressed = try reader.bool(field)
            case 8: statistics = try reader.decode(field)
            default: try reader.skip(field.type)
            }
        }
        let name = "DataPageHeaderV2"
        guard let numValues else { throw ParquetError.missingField("num_values", in: name) }
        guard let numNulls else { throw ParquetError.missingField("num_nulls", in: name) }
        guard let numRows else { throw ParquetError.missingField("num_rows", in: name) }
        guard let encoding else { throw ParquetError.missingField("encoding", in: name) }
        guard let definitionLength else { throw ParquetError.missingField("definition_levels_byte_length", in: name) }
        guard let repetitionLength else { throw ParquetError.missingField("repetition_levels_byte_length", in: name) }
        self.init(numValues: numValues, numNulls: numNulls, numRows: numRows,
                  encoding: .init(rawValue: encoding), definitionLevelsByteLength: definitionLength,
                  repetitionLevelsByteLength: repetitionLength, isCompressed: isCompressed,
                  statistics: statistics)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, i32: numNulls)
        writer.writeField(3, i32: numRows)
        writer.writeField(4, i32: encoding.rawValue)
        writer.writeField(5, i32: definitionLevelsByteLength)
        writer.writeField(6, i32: repetitionLevelsByteLength)
        writer.writeField(7, bool: isCompressed)
        if let statistics { writer.writeField(8, struct: statistics) }
        writer.endStruct()
    }
}
