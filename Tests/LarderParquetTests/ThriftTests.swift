@testable import LarderParquet
import Testing

/// Tests of the Thrift compact protocol primitives, with expected bytes taken from the
/// protocol specification (doc/specs/thrift-compact-protocol.md in apache/thrift).
@Suite struct ThriftTests {
    // MARK: Helpers

    private func written(_ body: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var writer = ThriftCompactWriter()
        body(&writer)
        return writer.bytes
    }

    private func reading<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try body(&reader)
        }
    }

    private func code(of body: () throws -> Void) -> ParquetError.Code? {
        do {
            try body()
            return nil
        } catch let error as ParquetError {
            return error.code
        } catch {
            return .invalidArgument  // any non-Parquet error is a failure below
        }
    }

    // MARK: Varints and zigzag

    @Test func varintBytesMatchSpecExamples() throws {
        #expect(written { $0.writeVarint(0) } == [0x00])
        #expect(written { $0.writeVarint(1) } == [0x01])
        #expect(written { $0.writeVarint(127) } == [0x7F])
        #expect(written { $0.writeVarint(128) } == [0x80, 0x01])
        #expect(written { $0.writeVarint(50399) } == [0xDF, 0x89, 0x03])  // the spec's example
        #expect(written { $0.writeVarint(UInt64.max) } == [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(try reading([0xDF, 0x89, 0x03]) { try $0.readVarint() } == 50399)
        #expect(try reading([UInt8](repeating: 0xFF, count: 9) + [0x01]) { try $0.readVarint() } == UInt64.max)
    }

    @Test func zigzagMapsSmallMagnitudesToSmallCodes() throws {
        // The spec: 0, -1, 1, -2, 2 are sent as 0, 1, 2, 3, 4.
        for (value, code) in [(0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4)] as [(Int32, UInt8)] {
            #expect(written { $0.writeZigZag32(value) } == [code])
            #expect(written { $0.writeZigZag64(Int64(value)) } == [code])
        }
        #expect(written { $0.writeZigZag32(.max) } == [0xFE, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(written { $0.writeZigZag32(.min) } == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(written { $0.writeZigZag64(.min) } == [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(written { $0.writeZigZag64(.max) } == [0xFE] + [UInt8](repeating: 0xFF, count: 8) + [0x01])
    }

    @Test func zigzagEdgeValuesRoundTrip() throws {
        let values: [Int64] = [0, -1, 1, 63, -64, 64, Int64(Int32.min), Int64(Int32.max), .min, .max, .min + 1, .max - 1]
        for value in values {
            let bytes = written { $0.writeZigZag64(value) }
            #expect(bytes.count <= 10)
            #expect(try reading(bytes) { try $0.readZigZag64() } == value)
            if let narrow = Int32(exactly: value) {
                let bytes32 = written { $0.writeZigZag32(narrow) }
                #expect(try reading(bytes32) { try $0.readZigZag32() } == narrow)
            }
        }
    }

    @Test func varintLongerThanTenBytesIsCorrupt() {
        let eleven = [UInt8](repeating: 0x80, count: 10) + [0x01]
        #expect(code { _ = try reading(eleven) { try $0.readVarint() } } == .corrupt)
        // Ten bytes whose last carries bits beyond the 64th.
        let overflow = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        #expect(code { _ = try reading(overflow) { try $0.readVarint() } } == .corrupt)
    }

    @Test func varintEndingEarlyIsTruncated() {
        #expect(code { _ = try reading([0x80, 0x80]) { try $0.readVarint() } } == .truncated)
        #expect(code { _ = try reading([]) { try $0.readVarint() } } == .truncated)
    }

    @Test func i32ValueWiderThan32BitsIsCorrupt() {
        let wide = written { $0.writeVarint(UInt64(UInt32.max) + 1) }
        #expect(code { _ = try reading(wide) { try $0.readZigZag32() } } == .corrupt)
    }

    @Test func doubleIsLittleEndian() throws {
        let bytes = written { $0.writeDouble(1.0) }
        #expect(bytes == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(try reading(bytes) { try $0.readDouble() } == 1.0)
        #expect(code { _ = try reading([0, 0, 0]) { try $0.readDouble() } } == .truncated)
    }

    // MARK: Field headers

    @Test func smallFieldIdDeltasUseTheShortForm() throws {
        let bytes = written { w in
            w.beginStruct()
            w.writeField(1, i32: 7)
            w.writeField(2, i32: -1)
            w.writeField(5, i64: 3)
            w.endStruct()
        }
        // ddddtttt: delta 1 / type 5 (i32), delta 1 / i32, delta 3 / type 6 (i64); then stop.
        #expect(bytes == [0x15, 14, 0x15, 1, 0x36, 6, 0x00])
        let ids = try reading(bytes) { r -> [Int16] in
            var last: Int16 = 0
            var ids: [Int16] = []
            while let field = try r.readFieldHeader(lastFieldId: &last) {
                ids.append(field.id)
                _ = try r.readZigZag64()
            }
            return ids
        }
        #expect(ids == [1, 2, 5])
    }

    @Test func fieldIdJumpsBeyondFifteenUseTheLongForm() throws {
        let bytes = written { w in
            w.beginStruct()
            w.writeField(1, i32: 0)
            w.writeField(20, i32: 0)  // delta 19: long form
            w.writeField(3, i32: 0)   // backwards: long form
            w.writeField(18, i32: 0)  // delta 15: short form
            w.endStruct()
        }
        #expect(bytes == [0x15, 0, 0x05, 40, 0, 0x05, 6, 0, 0xF5, 0, 0x00])
        let ids = try reading(bytes) { r -> [Int16] in
            var last: Int16 = 0
            var ids: [Int16] = []
            while let field = try r.readFieldHeader(lastFieldId: &last) {
                #expect(field.type == .i32)
                ids.append(field.id)
                _ = try r.readZigZag32()
            }
            return ids
        }
        #expect(ids == [1, 20, 3, 18])
    }

    @Test func boolFieldValueLivesInTheTypeNibble() throws {
        let bytes = written { w in
            w.beginStruct()
            w.writeField(1, bool: true)
            w.writeField(2, bool: false)
            w.endStruct()
        }
        #expect(bytes == [0x11, 0x12, 0x00])
        let values = try reading(bytes) { r -> [Bool] in
            var result: [Bool] = []
            try r.readStruct { r, field in result.append(try r.bool(field)) }
            return result
        }
        #expect(values == [true, false])
    }

    @Test func unknownFieldTypeNibbleIsCorrupt() {
        for nibble: UInt8 in [14, 15] {
            #expect(code { _ = try reading([0x10 | nibble, 0]) { r in
                var last: Int16 = 0
                return try r.readFieldHeader(lastFieldId: &last)
            } } == .corrupt)
        }
    }

    @Test func fieldOfTheWrongWireTypeIsCorrupt() {
        // Field 1 as binary where an i32 is expected.
        let bytes: [UInt8] = [0x18, 0x01, 0x41, 0x00]
        #expect(code { _ = try reading(bytes) { r in
            try r.readStruct { r, field in _ = try r.int32(field) }
        } } == .corrupt)
    }

    // MARK: Lists and binary

    @Test func listHeadersUseShortFormBelowFifteen() throws {
        let short = written { $0.writeListHeader(count: 14, elementType: .i32) }
        #expect(short == [0xE5])
        let long = written { $0.writeListHeader(count: 15, elementType: .binary) }
        #expect(long == [0xF8, 0x0F])
        let header = try reading(long + [UInt8](repeating: 0, count: 15)) { try $0.readListHeader() }
        #expect(header.count == 15)
        #expect(header.elementType == .binary)
    }

    @Test func listRoundTripsEveryElementKind() throws {
        let bytes = written { w in
            w.beginStruct()
            w.writeField(1, i64s: [0, -1, .max, .min])
            w.writeField(2, strings: ["a", "", "ünï"])
            w.writeField(3, bools: [true, false, true])
            w.writeField(4, binaries: [[1, 2], []])
            w.writeField(5, i32s: Array(0..<40))
            w.endStruct()
        }
        try reading(bytes) { r in
            try r.readStruct { r, field throws in
                switch field.id {
                case 1: #expect(try r.int64List(field) == [0, -1, .max, .min])
                case 2: #expect(try r.stringList(field) == ["a", "", "ünï"])
                case 3: #expect(try r.boolList(field) == [true, false, true])
                case 4: #expect(try r.binaryList(field) == [[1, 2], []])
                case 5: #expect(try r.int32List(field) == Array(0..<40))
                default: Issue.record("unexpected field \(field.id)")
                }
            }
            #expect(r.remaining == 0)
        }
    }

    @Test func boolListWithElementTypeOneIsAccepted() throws {
        // Some writers give bool list elements type 1 (BOOLEAN_TRUE) instead of 2.
        let bytes: [UInt8] = [0x19, 0x21, 0x01, 0x00, 0x00]
        let values = try reading(bytes) { r -> [Bool] in
            var result: [Bool] = []
            try r.readStruct { r, field in result = try r.boolList(field) }
            return result
        }
        #expect(values == [true, false])
    }

    @Test func hugeListCountInSmallBufferThrowsBeforeAllocating() {
        // Long-form list header: 2^31 - 1 struct elements, then 14 bytes of padding.
        var bytes: [UInt8] = [0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]
        bytes += [UInt8](repeating: 0, count: 20 - bytes.count)
        #expect(bytes.count == 20)
        #expect(code { _ = try reading(bytes) { try $0.readListHeader() } } == .truncated)
        // 2^31 does not fit a non-negative i32.
        var over: [UInt8] = [0xFC, 0x80, 0x80, 0x80, 0x80, 0x08]
        over += [UInt8](repeating: 0, count: 20 - over.count)
        #expect(code { _ = try reading(over) { try $0.readListHeader() } } == .corrupt)
        // The same through a typed struct list (the path that would reserve capacity).
        let field: [UInt8] = [0x19] + bytes.dropLast()
        #expect(code { _ = try reading(field) { r in
            try r.readStruct { r, f in _ = try r.structList(f, of: ParquetFormat.KeyValue.self) }
        } } == .truncated)
    }

    @Test func doubleListCountChecksEightBytesPerElement() {
        // 3 doubles need 24 bytes; only 16 follow.
        let bytes: [UInt8] = [0x37] + [UInt8](repeating: 0, count: 16)
        #expect(code { _ = try reading(bytes) { try $0.readListHeader() } } == .truncated)
    }

    @Test func binaryLengthBeyondTheBufferIsTruncated() {
        let bytes: [UInt8] = [0xE8, 0x07, 1, 2, 3]  // declares 1000 bytes
        #expect(code { _ = try reading(bytes) { try $0.readBinary() } } == .truncated)
        #expect(code { _ = try reading(bytes) { try $0.readString() } } == .truncated)
    }

    @Test func invalidUTF8IsRepairedNotFatal() throws {
        let text = try reading([0x03, 0x61, 0xFF, 0x62]) { try $0.readString() }
        #expect(text == "a\u{FFFD}b")
    }

    // MARK: Skipping

    @Test func skipPassesOverEveryTypeAndLandsOnTheNextField() throws {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.writeField(1, bool: true)
        writer.writeField(2, i8: -5)
        writer.writeField(3, i16: -300)
        writer.writeField(4, i32: 70000)
        writer.writeField(5, i64: .min)
        writer.writeField(6, double: 2.5)
        writer.writeField(7, string: "skip me")
        writer.writeField(8, bools: [true, false])
        writer.writeField(9, structs: [ParquetFormat.KeyValue(key: "k", value: "v")])
        writer.writeFieldHeader(10, .set)
        writer.writeListHeader(count: 1, elementType: .list)   // a set of lists of i64
        writer.writeListHeader(count: 2, elementType: .i64)
        writer.writeZigZag64(1)
        writer.writeZigZag64(2)
        writer.writeFieldHeader(11, .map)                      // map<string, double>, 2 entries
        writer.writeVarint(2)
        writer.bytes.append(0x87)
        for key in ["x", "y"] {
            writer.writeString(key)
            writer.writeDouble(1)
        }
        writer.writeFieldHeader(12, .map)                      // empty map
        writer.writeVarint(0)
        writer.writeFieldHeader(13, .uuid)
        writer.bytes += [UInt8](repeating: 0xAB, count: 16)
        writer.writeField(14, string: "kept")
        writer.endStruct()

        let kept = try reading(writer.bytes) { r -> String? in
            var kept: String?
            try r.readStruct { r, field in
                if field.id == 14 { kept = try r.string(field) } else { try r.skip(field.type) }
            }
            #expect(r.remaining == 0)
            return kept
        }
        #expect(kept == "kept")
    }

    @Test func mapWithImpossibleSizeIsTruncated() {
        // Field 1 map declaring 1000 entries of <i32, i32> in 3 bytes.
        let bytes: [UInt8] = [0x1B, 0xE8, 0x07, 0x55, 0x00, 0x00]
        #expect(code { _ = try reading(bytes) { r in
            try r.readStruct { r, f in try r.skip(f.type) }
        } } == .truncated)
    }

    @Test func nestingWithinTheDepthLimitIsSkipped() throws {
        let depth = ThriftCompactReader.maxDepth - 1  // plus the outer struct
        let bytes = [UInt8](repeating: 0x1C, count: depth) + [UInt8](repeating: 0x00, count: depth + 1)
        try reading(bytes) { r in
            try r.readStruct { r, f in try r.skip(f.type) }
            #expect(r.remaining == 0)
        }
    }

    @Test func structsNestedBeyondTheDepthLimitAreCorrupt() {
        // Field 1 of type struct, nested 10,000 times: would overflow the stack if followed.
        let depth = 10_000
        let bytes = [UInt8](repeating: 0x1C, count: depth) + [UInt8](repeating: 0x00, count: depth + 1)
        #expect(code { _ = try reading(bytes) { r in
            try r.readStruct { r, f in try r.skip(f.type) }
        } } == .corrupt)
        // Through the typed FileMetaData decoder as an unknown field.
        let footer = [0x0C as UInt8, 0xC8, 0x01] + bytes
        #expect(code { _ = try footer.withUnsafeBytes { try ParquetFormat.FileMetaData.decode($0) } } == .corrupt)
    }

    @Test func listsNestedBeyondTheDepthLimitAreCorrupt() {
        // A list with one element of type list, 10,000 levels deep.
        let bytes = [UInt8](repeating: 0x19, count: 10_000) + [0x00]
        #expect(code { _ = try reading([0x19] + bytes) { r in
            try r.readStruct { r, f in try r.skip(f.type) }
        } } == .corrupt)
    }
}
