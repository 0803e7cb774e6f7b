import LarderColumnar

/// What one scan of a batch computes: per column, every metric any expectation needs from it
/// (so each column is read once for all of them), then the multi-column checks.
struct ScanPlan: Sendable {
    struct ColumnPlan: Sendable {
        /// Position in the schema.
        var column: Int
        var field: Field
        var moments = false
        /// Squared deviations too (standard deviation).
        var deviations = false
        var values = false
        var counts = false
        /// Per-value predicates, with the expectation index each belongs to.
        var predicates: [(expectation: Int, predicate: ValuePredicate)] = []
    }

    enum MultiColumn: Sendable {
        case compoundUnique(expectation: Int, columns: [Int], ignore: MultiColumnIgnore)
        case pairGreater(expectation: Int, a: Int, b: Int, order: PairOrder, orEqual: Bool, ignore: PairIgnore)
    }

    var schema: Schema
    var columns: [ColumnPlan] = []
    /// The plan slot of each schema column that has one.
    var slot: [Int: Int] = [:]
    var multi: [MultiColumn] = []
    /// Expectation count of the suite (states hold one entry per expectation).
    var expectationCount: Int
    /// Indexes of the expectations that keep per-row metrics.
    var rowExpectations: Set<Int> = []

    /// Plans `expectations` (all of a suite, or the subset `only`).
    init(_ expectations: [CompiledExpectation], schema: Schema, only: Set<Int>? = nil) {
        self.schema = schema
        expectationCount = expectations.count
        for e in expectations where only?.contains(e.index) ?? true {
            switch e.check {
            case .table: break
            case .values(let column, let predicate):
                rowExpectations.insert(e.index)
                let s = slotFor(column)
                columns[s].predicates.append((e.index, predicate))
            case .aggregate(let column, let check):
                let s = slotFor(column)
                switch check {
                case .min, .max, .mean, .sum: columns[s].moments = true
                case .stdev: columns[s].moments = true; columns[s].deviations = true
                case .median, .quantiles:
                    // Count, min and max come with the scan, so selection starts from them.
                    columns[s].values = true
                    columns[s].moments = true
                case .uniqueValueCount, .uniqueProportion, .distinctValues, .mostCommonValue: columns[s].counts = true
                case .ofType: break
                }
            case .compoundUnique(let cols, let ignore):
                rowExpectations.insert(e.index)
                multi.append(.compoundUnique(expectation: e.index, columns: cols, ignore: ignore))
            case .pairGreater(let a, let b, let orEqual, let ignore):
                rowExpectations.insert(e.index)
                let order = PairOrder(schema.fields[a].type, schema.fields[b].type) ?? .doubles
                multi.append(.pairGreater(expectation: e.index, a: a, b: b, order: order, orEqual: orEqual, ignore: ignore))
            }
        }
    }

    private mutating func slotFor(_ column: Int) -> Int {
        if let s = slot[column] { return s }
        columns.append(ColumnPlan(column: column, field: schema.fields[column]))
        slot[column] = columns.count - 1
        return columns.count - 1
    }

    /// An empty state for this plan.
    func emptyState(fingerprint: UInt64, keepLimit: Int) -> ValidationState {
        let cols = columns.map { plan -> ColumnMetrics in
            var m = ColumnMetrics()
            if plan.moments { m.moments = Moments() }
            if plan.values { m.values = [] }
            if plan.counts { m.counts = plan.field.type == .string || plan.field.type == .binary ? .bytes(keys: [], counts: []) : .emptyFixed }
            return m
        }
        var exps = [ExpectationMetrics?](repeating: nil, count: expectationCount)
        for i in rowExpectations { exps[i] = ExpectationMetrics() }
        for plan in columns {
            for (i, p) in plan.predicates {
                switch p {
                case .unique: exps[i]?.keys = []
                case .monotonic(let inc, let strictly): exps[i]?.edge = OrderEdge(increasing: inc, strictly: strictly)
                default: break
                }
            }
        }
        for m in multi { if case .compoundUnique(let i, _, _) = m { exps[i]?.keys = [] } }
        return ValidationState(fingerprint: fingerprint, keepLimit: keepLimit, columns: cols, expectations: exps)
    }
}
