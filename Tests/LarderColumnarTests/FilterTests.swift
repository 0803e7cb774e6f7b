import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct FilterTests {
    @Test(arguments: [0.0, 0.1, 0.5, 0.9, 1.0])
    func matchesReferenceOnRandomBatches(density: Double) throws {
        var rng = SplitMix64(seed: 21)
        for batch in randomBatches(count: 30, seed: 22) {
            // Masks with long runs as well as scattered bits.
            var bools: [Bool] = []
            while bools.count < batch.rowCount {
                let run = Int.random(in: 1 ... 20, using: &rng)
                let bit = Double.random(in: 0 ..< 1, using: &rng) < density
                let scattered = Bool.random(using: &rng)
                for _ in 0 ..< run where bools.count < batch.rowCount {
                    bools.append(scattered ? Double.random(in: 0 ..< 1, using: &rng) < density : bit)
                }
            }
            let filtered = try batch.filter(bools)
            let viaBitmap = try batch.filter(Bitmap(bools))
            #expect(identical(filtered, viaBitmap))
            #expect(filtered.rowCount == bools.filter { $0 }.count)
            for (column, original) in zip(filtered.columns, batch.columns) {
                let kept = (0 ..< original.count).filter { bools[$0] }.map { original[$0] }
                #expect(identical(column, try LarderColumnarTests.column(original.type, kept)))
                #expect(wellFormed(column))
            }
        }
    }

    @Test func runsAcrossByteBoundaries() throws {
        let c = Column.int64((0 ..< 100).map(Int64.init))
        for start in [0, 1, 7, 8, 9, 63, 64] {
            for length in [0, 1, 7, 8, 9, 17, 36] where start + length <= 100 {
                var mask = Bitmap(count: 100, value: false)
                for i in start ..< start + length { mask[i] = true }
                let filtered = try c.filter(mask)
                #expect(filtered.int64Values == (start ..< start + length).map(Int64.init))
            }
        }
    }

    @Test func keepsNullsOfKeptRows() throws {
        let c = Column.string(["a", nil, "c", nil, "e"])
        let filtered = try c.filter([false, true, true, false, true])
        #expect(filtered.values == [.null, .string("c"), .string("e")])
        let noNulls = try c.filter([true, false, true, false, false])
        #expect(noNulls.validity == nil)
    }

    @Test func allAndNothing() throws {
        let c = Column.float64([1, .nan, 3])
        #expect(try c.filter(Bitmap(count: 3, value: true)) == c)
        let none = try c.filter(Bitmap(count: 3, value: false))
        #expect(none.count == 0)
        #expect(wellFormed(none))
        #expect(try Column.string([]).filter([]).count == 0)
    }

    @Test func lengthMismatchThrows() throws {
        let c = Column.int64([1, 2, 3])
        expectCode(.lengthMismatch) { try c.filter([true]) }
        expectCode(.lengthMismatch) { try c.filter(Bitmap(count: 4, value: true)) }
        let batch = try RecordBatch(["a": c])
        expectCode(.lengthMismatch) { try batch.filter([true, false]) }
    }
}
