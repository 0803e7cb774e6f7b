// The enum types of parquet.thrift. Each is a struct over the raw `i32` so that a value added by
// a newer writer decodes (and round-trips) instead of failing; the static constants name the
// values this version knows, and `description` gives the specification's name.

extension ParquetFormat {
    /// The physical (storage) type of a column: `Type` in parquet.thrift.
    ///
    /// Unknown values are kept as they are; ``description`` shows them as `PhysicalType(n)`.
    public struct PhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as written in the file.
        public var rawValue: Int32

        /// Wraps a raw value, known or not.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `BOOLEAN` (0).
        public static let boolean = PhysicalType(rawValue: 0)
        /// `INT32` (1).
        public static let int32 = PhysicalType(rawValue: 1)
        /// `INT64` (2).
        public static let int64 = PhysicalType(rawValue: 2)
        /// `INT96` (3).
        public static let int96 = PhysicalType(rawValue: 3)
        /// `FLOAT` (4).
        public static let float = PhysicalType(rawValue: 4)
        /// `DOUBLE` (5).
        public static let double = PhysicalType(rawValue: 5)
        /// `BYTE_ARRAY` (6).
        public static let byteArray = PhysicalType(rawValue: 6)
        /// `FIXED_LEN_BYTE_ARRAY` (7).
        public static let fixedLenByteArray = PhysicalType(rawValue: 7)

        /// The name the specification gives this value, e.g. `FIXED_LEN_BYTE_ARRAY`.
        public var description: String {
            switch rawValue {
            case 0: "BOOLEAN"
            case 1: "INT32"
            case 2: "INT64"
            case 3: "INT96"
            case 4: "FLOAT"
            case 5: "DOUBLE"
            case 6: "BYTE_ARRAY"
            case 7: "FIXED_LEN_BYTE_ARRAY"
            default: "PhysicalType(\(rawValue))"
            }
        }
    }

    /// The deprecated annotation that ``LogicalType`` supersedes; writers still set it for older readers.
    ///
    /// Unknown values are kept as they are; ``description`` shows them as `ConvertedType(n)`.
    public struct ConvertedType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as written in the file.
        public var rawValue: Int32

        /// Wraps a raw value, known or not.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `UTF8` (0).
        public static let utf8 = ConvertedType(rawValue: 0)
        /// `MAP` (1).
        public static let map = ConvertedType(rawValue: 1)
        /// `MAP_KEY_VALUE` (2).
        public static let mapKeyValue = ConvertedType(rawValue: 2)
        /// `LIST` (3).
        public static let list = ConvertedType(rawValue: 3)
        /// `ENUM` (4).
        public static let `enum` = ConvertedType(rawValue: 4)
        /// `DECIMAL` (5).
        public static let decimal = ConvertedType(rawValue: 5)
        /// `DATE` (6).
        public static let date = ConvertedType(rawValue: 6)
        /// `TIME_MILLIS` (7).
        public static let timeMillis = ConvertedType(rawValue: 7)
        /// `TIME_MICROS` (8).
        public static let timeMicros = ConvertedType(rawValue: 8)
        /// `TIMESTAMP_MILLIS` (9).
        public static let timestampMillis = ConvertedType(rawValue: 9)
        /// `TIMESTAMP_MICROS` (10).
        public static let timestampMicros = ConvertedType(rawValue: 10)
        /// `UINT_8` (11).
        public static let uint8 = ConvertedType(rawValue: 11)
        /// `UINT_16` (12).
        public static let uint16 = ConvertedType(rawValue: 12)
        /// `UINT_32` (13).
        public static let uint32 = ConvertedType(rawValue: 13)
        /// `UINT_64` (14).
        public static let uint64 = ConvertedType(rawValue: 14)
        /// `INT_8` (15).
        public static let int8 = ConvertedType(rawValue: 15)
        /// `INT_16` (16).
        public static let int16 = ConvertedType(rawValue: 16)
        /// `INT_32` (17).
        public static let int32 = ConvertedType(rawValue: 17)
        /// `INT_64` (18).
        public static let int64 = ConvertedType(rawValue: 18)
        /// `JSON` (19).
        public static let json = ConvertedType(rawValue: 19)
        /// `BSON` (20).
        public static let bson = ConvertedType(rawValue: 20)
        /// `INTERVAL` (21).
        public static let interval = ConvertedType(rawValue: 21)

        /// The name the specification gives this value, e.g. `INTERVAL`.
        public var description: String {
            switch rawValue {
            case 0: "UTF8"
            case 1: "MAP"
            case 2: "MAP_KEY_VALUE"
            case 3: "LIST"
            case 4: "ENUM"
            case 5: "DECIMAL"
            case 6: "DATE"
            case 7: "TIME_MILLIS"
            case 8: "TIME_MICROS"
            case 9: "TIMESTAMP_MILLIS"
            case 10: "TIMESTAMP_MICROS"
            case 11: "UINT_8"
            case 12: "UINT_16"
            case 13: "UINT_32"
            case 14: "UINT_64"
            case 15: "INT_8"
            case 16: "INT_16"
            case 17: "INT_32"
            case 18: "INT_64"
            case 19: "JSON"
            case 20: "BSON"
            case 21: "INTERVAL"
            default: "ConvertedType(\(rawValue))"
            }
        }
    }

    /// Whether a schema field is required, optional or repeated.
    ///
    /// Unknown values are kept as they are; ``description`` shows them as `FieldRepetitionType(n)`.
    public struct FieldRepetitionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as written in the file.
        public var rawValue: Int32

        /// Wraps a raw value, known or not.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `REQUIRED` (0).
        public static let required = FieldRepetitionType(rawValue: 0)
        /// `OPTIONAL` (1).
        public static let optional = FieldRepetitionType(rawValue: 1)
        /// `REPEATED` (2).
        public static let repeated = FieldRepetitionType(rawValue: 2)
        /// `VECTOR` (3).
        public static let vector = FieldRepetitionType(rawValue: 3)

        /// The name the specification gives this value, e.g. `VECTOR`.
        public var description: String {
            switch rawValue {
            case 0: "REQUIRED"
            case 1: "OPTIONAL"
            case 2: "REPEATED"
            case 3: "VECTOR"
            default: "FieldRepetitionType(\(rawValue))"
            }
        }
    }

    /// How the values (or levels) of a page are encoded.
    ///
    /// Unknown values are kept as they are; ``description`` shows them as `Encoding(n)`.
    public struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as written in the file.
        public var rawValue: Int32

        /// Wraps a raw value, known or not.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `PLAIN` (0).
        public static let plain = Encoding(rawValue: 0)
        /// `PLAIN_DICTIONARY` (2).
        public static let plainDictionary = Encoding(rawValue: 2)
        /// `RLE` (3).
        public static let rle = Encoding(rawValue: 3)
        /// `BIT_PACKED` (4).
        public static let bitPacked = Encoding(rawValue: 4)
        /// `DELTA_BINARY_PACKED` (5).
        public static let deltaBinaryPacked = Encoding(rawValue: 5)
        /// `DELTA_LENGTH_BYTE_ARRAY` (6).
        public static let deltaLengthByteArray = Encoding(rawValue: 6)
        /// `DELTA_BYTE_ARRAY` (7).
        public static let deltaByteArray = Encoding(rawValue: 7)
        /// `RLE_DICTIONARY` (8).
        public static let rleDictionary = Encoding(rawValue: 8)
        /// `BYTE_STREAM_SPLIT` (9).
        public static let byteStreamSplit = Encoding(rawValue: 9)

        /// The name the specification gives this value, e.g. `BYTE_STREAM_SPLIT`.
        public var description: String {
            switch rawValue {
            case 0: "PLAIN"
            case 2: "PLAIN_DICTIONARY"
            case 3: "RLE"
            case 4: "BIT_PACKED"
            case 5: "DELTA_BINARY_PACKED"
            case 6: "DELTA_LENGTH_BYTE_ARRAY"
            case 7: "DELTA_BYTE_ARRAY"
            case 8: "RLE_DICTIONARY"
            case 9: "BYTE_STREAM_SPLIT"
            default: "Encoding(\(rawValue))"
            }
        }
    }

    /// The codec that compresses a column chunk's pages.
    ///
    /// Unknown values are kept as they are; ``description`` shows them as `CompressionCodec(n)`.
    public struct CompressionCodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as written in the file.
        public var rawValue: Int32

        /// Wraps a raw value, known or not.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `UNCOMPRESSED` (0).
        public static let uncompressed = CompressionCodec(rawValue: 0)
        /// `SNAPPY` (1).
        public static let snappy = CompressionCodec(rawValue: 1)
        /// `GZIP` (2).
        public static let gzip = CompressionCodec(rawValue: 2)
        /// `LZO` (3).
        public static let lzo = CompressionCodec(rawValue: 3)
        /// `BROTLI` (4).
        public static let brotli = CompressionCodec(rawValue: 4)
        /// `LZ4` (5).
        public static let lz4 = CompressionCodec(rawValue: 5)
        /// `ZSTD` (6).
        public static let zstd = CompressionCodec(rawValue: 6)
        /// `LZ4_RAW` (7).
        public static let lz4Raw = CompressionCodec(rawValue: 7)

        /// The name the specification gives this value, e.g. `LZ4_RAW`.
        public var description: String {
            switch rawValue {
            case 0: "UNCOMPRESSED"
            case 1: "SNAPPY"
            case 2: "GZIP"
            case 3: "LZO"
            case 4: "BROTLI"
            case 5: "LZ4"
            case 6: "ZSTD"
            case 7: "LZ4_RAW"
            default: "CompressionCodec(\(rawValue))"
            }
        }
    }

    /// The kind of a page, which says which of a ``PageHeader``'s headers is set.
    ///
    /// Unknown values are kept as they are; ``description`` shows them as `PageType(n)`.
    public struct PageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as written in the file.
        public var rawValue: Int32

        /// Wraps a raw value, known or not.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `DATA_PAGE` (0).
        public static let dataPage = PageType(rawValue: 0)
        /// `INDEX_PAGE` (1).
        public static let indexPage = PageType(rawValue: 1)
        /// `DICTIONARY_PAGE` (2).
        public static let dictionaryPage = PageType(rawValue: 2)
        /// `DATA_PAGE_V2` (3).
        public static let dataPageV2 = PageType(rawValue: 3)

        /// The name the specification gives this value, e.g. `DATA_PAGE_V2`.
        public var description: String {
            switch rawValue {
            case 0: "DATA_PAGE"
            case 1: "INDEX_PAGE"
            case 2: "DICTIONARY_PAGE"
            case 3: "DATA_PAGE_V2"
            default: "PageType(\(rawValue))"
            }
        }
    }

    /// Whether a ``ColumnIndex``'s per-page bounds are ordered, and in which direction.
    ///
    /// Unknown values are kept as they are; ``description`` shows them as `BoundaryOrder(n)`.
    public struct BoundaryOrder: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as written in the file.
        public var rawValue: Int32

        /// Wraps a raw value, known or not.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `UNORDERED` (0).
        public static let unordered = BoundaryOrder(rawValue: 0)
        /// `ASCENDING` (1).
        public static let ascending = BoundaryOrder(rawValue: 1)
        /// `DESCENDING` (2).
        public static let descending = BoundaryOrder(rawValue: 2)

        /// The name the specification gives this value, e.g. `DESCENDING`.
        public var description: String {
            switch rawValue {
            case 0: "UNORDERED"
            case 1: "ASCENDING"
            case 2: "DESCENDING"
            default: "BoundaryOrder(\(rawValue))"
            }
        }
    }
}
