import LarderColumnar

extension TaskScan {
    /// Every planned metric of a string or binary column over `range`. Set membership,
    /// regexes, lengths and distinct counts work per distinct value: each row's bytes are
    /// interned once (hashed a word at a time), the per-value test runs once per distinct
    /// value, and unexpected counts are sums of distinct counts.
    mutating func scanBytes(_ off: UnsafeBufferPointer<Int>, _ data: UnsafeRawBufferPointer, _ bits: ValidityBits,
                            _ column: Column, _ range: Range<Int>, _ p: ScanPlan.ColumnPlan, _ m: inout ColumnMetrics) {
        var missing = 0
        if bits.bytes != nil { for i in range where !bits.has(i) { missing += 1 } }
        m.missing += missing

        let interned = p.counts || p.predicates.contains {
            switch $0.predicate {
            case .inSet, .regex: true
            default: false
            }
        }
        let interner = interned ? InternedBytes(offsets: off, data: data, bits: bits, range: range) : nil
        let ids = interner?.ids ?? []
        let counts = interner?.counts ?? []
        let distinct = interner?.count ?? 0
        func distinctBytes(_ id: Int) -> UnsafeRawBufferPointer {
            guard let interner else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return UnsafeRawBufferPointer(rebasing: data[interner.offsets[id] ..< interner.offsets[id] + interner.lengths[id]])
        }

        for (e, predicate) in p.predicates {
            switch predicate {
            case .notNull, .null:
                nullness(e, notNull: { if case .notNull = predicate { true } else { false } }(), missing: missing, column, range,
                         present: { bits.has($0) })
            case .unique:
                uniqueKeys(e, missing: missing, column, range)
            case .inSet(let set, let negate):
                guard let set else {
                    record(e, considered: range.count - missing, UnexpectedRows(limit: 0), column, range)
                    continue
                }
                let fails = (0 ..< distinct).map { set.contains(bytes: Array(distinctBytes($0))) == negate }
                recordByDistinct(e, fails, counts, ids, missing: missing, column, range)
            case .regex(let shared, let negate):
                let matcher = shared.fresh()
                let fails = (0 ..< distinct).map { matcher.matches(utf8: distinctBytes($0)) == negate }
                recordByDistinct(e, fails, counts, ids, missing: missing, column, range)
            case .lengths(let allowed) where interner != nil:
                let fails = (0 ..< distinct).map { id in
                    let bytes = distinctBytes(id)
                    return !(allowed?.contains(Self.scalarCount(bytes, 0, bytes.count)) ?? false)
                }
                recordByDistinct(e, fails, counts, ids, missing: missing, column, range)
            case .lengths(let allowed):
                var u = UnexpectedRows(limit: keepLimit)
                for i in range where bits.has(i) {
                    let length = Self.scalarCount(data, off[i], off[i + 1])
                    if !(allowed?.contains(length) ?? false) { u.add(i) }
                }
                record(e, considered: range.count - missing, u, column, range)
            case .intRange, .doubleRange, .monotonic:
                break   // refused at compile time for string columns
            }
        }

        if p.counts {
            var keys: [[UInt8]] = (0 ..< distinct).map { Array(distinctBytes($0)) }
            var counts = counts
            let order = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
            keys = order.map { keys[$0] }
            counts = order.map { counts[$0] }
            m.counts?.merge(.bytes(keys: keys, counts: counts))
        }
    }

    /// Unexpected rows of a per-distinct verdict: the count is a sum over distinct values;
    /// rows are looked for only when some are needed.
    private mutating func recordByDistinct(_ e: Int, _ fails: [Bool], _ counts: [Int], _ ids: [Int32], missing: Int,
                                           _ column: Column, _ range: Range<Int>) {
        var u = UnexpectedRows(limit: keepLimit)
        var total = 0
        for (id, f) in fails.enumerated() where f { total += counts[id] }
        if total > 0 && keepLimit > 0 {
            for (k, id) in ids.enumerated() where id >= 0 && fails[Int(id)] {
                u.rows.append(range.lowerBound + k)
                if u.rows.count == keepLimit { break }
            }
        }
        u.count = total
        record(e, considered: range.count - missing, u, column, range)
    }

    /// Unicode scalars in UTF-8 bytes `[from, to)` (Python's `len` of the decoded string):
    /// the bytes that are not continuation bytes (`10xxxxxx`), counted eight at a time.
    @inline(__always)
    static func scalarCount(_ data: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Int {
        let high: UInt64 = 0x8080_8080_8080_8080
        if to - from <= 16 && from + 16 <= data.count {
            let (a, b) = ByteWords.head(data, from, to - from)
            return to - from - (a & ~(a << 1) & high).nonzeroBitCount - (b & ~(b << 1) & high).nonzeroBitCount
        }
        var continuation = 0
        var k = from
        while k + 8 <= to {
            let w = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: k, as: UInt64.self))
            continuation += (w & ~(w << 1) & high).nonzeroBitCount
            k += 8
        }
        while k < to {
            if data[k] & 0xC0 == 0x80 { continuation += 1 }
            k += 1
        }
        return to - from - continuation
    }

    mutating func scanBool(_ v: UnsafeBufferPointer<Bool>, _ bits: ValidityBits, _ column: Column, _ range: Range<Int>,
                           _ p: ScanPlan.ColumnPlan, _ m: inout ColumnMetrics) {
        var missing = 0
        if bits.bytes != nil { for i in range where !bits.has(i) { missing += 1 } }
        m.missing += missing
        for (e, predicate) in p.predicates {
            switch predicate {
            case .notNull, .null:
                nullness(e, notNull: { if case .notNull = predicate { true } else { false } }(), missing: missing, column, range,
                         present: { bits.has($0) })
            case .unique:
                uniqueKeys(e, missing: missing, column, range)
            case .inSet(let set, let negate):
                var u = UnexpectedRows(limit: keepLimit)
                if let set {
                    let t = set.keys.contains(.fixed(1)), f = set.keys.contains(.fixed(0))
                    for i in range where (v[i] ? t : f) == negate && bits.has(i) { u.add(i) }
                }
                record(e, considered: range.count - missing, u, column, range)
            default:
                break   // refused at compile time for bool columns
            }
        }
        if p.counts {
            var falses = 0, trues = 0
            for i in range where bits.has(i) { if v[i] { trues += 1 } else { falses += 1 } }
            var keys: [UInt64] = [], counts: [Int] = []
            if falses > 0 { keys.append(0); counts.append(falses) }
            if trues > 0 { keys.append(1); counts.append(trues) }
            m.counts?.merge(.fixed(keys: keys, counts: counts))
        }
    }

    mutating func scanVector(_ dimension: Int, _ bits: ValidityBits, _ column: Column, _ range: Range<Int>,
                             _ p: ScanPlan.ColumnPlan, _ m: inout ColumnMetrics) {
        var missing = 0
        if bits.bytes != nil { for i in range where !bits.has(i) { missing += 1 } }
        m.missing += missing
        for (e, predicate) in p.predicates {
            switch predicate {
            case .notNull, .null:
                nullness(e, notNull: { if case .notNull = predicate { true } else { false } }(), missing: missing, column, range,
                         present: { bits.has($0) })
            case .lengths(let allowed):
                var u = UnexpectedRows(limit: keepLimit)
                if !(allowed?.contains(dimension) ?? false) { for i in range where bits.has(i) { u.add(i) } }
                record(e, considered: range.count - missing, u, column, range)
            default:
                break   // refused at compile time for vector columns
            }
        }
    }
}
