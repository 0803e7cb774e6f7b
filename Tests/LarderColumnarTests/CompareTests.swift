import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct CompareTests {
    @Test(arguments: CompareOp.allCases)
    func matchesReferenceOnRandomBatches(op: CompareOp) throws {
        var rng = SplitMix64(seed: 51)
        for batch in randomBatches(count: 40, seed: 52) {
            for column in batch.columns {
                // Scalars: values from the column itself (so equality hits), fresh random values,
                // widened integer literals, null, and a few of the wrong type.
                var scalars: [Value] = [.null, .string("x"), .int64(0), .int32(-1), .float64(0.5), .float64(.nan)]
                for _ in 0 ..< 4 { scalars.append(RandomData.value(column.type, rng: &rng)) }
                if column.count > 0 { scalars.append(column[Int.random(in: 0 ..< column.count, using: &rng)]) }
                for scalar in scalars {
                    let expected = (0 ..< column.count).map { referenceHolds(op, column[$0], scalar, type: column.type) }
                    if expected.contains(where: { $0 == nil }) || referenceHolds(op, .null, scalar, type: column.type) == nil {
                        expectCode(.typeMismatch) { try column.compare(op, scalar) }
                    } else {
                        let mask = try column.compare(op, scalar)
                        #expect(mask.count == column.count)
                        #expect((0 ..< column.count).map { mask[$0] } == expected.map { $0 == true },
                                "\(column.type) \(op) \(scalar)")
                    }
                }
            }
        }
    }

    @Test func nullsAreNeverSelected() throws {
        let c = Column.int64([1, 0, 3], validity: Bitmap([true, false, true]))
        #expect(try c.compare(.notEqual, .int64(1)).setCount == 1)
        #expect(try c.compare(.equal, .int64(0)).setCount == 0)
        #expect(try c.compare(.equal, .null).setCount == 0)
        #expect(try c.compare(.notEqual, .null).setCount == 0)
    }

    @Test func integerLiteralsWiden() throws {
        let i32 = Column.int32([Int32.min, -1, 0, Int32.max])
        #expect(try i32.compare(.less, .int64(Int64(Int32.max) + 1)).setCount == 4)
        #expect(try i32.compare(.greater, .int64(Int64(Int32.min) - 1)).setCount == 4)
        #expect(try i32.compare(.equal, .int64(Int64(Int32.max) + 1)).setCount == 0)
        #expect(try i32.compare(.notEqual, .int64(1 << 40)).setCount == 4)
        #expect(try i32.compare(.greaterOrEqual, .int64(0)).setCount == 2)
        let ts = Column.timestamp([100, 200])
        #expect(try ts.compare(.greater, .int32(150)).setCount == 1)
        #expect(try ts.compare(.greater, .timestamp(150)).setCount == 1)
        let f = Column.float32([0.5, 1.5])
        #expect(try f.compare(.less, .int64(1)).setCount == 1)
        #expect(try f.compare(.equal, .float64(0.5)).setCount == 1)
    }

    @Test func floatsFollowIEEE() throws {
        let c = Column.float64([.nan, -0.0, 0.0, .infinity, -.infinity])
        #expect(try c.compare(.equal, .float64(0)).setCount == 2)
        #expect(try c.compare(.equal, .float64(.nan)).setCount == 0)
        #expect(try c.compare(.notEqual, .float64(.nan)).setCount == 5)
        #expect(try c.compare(.less, .float64(.infinity)).setCount == 3)
        #expect(try c.compare(.greaterOrEqual, .float64(-.infinity)).setCount == 4)
    }

    @Test func stringsCompareByBytes() throws {
        let c = Column.string(["", "a", "ab", "b", "é", "Z"])
        #expect(try c.compare(.less, .string("ab")).setCount == 3)      // "", "a", "Z"
        #expect(try c.compare(.greater, .string("b")).setCount == 1)    // "é" (0xC3...)
        #expect(try c.compare(.equal, .string("")).setCount == 1)
        #expect(try c.compare(.lessOrEqual, .string("")).setCount == 1)
    }

    @Test func typeMismatchThrows() {
        expectCode(.typeMismatch) { try Column.int64([1]).compare(.equal, .string("1")) }
        expectCode(.typeMismatch) { try Column.int64([1]).compare(.equal, .float64(1)) }
        expectCode(.typeMismatch) { try Column.string(["a"]).compare(.equal, .binary([97])) }
        expectCode(.typeMismatch) { try Column.int64([1]).compare(.equal, .timestamp(1)) }
        expectCode(.typeMismatch) { try Column.timestamp([1]).compare(.equal, .date(1)) }
        expectCode(.typeMismatch) { try Column.bool([true]).compare(.equal, .int32(1)) }
        var b = ColumnBuilder(type: .vector(dimension: 2))
        let v = b.finish()
        expectCode(.typeMismatch) { try v.compare(.less, .vector([1, 2])) }
        expectCode(.typeMismatch) { try v.compare(.equal, .vector([1])) }
    }

    @Test func opSymbols() {
        #expect(CompareOp(symbol: "<=") == .lessOrEqual)
        #expect(CompareOp(symbol: "=") == .equal)
        #expect(CompareOp(symbol: "<>") == .notEqual)
        #expect(CompareOp(symbol: "=>") == nil)
        #expect(CompareOp.allCases.allSatisfy { CompareOp(symbol: $0.description) == $0 })
    }

    @Test func nullMasks() {
        let c = Column.string(["a", nil, "b", nil])
        #expect((0 ..< 4).map { c.isNull()[$0] } == [false, true, false, true])
        #expect((0 ..< 4).map { c.isNotNull()[$0] } == [true, false, true, false])
        #expect(Column.int64([1, 2]).isNull().setCount == 0)
        #expect(Column.int64([1, 2]).isNotNull().setCount == 2)
    }
}

@Suite struct IsInTests {
    @Test func matchesReferenceOnRandomBatches() throws {
        var rng = SplitMix64(seed: 61)
        for batch in randomBatches(count: 40, seed: 62) {
            for column in batch.columns {
                var set: Set<Value> = [.null, .string("nope")]
                for _ in 0 ..< Int.random(in: 0 ... 20, using: &rng) {
                    if column.count > 0, Bool.random(using: &rng) {
                        set.insert(column[Int.random(in: 0 ..< column.count, using: &rng)])
                    } else {
                        set.insert(RandomData.value(column.type, rng: &rng))
                    }
                }
                let mask = column.isIn(set)
                let expected = (0 ..< column.count).map { i in
                    set.contains { referenceHolds(.equal, column[i], $0, type: column.type) == true }
                }
                #expect((0 ..< column.count).map { mask[$0] } == expected, "\(column.type)")
            }
        }
    }

    @Test func userIdsToForget() {
        let users = Column.int64([5, 17, 42, 17, 0], validity: Bitmap([true, true, true, true, false]))
        let mask = users.isIn([.int64(17), .int32(42), .int64(0), .string("x")])
        #expect((0 ..< 5).map { mask[$0] } == [false, true, true, true, false])
        #expect(users.isIn([]).setCount == 0)
    }

    @Test func floatEdgeValues() {
        let c = Column.float64([.nan, -0.0, 0.0, 1])
        let mask = c.isIn([.float64(.nan), .float64(0)])
        #expect((0 ..< 4).map { mask[$0] } == [false, true, true, false])
    }

    @Test func stringsManyCandidates() {
        let names = (0 ..< 500).map { "user-\($0)" }
        let c = Column.string(names + [nil, ""])
        let wanted = Set(stride(from: 0, to: 500, by: 7).map { Value.string("user-\($0)") } + [.string("")])
        let mask = c.isIn(wanted)
        #expect(mask.setCount == wanted.count)
        #expect(mask[7] && !mask[8] && !mask[500] && mask[501])
    }
}
