import LarderColumnar
import LarderTestSupport
import Testing

/// `Column.gather` picks rows out of several sources; it must equal concatenate-then-take.
@Suite struct GatherTests {
    @Test func matchesConcatenateThenTake() throws {
        var rng = SplitMix64(seed: 21)
        let batches = randomBatches(count: 30, rows: 0 ... 60, seed: 22)
        // Sources: consecutive batches of the same schema split into up to four pieces.
        for batch in batches {
            var cuts = [0]
            for _ in 0 ..< Int.random(in: 0 ... 3, using: &rng) { cuts.append(Int.random(in: 0 ... batch.rowCount, using: &rng)) }
            cuts.append(batch.rowCount)
            cuts.sort()
            let pieces = zip(cuts, cuts.dropFirst()).map { batch.slice($0 ..< $1) }
            var pieceOf: [Int32] = [], rowOf: [Int32] = [], flat: [Int] = []
            for _ in 0 ..< 120 {
                let p = Int.random(in: -1 ..< pieces.count, using: &rng)
                guard p >= 0, pieces[p].rowCount > 0 else { pieceOf.append(-1); rowOf.append(0); flat.append(-1); continue }
                let r = Int.random(in: 0 ..< pieces[p].rowCount, using: &rng)
                pieceOf.append(Int32(p)); rowOf.append(Int32(r)); flat.append(cuts[p] + r)
            }
            for c in batch.columns.indices {
                let gathered = try Column.gather(pieces.map { $0.columns[c] }, pieces: pieceOf, rows: rowOf)
                let expected = try batch.columns[c].take(flat, nullFor: -1)
                #expect(identical(gathered, expected), "column \(c) of \(batch.schema)")
                #expect(wellFormed(gathered))
            }
        }
    }

    @Test func refusesBadInput() throws {
        let a = Column.int64([1, 2]), b = Column.int64([3])
        #expect(try Column.gather([a, b], pieces: [1, -1, 0], rows: [0, 0, 1]).values == [.int64(3), .null, .int64(2)])
        #expect(throws: ColumnarError.self) { try Column.gather([], pieces: [], rows: []) }
        #expect(throws: ColumnarError.self) { try Column.gather([a, .float64([1])], pieces: [0], rows: [0]) }
        #expect(throws: ColumnarError.self) { try Column.gather([a, b], pieces: [1], rows: [1]) }
        #expect(throws: ColumnarError.self) { try Column.gather([a, b], pieces: [2], rows: [0]) }
        #expect(throws: ColumnarError.self) { try Column.gather([a], pieces: [0, 0], rows: [0]) }
    }
}
