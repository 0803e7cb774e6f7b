@testable import LarderParquet
import Testing

/// Tests of the Parquet metadata structures: round trips, hand-assembled bytes derived from
/// parquet.thrift and the compact protocol, forward compatibility, and hostile input.
@Suite struct MetadataTests {
    typealias PF = ParquetFormat

    // MARK: Fixtures

    /// A footer with a nested LIST column, two row groups, statistics and key/value metadata.
    static func sampleFileMetaData() -> PF.FileMetaData {
        let schema: [PF.SchemaElement] = [
            .init(name: "schema", numChildren: 6),
            .init(name: "user_id", type: .int64, repetitionType: .required,
                  logicalType: .integer(bitWidth: 64, isSigned: true)),
            .init(name: "event_ts", type: .int64, repetitionType: .required,
                  convertedType: .timestampMicros,
                  logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros)),
            .init(name: "country", type: .byteArray, repetitionType: .optional,
                  convertedType: .utf8, logicalType: .string),
            .init(name: "day", type: .int32, repetitionType: .optional, convertedType: .date,
                  logicalType: .date),
            .init(name: "embedding", repetitionType: .optional, numChildren: 1,
                  convertedType: .list, logicalType: .list),
            .init(name: "list", repetitionType: .repeated, numChildren: 1),
            .init(name: "element", type: .float, repetitionType: .optional),
            .init(name: "price", type: .fixedLenByteArray, typeLength: 16, repetitionType: .optional,
                  convertedType: .decimal, scale: 2, precision: 38, fieldId: 7,
                  logicalType: .decimal(scale: 2, precision: 38)),
        ]
        let paths: [[String]] = [["user_id"], ["event_ts"], ["country"], ["day"],
                                 ["embedding", "list", "element"], ["price"]]
        let types: [PF.PhysicalType] = [.int64, .int64, .byteArray, .int32, .float, .fixedLenByteArray]
        func rowGroup(_ index: Int) -> PF.RowGroup {
            var offset = Int64(4 + index * 100_000)
            let start = offset
            let columns = paths.indices.map { c -> PF.ColumnChunk in
                let size = Int64(1000 + 37 * c)
                let dictionary: Int64? = c == 2 ? offset : nil
                let meta = PF.ColumnMetaData(
                    type: types[c], encodings: c == 2 ? [.plain, .rle, .rleDictionary] : [.plain, .rle],
                    pathInSchema: paths[c], codec: .zstd, numValues: 1000 + Int64(c),
                    totalUncompressedSize: size * 2, totalCompressedSize: size,
                    keyValueMetadata: c == 0 ? [.init(key: "origin", value: "test")] : nil,
                    dataPageOffset: offset + (dictionary == nil ? 0 : 200),
                    dictionaryPageOffset: dictionary,
                    statistics: .init(nullCount: Int64(c), distinctCount: c == 2 ? 17 : nil,
                                      maxValue: [UInt8](repeating: UInt8(c + 1), count: 8),
                                      minValue: [UInt8](repeating: UInt8(c), count: 8),
                                      isMaxValueExact: true, isMinValueExact: c != 3),
                    encodingStats: [.init(pageType: .dataPage, encoding: .plain, count: 3),
                                    .init(pageType: .dictionaryPage, encoding: .plain, count: 1)],
                    bloomFilterOffset: c == 0 ? 99_000 : nil, bloomFilterLength: c == 0 ? 512 : nil,
                    sizeStatistics: c == 4 ? .init(repetitionLevelHistogram: [10, 90],
                                                   definitionLevelHistogram: [1, 2, 3, 94]) : nil)
                defer { offset += size }
                return PF.ColumnChunk(fileOffset: 0, metaData: meta,
                                      offsetIndexOffset: 200_000 + Int64(c), offsetIndexLength: 30,
                                      columnIndexOffset: 300_000 + Int64(c), columnIndexLength: 60)
            }
            return PF.RowGroup(columns: columns, totalByteSize: 9_000, numRows: 1000,
                               sortingColumns: [.init(columnIdx: 1, descending: false, nullsFirst: true)],
                               fileOffset: start, totalCompressedSize: offset - start,
                               ordinal: Int16(index))
        }
        return PF.FileMetaData(
            version: 1, schema: schema, numRows: 2000, rowGroups: [rowGroup(0), rowGroup(1)],
            keyValueMetadata: [.init(key: "ARROW:schema", value: "/////abc=="),
                               .init(key: "larder.version")],
            createdBy: "larder version 0.1.0 (build test)",
            columnOrders: [.typeOrder, .typeOrder, .typeOrder, .typeOrder, .ieee754TotalOrder, .typeOrder])
    }

    private func decodeFooter(_ bytes: [UInt8]) throws -> PF.FileMetaData {
        try bytes.withUnsafeBytes { try PF.FileMetaData.decode($0) }
    }

    private func decodePage(_ bytes: [UInt8]) throws -> (header: PF.PageHeader, length: Int) {
        try bytes.withUnsafeBytes { try PF.PageHeader.decode($0) }
    }

    private func error(of body: () throws -> Void) -> ParquetError? {
        do {
            try body()
            return nil
        } catch let error as ParquetError {
            return error
        } catch {
            Issue.record("not a ParquetError: \(error)")
            return nil
        }
    }

    // MARK: Round trips

    @Test func realisticFileMetaDataRoundTrips() throws {
        let footer = Self.sampleFileMetaData()
        let bytes = footer.serialized()
        let decoded = try decodeFooter(bytes)
        #expect(decoded == footer)
        #expect(decoded.serialized() == bytes)
        #expect(decoded.schema[2].logicalType == .timestamp(isAdjustedToUTC: true, unit: .micros))
        #expect(decoded.rowGroups[1].columns[4].metaData?.pathInSchema == ["embedding", "list", "element"])
        #expect(decoded.keyValueMetadata?[1].value == nil)
    }

    @Test func everyPageHeaderKindRoundTrips() throws {
        let stats = PF.Statistics(max: [9], min: [1], nullCount: 0, maxValue: [9], minValue: [1],
                                  isMaxValueExact: true, isMinValueExact: true, nanCount: 0)
        let headers: [PF.PageHeader] = [
            .init(type: .dataPage, uncompressedPageSize: 1 << 20, compressedPageSize: 4096, crc: -12345,
                  dataPageHeader: .init(numValues: 100_000, encoding: .rleDictionary, statistics: stats)),
            .init(type: .dataPageV2, uncompressedPageSize: 300, compressedPageSize: 200,
                  dataPageHeaderV2: .init(numValues: 50, numNulls: 3, numRows: 40, encoding: .deltaBinaryPacked,
                                          definitionLevelsByteLength: 12, repetitionLevelsByteLength: 7,
                                          isCompressed: false, statistics: stats)),
            .init(type: .dataPageV2, uncompressedPageSize: 10, compressedPageSize: 10,
                  dataPageHeaderV2: .init(numValues: 1, numNulls: 0, numRows: 1, encoding: .plain,
                                          definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0)),
            .init(type: .dictionaryPage, uncompressedPageSize: 64, compressedPageSize: 48,
                  dictionaryPageHeader: .init(numValues: 8, encoding: .plain, isSorted: true)),
            .init(type: .indexPage, uncompressedPageSize: 0, compressedPageSize: 0, indexPageHeader: .init()),
        ]
        for header in headers {
            var bytes: [UInt8] = [0xEE]  // serialize appends
            header.serialize(into: &bytes)
            #expect(bytes.first == 0xEE)
            let body: [UInt8] = [1, 2, 3, 0, 0]  // page bytes follow the header
            let decoded = try decodePage(Array(bytes.dropFirst()) + body)
            #expect(decoded.header == header)
            #expect(decoded.length == bytes.count - 1)
        }
    }

    @Test func pageIndexStructuresRoundTrip() throws {
        let offsets = PF.OffsetIndex(pageLocations: [.init(offset: 4, compressedPageSize: 100, firstRowIndex: 0),
                                                     .init(offset: 104, compressedPageSize: 90, firstRowIndex: 500)],
                                     unencodedByteArrayDataBytes: [10, 20])
        let index = PF.ColumnIndex(nullPages: [false, true], minValues: [[1], []], maxValues: [[5], []],
                                   boundaryOrder: .ascending, nullCounts: [0, 500])
        #expect(try offsets.serialized().withUnsafeBytes { try PF.OffsetIndex.decode($0) } == offsets)
        #expect(try index.serialized().withUnsafeBytes { try PF.ColumnIndex.decode($0) } == index)
    }

    // MARK: Bytes assembled by hand from the specification

    @Test func handAssembledDataPageHeaderDecodes() throws {
        // PageHeader { 1: type = DATA_PAGE (0), 2: uncompressed_page_size = 100,
        //              3: compressed_page_size = 50,
        //              5: data_page_header = { 1: num_values = 10, 2: encoding = PLAIN (0),
        //                                      3: definition_level_encoding = RLE (3),
        //                                      4: repetition_level_encoding = RLE (3) } }
        // i32 field headers are 0xd5 (delta d, type 5); values are zigzag varints.
        let bytes: [UInt8] = [
            0x15, 0x00,        // field 1, zigzag(0)
            0x15, 0xC8, 0x01,  // field 2, zigzag(100) = 200
            0x15, 0x64,        // field 3, zigzag(50) = 100
            0x2C,              // field 5 (delta 2), struct
            0x15, 0x14,        //   field 1, zigzag(10) = 20
            0x15, 0x00,        //   field 2, PLAIN
            0x15, 0x06,        //   field 3, RLE
            0x15, 0x06,        //   field 4, RLE
            0x00,              //   stop
            0x00,              // stop
        ]
        let (header, length) = try decodePage(bytes + [0xFF, 0xFF])
        #expect(length == bytes.count)
        #expect(header.type == .dataPage)
        #expect(header.uncompressedPageSize == 100)
        #expect(header.compressedPageSize == 50)
        #expect(header.crc == nil)
        let data = try #require(header.dataPageHeader)
        #expect(data.numValues == 10)
        #expect(data.encoding == .plain)
        #expect(data.definitionLevelEncoding == .rle)
        #expect(data.repetitionLevelEncoding == .rle)
        #expect(data.statistics == nil)
        // And the writer produces exactly these bytes.
        var written: [UInt8] = []
        header.serialize(into: &written)
        #expect(written == bytes)
    }

    @Test func handAssembledFileMetaDataDecodes() throws {
        let bytes: [UInt8] = [
            0x15, 0x02,                     // 1: version = 1
            0x19, 0x2C,                     // 2: schema, list of 2 structs
            0x48, 0x06] + Array("schema".utf8) + [  //   4: name
            0x15, 0x02,                     //   5: num_children = 1
            0x00,                           //   stop
            0x15, 0x04,                     //   1: type = INT64 (2)
            0x25, 0x00,                     //   3: repetition_type = REQUIRED (0)
            0x18, 0x02, 0x69, 0x64,         //   4: name = "id"
            0x6C,                           //   10: logicalType (delta 6), struct
            0x8C,                           //     8: TIMESTAMP, struct
            0x11,                           //       1: isAdjustedToUTC = true
            0x1C,                           //       2: unit, struct
            0x2C, 0x00,                     //         2: MICROS {}
            0x00,                           //       stop (TimeUnit)
            0x00,                           //     stop (TimestampType)
            0x00,                           //   stop (LogicalType)
            0x00,                           //   stop (SchemaElement)
            0x16, 0x06,                     // 3: num_rows = 3 (i64)
            0x19, 0x0C,                     // 4: row_groups, empty list of structs
            0x28, 0x01, 0x78,               // 6: created_by = "x"
            0x06, 0xC8, 0x01, 0x0A,         // 100 (long form): an unknown i64 = 5
            0x00,                           // stop
        ]
        let footer = try decodeFooter(bytes)
        #expect(footer.version == 1)
        #expect(footer.numRows == 3)
        #expect(footer.rowGroups.isEmpty)
        #expect(footer.createdBy == "x")
        #expect(footer.keyValueMetadata == nil)
        #expect(footer.schema.count == 2)
        #expect(footer.schema[0] == PF.SchemaElement(name: "schema", numChildren: 1))
        #expect(footer.schema[1] == PF.SchemaElement(
            name: "id", type: .int64, repetitionType: .required,
            logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros)))
    }

    // MARK: Forward compatibility

    @Test func unknownFieldsAreSkipped() throws {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.writeField(1, i32: 2)
        writer.writeField(3, i32: 0)
        writer.writeField(4, string: "col")
        writer.writeFieldHeader(12, .struct)           // unknown struct with nested list
        writer.beginStruct()
        writer.writeField(1, strings: ["a", "b"])
        writer.writeField(3, double: 1.5)
        writer.endStruct()
        writer.writeField(13, bool: true)              // unknown bool
        writer.writeField(400, binary: [1, 2, 3])      // unknown binary, long-form id
        writer.endStruct()
        let element = try writer.bytes.withUnsafeBytes { raw -> PF.SchemaElement in
            var reader = ThriftCompactReader(raw)
            let element = try PF.SchemaElement(from: &reader)
            #expect(reader.remaining == 0)
            return element
        }
        #expect(element == PF.SchemaElement(name: "col", type: .int64, repetitionType: .required))
    }

    @Test func unknownEnumValuesArePreserved() throws {
        var footer = Self.sampleFileMetaData()
        footer.schema[1].type = PF.PhysicalType(rawValue: 42)
        footer.schema[1].convertedType = PF.ConvertedType(rawValue: 77)
        footer.rowGroups[0].columns[0].metaData?.codec = PF.CompressionCodec(rawValue: 99)
        footer.rowGroups[0].columns[0].metaData?.encodings = [.plain, PF.Encoding(rawValue: 31)]
        let decoded = try decodeFooter(footer.serialized())
        #expect(decoded == footer)
        #expect(decoded.rowGroups[0].columns[0].metaData?.codec.rawValue == 99)
        #expect(decoded.rowGroups[0].columns[0].metaData?.codec.description == "CompressionCodec(99)")
    }

    @Test func unknownUnionMembersDecodeAsOther() throws {
        // LogicalType member 16 (VARIANT, with a field) and 19 (VECTOR), ColumnOrder member 9.
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.writeFieldHeader(16, .struct)
        writer.beginStruct()
        writer.writeField(1, i8: 1)
        writer.endStruct()
        writer.endStruct()
        #expect(try writer.bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try PF.LogicalType(from: &reader)
        } == PF.LogicalType.other(fieldId: 16))
        // A TIMESTAMP whose unit is a TimeUnit member this version does not know (4).
        let timestamp: [UInt8] = [0x8C, 0x11, 0x1C, 0x4C, 0x00, 0x00, 0x00, 0x00]
        #expect(try timestamp.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try PF.LogicalType(from: &reader)
        } == PF.LogicalType.other(fieldId: 8))
        let order: [UInt8] = [0x9C, 0x00, 0x00]
        #expect(try order.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try PF.ColumnOrder(from: &reader)
        } == PF.ColumnOrder.other(fieldId: 9))
        // `.other` writes back an empty member struct that decodes the same way.
        var element = PF.SchemaElement(name: "v", logicalType: .other(fieldId: 19))
        element.repetitionType = .vector
        var out = ThriftCompactWriter()
        element.write(to: &out)
        let again = try out.bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try PF.SchemaElement(from: &reader)
        }
        #expect(again == element)
    }

    @Test func enumDescriptionsUseSpecNames() {
        #expect(PF.CompressionCodec.zstd.description == "ZSTD")
        #expect(PF.CompressionCodec.lz4Raw.description == "LZ4_RAW")
        #expect(PF.Encoding.rleDictionary.description == "RLE_DICTIONARY")
        #expect(PF.PhysicalType.fixedLenByteArray.description == "FIXED_LEN_BYTE_ARRAY")
        #expect(PF.ConvertedType.enum.description == "ENUM")
        #expect(PF.PageType.dataPageV2.description == "DATA_PAGE_V2")
        #expect(PF.BoundaryOrder.descending.description == "DESCENDING")
        #expect(PF.FieldRepetitionType.repeated.description == "REPEATED")
        #expect(PF.LogicalType.timestamp(isAdjustedToUTC: true, unit: .micros).description == "TIMESTAMP(MICROS,UTC)")
    }

    // MARK: Malformed input

    @Test func missingRequiredFieldNamesStructAndField() throws {
        // SchemaElement with a type but no name.
        let bytes: [UInt8] = [0x15, 0x04, 0x00]
        let failure = error {
            _ = try bytes.withUnsafeBytes { raw in
                var reader = ThriftCompactReader(raw)
                return try PF.SchemaElement(from: &reader)
            }
        }
        #expect(failure?.code == .corrupt)
        #expect(failure?.message.contains("SchemaElement") == true)
        #expect(failure?.message.contains("name") == true)
        // A FileMetaData without row_groups.
        let footer: [UInt8] = [0x15, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x00]
        let missing = error { _ = try decodeFooter(footer) }
        #expect(missing?.code == .corrupt)
        #expect(missing?.message.contains("row_groups") == true)
    }

    @Test func everyTruncationOfAFooterThrows() throws {
        let bytes = Self.sampleFileMetaData().serialized()
        for length in 0..<bytes.count {
            let failure = error { _ = try decodeFooter(Array(bytes[..<length])) }
            #expect(failure != nil, "prefix of \(length) bytes decoded")
        }
    }

    @Test func everyTruncationOfAPageHeaderThrows() throws {
        var bytes: [UInt8] = []
        PF.PageHeader(type: .dataPageV2, uncompressedPageSize: 300, compressedPageSize: 200, crc: 7,
                      dataPageHeaderV2: .init(numValues: 50, numNulls: 3, numRows: 40, encoding: .plain,
                                              definitionLevelsByteLength: 12, repetitionLevelsByteLength: 7,
                                              statistics: .init(maxValue: [1, 2], minValue: [0])))
            .serialize(into: &bytes)
        for length in 0..<bytes.count {
            #expect(error { _ = try decodePage(Array(bytes[..<length])) }?.code == .truncated)
        }
    }

    @Test func randomBitFlipsDecodeOrThrow() {
        var rng = SplitMix64(seed: 0x5EED)
        let footer = Self.sampleFileMetaData().serialized()
        var page: [UInt8] = []
        PF.PageHeader(type: .dataPage, uncompressedPageSize: 10, compressedPageSize: 9,
                      dataPageHeader: .init(numValues: 3, encoding: .plain,
                                            statistics: .init(nullCount: 1, maxValue: [3], minValue: [1])))
            .serialize(into: &page)
        var decodedCount = 0
        for trial in 0..<2_000 {
            var bytes = trial % 4 == 0 ? page : footer
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let bit = Int(rng.next() % UInt64(bytes.count * 8))
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            do {
                if trial % 4 == 0 { _ = try decodePage(bytes) } else { _ = try decodeFooter(bytes) }
                decodedCount += 1
            } catch is ParquetError {
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        // Some flips land in values (offsets, statistics) and still decode.
        #expect(decodedCount > 0)
    }

    @Test func randomByteStringsDecodeOrThrow() {
        var rng = SplitMix64(seed: 42)
        for trial in 0..<2_000 {
            let length = Int(rng.next() % 300)
            var bytes = [UInt8](repeating: 0, count: length)
            for i in bytes.indices {
                // Bias towards small values so headers and counts look plausible.
                let r = rng.next()
                bytes[i] = r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : UInt8(truncatingIfNeeded: r >> 8) & 0x3F
            }
            do {
                if trial % 2 == 0 { _ = try decodeFooter(bytes) } else { _ = try decodePage(bytes) }
            } catch is ParquetError {
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func wideFooterDecodes() throws {
        // 100 row groups x 20 columns: the shape the performance target names.
        var footer = Self.sampleFileMetaData()
        let template = footer.rowGroups[0]
        footer.rowGroups = (0..<100).map { g in
            var group = template
            group.columns = (0..<20).map { c in template.columns[c % template.columns.count] }
            group.ordinal = Int16(g)
            return group
        }
        let bytes = footer.serialized()
        #expect(try decodeFooter(bytes) == footer)
    }
}

/// A small deterministic generator for reproducible random tests.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
