// Take (gather): build a column from rows picked by index.

extension Column {
    /// The rows at `indices`, in that order (a gather). Indices may repeat and appear in any
    /// order.
    ///
    /// ```swift
    /// let c = Column.int64([10, 20, 30])
    /// try c.take([2, 0, 0])   // [30, 10, 10]
    /// ```
    /// - Throws: ``ColumnarError`` `.outOfRange` if an index is negative or not less than
    ///   ``count``.
    public func take(_ indices: [Int]) throws -> Column {
        try indices.withUnsafeBufferPointer { idx in
            try checkIndices(idx, sentinel: nil)
            return takeUnchecked(idx, nullForOutOfRange: false)
        }
    }

    /// The rows at `indices`, where every entry equal to `sentinel` yields a null row.
    ///
    /// This is the gather a join uses when some output rows have no match:
    /// ```swift
    /// let features = Column.float64([0.5, 0.7])
    /// try features.take([1, -1, 0], nullFor: -1)   // [0.7, null, 0.5]
    /// ```
    /// - Throws: ``ColumnarError`` `.outOfRange` if an index other than `sentinel` is negative
    ///   or not less than ``count``.
    public func take(_ indices: [Int], nullFor sentinel: Int) throws -> Column {
        try indices.withUnsafeBufferPointer { idx in
            try checkIndices(idx, sentinel: sentinel)
            if sentinel < 0 || sentinel >= count {
                // The sentinel is already out of range, so "out of range means null" is exact.
                return takeUnchecked(idx, nullForOutOfRange: true)
            }
            // A sentinel that is also a valid row: rewrite it to -1 first.
            let rewritten = idx.map { $0 == sentinel ? -1 : $0 }
            return rewritten.withUnsafeBufferPointer { takeUnchecked($0, nullForOutOfRange: true) }
        }
    }

    /// The rows at `indices`, where a `nil` index yields a null row.
    /// - Throws: ``ColumnarError`` `.outOfRange` if an index is negative or not less than
    ///   ``count``.
    public func take(_ indices: [Int?]) throws -> Column {
        var plain = [Int]()
        plain.reserveCapacity(indices.count)
        for (position, index) in indices.enumerated() {
            if let index {
                guard index >= 0 && index < count else { throw outOfRange(index, at: position) }
                plain.append(index)
            } else {
                plain.append(-1)
            }
        }
        return plain.withUnsafeBufferPointer { takeUnchecked($0, nullForOutOfRange: true) }
    }

    private func outOfRange(_ index: Int, at position: Int) -> ColumnarError {
        ColumnarError(.outOfRange, "take index \(index) at position \(position) is outside 0..<\(count)")
    }

    private func checkIndices(_ idx: UnsafeBufferPointer<Int>, sentinel: Int?) throws {
        let n = UInt(count)
        // One branch-free pass (negative indices become huge as UInt), then find the culprit.
        var largest: UInt = 0
        for i in idx { largest = max(largest, UInt(bitPattern: i)) }
        guard !idx.isEmpty && largest >= n else { return }
        for (position, i) in idx.enumerated() where UInt(bitPattern: i) >= n && i != sentinel {
            throw outOfRange(i, at: position)
        }
    }

    /// Gathers rows without validating indices.
    ///
    /// When `nullForOutOfRange` is true, an index outside `0 ..< count` (such as -1) yields a
    /// null row holding a zero value; otherwise every index must be in range.
    func takeUnchecked(_ idx: UnsafeBufferPointer<Int>, nullForOutOfRange: Bool) -> Column {
        let validityOut = gatherValidity(idx, nullForOutOfRange: nullForOutOfRange)
        let out: ColumnStorage
        switch storage {
        case .int32(let v): out = .int32(gatherFixed(v, idx, zero: 0, checked: nullForOutOfRange))
        case .int64(let v): out = .int64(gatherFixed(v, idx, zero: 0, checked: nullForOutOfRange))
        case .float32(let v): out = .float32(gatherFixed(v, idx, zero: 0, checked: nullForOutOfRange))
        case .float64(let v): out = .float64(gatherFixed(v, idx, zero: 0, checked: nullForOutOfRange))
        case .bool(let v): out = .bool(gatherFixed(v, idx, zero: false, checked: nullForOutOfRange))
        case .bytes(let offsets, let data):
            let (o, d) = gatherBytes(offsets: offsets, data: data, idx)
            out = .bytes(offsets: o, data: d)
        case .vector(let dimension, let values):
            out = .vector(dimension: dimension, values: gatherVectors(values, dimension: dimension, idx))
        }
        return Column(unchecked: type, storage: out, validity: validityOut)
    }

    private func gatherValidity(_ idx: UnsafeBufferPointer<Int>, nullForOutOfRange: Bool) -> Bitmap? {
        let n = UInt(count)
        guard let validity else {
            guard nullForOutOfRange else { return nil }
            return Bitmap.build(count: idx.count) { UInt(bitPattern: idx[$0]) < n }.asValidity
        }
        return validity.bytes.withUnsafeBufferPointer { bits in
            Bitmap.build(count: idx.count) { k in
                let i = idx[k]
                return UInt(bitPattern: i) < n && readBit(bits, i)
            }.asValidity
        }
    }
}

/// Gathers fixed-width values; when `checked`, out-of-range indices produce `zero`.
func gatherFixed<T>(_ source: [T], _ idx: UnsafeBufferPointer<Int>, zero: T, checked: Bool) -> [T] {
    source.withUnsafeBufferPointer { src in
        [T](unsafeUninitializedCapacity: idx.count) { out, initialized in
            if checked {
                let n = UInt(src.count)
                for k in 0 ..< idx.count {
                    let i = idx[k]
                    out.initializeElement(at: k, to: UInt(bitPattern: i) < n ? src[i] : zero)
                }
            } else {
                for k in 0 ..< idx.count { out.initializeElement(at: k, to: src[idx[k]]) }
            }
            initialized = idx.count
        }
    }
}

/// Gathers variable-length values; out-of-range indices produce empty values.
func gatherBytes(offsets: [Int], data: [UInt8], _ idx: UnsafeBufferPointer<Int>) -> (offsets: [Int], data: [UInt8]) {
    offsets.withUnsafeBufferPointer { off in
        let n = UInt(max(off.count - 1, 0))
        let newOffsets = [Int](unsafeUninitializedCapacity: idx.count + 1) { out, initialized in
            var total = 0
            out.initializeElement(at: 0, to: 0)
            for k in 0 ..< idx.count {
                let i = idx[k]
                if UInt(bitPattern: i) < n { total += off[i + 1] - off[i] }
                out.initializeElement(at: k + 1, to: total)
            }
            initialized = idx.count + 1
        }
        let total = newOffsets[idx.count]
        let newData = data.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                if total > 0, let from = src.baseAddress, let to = out.baseAddress {
                    var position = 0
                    for k in 0 ..< idx.count {
                        let i = idx[k]
                        guard UInt(bitPattern: i) < n else { continue }
                        let length = off[i + 1] - off[i]
                        (to + position).initialize(from: from + off[i], count: length)
                        position += length
                    }
                }
                initialized = total
            }
        }
        return (newOffsets, newData)
    }
}

/// Gathers fixed-size float vectors; out-of-range indices produce zero vectors.
func gatherVectors(_ values: [Float], dimension: Int, _ idx: UnsafeBufferPointer<Int>) -> [Float] {
    let total = idx.count * dimension
    return values.withUnsafeBufferPointer { src in
        let n = UInt(dimension > 0 ? src.count / dimension : 0)
        return [Float](unsafeUninitializedCapacity: total) { out, initialized in
            if total > 0, let to = out.baseAddress {
                for k in 0 ..< idx.count {
                    let i = idx[k]
                    if UInt(bitPattern: i) < n, let from = src.baseAddress {
                        (to + k * dimension).initialize(from: from + i * dimension, count: dimension)
                    } else {
                        (to + k * dimension).initialize(repeating: 0, count: dimension)
                    }
                }
            }
            initialized = total
        }
    }
}
