import LarderColumnar

/// One scan task: rows `range` of one batch, every planned metric computed in one visit per
/// column. The state's rows are numbered from the start of `range`.
struct TaskScan {
    let plan: ScanPlan
    let keepLimit: Int
    /// Whether kept rows carry their values (not needed by the quarantine gate).
    let keepValues: Bool
    var state: ValidationState

    init(plan: ScanPlan, fingerprint: UInt64, keepLimit: Int, keepValues: Bool) {
        self.plan = plan
        self.keepLimit = keepLimit
        self.keepValues = keepValues
        state = plan.emptyState(fingerprint: fingerprint, keepLimit: keepLimit)
    }

    /// Scans `range` of `batch`, whose schema must match the plan's.
    mutating func run(_ batch: RecordBatch, _ range: Range<Int>) {
        state.rowCount = range.count
        for (slot, columnPlan) in plan.columns.enumerated() {
            let column = batch.columns[columnPlan.column]
            var metrics = state.columns[slot]
            scanColumn(column, range, columnPlan, &metrics)
            state.columns[slot] = metrics
        }
        for m in plan.multi {
            switch m {
            case .compoundUnique(let e, let cols, let ignore):
                scanCompound(e, cols.map { batch.columns[$0] }, ignore, range)
            case .pairGreater(let e, let a, let b, let order, let orEqual, let ignore):
                scanPair(e, batch.columns[a], batch.columns[b], order, orEqual, ignore, range)
            }
        }
    }

    private mutating func scanColumn(_ column: Column, _ range: Range<Int>, _ p: ScanPlan.ColumnPlan, _ m: inout ColumnMetrics) {
        let validityBytes = column.validity?.bytes
        func withBits<R>(_ body: (ValidityBits) -> R) -> R {
            guard let validityBytes else { return body(ValidityBits(bytes: nil)) }
            return validityBytes.withUnsafeBufferPointer { body(ValidityBits(bytes: $0.baseAddress)) }
        }
        switch column.storage {
        case .int32(let v): v.withUnsafeBufferPointer { buf in withBits { scanNumeric(buf, $0, column, range, p, &m) } }
        case .int64(let v): v.withUnsafeBufferPointer { buf in withBits { scanNumeric(buf, $0, column, range, p, &m) } }
        case .float32(let v): v.withUnsafeBufferPointer { buf in withBits { scanNumeric(buf, $0, column, range, p, &m) } }
        case .float64(let v): v.withUnsafeBufferPointer { buf in withBits { scanNumeric(buf, $0, column, range, p, &m) } }
        case .bool(let v): v.withUnsafeBufferPointer { buf in withBits { scanBool(buf, $0, column, range, p, &m) } }
        case .bytes(let offsets, let data):
            offsets.withUnsafeBufferPointer { off in
                data.withUnsafeBytes { bytes in withBits { scanBytes(off, bytes, $0, column, range, p, &m) } }
            }
        case .vector(let d, _): withBits { scanVector(d, $0, column, range, p, &m) }
        }
    }

    // MARK: Shared pieces

    /// Records an expectation's counts and kept rows (rows are column indexes; stored
    /// relative to the range start).
    mutating func record(_ e: Int, considered: Int, _ u: UnexpectedRows, _ column: Column, _ range: Range<Int>) {
        state.expectations[e]?.considered += considered
        state.expectations[e]?.unexpected += u.count
        let kept = u.rows.map { keptRow($0, column, range) }
        state.expectations[e]?.kept += kept
    }

    func keptRow(_ i: Int, _ column: Column, _ range: Range<Int>) -> KeptRow {
        KeptRow(row: i - range.lowerBound, value: keepValues ? ValueJSON.value(column, i) : .null)
    }

    /// Not null / null from a presence test: nulls are the unexpected rows of not-null, and
    /// present rows those of null; both judge every row.
    mutating func nullness(_ e: Int, notNull: Bool, missing: Int, _ column: Column, _ range: Range<Int>, present: (Int) -> Bool) {
        var u = UnexpectedRows(limit: keepLimit)
        let target = notNull ? missing : range.count - missing
        if target > 0 && keepLimit > 0 {
            for i in range where present(i) != notNull {
                u.rows.append(i)
                if u.rows.count == keepLimit { break }
            }
        }
        u.count = target
        record(e, considered: range.count, u, column, range)
    }

    /// Uniqueness keeps the column's rows; they are judged when the state is finished.
    mutating func uniqueKeys(_ e: Int, missing: Int, _ column: Column, _ range: Range<Int>) {
        state.expectations[e]?.considered += range.count - missing
        state.expectations[e]?.keys?.append(DuplicateFinder.hashedChunk([ColumnSlice(column: column, range: range)], .allValuesAreMissing))
    }
}
