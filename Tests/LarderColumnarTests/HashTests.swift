import LarderColumnar
import LarderTestSupport
import Testing

@Suite struct HashTests {
    @Test func equalRowsHashEqualWhereverTheyAre() throws {
        var rng = SplitMix64(seed: 71)
        for batch in randomBatches(count: 40, seed: 72) {
            let all = Array(batch.columns.indices)
            let hashes = batch.hashRows(columns: all)
            // Rows moved to other positions (and into another batch) keep their hashes.
            let order = Array(0 ..< batch.rowCount).shuffled(using: &rng)
            let moved = try batch.take(order)
            #expect(moved.hashRows(columns: all) == order.map { hashes[$0] })
            let twice = try RecordBatch.concatenate([batch, batch])
            #expect(twice.hashRows(columns: all) == hashes + hashes)
            // The per-column hash equals the one-column batch hash.
            for k in all {
                #expect(batch.columns[k].hashRows(seed: 9) == batch.hashRows(columns: [k], seed: 9))
            }
        }
    }

    @Test func rowsWithEqualValuesHashEqual() throws {
        for batch in randomBatches(count: 30, rows: 0 ... 300, seed: 73) {
            let all = Array(batch.columns.indices)
            let hashes = batch.hashRows(columns: all)
            // Any two rows equal under the sort order must share a hash.
            for i in 0 ..< batch.rowCount {
                for j in (i + 1) ..< min(batch.rowCount, i + 8) where rowsEqual(batch, i, j) {
                    #expect(hashes[i] == hashes[j])
                }
            }
        }
    }

    private func rowsEqual(_ batch: RecordBatch, _ i: Int, _ j: Int) -> Bool {
        batch.columns.allSatisfy { $0.compareRows(i, j) == 0 }
    }

    @Test func distinctValuesRarelyCollide() {
        let ints = Column.int64((0 ..< 100_000).map { Int64($0) * 3 })
        #expect(Set(ints.hashRows()).count == 100_000)
        let strings = Column.string((0 ..< 20_000).map { "key-\($0)" })
        #expect(Set(strings.hashRows()).count == 20_000)
        let pairs = try? RecordBatch(["a": Column.int64([1, 2]), "b": Column.int64([2, 1])])
        let h = pairs?.hashRows(columns: [0, 1]) ?? []
        #expect(h.count == 2 && h[0] != h[1])   // order of values within a row matters
    }

    @Test func normalizedFloatsAndNulls() {
        let f = Column.float64([0.0, -0.0, .nan, -.nan, Double(bitPattern: 0x7FF0_0000_0000_0001)])
        let h = f.hashRows()
        #expect(h[0] == h[1])
        #expect(h[2] == h[3] && h[3] == h[4])
        #expect(h[0] != h[2])
        let f32 = Column.float32([0.5, .nan])
        #expect(f32.hashRows() == Column.float64([0.5, .nan]).hashRows())
        // Integer widths and logical types hash alike.
        #expect(Column.int32([-5, 7]).hashRows() == Column.int64([-5, 7]).hashRows())
        #expect(Column.timestamp([-5, 7]).hashRows() == Column.int64([-5, 7]).hashRows())
        // Nulls hash the same whatever the type and the hidden value.
        let nullInt = Column.int64([3], validity: Bitmap([false]))
        let nullString = Column.string([nil])
        #expect(nullInt.hashRows() == nullString.hashRows())
        #expect(nullInt.hashRows() != Column.int64([3]).hashRows())
    }

    @Test func seedChangesHashes() {
        let c = Column.string(["a", "b"])
        #expect(c.hashRows(seed: 1) != c.hashRows(seed: 2))
    }

    @Test func bytesOfEveryLength() {
        // Every length from 0 to 80 exercises the short, 8/4-byte and 16-byte-block paths.
        let strings = (0 ... 80).map { String(repeating: "q", count: $0) }
        let hashes = Column.string(strings).hashRows()
        #expect(Set(hashes).count == strings.count)
        // A change in any single byte changes the hash.
        let base = Array(repeating: UInt8(7), count: 40)
        var variants: [[UInt8]] = [base]
        for i in 0 ..< 40 { var v = base; v[i] = 8; variants.append(v) }
        var b = ColumnBuilder(type: .binary)
        for v in variants { b.append(bytes: v) }
        #expect(Set(b.finish().hashRows()).count == variants.count)
    }

    /// Pinned values: hashes must not change between runs, platforms or releases, because
    /// they may be persisted (partitioning) or compared across processes.
    @Test func hashesAreStable() throws {
        let batch = try RecordBatch([
            "i": Column.int64([0, 1, -1]),
            "s": Column.string(["", "hello", nil]),
        ])
        #expect(batch.hashRows(columns: [0, 1]) == pinnedHashes)
    }
}

let pinnedHashes: [UInt64] = [7_949_274_647_917_749_180, 12_034_065_323_810_716_006, 9_021_348_813_812_471_608]
