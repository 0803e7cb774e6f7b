import LarderColumnar

extension TaskScan {
    /// Per row of `range`, whether the column holds a present (non-null, non-NaN) value; nil
    /// when every row does.
    static func presence(_ column: Column, _ range: Range<Int>) -> [Bool]? {
        let slice = ColumnSlice(column: column, range: range)
        switch column.storage {
        case .float32, .float64: break
        default: if column.validity == nil { return nil }
        }
        let mask = range.map { slice.isPresent($0) }
        return mask.allSatisfy { $0 } ? nil : mask
    }

    /// Compound uniqueness keeps the key columns; the pass counts the rows `ignore_row_if`
    /// leaves in.
    mutating func scanCompound(_ e: Int, _ columns: [Column], _ ignore: MultiColumnIgnore, _ range: Range<Int>) {
        let masks = columns.map { Self.presence($0, range) }
        var considered = range.count
        if ignore != .never && masks.contains(where: { $0 != nil }) {
            considered = 0
            for k in 0 ..< range.count {
                var present = 0
                for mask in masks where mask?[k] ?? true { present += 1 }
                let ignored = ignore == .allValuesAreMissing ? present == 0 : present < columns.count
                if !ignored { considered += 1 }
            }
        }
        state.expectations[e]?.considered += considered
        state.expectations[e]?.keys?.append(DuplicateFinder.hashedChunk(columns.map { ColumnSlice(column: $0, range: range) }, ignore))
    }

    /// Column A greater than column B, row by row. A row with one value missing is
    /// unexpected (pandas compares it with NaN), unless `ignore_row_if` skips it.
    mutating func scanPair(_ e: Int, _ a: Column, _ b: Column, _ order: PairOrder, _ orEqual: Bool, _ ignore: PairIgnore,
                           _ range: Range<Int>) {
        let ma = Self.presence(a, range), mb = Self.presence(b, range)
        let greater = PairComparator(a, b, order)
        var u = UnexpectedRows(limit: keepLimit)
        var considered = 0
        for i in range {
            let pa = ma?[i - range.lowerBound] ?? true, pb = mb?[i - range.lowerBound] ?? true
            switch ignore {
            case .bothValuesAreMissing: if !pa && !pb { continue }
            case .eitherValueIsMissing: if !pa || !pb { continue }
            case .neither: break
            }
            considered += 1
            if !pa || !pb { u.add(i); continue }
            let c = greater.compare(i)
            if c < 0 || (c == 0 && !orEqual) { u.add(i) }
        }
        state.expectations[e]?.considered += considered
        state.expectations[e]?.unexpected += u.count
        state.expectations[e]?.kept += u.rows.map {
            KeptRow(row: $0 - range.lowerBound,
                    value: keepValues ? .array([ValueJSON.value(a, $0), ValueJSON.value(b, $0)]) : .null)
        }
    }
}

/// Compares row i of two columns: -1, 0 or 1 for a < b, a == b, a > b.
struct PairComparator {
    private let body: (Int) -> Int

    init(_ a: Column, _ b: Column, _ order: PairOrder) {
        switch order {
        case .integers(let sa, let sb):
            let x = Self.integers(a), y = Self.integers(b)
            body = { i in
                let l = x(i).multipliedReportingOverflow(by: sa), r = y(i).multipliedReportingOverflow(by: sb)
                return l.partialValue < r.partialValue ? -1 : (l.partialValue == r.partialValue ? 0 : 1)
            }
        case .doubles:
            let x = Self.doubles(a), y = Self.doubles(b)
            body = { i in
                let l = x(i), r = y(i)
                return l < r ? -1 : (l == r ? 0 : 1)
            }
        case .bytes:
            body = { i in
                guard case .bytes(let oa, let da) = a.storage, case .bytes(let ob, let db) = b.storage else { return 0 }
                let l = da[oa[i] ..< oa[i + 1]], r = db[ob[i] ..< ob[i + 1]]
                if l.elementsEqual(r) { return 0 }
                return l.lexicographicallyPrecedes(r) ? -1 : 1
            }
        }
    }

    func compare(_ i: Int) -> Int { body(i) }

    private static func integers(_ c: Column) -> (Int) -> Int64 {
        switch c.storage {
        case .int32(let v): { Int64(v[$0]) }
        case .int64(let v): { v[$0] }
        default: { _ in 0 }
        }
    }

    private static func doubles(_ c: Column) -> (Int) -> Double {
        switch c.storage {
        case .int32(let v): { Double(v[$0]) }
        case .int64(let v): { Double(v[$0]) }
        case .float32(let v): { Double(v[$0]) }
        case .float64(let v): { v[$0] }
        default: { _ in .nan }
        }
    }
}
