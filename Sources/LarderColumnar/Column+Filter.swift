// Filter: keep the rows whose mask bit is set.

extension Column {
    /// The rows whose bit in `mask` is set, in order.
    ///
    /// ```swift
    /// let c = Column.int64([1, 2, 3, 4])
    /// try c.filter(try c.compare(.greater, .int64(2)))   // [3, 4]
    /// ```
    /// - Throws: ``ColumnarError`` `.lengthMismatch` if `mask.count != count`.
    public func filter(_ mask: Bitmap) throws -> Column {
        guard mask.count == count else {
            throw ColumnarError(.lengthMismatch, "filter mask has \(mask.count) bits for \(count) rows")
        }
        let selected = mask.setCount
        if selected == count { return self }
        return mask.bytes.withUnsafeBufferPointer { filterUnchecked($0, selected: selected) }
    }

    /// The rows where `mask` is true, in order.
    /// - Throws: ``ColumnarError`` `.lengthMismatch` if `mask.count != count`.
    public func filter(_ mask: [Bool]) throws -> Column {
        try filter(Bitmap(bools: mask))
    }

    /// Filters by packed mask bits (`count` bits, `selected` of them set), without checks.
    func filterUnchecked(_ mask: UnsafeBufferPointer<UInt8>, selected: Int) -> Column {
        let n = count
        let out: ColumnStorage
        switch storage {
        case .int32(let v): out = .int32(filterFixed(v, mask, selected: selected))
        case .int64(let v): out = .int64(filterFixed(v, mask, selected: selected))
        case .float32(let v): out = .float32(filterFixed(v, mask, selected: selected))
        case .float64(let v): out = .float64(filterFixed(v, mask, selected: selected))
        case .bool(let v): out = .bool(filterFixed(v, mask, selected: selected))
        case .bytes(let offsets, let data):
            let (o, d) = filterBytes(offsets: offsets, data: data, mask, selected: selected)
            out = .bytes(offsets: o, data: d)
        case .vector(let dimension, let values):
            out = .vector(dimension: dimension, values: filterVectors(values, dimension: dimension, count: n, mask, selected: selected))
        }
        let newValidity = validity.flatMap { filterBits($0, mask, count: n, selected: selected) }
        return Column(unchecked: type, storage: out, validity: newValidity)
    }
}

extension Bitmap {
    /// A bitmap from booleans, built eight bits at a time.
    init(bools: [Bool]) {
        self = bools.withUnsafeBufferPointer { b in Bitmap.build(count: b.count) { b[$0] } }
    }
}

/// Calls `body(start, end)` for each maximal run `start ..< end` of set bits among the first
/// `count` bits of `bits` (bits past `count` must be zero).
@inline(__always)
func forEachSetRun(_ bits: UnsafeBufferPointer<UInt8>, count: Int, _ body: (Int, Int) -> Void) {
    let byteCount = (count + 7) / 8
    var i = 0
    while i < count {
        var byteIndex = i &>> 3
        var b = bits[byteIndex] & (UInt8(0xFF) &<< UInt8(i & 7))
        while b == 0 {
            byteIndex += 1
            if byteIndex >= byteCount { return }
            b = bits[byteIndex]
        }
        let start = byteIndex &<< 3 + b.trailingZeroBitCount
        var c = ~bits[byteIndex] & (UInt8(0xFF) &<< UInt8(start & 7))
        var end = count
        while c == 0 {
            byteIndex += 1
            if byteIndex >= byteCount { break }
            c = ~bits[byteIndex]
        }
        if c != 0 { end = min(byteIndex &<< 3 + c.trailingZeroBitCount, count) }
        body(start, end)
        i = end
    }
}

func filterFixed<T>(_ source: [T], _ mask: UnsafeBufferPointer<UInt8>, selected: Int) -> [T] {
    source.withUnsafeBufferPointer { src in
        [T](unsafeUninitializedCapacity: selected) { out, initialized in
            initialized = 0
            guard selected > 0, let from = src.baseAddress, let to = out.baseAddress else { return }
            var o = 0
            forEachSetRun(mask, count: src.count) { start, end in
                if end - start <= 4 {
                    for i in start ..< end { (to + o).initialize(to: from[i]); o += 1 }
                } else {
                    (to + o).initialize(from: from + start, count: end - start)
                    o += end - start
                }
            }
            initialized = o
        }
    }
}

func filterBytes(offsets: [Int], data: [UInt8], _ mask: UnsafeBufferPointer<UInt8>, selected: Int) -> (offsets: [Int], data: [UInt8]) {
    offsets.withUnsafeBufferPointer { off in
        let n = off.count - 1
        var total = 0
        forEachSetRun(mask, count: n) { start, end in total += off[end] - off[start] }
        let newOffsets = [Int](unsafeUninitializedCapacity: selected + 1) { out, initialized in
            out.initializeElement(at: 0, to: 0)
            var o = 1
            var base = 0
            forEachSetRun(mask, count: n) { start, end in
                let shift = base - off[start]
                for i in start ..< end { out.initializeElement(at: o, to: off[i + 1] + shift); o += 1 }
                base += off[end] - off[start]
            }
            initialized = o
        }
        let newData = data.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                initialized = 0
                guard total > 0, let from = src.baseAddress, let to = out.baseAddress else { return }
                var position = 0
                forEachSetRun(mask, count: n) { start, end in
                    let length = off[end] - off[start]
                    (to + position).initialize(from: from + off[start], count: length)
                    position += length
                }
                initialized = position
            }
        }
        return (newOffsets, newData)
    }
}

func filterVectors(_ values: [Float], dimension: Int, count: Int, _ mask: UnsafeBufferPointer<UInt8>, selected: Int) -> [Float] {
    values.withUnsafeBufferPointer { src in
        [Float](unsafeUninitializedCapacity: selected * dimension) { out, initialized in
            initialized = 0
            guard selected > 0, dimension > 0, let from = src.baseAddress, let to = out.baseAddress else { return }
            var o = 0
            forEachSetRun(mask, count: count) { start, end in
                let length = (end - start) * dimension
                (to + o).initialize(from: from + start * dimension, count: length)
                o += length
            }
            initialized = o
        }
    }
}

/// The bits of `bitmap` at the set positions of `mask`; `nil` if all of them are set.
func filterBits(_ bitmap: Bitmap, _ mask: UnsafeBufferPointer<UInt8>, count: Int, selected: Int) -> Bitmap? {
    var bytes = [UInt8](repeating: 0, count: (selected + 7) / 8)
    var nulls = 0
    bitmap.bytes.withUnsafeBufferPointer { src in
        bytes.withUnsafeMutableBufferPointer { out in
            var o = 0
            forEachSetRun(mask, count: count) { start, end in
                for i in start ..< end {
                    if readBit(src, i) {
                        out[o &>> 3] |= UInt8(1) &<< UInt8(o & 7)
                    } else {
                        nulls += 1
                    }
                    o += 1
                }
            }
        }
    }
    return nulls == 0 ? nil : Bitmap(uncheckedBytes: bytes, count: selected)
}
