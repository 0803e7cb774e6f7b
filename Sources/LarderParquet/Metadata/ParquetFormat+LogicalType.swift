extension ParquetFormat {
    /// The unit of a TIME or TIMESTAMP logical type.
    public enum TimeUnit: Hashable, Sendable, CustomStringConvertible {
        /// Milliseconds.
        case millis
        /// Microseconds.
        case micros
        /// Nanoseconds.
        case nanos

        /// The specification's name for the value.
        public var description: String {
            switch self {
            case .millis: "MILLIS"
            case .micros: "MICROS"
            case .nanos: "NANOS"
            }
        }
    }

    /// The logical type annotation of a schema element (the `LogicalType` union).
    ///
    /// A union member this version does not know decodes as ``other(fieldId:)``, so files from
    /// newer writers stay readable; it is written back as an empty struct with that field id.
    public enum LogicalType: Hashable, Sendable, CustomStringConvertible {
        /// UTF-8 text in a BYTE_ARRAY.
        case string
        /// A map: a group of repeated key/value groups.
        case map
        /// A list: a group of a repeated group of elements.
        case list
        /// UTF-8 enum names in a BYTE_ARRAY.
        case `enum`
        /// A decimal: the unscaled value times 10^-`scale`.
        case decimal(scale: Int32, precision: Int32)
        /// Days since the Unix epoch in an INT32.
        case date
        /// A time of day, in `unit`s since midnight.
        case time(isAdjustedToUTC: Bool, unit: TimeUnit)
        /// An instant (when adjusted to UTC) or a local date-time, in `unit`s since the Unix epoch.
        case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
        /// An integer of `bitWidth` (8, 16, 32 or 64) bits.
        case integer(bitWidth: Int8, isSigned: Bool)
        /// `UNKNOWN` in parquet.thrift (NullType): a column whose values are all null.
        case null
        /// A JSON document in a BYTE_ARRAY.
        case json
        /// A BSON document in a BYTE_ARRAY.
        case bson
        /// A UUID in a 16-byte FIXED_LEN_BYTE_ARRAY.
        case uuid
        /// A half-precision float in a 2-byte FIXED_LEN_BYTE_ARRAY.
        case float16
        /// A union member this version does not know, by its field id.
        case other(fieldId: Int16)

        /// The specification's name for the value.
        public var description: String {
            switch self {
            case .string: "STRING"
            case .map: "MAP"
            case .list: "LIST"
            case .enum: "ENUM"
            case .decimal(let scale, let precision): "DECIMAL(\(precision),\(scale))"
            case .date: "DATE"
            case .time(let utc, let unit): "TIME(\(unit),\(utc ? "UTC" : "local"))"
            case .timestamp(let utc, let unit): "TIMESTAMP(\(unit),\(utc ? "UTC" : "local"))"
            case .integer(let bits, let signed): "INTEGER(\(bits),\(signed ? "signed" : "unsigned"))"
            case .null: "UNKNOWN"
            case .json: "JSON"
            case .bson: "BSON"
            case .uuid: "UUID"
            case .float16: "FLOAT16"
            case .other(let id): "LogicalType(\(id))"
            }
        }
    }

    /// The order used for a column's min/max statistics (the `ColumnOrder` union).
    public enum ColumnOrder: Hashable, Sendable {
        /// `TYPE_ORDER`: the order the logical (or physical) type defines.
        case typeOrder
        /// `IEEE_754_TOTAL_ORDER`, for FLOAT, DOUBLE and FLOAT16.
        case ieee754TotalOrder
        /// `INT96_TIMESTAMP_ORDER`, chronological order of INT96 timestamps.
        case int96TimestampOrder
        /// A union member this version does not know; its statistics should be ignored.
        case other(fieldId: Int16)
    }
}

extension ParquetFormat.LogicalType: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var result: Self?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            guard result == nil, field.type == .struct else { try reader.skip(field.type); continue }
            switch field.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enum
            case 6: result = .date
            case 11: result = .null
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            case 5: result = try Self.decodeDecimal(&reader); continue
            case 7, 8: result = try Self.decodeTime(&reader, fieldId: field.id); continue
            case 10: result = try Self.decodeInteger(&reader); continue
            default: result = .other(fieldId: field.id)
            }
            try reader.skip(.struct)  // the member's (empty, or unknown) struct
        }
        guard let result else {
            throw ParquetError(.corrupt, "Parquet LogicalType union has no member")
        }
        self = result
    }

    private static func decodeDecimal(_ reader: inout ThriftCompactReader) throws -> Self {
        var scale: Int32?, precision: Int32?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: scale = try reader.int32(field)
            case 2: precision = try reader.int32(field)
            default: try reader.skip(field.type)
            }
        }
        guard let scale else { throw ParquetError.missingField("scale", in: "DecimalType") }
        guard let precision else { throw ParquetError.missingField("precision", in: "DecimalType") }
        return .decimal(scale: scale, precision: precision)
    }

    private static func decodeTime(_ reader: inout ThriftCompactReader, fieldId: Int16) throws -> Self {
        let name = fieldId == 7 ? "TimeType" : "TimestampType"
        var utc: Bool?, unit: ParquetFormat.TimeUnit??
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: utc = try reader.bool(field)
            case 2: unit = try reader.decodeTimeUnit(field)
            default: try reader.skip(field.type)
            }
        }
        guard let utc else { throw ParquetError.missingField("isAdjustedToUTC", in: name) }
        guard let decodedUnit = unit else { throw ParquetError.missingField("unit", in: name) }
        guard let known = decodedUnit else { return .other(fieldId: fieldId) }  // a newer unit
        return fieldId == 7 ? .time(isAdjustedToUTC: utc, unit: known)
            : .timestamp(isAdjustedToUTC: utc, unit: known)
    }

    private static func decodeInteger(_ reader: inout ThriftCompactReader) throws -> Self {
        var bitWidth: Int8?, signed: Bool?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: bitWidth = try reader.int8(field)
            case 2: signed = try reader.bool(field)
            default: try reader.skip(field.type)
            }
        }
        guard let bitWidth else { throw ParquetError.missingField("bitWidth", in: "IntType") }
        guard let signed else { throw ParquetError.missingField("isSigned", in: "IntType") }
        return .integer(bitWidth: bitWidth, isSigned: signed)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        switch self {
        case .string: writer.writeEmptyStruct(1)
        case .map: writer.writeEmptyStruct(2)
        case .list: writer.writeEmptyStruct(3)
        case .enum: writer.writeEmptyStruct(4)
        case .decimal(let scale, let precision):
            writer.writeFieldHeader(5, .struct)
            writer.beginStruct()
            writer.writeField(1, i32: scale)
            writer.writeField(2, i32: precision)
            writer.endStruct()
        case .date: writer.writeEmptyStruct(6)
        case .time(let utc, let unit), .timestamp(let utc, let unit):
            if case .time = self { writer.writeFieldHeader(7, .struct) } else { writer.writeFieldHeader(8, .struct) }
            writer.beginStruct()
            writer.writeField(1, bool: utc)
            writer.writeFieldHeader(2, .struct)
            writer.writeTimeUnit(unit)
            writer.endStruct()
        case .integer(let bitWidth, let signed):
            writer.writeFieldHeader(10, .struct)
            writer.beginStruct()
            writer.writeField(1, i8: bitWidth)
            writer.writeField(2, bool: signed)
            writer.endStruct()
        case .null: writer.writeEmptyStruct(11)
        case .json: writer.writeEmptyStruct(12)
        case .bson: writer.writeEmptyStruct(13)
        case .uuid: writer.writeEmptyStruct(14)
        case .float16: writer.writeEmptyStruct(15)
        case .other(let id): writer.writeEmptyStruct(id)
        }
        writer.endStruct()
    }
}

extension ParquetFormat.ColumnOrder: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var result: Self?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            if result == nil && field.type == .struct {
                switch field.id {
                case 1: result = .typeOrder
                case 2: result = .ieee754TotalOrder
                case 3: result = .int96TimestampOrder
                default: result = .other(fieldId: field.id)
                }
            }
            try reader.skip(field.type)
        }
        guard let result else { throw ParquetError(.corrupt, "Parquet ColumnOrder union has no member") }
        self = result
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        switch self {
        case .typeOrder: writer.writeEmptyStruct(1)
        case .ieee754TotalOrder: writer.writeEmptyStruct(2)
        case .int96TimestampOrder: writer.writeEmptyStruct(3)
        case .other(let id): writer.writeEmptyStruct(id)
        }
        writer.endStruct()
    }
}

extension ThriftCompactReader {
    /// Decodes a `TimeUnit` union field; `nil` for a member this version does not know.
    mutating func decodeTimeUnit(_ field: ThriftFieldHeader) throws -> ParquetFormat.TimeUnit? {
        guard field.type == .struct else {
            throw ParquetError.thriftCorrupt("field \(field.id): expected a TimeUnit struct, found \(field.type)", at: offset)
        }
        var unit: ParquetFormat.TimeUnit??
        var cursor = try beginStruct()
        while let member = try nextField(&cursor) {
            if unit == nil && member.type == .struct {
                switch member.id {
                case 1: unit = .some(.millis)
                case 2: unit = .some(.micros)
                case 3: unit = .some(.nanos)
                default: unit = .some(nil)
                }
            }
            try skip(member.type)
        }
        guard let unit else { throw ParquetError(.corrupt, "Parquet TimeUnit union has no member") }
        return unit
    }
}

extension ThriftCompactWriter {
    /// Writes a field holding an empty struct (a union member without data).
    mutating func writeEmptyStruct(_ id: Int16) {
        writeFieldHeader(id, .struct)
        beginStruct()
        endStruct()
    }

    /// Writes a `TimeUnit` union value (after its field header).
    mutating func writeTimeUnit(_ unit: ParquetFormat.TimeUnit) {
        beginStruct()
        switch unit {
        case .millis: writeEmptyStruct(1)
        case .micros: writeEmptyStruct(2)
        case .nanos: writeEmptyStruct(3)
        }
        endStruct()
    }
}
