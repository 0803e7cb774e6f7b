import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct SliceTests {
    @Test func matchesReferenceOnRandomBatches() throws {
        var rng = SplitMix64(seed: 31)
        for batch in randomBatches(count: 40, seed: 32) {
            let n = batch.rowCount
            let a = Int.random(in: 0 ... n, using: &rng)
            let b = Int.random(in: a ... n, using: &rng)
            let sliced = batch.slice(a ..< b)
            #expect(sliced.rowCount == b - a)
            for (column, original) in zip(sliced.columns, batch.columns) {
                let expected = try LarderColumnarTests.column(original.type, Array(original.values[a ..< b]))
                #expect(identical(column, expected))
                #expect(wellFormed(column))
            }
        }
    }

    @Test func unalignedValidity() throws {
        let values: [String?] = (0 ..< 40).map { $0 % 3 == 0 ? nil : "v\($0)" }
        let c = Column.string(values)
        for start in 0 ..< 20 {
            let s = c.slice(start ..< start + 17)
            #expect(s.values == values[start ..< start + 17].map { $0.map(Value.string) ?? .null })
        }
    }

    @Test func rangeIsClamped() {
        let c = Column.int64([1, 2, 3])
        #expect(c.slice(2 ..< 10).int64Values == [3])
        #expect(c.slice(-5 ..< 1).int64Values == [1])
        #expect(c.slice(5 ..< 9).count == 0)
        #expect(c.slice(0 ..< 3) == c)
    }

    @Test func sliceWithoutNullsDropsValidity() {
        let c = Column.string(["a", nil, "b", "c"])
        #expect(c.slice(2 ..< 4).validity == nil)
        #expect(c.slice(1 ..< 2).nullCount == 1)
    }
}

@Suite struct ConcatTests {
    @Test func matchesReferenceOnRandomBatches() throws {
        var rng = SplitMix64(seed: 41)
        for batch in randomBatches(count: 40, seed: 42) {
            // Cut the batch into random pieces and glue them back together.
            var cuts = [0]
            while let last = cuts.last, last < batch.rowCount {
                cuts.append(min(batch.rowCount, last + Int.random(in: 0 ... 30, using: &rng)))
            }
            if cuts.count == 1 { cuts.append(0) }
            let pieces = zip(cuts, cuts.dropFirst()).map { batch.slice($0 ..< $1) }
            let glued = try RecordBatch.concatenate(pieces)
            #expect(identical(glued, batch))
            #expect(glued.columns.allSatisfy(wellFormed))
            // Also with pieces of different validity (some with, some without nulls).
            for k in batch.columns.indices {
                let doubled = try Column.concatenate([batch.columns[k], batch.columns[k].slice(0 ..< 5)])
                let expected = batch.columns[k].values + batch.columns[k].values.prefix(5)
                #expect(identical(doubled, try LarderColumnarTests.column(batch.columns[k].type, Array(expected))))
            }
        }
    }

    @Test func mixedValidityAtOddOffsets() throws {
        let a = Column.int64([1, 2, 3])
        let b = Column.int64([4, 5], validity: Bitmap([false, true]))
        let c = Column.int64([6, 7, 8, 9, 10, 11, 12, 13, 14])
        let joined = try Column.concatenate([a, b, c, b])
        #expect(joined.values == [1, 2, 3].map(Value.int64) + [.null, .int64(5)] + (6 ... 14).map { Value.int64(Int64($0)) } + [.null, .int64(5)])
        #expect(wellFormed(joined))
    }

    @Test func stringOffsetsAreRebased() throws {
        let joined = try Column.concatenate([Column.string(["ab", "", "c"]), Column.string([]), Column.string(["déf"])])
        #expect(joined.values == [.string("ab"), .string(""), .string("c"), .string("déf")])
        #expect(wellFormed(joined))
    }

    @Test func typeMismatchThrows() {
        expectCode(.typeMismatch) { try Column.concatenate([Column.int64([1]), Column.int32([1])]) }
        expectCode(.typeMismatch) { try Column.concatenate([Column.int64([1]), Column.timestamp([1])]) }
        var b3 = ColumnBuilder(type: .vector(dimension: 3))
        var b2 = ColumnBuilder(type: .vector(dimension: 2))
        expectCode(.typeMismatch) { try Column.concatenate([b3.finish(), b2.finish()]) }
        expectCode(.lengthMismatch) { try Column.concatenate([]) }
    }

    @Test func batchSchemasMustAgree() throws {
        let a = try RecordBatch(["x": Column.int64([1]), "y": Column.string(["a"])])
        let renamed = try RecordBatch(["x": Column.int64([1]), "z": Column.string(["a"])])
        let retyped = try RecordBatch(["x": Column.int32([1]), "y": Column.string(["a"])])
        let fewer = try RecordBatch(["x": Column.int64([1])])
        expectCode(.typeMismatch) { try RecordBatch.concatenate([a, renamed]) }
        expectCode(.typeMismatch) { try RecordBatch.concatenate([a, retyped]) }
        expectCode(.typeMismatch) { try RecordBatch.concatenate([a, fewer]) }
        expectCode(.lengthMismatch) { try RecordBatch.concatenate([]) }
        #expect(try RecordBatch.concatenate([a, a]).rowCount == 2)
    }

    @Test func nullabilityIsWidened() throws {
        let strict = try RecordBatch(schema: Schema([Field("x", .int64, nullable: false)]), columns: [.int64([1])])
        let loose = try RecordBatch(schema: Schema([Field("x", .int64, nullable: true)]),
                                    columns: [.int64([0], validity: Bitmap([false]))])
        let joined = try RecordBatch.concatenate([strict, loose])
        #expect(joined.schema.fields[0].isNullable)
        #expect(joined.columns[0].values == [.int64(1), .null])
    }
}
