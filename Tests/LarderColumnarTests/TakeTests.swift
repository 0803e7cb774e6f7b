import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct TakeTests {
    @Test func matchesReferenceOnRandomBatches() throws {
        var rng = SplitMix64(seed: 7)
        for batch in randomBatches(count: 40, seed: 11) {
            let n = batch.rowCount
            let count = Int.random(in: 0 ... 2 * n + 1, using: &rng)
            let indices = n == 0 ? [] : (0 ..< count).map { _ in Int.random(in: 0 ..< n, using: &rng) }
            let taken = try batch.take(indices)
            #expect(taken.rowCount == indices.count)
            #expect(taken.schema == batch.schema)
            for (column, original) in zip(taken.columns, batch.columns) {
                let expected = try LarderColumnarTests.column(original.type, indices.map { original[$0] })
                #expect(identical(column, expected))
                #expect(wellFormed(column))
            }
        }
    }

    @Test func sentinelYieldsNulls() throws {
        var rng = SplitMix64(seed: 8)
        for batch in randomBatches(count: 40, rows: 1 ... 80, seed: 12) {
            let n = batch.rowCount
            let indices = (0 ..< 100).map { _ in Bool.random(using: &rng) ? -1 : Int.random(in: 0 ..< n, using: &rng) }
            let taken = try batch.take(indices, nullFor: -1)
            for (k, field) in taken.schema.fields.enumerated() {
                let original = batch.columns[k]
                let expected = try LarderColumnarTests.column(original.type, indices.map { $0 < 0 ? .null : original[$0] })
                #expect(identical(taken.columns[k], expected))
                #expect(wellFormed(taken.columns[k]))
                if taken.columns[k].nullCount > 0 { #expect(field.isNullable) }
            }
        }
    }

    @Test func sentinelThatIsAValidIndex() throws {
        let c = Column.int64([10, 20, 30])
        let taken = try c.take([0, 1, 2, 0], nullFor: 0)
        #expect(taken.values == [.null, .int64(20), .int64(30), .null])
    }

    @Test func optionalIndices() throws {
        let c = Column.string(["a", nil, "ccc"])
        let taken = try c.take([2, nil, 1, 0] as [Int?])
        #expect(taken.values == [.string("ccc"), .null, .null, .string("a")])
        #expect(wellFormed(taken))
    }

    @Test func emptyIndices() throws {
        let c = Column.string(["a", "b"])
        let taken = try c.take([])
        #expect(taken.count == 0)
        #expect(taken.type == .string)
        #expect(wellFormed(taken))
        #expect(try Column.int64([]).take([]).count == 0)
    }

    @Test func allSentinelsGiveAnAllNullColumn() throws {
        let c = Column.float64([1.5])
        let taken = try c.take([-1, -1, -1], nullFor: -1)
        #expect(taken.nullCount == 3)
        #expect(wellFormed(taken))
        // Taking from an empty column with only sentinels is fine too.
        #expect(try Column.int64([]).take([-1], nullFor: -1).values == [.null])
    }

    @Test func vectorsAndBools() throws {
        var b = ColumnBuilder(type: .vector(dimension: 2))
        try b.append(vector: [1, 2])
        b.appendNull()
        try b.append(vector: [5, 6])
        let v = b.finish()
        #expect(try v.take([2, 1, 0, -1], nullFor: -1).values == [.vector([5, 6]), .null, .vector([1, 2]), .null])
        #expect(try Column.bool([true, false]).take([1, 1, 0]).values == [.bool(false), .bool(false), .bool(true)])
    }

    @Test func outOfRangeIndexThrows() throws {
        let c = Column.int64([1, 2, 3])
        expectCode(.outOfRange) { try c.take([0, 3]) }
        expectCode(.outOfRange) { try c.take([-1]) }
        expectCode(.outOfRange) { try c.take([Int.min]) }
        expectCode(.outOfRange) { try c.take([0, -2], nullFor: -1) }
        expectCode(.outOfRange) { try c.take([5] as [Int?]) }
        expectCode(.outOfRange) { try Column.int64([]).take([0]) }
        let batch = try RecordBatch(["a": c])
        expectCode(.outOfRange) { try batch.take([3]) }
        expectCode(.outOfRange) { try batch.take([4, -1], nullFor: -1) }
    }
}
