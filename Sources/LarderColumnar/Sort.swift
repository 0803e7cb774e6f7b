// Sorting: a stable multi-key sort that returns a permutation.
//
// The sort works key by key from the first key (most significant) down: the rows are sorted
// by the first key, and each run of rows equal on it is sorted by the second key, and so on.
// Later keys only ever see the runs that tie on the earlier ones, which for typical data
// (entity, event time, created time) are short, so most rows are moved by one radix sort.
// Fixed-width columns (ints, dates, timestamps, floats, bools) are sorted by an LSD radix sort
// over 64-bit order-preserving keys, skipping the bytes that are equal in every row; strings,
// binary and vectors use the standard library's stable comparison sort. Nulls are moved to
// the front or back of a run by a stable partition before its non-null rows are sorted. Every
// step is stable, so rows equal on every key keep their input order.

/// One key of a multi-column sort.
///
/// Order within a key: numbers numerically; floats with `-0.0 == 0.0` and NaN after every
/// number (so NaN comes last ascending, first descending; all NaNs are equal); strings and
/// binary by bytes (UTF-8 order for strings; a proper prefix comes first); bools
/// `false < true`; vectors element by element with the float order. Nulls go last unless
/// `nullsFirst` is set, whatever the direction.
public struct SortKey: Hashable, Sendable {
    /// How a sort key names its column.
    public enum ColumnReference: Hashable, Sendable {
        /// The column's position in the schema.
        case position(Int)
        /// The column's name.
        case name(String)
    }

    /// The column to sort by.
    public var column: ColumnReference
    /// Whether smaller values come first (default) or last.
    public var ascending: Bool
    /// Whether nulls sort before every value (default: after).
    public var nullsFirst: Bool

    /// A key on the column at `position`.
    public init(column position: Int, ascending: Bool = true, nullsFirst: Bool = false) {
        self.column = .position(position)
        self.ascending = ascending
        self.nullsFirst = nullsFirst
    }

    /// A key on the column called `name`.
    public init(_ name: String, ascending: Bool = true, nullsFirst: Bool = false) {
        self.column = .name(name)
        self.ascending = ascending
        self.nullsFirst = nullsFirst
    }
}

extension RecordBatch {
    /// The permutation that sorts the rows by `keys` (the first key most significant): row
    /// `result[k]` belongs at position `k`. The sort is stable: rows equal on every key keep
    /// their order.
    ///
    /// ```swift
    /// let order = try batch.sortIndices(by: [SortKey("user_id"), SortKey("ts", ascending: false)])
    /// let sorted = try batch.take(order)
    /// ```
    /// - Throws: ``ColumnarError`` `.unknownColumn` for a name the schema lacks,
    ///   `.outOfRange` for a position past the last column.
    public func sortIndices(by keys: [SortKey]) throws -> [Int] {
        let resolved = try keys.map { (column: columns[try resolve($0)], key: $0) }
        let n = rowCount
        var perm = Array(0 ..< n)
        guard n > 1, !resolved.isEmpty, !isSorted(resolved) else { return perm }
        let sorter = MultiKeySorter(keys: resolved, capacity: n)
        defer { sorter.deallocate() }
        perm.withUnsafeMutableBufferPointer { p in sorter.sort(p, 0 ..< n, level: 0) }
        return perm
    }

    /// The batch with its rows sorted by `keys` (stable).
    /// - Throws: ``ColumnarError`` as ``sortIndices(by:)``.
    public func sorted(by keys: [SortKey]) throws -> RecordBatch {
        let order = try sortIndices(by: keys)
        return order.withUnsafeBufferPointer { takeUnchecked($0) }
    }

    /// Whether the rows are already in the order ``sortIndices(by:)`` would give (ties allowed).
    /// - Throws: ``ColumnarError`` as ``sortIndices(by:)``.
    public func isSorted(by keys: [SortKey]) throws -> Bool {
        isSorted(try keys.map { (column: columns[try resolve($0)], key: $0) })
    }

    private func isSorted(_ keys: [(column: Column, key: SortKey)]) -> Bool {
        guard rowCount > 1 else { return true }
        for row in 1 ..< rowCount {
            for (column, key) in keys {
                let c = compareForKey(column, key, row - 1, row)
                if c < 0 { break }
                if c > 0 { return false }
            }
        }
        return true
    }

    private func resolve(_ key: SortKey) throws -> Int {
        switch key.column {
        case .position(let i):
            guard i >= 0 && i < columns.count else {
                throw ColumnarError(.outOfRange, "sort key column \(i) is outside 0..<\(columns.count)")
            }
            return i
        case .name(let name):
            guard let i = schema.index(of: name) else {
                throw ColumnarError(.unknownColumn, "no such sort key column; the batch has \(schema.names.joined(separator: ", "))", column: name)
            }
            return i
        }
    }
}

/// Compares rows `a` and `b` of `column` under `key`: direction and null placement included.
private func compareForKey(_ column: Column, _ key: SortKey, _ a: Int, _ b: Int) -> Int {
    let c = column.compareRows(a, b, nullsFirst: key.nullsFirst)
    guard !key.ascending, column.isValid(a), column.isValid(b) else { return c }
    return -c
}

extension Column {
    /// Compares rows `i` and `j` in ascending sort order (see ``SortKey`` for the order of
    /// each type): -1, 0 or 1. Nulls are equal to each other and come after every value,
    /// or before when `nullsFirst`. Both rows must be in range (a programming error otherwise).
    public func compareRows(_ i: Int, _ j: Int, nullsFirst: Bool = false) -> Int {
        switch (isValid(i), isValid(j)) {
        case (true, true): return compareValues(i, j)
        case (false, false): return 0
        case (false, true): return nullsFirst ? -1 : 1
        case (true, false): return nullsFirst ? 1 : -1
        }
    }

    /// Compares the values at rows `i` and `j` in ascending order, ignoring validity.
    func compareValues(_ i: Int, _ j: Int) -> Int {
        switch storage {
        case .int32(let v): return order(v[i], v[j])
        case .int64(let v): return order(v[i], v[j])
        case .float32(let v): return order(orderKey(Double(v[i])), orderKey(Double(v[j])))
        case .float64(let v): return order(orderKey(v[i]), orderKey(v[j]))
        case .bool(let v): return order(v[i] ? 1 : 0, v[j] ? 1 : 0)
        case .bytes(let o, let data):
            let c = data.withUnsafeBytes { d in
                compareBytes(d.baseAddress, o[i], o[i + 1] - o[i], d.baseAddress, o[j], o[j + 1] - o[j])
            }
            return order(c, 0)
        case .vector(let d, let v):
            for k in 0 ..< d {
                let c = order(orderKey(Double(v[i * d + k])), orderKey(Double(v[j * d + k])))
                if c != 0 { return c }
            }
            return 0
        }
    }
}

@inline(__always)
private func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

/// An unsigned key whose order is the sort order of `x`.
@inline(__always)
func orderKey(_ x: Int64) -> UInt64 { UInt64(bitPattern: x) ^ (1 &<< 63) }

/// An unsigned key whose order is the sort order of `x`: -0.0 equals 0.0, and every NaN is one
/// value above +infinity.
@inline(__always)
func orderKey(_ x: Double) -> UInt64 {
    let bits = RowHash.normalizedBits(x)
    return bits & (1 &<< 63) != 0 ? ~bits : bits | (1 &<< 63)
}

/// Stably moves the null rows of `column` (among the rows in `perm`) to the front or the back.
/// Returns the range of `perm` that holds the non-null rows.
func partitionNulls(_ perm: UnsafeMutableBufferPointer<Int>, _ column: Column, nullsFirst: Bool,
                            scratch: UnsafeMutableBufferPointer<Int>) -> Range<Int> {
    guard let validity = column.validity else { return 0 ..< perm.count }
    return validity.bytes.withUnsafeBufferPointer { bits in
        var nulls = 0
        for row in perm where !readBit(bits, row) { nulls += 1 }
        guard nulls > 0 else { return 0 ..< perm.count }
        var nullAt = nullsFirst ? 0 : perm.count - nulls
        var validAt = nullsFirst ? nulls : 0
        for row in perm {
            if readBit(bits, row) {
                scratch[validAt] = row
                validAt += 1
            } else {
                scratch[nullAt] = row
                nullAt += 1
            }
        }
        for k in perm.indices { perm[k] = scratch[k] }
        return nullsFirst ? nulls ..< perm.count : 0 ..< perm.count - nulls
    }
}

/// A row and its order key, moved together by the radix sort.
struct RadixItem {
    var key: UInt64
    var row: Int
}

/// Writes each row of `perm` with its order key (inverted when descending) into `items`.
/// Returns false for columns without fixed-width keys (bytes and vectors).
func fillOrderKeys(_ column: Column, ascending: Bool, perm: UnsafeBufferPointer<Int>,
                           _ items: UnsafeMutableBufferPointer<RadixItem>) -> Bool {
    let flip: UInt64 = ascending ? 0 : ~0
    @inline(__always)
    func fill<T>(_ values: [T], _ key: (T) -> UInt64) {
        values.withUnsafeBufferPointer { v in
            for k in 0 ..< perm.count {
                let row = perm[k]
                items[k] = RadixItem(key: key(v[row]) ^ flip, row: row)
            }
        }
    }
    switch column.storage {
    case .int64(let v): fill(v) { orderKey($0) }
    case .int32(let v): fill(v) { orderKey(Int64($0)) }
    case .float64(let v): fill(v) { orderKey($0) }
    case .float32(let v): fill(v) { orderKey(Double($0)) }
    case .bool(let v): fill(v) { $0 ? 1 : 0 }
    case .bytes, .vector: return false
    }
    return true
}

/// Stable LSD radix sort of `items` by key, `radixBits` bits per pass, skipping digits that
/// are the same in every key. `scratch` must hold at least `items.count` elements and `counts`
/// at least `radixCountsCapacity`. Returns the buffer that holds the sorted items (`items` or
/// a prefix of `scratch`).
func radixSort(_ items: UnsafeMutableBufferPointer<RadixItem>, scratch: UnsafeMutableBufferPointer<RadixItem>,
               counts: UnsafeMutableBufferPointer<Int>) -> UnsafeMutableBufferPointer<RadixItem> {
    let n = items.count
    guard n > 1 else { return items }
    var sorted = true
    for k in 1 ..< n where items[k].key < items[k - 1].key {
        sorted = false
        break
    }
    if sorted { return items }
    if n <= 32 {
        insertionSort(items)
        return items
    }
    let buckets = 1 << radixBits
    let digitMask = UInt64(buckets - 1)
    let passes = (64 + radixBits - 1) / radixBits
    precondition(counts.count >= passes * buckets, "radix counts buffer too small")
    let counts = UnsafeMutableBufferPointer(rebasing: counts[0 ..< passes * buckets])
    counts.initialize(repeating: 0)
    for k in 0 ..< n {
        let key = items[k].key
        for pass in 0 ..< passes {
            counts[pass &* buckets &+ Int(truncatingIfNeeded: (key &>> UInt64(pass &* radixBits)) & digitMask)] &+= 1
        }
    }
    let first = items[0].key
    var src = items
    var dst = UnsafeMutableBufferPointer(rebasing: scratch[0 ..< n])
    for pass in 0 ..< passes {
        let shift = UInt64(pass * radixBits)
        let c = UnsafeMutableBufferPointer(rebasing: counts[pass * buckets ..< (pass + 1) * buckets])
        if c[Int(truncatingIfNeeded: (first &>> shift) & digitMask)] == n { continue }
        var sum = 0
        for d in 0 ..< buckets {
            let count = c[d]
            c[d] = sum
            sum += count
        }
        for k in 0 ..< n {
            let item = src[k]
            let d = Int(truncatingIfNeeded: (item.key &>> shift) & digitMask)
            let position = c[d]
            c[d] = position &+ 1
            dst[position] = item
        }
        swap(&src, &dst)
    }
    return src
}

/// Bits per radix pass: 256 buckets keep the scatter within cache and TLB reach.
private let radixBits = 8

/// The size of ``radixSort(_:scratch:counts:)``'s `counts` buffer: a histogram per pass.
let radixCountsCapacity = ((64 + radixBits - 1) / radixBits) << radixBits

/// Stable insertion sort of `items` by key, for short runs.
private func insertionSort(_ items: UnsafeMutableBufferPointer<RadixItem>) {
    for i in 1 ..< items.count {
        let item = items[i]
        var j = i
        while j > 0 && items[j - 1].key > item.key {
            items[j] = items[j - 1]
            j -= 1
        }
        items[j] = item
    }
}
