import LarderColumnar

extension SuiteValidator {
    /// For the quarantine gate: per input batch, the rows failing any of `expectations`
    /// (suite positions of row-scope expectations; others are ignored), in row order, each
    /// with the positions of the expectations it fails.
    ///
    /// A row fails an expectation when GE would list it as unexpected, whatever `mostly`
    /// says about the expectation as a whole. Uniqueness is judged across all batches
    /// together (every occurrence of a repeated key fails), and increasing / decreasing across
    /// batch boundaries. A batch whose schema differs from the compiled one gets no rows.
    public func failingRows(_ batches: [RecordBatch], expectations: Set<Int>, threads: Int? = nil) -> [[RowFailure]] {
        let wanted = expectations.filter { $0 >= 0 && $0 < compiled.count && compiled[$0].kind.scope == .row }
        var output = [[RowFailure]](repeating: [], count: batches.count)
        guard !wanted.isEmpty else { return output }
        let threads = max(1, threads ?? ValidationOptions().threads)
        let subset = ScanPlan(compiled, schema: schema, only: wanted)
        let state = scan(batches, plan: subset, keepLimit: Int.max, keepValues: false, threads: threads)

        // Global row -> (batch, row): scanned batches in order.
        var starts: [(start: Int, batch: Int)] = []
        var running = 0
        for (b, batch) in batches.enumerated() where schemaProblem(batch.schema) == nil {
            starts.append((running, b))
            running += batch.rowCount
        }
        var failures: [Int: [Int]] = [:]   // global row -> expectations
        for e in wanted.sorted() {
            guard let m = state.expectations[e] else { continue }
            let rows: [Int]
            switch compiled[e].check {
            case .values(_, .unique):
                rows = DuplicateFinder(chunks: m.keys ?? [], ignore: .allValuesAreMissing, threads: threads).duplicatedRows() ?? []
            case .compoundUnique(_, let ignore):
                rows = DuplicateFinder(chunks: m.keys ?? [], ignore: ignore, threads: threads).duplicatedRows() ?? []
            default:
                rows = m.kept.map(\.row)
            }
            for r in rows { failures[r, default: []].append(e) }
        }
        for row in failures.keys.sorted() {
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid].start <= row { lo = mid } else { hi = mid - 1 }
            }
            guard lo < starts.count else { continue }
            let (start, batch) = starts[lo]
            output[batch].append(RowFailure(row: row - start, expectations: failures[row] ?? []))
        }
        return output
    }
}
