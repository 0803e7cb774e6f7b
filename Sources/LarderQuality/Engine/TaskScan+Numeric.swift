import LarderColumnar

extension TaskScan {
    /// Every planned metric of a numeric column (integers, floats, dates, timestamps) over
    /// `range`, reading the raw buffer. NaN counts as missing, as in pandas.
    mutating func scanNumeric<T: ScanValue>(_ v: UnsafeBufferPointer<T>, _ bits: ValidityBits, _ column: Column,
                                            _ range: Range<Int>, _ p: ScanPlan.ColumnPlan, _ m: inout ColumnMetrics) {
        @inline(__always) func present(_ i: Int) -> Bool { bits.has(i) && !(T.isFloating && v[i].isNaNValue) }

        var missing = 0
        if bits.bytes != nil || T.isFloating {
            for i in range where !present(i) { missing += 1 }
        }
        m.missing += missing

        for (e, predicate) in p.predicates {
            var u = UnexpectedRows(limit: keepLimit)
            switch predicate {
            case .notNull, .null:
                nullness(e, notNull: { if case .notNull = predicate { true } else { false } }(), missing: missing, column, range, present: present)
                continue
            case .unique:
                uniqueKeys(e, missing: missing, column, range)
                continue
            case .intRange(let r):
                if let r {
                    let lo = r.lowerBound, hi = r.upperBound
                    for i in range {
                        let x = v[i].int64
                        if (x < lo || x > hi) && present(i) { u.add(i) }
                    }
                } else {
                    for i in range where present(i) { u.add(i) }
                }
            case .doubleRange(let lo, let hi):
                for i in range {
                    let x = v[i].double
                    if !(x >= lo && x <= hi) && present(i) { u.add(i) }
                }
            case .inSet(let set, let negate):
                guard let set else { break }
                let table = FixedKeyTable(set.fixedKeys)
                for i in range where table.contains(v[i].fixedKey) == negate && present(i) { u.add(i) }
            case .monotonic:
                scanMonotonic(e, v, column, range, present: present)
                continue
            case .regex, .lengths:
                break   // refused at compile time for numeric columns
            }
            record(e, considered: range.count - missing, u, column, range)
        }

        if p.moments { m.moments?.merge(Self.moments(v, range, deviations: p.deviations, present: present)) }
        if p.values { m.values?.append(ColumnSlice(column: column, range: range)) }
        if p.counts {
            var table = FixedKeyTable()
            var counts: [Int] = []
            for i in range where present(i) {
                let id = table.id(of: v[i].fixedKey)
                if id == counts.count { counts.append(1) } else { counts[id] += 1 }
            }
            m.counts?.merge(Self.sortedCounts(table.keys, counts))
        }
    }

    /// Keys and counts sorted by key bits (the merge needs one consistent order; results sort
    /// values by their own order).
    static func sortedCounts(_ keys: [UInt64], _ counts: [Int]) -> ValueCounts {
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        return .fixed(keys: order.map { keys[$0] }, counts: order.map { counts[$0] })
    }

    static func moments<T: ScanValue>(_ v: UnsafeBufferPointer<T>, _ range: Range<Int>, deviations: Bool,
                                      present: (Int) -> Bool) -> Moments {
        var m = Moments()
        var count = 0
        if T.isFloating {
            var lo = Double.infinity, hi = -Double.infinity
            for i in range where present(i) {
                let x = v[i].double
                m.add(x)
                if x < lo { lo = x }
                if x > hi { hi = x }
                count += 1
            }
            if count > 0 { m.min = .double(lo); m.max = .double(hi) }
            m.count = count
            if count > 0 { m.mean = m.floatSum / Double(count) }
        } else {
            var lo = Int64.max, hi = Int64.min
            var sum: Int128 = 0
            for i in range where present(i) {
                let x = v[i].int64
                sum += Int128(x)
                if x < lo { lo = x }
                if x > hi { hi = x }
                count += 1
            }
            m.intSum = sum
            if count > 0 { m.min = .int(lo); m.max = .int(hi) }
            m.count = count
            if count > 0 { m.mean = Double(sum) / Double(count) }
        }
        if deviations && count > 0 {
            let mean = m.mean
            var m2 = 0.0
            for i in range where present(i) {
                let d = v[i].double - mean
                m2 += d * d
            }
            m.m2 = m2
        }
        return m
    }

    /// Increasing / decreasing over the present values of `range`, in row order: each value
    /// after the first is compared with the previous present value (GE's `diff`).
    mutating func scanMonotonic<T: ScanValue>(_ e: Int, _ v: UnsafeBufferPointer<T>, _ column: Column, _ range: Range<Int>,
                                              present: (Int) -> Bool) {
        guard var edge = state.expectations[e]?.edge else { return }
        var u = UnexpectedRows(limit: keepLimit)
        var previous: T?
        var firstRow = -1, lastRow = -1
        var considered = 0
        for i in range where present(i) {
            let x = v[i]
            considered += 1
            if let p = previous {
                let ok = switch (edge.increasing, edge.strictly) {
                case (true, true): p < x
                case (true, false): !(x < p)
                case (false, true): x < p
                case (false, false): !(p < x)
                }
                if !ok { u.add(i) }
            } else {
                firstRow = i
            }
            previous = x
            lastRow = i
        }
        if firstRow >= 0 {
            let first = OrderEdge.End(row: firstRow - range.lowerBound, key: v[firstRow].sortKey, value: ValueJSON.value(column, firstRow))
            let last = OrderEdge.End(row: lastRow - range.lowerBound, key: v[lastRow].sortKey, value: ValueJSON.value(column, lastRow))
            if edge.first == nil { edge.first = first }
            edge.last = last
        }
        state.expectations[e]?.edge = edge
        record(e, considered: considered, u, column, range)
    }
}
