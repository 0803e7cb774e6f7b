// Slow, obvious implementations over `Value`s that the kernels are checked against, and
// helpers for comparing results.

import LarderColumnar
import LarderTestSupport

/// Equality that treats two NaNs with the same bits as equal (Value's `==` does not).
func identical(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.float32(let x), .float32(let y)): x.bitPattern == y.bitPattern
    case (.float64(let x), .float64(let y)): x.bitPattern == y.bitPattern
    case (.vector(let x), .vector(let y)): x.map(\.bitPattern) == y.map(\.bitPattern)
    default: a == b
    }
}

/// Whether two columns have the same type and the same values row by row.
func identical(_ a: Column, _ b: Column) -> Bool {
    a.type == b.type && a.count == b.count && zip(a.values, b.values).allSatisfy { identical($0, $1) }
}

func identical(_ a: RecordBatch, _ b: RecordBatch) -> Bool {
    a.schema.names == b.schema.names && a.rowCount == b.rowCount
        && zip(a.columns, b.columns).allSatisfy { identical($0, $1) }
}

/// Whether a column passes the checked initializer and keeps validity normalized (`nil` when
/// there are no nulls), as every kernel output should.
func wellFormed(_ c: Column) -> Bool {
    guard (try? Column(type: c.type, storage: c.storage, validity: c.validity)) != nil else { return false }
    if let v = c.validity { return v.count == c.count && !v.allSet }
    return true
}

/// A column built from values through `ColumnBuilder`.
func column(_ type: DataType, _ values: [Value]) throws -> Column {
    var b = ColumnBuilder(type: type)
    for v in values { try b.append(v) }
    return b.finish()
}

/// Random batches with a fixed seed per case.
func randomBatches(count: Int, rows: ClosedRange<Int> = 0 ... 120, seed: UInt64 = 1) -> [RecordBatch] {
    var rng = SplitMix64(seed: seed)
    return (0 ..< count).map { _ in
        let schema = RandomData.schema(using: &rng, maxColumns: 6)
        return RandomData.batch(schema: schema, rows: Int.random(in: rows, using: &rng), rng: &rng, nullProbability: 0.2)
    }
}

// MARK: Reference ordering

/// The documented sort order of two non-null values of the same column type.
func referenceOrder(_ a: Value, _ b: Value) -> Int {
    func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    func cmpFloat(_ x: Double, _ y: Double) -> Int {
        switch (x.isNaN, y.isNaN) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return cmp(x, y)   // -0.0 == 0.0 here
        }
    }
    switch (a, b) {
    case (.int32(let x), .int32(let y)), (.date(let x), .date(let y)): return cmp(x, y)
    case (.int64(let x), .int64(let y)), (.timestamp(let x), .timestamp(let y)): return cmp(x, y)
    case (.float32(let x), .float32(let y)): return cmpFloat(Double(x), Double(y))
    case (.float64(let x), .float64(let y)): return cmpFloat(x, y)
    case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
    case (.string(let x), .string(let y)): return cmpBytes(Array(x.utf8), Array(y.utf8))
    case (.binary(let x), .binary(let y)): return cmpBytes(x, y)
    case (.vector(let x), .vector(let y)):
        for (p, q) in zip(x, y) {
            let c = cmpFloat(Double(p), Double(q))
            if c != 0 { return c }
        }
        return 0
    default: fatalError("referenceOrder on mismatched values \(a), \(b)")
    }
}

func cmpBytes(_ x: [UInt8], _ y: [UInt8]) -> Int {
    if x == y { return 0 }
    return x.lexicographicallyPrecedes(y) ? -1 : 1
}

/// The reference stable sort: the standard library's (stable) sort with a comparator over
/// `Value`s that follows the documented order.
func referenceSortIndices(_ batch: RecordBatch, _ keys: [(column: Int, ascending: Bool, nullsFirst: Bool)]) -> [Int] {
    Array(0 ..< batch.rowCount).sorted { i, j in
        for key in keys {
            let a = batch.columns[key.column][i]
            let b = batch.columns[key.column][j]
            let c: Int
            switch (a.isNull, b.isNull) {
            case (true, true): c = 0
            case (true, false): c = key.nullsFirst ? -1 : 1
            case (false, true): c = key.nullsFirst ? 1 : -1
            case (false, false): c = key.ascending ? referenceOrder(a, b) : -referenceOrder(a, b)
            }
            if c != 0 { return c < 0 }
        }
        return false
    }
}

// MARK: Reference comparison with a scalar

/// Whether `row op scalar` holds under the documented rules (IEEE floats, integer widening),
/// or nil when the kernel should throw a type mismatch.
func referenceHolds(_ op: CompareOp, _ row: Value, _ scalar: Value, type: DataType) -> Bool? {
    func holds(_ c: Int) -> Bool {
        switch op {
        case .equal: c == 0
        case .notEqual: c != 0
        case .less: c < 0
        case .lessOrEqual: c <= 0
        case .greater: c > 0
        case .greaterOrEqual: c >= 0
        }
    }
    func ieee(_ x: Double, _ y: Double) -> Bool {
        switch op {
        case .equal: x == y
        case .notEqual: x != y
        case .less: x < y
        case .lessOrEqual: x <= y
        case .greater: x > y
        case .greaterOrEqual: x >= y
        }
    }
    func asInt(_ v: Value) -> Int64? {
        switch v {
        case .int32(let x), .date(let x): Int64(x)
        case .int64(let x), .timestamp(let x): x
        default: nil
        }
    }
    func asDouble(_ v: Value) -> Double? {
        switch v {
        case .float32(let x): Double(x)
        case .float64(let x): x
        case .int32(let x): Double(x)
        case .int64(let x): Double(x)
        default: nil
        }
    }
    let scalarFits: Bool
    switch (type, scalar) {
    case (_, .null): scalarFits = true
    case (.int32, .int32), (.int32, .int64), (.int64, .int32), (.int64, .int64),
         (.date, .date), (.date, .int32), (.date, .int64),
         (.timestamp, .timestamp), (.timestamp, .int32), (.timestamp, .int64),
         (.float32, .float32), (.float32, .float64), (.float32, .int32), (.float32, .int64),
         (.float64, .float32), (.float64, .float64), (.float64, .int32), (.float64, .int64),
         (.bool, .bool), (.string, .string), (.binary, .binary):
        scalarFits = true
    case (.vector(let d), .vector(let x)): scalarFits = x.count == d && (op == .equal || op == .notEqual)
    default: scalarFits = false
    }
    guard scalarFits else { return nil }
    if row.isNull || scalar.isNull { return false }
    switch type {
    case .int32, .int64, .date, .timestamp:
        guard let x = asInt(row), let y = asInt(scalar) else { return nil }
        return holds(x < y ? -1 : (x == y ? 0 : 1))
    case .float32, .float64:
        guard let x = asDouble(row), let y = asDouble(scalar) else { return nil }
        return ieee(x, y)
    case .bool, .string, .binary:
        return holds(referenceOrder(row, scalar))
    case .vector:
        guard case .vector(let x) = row, case .vector(let y) = scalar else { return nil }
        let equal = zip(x, y).allSatisfy { $0 == $1 }
        return op == .equal ? equal : !equal
    }
}

// MARK: Error expectations

import Testing

/// Expects `body` to throw a ``ColumnarError`` with `code`.
func expectCode<R>(_ code: ColumnarError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () throws -> R) {
    let error = #expect(throws: ColumnarError.self, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.code == code, sourceLocation: sourceLocation)
}
