extension ParquetFormat {
    /// Statistics of a column chunk or page. Every field is optional.
    ///
    /// Bounds are PLAIN-encoded values without a length prefix for byte arrays. `minValue` and
    /// `maxValue` follow the column's ``ColumnOrder``; the deprecated `min` and `max` use
    /// signed comparison. A missing `nullCount` means unknown, not zero.
    public struct Statistics: Hashable, Sendable {
        /// Deprecated maximum (signed comparison).
        public var max: Optional<[UInt8]>
        /// Deprecated minimum (signed comparison).
        public var min: Optional<[UInt8]>
        /// Count of null values; `nil` means unknown, not zero.
        public var nullCount: Optional<Int64>
        /// Count of distinct values.
        public var distinctCount: Optional<Int64>
        /// Upper bound under the column order.
        public var maxValue: Optional<[UInt8]>
        /// Lower bound under the column order.
        public var minValue: Optional<[UInt8]>
        /// Whether `maxValue` is the actual maximum (not a shorter bound).
        public var isMaxValueExact: Optional<Bool>
        /// Whether `minValue` is the actual minimum (not a shorter bound).
        public var isMinValueExact: Optional<Bool>
        /// Count of NaN values (FLOAT, DOUBLE, FLOAT16); missing means NaNs may be present.
        public var nanCount: Optional<Int64>

        /// Creates a ``Statistics``; optional fields default to absent.
        public init(max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil,
                    distinctCount: Int64? = nil, maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil,
                    isMaxValueExact: Bool? = nil, isMinValueExact: Bool? = nil, nanCount: Int64? = nil) {
            self.max = max
            self.min = min
            self.nullCount = nullCount
            self.distinctCount = distinctCount
            self.maxValue = maxValue
            self.minValue = minValue
            self.isMaxValueExact = isMaxValueExact
            self.isMinValueExact = isMinValueExact
            self.nanCount = nanCount
        }
    }

    /// Sizes and level histograms that help estimate the decoded size of a column chunk.
    public struct SizeStatistics: Hashable, Sendable {
        /// Bytes of BYTE_ARRAY values, excluding their length prefixes.
        public var unencodedByteArrayDataBytes: Optional<Int64>
        /// Occurrences of each repetition level (index = level).
        public var repetitionLevelHistogram: Optional<[Int64]>
        /// Occurrences of each definition level (index = level).
        public var definitionLevelHistogram: Optional<[Int64]>

        /// Creates a ``SizeStatistics``; optional fields default to absent.
        public init(unencodedByteArrayDataBytes: Int64? = nil, repetitionLevelHistogram: [Int64]? = nil,
                    definitionLevelHistogram: [Int64]? = nil) {
            self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
            self.repetitionLevelHistogram = repetitionLevelHistogram
            self.definitionLevelHistogram = definitionLevelHistogram
        }
    }
}

extension ParquetFormat.Statistics: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var max: [UInt8]?, min: [UInt8]?, maxValue: [UInt8]?, minValue: [UInt8]?
        var nullCount: Int64?, distinctCount: Int64?, nanCount: Int64?
        var isMaxValueExact: Bool?, isMinValueExact: Bool?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: max = try reader.binary(field)
            case 2: min = try reader.binary(field)
            case 3: nullCount = try reader.int64(field)
            case 4: distinctCount = try reader.int64(field)
            case 5: maxValue = try reader.binary(field)
            case 6: minValue = try reader.binary(field)
            case 7: isMaxValueExact = try reader.bool(field)
            case 8: isMinValueExact = try reader.bool(field)
            case 9: nanCount = try reader.int64(field)
            default: try reader.skip(field.type)
            }
        }
        self.init(max: max, min: min, nullCount: nullCount, distinctCount: distinctCount,
                  maxValue: maxValue, minValue: minValue, isMaxValueExact: isMaxValueExact,
                  isMinValueExact: isMinValueExact, nanCount: nanCount)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let max { writer.writeField(1, binary: max) }
        if let min { writer.writeField(2, binary: min) }
        if let nullCount { writer.writeField(3, i64: nullCount) }
        if let distinctCount { writer.writeField(4, i64: distinctCount) }
        if let maxValue { writer.writeField(5, binary: maxValue) }
        if let minValue { writer.writeField(6, binary: minValue) }
        if let isMaxValueExact { writer.writeField(7, bool: isMaxValueExact) }
        if let isMinValueExact { writer.writeField(8, bool: isMinValueExact) }
        if let nanCount { writer.writeField(9, i64: nanCount) }
        writer.endStruct()
    }
}

extension ParquetFormat.SizeStatistics: ThriftCompactCodable {
    init(from reader: inout ThriftCompactReader) throws {
        var unencoded: Int64?, repetition: [Int64]?, definition: [Int64]?
        var cursor = try reader.beginStruct()
        while let field = try reader.nextField(&cursor) {
            switch field.id {
            case 1: unencoded = try reader.int64(field)
            case 2: repetition = try reader.int64List(field)
            case 3: definition = try reader.int64List(field)
            default: try reader.skip(field.type)
            }
        }
        self.init(unencodedByteArrayDataBytes: unencoded, repetitionLevelHistogram: repetition,
                  definitionLevelHistogram: definition)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let unencodedByteArrayDataBytes { writer.writeField(1, i64: unencodedByteArrayDataBytes) }
        if let repetitionLevelHistogram { writer.writeField(2, i64s: repetitionLevelHistogram) }
        if let definitionLevelHistogram { writer.writeField(3, i64s: definitionLevelHistogram) }
        writer.endStruct()
    }
}
