import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct RecordBatchKernelTests {
    @Test func filterByComparison() throws {
        let batch = try RecordBatch(["user": Column.int64([1, 2, 3, 4]), "name": Column.string(["a", "b", "c", "d"])])
        let kept = try batch.filter(~batch.columns[0].isIn([.int64(2), .int64(3)]))
        #expect(kept.rowCount == 2)
        #expect(kept.columns[1].values == [.string("a"), .string("d")])
        #expect(kept.schema == batch.schema)
    }

    @Test func takeWithSentinelMakesFieldsNullable() throws {
        let schema = try Schema([Field("id", .int64, nullable: false)])
        let batch = try RecordBatch(schema: schema, columns: [Column.int64([7, 8])])
        let taken = try batch.take([1, -1], nullFor: -1)
        #expect(taken.schema.fields[0].isNullable)
        #expect(taken.columns[0].values == [.int64(8), .null])
        let full = try batch.take([1, 0], nullFor: -1)
        #expect(!full.schema.fields[0].isNullable)
        // A sentinel that is also a row number still means null.
        #expect(try batch.take([0, 1], nullFor: 0).columns[0].values == [.null, .int64(8)])
    }

    @Test func slicePreservesSchema() throws {
        let batch = try RecordBatch(["a": Column.int64([1, 2, 3])])
        let s = batch.slice(1 ..< 10)
        #expect(s.rowCount == 2)
        #expect(s.schema == batch.schema)
        #expect(batch.slice(7 ..< 9).rowCount == 0)
    }

    @Test func appendingColumn() throws {
        let batch = try RecordBatch(["a": Column.int64([1, 2])])
        let wider = try batch.appending(column: Column.string(["x", nil]), field: Field("b", .string))
        #expect(wider.schema.names == ["a", "b"])
        #expect(wider.row(1) == [.int64(2), .null])
        expectCode(.invalidSchema) { try batch.appending(column: Column.int64([1, 2]), field: Field("a", .int64)) }
        expectCode(.lengthMismatch) { try batch.appending(column: Column.int64([1]), field: Field("c", .int64)) }
        expectCode(.typeMismatch) { try batch.appending(column: Column.int64([1, 2]), field: Field("c", .int32)) }
        expectCode(.typeMismatch) {
            try batch.appending(column: Column.string(["x", nil]), field: Field("c", .string, nullable: false))
        }
    }
}

@Suite struct RandomDataTests {
    @Test func sameSeedSameData() {
        var a = SplitMix64(seed: 99)
        var b = SplitMix64(seed: 99)
        let s1 = RandomData.schema(using: &a, maxColumns: 10)
        let s2 = RandomData.schema(using: &b, maxColumns: 10)
        #expect(s1 == s2)
        let b1 = RandomData.batch(schema: s1, rows: 50, rng: &a)
        let b2 = RandomData.batch(schema: s2, rows: 50, rng: &b)
        #expect(identical(b1, b2))
    }

    @Test func splitMixIsPinned() {
        var rng = SplitMix64(seed: 0)
        // Reference outputs of SplitMix64 seeded with 0.
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func respectsNullability() {
        var rng = SplitMix64(seed: 5)
        for _ in 0 ..< 30 {
            let schema = RandomData.schema(using: &rng, maxColumns: 12)
            let batch = RandomData.batch(schema: schema, rows: 40, rng: &rng, nullProbability: 0.5, allNullProbability: 0.3)
            for (field, column) in zip(schema.fields, batch.columns) {
                #expect(column.type == field.type)
                if !field.isNullable { #expect(column.nullCount == 0) }
            }
        }
    }

    @Test func coversEveryTypeAndEdgeValues() {
        var rng = SplitMix64(seed: 6)
        var seen = Set<String>()
        var dims = Set<Int>()
        for _ in 0 ..< 200 {
            let t = RandomData.type(using: &rng)
            if case .vector(let d) = t { dims.insert(d); seen.insert("vector") } else { seen.insert(t.description) }
        }
        #expect(seen.count == RandomData.scalarTypes.count + 1)
        #expect(dims.allSatisfy { (1 ... 32).contains($0) })
        let doubles = (0 ..< 2000).map { _ in RandomData.double(edge: true, rng: &rng) }
        #expect(doubles.contains { $0.isNaN })
        #expect(doubles.contains { $0 == 0 && $0.sign == .minus })
        let all = RandomData.column(.string, rows: 10, rng: &rng, allNull: true)
        #expect(all.nullCount == 10)
        let strings = RandomData.column(.string, rows: 3000, rng: &rng, nullProbability: 0)
        #expect(strings.values.contains { $0 == .string("") })
        #expect(strings.values.contains { if case .string(let s) = $0 { s.utf8.count > 1000 } else { false } })
        let ts = RandomData.column(.timestamp, rows: 500, rng: &rng, nullProbability: 0)
        #expect(ts.int64Values?.allSatisfy { RandomData.timestampRange.contains($0) } == true)
        #expect(ts.int64Values?.contains { $0 < 0 } == true)
    }
}
