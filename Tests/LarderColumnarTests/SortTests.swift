import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct SortTests {
    @Test func matchesReferenceOnRandomBatches() throws {
        var rng = SplitMix64(seed: 81)
        for batch in randomBatches(count: 60, rows: 0 ... 300, seed: 82) {
            for _ in 0 ..< 3 {
                let keyCount = Int.random(in: 1 ... min(3, batch.columns.count), using: &rng)
                let keys = (0 ..< keyCount).map { _ in
                    (column: Int.random(in: 0 ..< batch.columns.count, using: &rng),
                     ascending: Bool.random(using: &rng), nullsFirst: Bool.random(using: &rng))
                }
                let sortKeys = keys.map { SortKey(column: $0.column, ascending: $0.ascending, nullsFirst: $0.nullsFirst) }
                let order = try batch.sortIndices(by: sortKeys)
                #expect(order == referenceSortIndices(batch, keys), "\(batch.schema) \(keys)")
                let sorted = try batch.sorted(by: sortKeys)
                #expect(try sorted.isSorted(by: sortKeys))
            }
        }
    }

    /// Low-cardinality keys with many ties, large enough for the radix path.
    @Test func radixPathWithTiesAndNulls() throws {
        var rng = SplitMix64(seed: 83)
        let n = 5000
        let key = Column.int64((0 ..< n).map { _ in Int64.random(in: -3 ... 3, using: &rng) },
                               validity: Bitmap((0 ..< n).map { _ in Int.random(in: 0 ..< 10, using: &rng) != 0 }))
        let ts = Column.timestamp((0 ..< n).map { _ in Int64.random(in: RandomData.timestampRange, using: &rng) })
        let f = Column.float32((0 ..< n).map { _ in [Float.nan, -0.0, 0.0, 1, -1, .infinity][Int.random(in: 0 ..< 6, using: &rng)] })
        let d = Column.int32((0 ..< n).map { _ in Int32.random(in: Int32.min ... Int32.max, using: &rng) })
        let flag = Column.bool((0 ..< n).map { _ in Bool.random(using: &rng) })
        let batch = try RecordBatch(["key": key, "ts": ts, "f": f, "d": d, "flag": flag])
        for keys in [
            [(0, true, false), (1, false, false)],
            [(2, true, true), (0, false, true)],
            [(4, false, false), (2, false, false), (3, true, false)],
            [(3, false, false)],
            [(2, true, false)],
        ] {
            let k = keys.map { (column: $0.0, ascending: $0.1, nullsFirst: $0.2) }
            let order = try batch.sortIndices(by: k.map { SortKey(column: $0.column, ascending: $0.ascending, nullsFirst: $0.nullsFirst) })
            #expect(order == referenceSortIndices(batch, k))
        }
    }

    /// Tie stretches long enough for the radix path at the second and third key, with nulls
    /// inside them and a string first key: the key-by-key recursion against the reference.
    @Test func longTieStretchesAtEveryLevel() throws {
        var rng = SplitMix64(seed: 84)
        let n = 20_000
        let entity = Column.int64((0 ..< n).map { _ in Int64.random(in: 0 ..< 40, using: &rng) })
        let day = Column.int64((0 ..< n).map { _ in Int64.random(in: 0 ..< 30, using: &rng) },
                               validity: Bitmap((0 ..< n).map { _ in Int.random(in: 0 ..< 7, using: &rng) != 0 }))
        let created = Column.timestamp((0 ..< n).map { _ in Int64.random(in: 0 ..< 4, using: &rng) })
        let name = Column.string((0 ..< n).map { _ in ["a", "b", "é", ""][Int.random(in: 0 ..< 4, using: &rng)] })
        let batch = try RecordBatch(["entity": entity, "day": day, "created": created, "name": name])
        for keys in [
            [(0, true, false), (1, true, true), (2, true, false)],
            [(0, false, false), (1, false, false), (2, true, true)],
            [(3, true, false), (0, true, false), (1, false, true)],
            [(1, true, false), (3, false, false), (2, false, false)],
        ] {
            let k = keys.map { (column: $0.0, ascending: $0.1, nullsFirst: $0.2) }
            let order = try batch.sortIndices(by: k.map { SortKey(column: $0.column, ascending: $0.ascending, nullsFirst: $0.nullsFirst) })
            #expect(order == referenceSortIndices(batch, k), "\(keys)")
        }
    }

    @Test func stableWithEqualKeys() throws {
        let batch = try RecordBatch(["k": Column.int64([2, 1, 2, 1, 2]), "tag": Column.string(["a", "b", "c", "d", "e"])])
        #expect(try batch.sortIndices(by: [SortKey("k")]) == [1, 3, 0, 2, 4])
        #expect(try batch.sortIndices(by: [SortKey("k", ascending: false)]) == [0, 2, 4, 1, 3])
        let strings = try RecordBatch(["s": Column.string(["x", "y", "x", "y"])])
        #expect(try strings.sortIndices(by: [SortKey("s", ascending: false)]) == [1, 3, 0, 2])
    }

    @Test func nanOrdering() throws {
        let batch = try RecordBatch(["f": Column.float64([.nan, 1, -.infinity, .infinity, -0.0, 0.0, -.nan])])
        #expect(try batch.sortIndices(by: [SortKey("f")]) == [2, 4, 5, 1, 3, 0, 6])
        #expect(try batch.sortIndices(by: [SortKey("f", ascending: false)]) == [0, 6, 3, 1, 4, 5, 2])
    }

    @Test func nullsFirstOrLast() throws {
        let c = Column.int64([3, 0, 1, 0], validity: Bitmap([true, false, true, false]))
        let batch = try RecordBatch(["c": c])
        #expect(try batch.sortIndices(by: [SortKey("c")]) == [2, 0, 1, 3])
        #expect(try batch.sortIndices(by: [SortKey("c", nullsFirst: true)]) == [1, 3, 2, 0])
        #expect(try batch.sortIndices(by: [SortKey("c", ascending: false)]) == [0, 2, 1, 3])
        #expect(try batch.sortIndices(by: [SortKey("c", ascending: false, nullsFirst: true)]) == [1, 3, 0, 2])
    }

    @Test func stringsSortByBytes() throws {
        let batch = try RecordBatch(["s": Column.string(["b", "", "é", "a", "ab", "Z", nil])])
        #expect(try batch.sorted(by: [SortKey("s")]).columns[0].values
            == ["", "Z", "a", "ab", "b", "é"].map(Value.string) + [.null])
    }

    @Test func boolsAndVectors() throws {
        var vb = ColumnBuilder(type: .vector(dimension: 2))
        for v: [Float] in [[1, 2], [1, 1], [0, 9], [1, .nan]] { try vb.append(vector: v) }
        let batch = try RecordBatch(["b": Column.bool([true, false, true, false]), "v": vb.finish()])
        #expect(try batch.sortIndices(by: [SortKey("b")]) == [1, 3, 0, 2])
        #expect(try batch.sortIndices(by: [SortKey("v")]) == [2, 1, 0, 3])
    }

    @Test func emptyAndSingleRow() throws {
        let empty = RecordBatch.empty(try Schema([Field("x", .int64)]))
        #expect(try empty.sortIndices(by: [SortKey("x")]) == [])
        #expect(try empty.isSorted(by: [SortKey("x")]))
        let one = try RecordBatch(["x": Column.int64([5])])
        #expect(try one.sortIndices(by: [SortKey("x")]) == [0])
        #expect(try one.sortIndices(by: []) == [0])
    }

    @Test func allNullKey() throws {
        let batch = try RecordBatch(["n": Column.int64([0, 0, 0], validity: Bitmap(count: 3, value: false)),
                                     "k": Column.int64([3, 1, 2])])
        #expect(try batch.sortIndices(by: [SortKey("n"), SortKey("k")]) == [1, 2, 0])
    }

    @Test func isSortedChecks() throws {
        let batch = try RecordBatch(["a": Column.int64([1, 1, 2]), "b": Column.int64([5, 3, 0])])
        #expect(try batch.isSorted(by: [SortKey("a")]))
        #expect(try !batch.isSorted(by: [SortKey("a"), SortKey("b")]))
        #expect(try batch.isSorted(by: [SortKey("a"), SortKey("b", ascending: false)]))
        #expect(try !batch.isSorted(by: [SortKey("b")]))
    }

    @Test func unknownColumnsThrow() throws {
        let batch = try RecordBatch(["a": Column.int64([1])])
        expectCode(.unknownColumn) { try batch.sortIndices(by: [SortKey("nope")]) }
        expectCode(.outOfRange) { try batch.sortIndices(by: [SortKey(column: 1)]) }
        expectCode(.outOfRange) { try batch.isSorted(by: [SortKey(column: -1)]) }
    }

    @Test func compareRowsHelper() {
        let c = Column.string(["b", nil, "a"])
        #expect(c.compareRows(0, 2) == 1)
        #expect(c.compareRows(2, 0) == -1)
        #expect(c.compareRows(0, 0) == 0)
        #expect(c.compareRows(1, 0) == 1)
        #expect(c.compareRows(1, 0, nullsFirst: true) == -1)
        #expect(c.compareRows(1, 1) == 0)
    }
}
