import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct SchemaTests {
    @Test func duplicateNamesAreRejected() {
        expectCode(.invalidSchema) {
            try Schema([Field("a", .int64), Field("b", .string), Field("a", .float64)])
        }
        let error = #expect(throws: ColumnarError.self) { try Schema([Field("x", .int64), Field("x", .int64)]) }
        #expect(error?.column == "x")
    }

    @Test func nonPositiveVectorDimensionIsRejected() {
        expectCode(.invalidSchema) { try Schema([Field("v", .vector(dimension: 0))]) }
        expectCode(.invalidSchema) { try Schema([Field("v", .vector(dimension: -3))]) }
    }

    @Test func lookupByName() throws {
        let schema = try Schema([Field("id", .int64, nullable: false), Field("name", .string)])
        #expect(schema.index(of: "name") == 1)
        #expect(schema.index(of: "missing") == nil)
        #expect(schema.field(named: "id")?.isNullable == false)
        #expect(schema.names == ["id", "name"])
        #expect(schema.description == "(id: int64, name: string?)")
    }
}

@Suite struct ColumnValidationTests {
    @Test func storageMustFitType() {
        expectCode(.typeMismatch) { try Column(type: .int64, storage: .int32([1])) }
        #expect(throws: ColumnarError.self) { try Column(type: .string, storage: .int64([1])) }
        #expect(throws: ColumnarError.self) { try Column(type: .timestamp, storage: .int32([1])) }
        #expect(throws: ColumnarError.self) { try Column(type: .vector(dimension: 2), storage: .vector(dimension: 3, values: [1, 2, 3])) }
        #expect(throws: ColumnarError.self) { try Column(type: .vector(dimension: 2), storage: .vector(dimension: 2, values: [1, 2, 3])) }
        #expect((try? Column(type: .date, storage: .int32([1]))) != nil)
        #expect((try? Column(type: .binary, storage: .bytes(offsets: [0, 2], data: [0, 0]))) != nil)
    }

    @Test func badOffsetsAreRejected() {
        // Must start at zero.
        #expect(throws: ColumnarError.self) { try Column(type: .string, storage: .bytes(offsets: [1, 2], data: [65, 66])) }
        // Must not decrease.
        #expect(throws: ColumnarError.self) { try Column(type: .string, storage: .bytes(offsets: [0, 2, 1, 2], data: [65, 66])) }
        // Must end at the data length.
        #expect(throws: ColumnarError.self) { try Column(type: .binary, storage: .bytes(offsets: [0, 1], data: [65, 66])) }
        // Must not be empty.
        #expect(throws: ColumnarError.self) { try Column(type: .binary, storage: .bytes(offsets: [], data: [])) }
    }

    @Test func validityLengthMustMatch() {
        expectCode(.lengthMismatch) {
            try Column(type: .int64, storage: .int64([1, 2, 3]), validity: Bitmap(count: 2, value: true))
        }
    }

    @Test func allSetValidityIsDropped() throws {
        let c = try Column(type: .int64, storage: .int64([1, 2]), validity: Bitmap(count: 2, value: true))
        #expect(c.validity == nil)
        #expect(c.nullCount == 0)
    }

    @Test func valuesReadBackWithNulls() throws {
        let c = try Column(type: .string, storage: .bytes(offsets: [0, 2, 2, 5], data: Array("hiyou".utf8)),
                           validity: Bitmap([true, false, true]))
        #expect(c.count == 3)
        #expect(c.nullCount == 1)
        #expect(c.values == [.string("hi"), .null, .string("you")])
    }
}

@Suite struct ColumnBuilderTests {
    @Test(arguments: RandomData.scalarTypes + [.vector(dimension: 3)])
    func buildsEveryType(type: DataType) throws {
        var rng = SplitMix64(seed: 42)
        var values: [Value] = []
        for i in 0 ..< 50 {
            values.append(i % 7 == 3 ? .null : RandomData.value(type, rng: &rng))
        }
        let c = try column(type, values)
        #expect(c.type == type)
        #expect(c.count == 50)
        #expect(c.nullCount == values.filter(\.isNull).count)
        #expect(zip(c.values, values).allSatisfy { identical($0, $1) })
        #expect(wellFormed(c))
    }

    @Test func wrongValueTypeThrows() {
        var b = ColumnBuilder(type: .int64)
        expectCode(.typeMismatch) { try b.append(.string("x")) }
        #expect(throws: ColumnarError.self) { try b.append(.int32(1)) }
        var v = ColumnBuilder(type: .vector(dimension: 2))
        expectCode(.lengthMismatch) { try v.append(vector: [1, 2, 3]) }
    }

    @Test func noNullsMeansNoValidity() throws {
        let c = try column(.float64, [.float64(1), .float64(2)])
        #expect(c.validity == nil)
    }

    @Test func finishResetsTheBuilder() {
        var b = ColumnBuilder(type: .int32)
        b.append(int32: 1)
        _ = b.finish()
        #expect(b.count == 0)
        #expect(b.finish().count == 0)
    }
}

@Suite struct BitmapTests {
    @Test func initAndCount() {
        let ones = Bitmap(count: 13, value: true)
        #expect(ones.bytes == [0xFF, 0x1F])
        #expect(ones.setCount == 13)
        #expect(ones.allSet)
        let zeros = Bitmap(count: 13, value: false)
        #expect(zeros.setCount == 0)
        #expect(Bitmap(count: 0, value: true).allSet)
    }

    @Test func bitsAreLeastSignificantFirst() {
        let b = Bitmap([true, false, false, true, false, false, false, false, true])
        #expect(b.bytes == [0b0000_1001, 0b1])
        #expect(b[3] && !b[2] && b[8])
    }

    @Test func extraBitsAreCleared() {
        let b = Bitmap(bytes: [0xFF, 0xFF, 0xFF], count: 10)
        #expect(b.bytes == [0xFF, 0x03])
        #expect(b.setCount == 10)
    }

    @Test func setAndClear() {
        var b = Bitmap(count: 20, value: false)
        b[17] = true
        b[3] = true
        b[3] = false
        #expect(b.setCount == 1)
        #expect(b[17])
    }

    @Test func logicalOperators() {
        let a = Bitmap([true, true, false, false, true, false, true, true, true, false])
        let b = Bitmap([true, false, true, false, true, true, false, true, false, false])
        #expect(Array(0 ..< 10).map { (a & b)[$0] } == (0 ..< 10).map { a[$0] && b[$0] })
        #expect(Array(0 ..< 10).map { (a | b)[$0] } == (0 ..< 10).map { a[$0] || b[$0] })
        let notA = ~a
        #expect(Array(0 ..< 10).map { notA[$0] } == (0 ..< 10).map { !a[$0] })
        #expect(notA.setCount == 10 - a.setCount)   // bits past count stay clear
    }
}
