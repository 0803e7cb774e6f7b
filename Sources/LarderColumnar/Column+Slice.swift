// Slice: a contiguous range of rows, copied.

extension Column {
    /// Rows `range`, copied into a new column.
    ///
    /// The range is clamped to `0 ..< count`, like `prefix(_:)`, so splitting a column into
    /// chunks of `n` rows can pass `start ..< start + n` for the last chunk too.
    /// ```swift
    /// Column.int64([1, 2, 3, 4]).slice(1 ..< 3)   // [2, 3]
    /// ```
    public func slice(_ range: Range<Int>) -> Column {
        let lower = min(max(range.lowerBound, 0), count)
        let upper = min(max(range.upperBound, lower), count)
        if lower == 0 && upper == count { return self }
        let r = lower ..< upper
        let out: ColumnStorage
        switch storage {
        case .int32(let v): out = .int32(Array(v[r]))
        case .int64(let v): out = .int64(Array(v[r]))
        case .float32(let v): out = .float32(Array(v[r]))
        case .float64(let v): out = .float64(Array(v[r]))
        case .bool(let v): out = .bool(Array(v[r]))
        case .bytes(let offsets, let data):
            let base = offsets[lower]
            let newOffsets = offsets[lower ... upper].map { $0 - base }
            out = .bytes(offsets: newOffsets, data: Array(data[base ..< offsets[upper]]))
        case .vector(let d, let values):
            out = .vector(dimension: d, values: Array(values[lower * d ..< upper * d]))
        }
        let newValidity = validity.flatMap { $0.sliced(r).asValidity }
        return Column(unchecked: type, storage: out, validity: newValidity)
    }
}

extension Bitmap {
    /// Bits `range` (which must lie within `0 ..< count`) as a new bitmap.
    func sliced(_ range: Range<Int>) -> Bitmap {
        var out = [UInt8](repeating: 0, count: (range.count + 7) / 8)
        bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                copyBits(from: src, at: range.lowerBound, to: dst, at: 0, count: range.count)
            }
        }
        return Bitmap(uncheckedBytes: out, count: range.count)
    }
}

/// Copies `count` bits from `src` starting at bit `srcStart` into `dst` starting at bit
/// `dstStart`. Destination bits must be zero beforehand (bits are OR-ed in).
func copyBits(from src: UnsafeBufferPointer<UInt8>, at srcStart: Int,
              to dst: UnsafeMutableBufferPointer<UInt8>, at dstStart: Int, count: Int) {
    guard count > 0 else { return }
    var done = 0
    if srcStart & 7 == 0 && dstStart & 7 == 0 {
        // Whole bytes line up: copy them, then finish the tail bit by bit.
        let whole = count / 8
        let s = srcStart / 8
        let d = dstStart / 8
        for k in 0 ..< whole { dst[d + k] = src[s + k] }
        done = whole * 8
    } else if dstStart & 7 == 0 {
        // Source is not byte aligned but the destination is: assemble whole bytes by shifting.
        let shift = UInt8(srcStart & 7)
        let whole = count / 8
        let s = srcStart / 8
        let d = dstStart / 8
        for k in 0 ..< whole {
            let lo = src[s + k] &>> shift
            let hi = src[s + k + 1] &<< (8 - shift)
            dst[d + k] = lo | hi
        }
        done = whole * 8
    }
    var i = done
    while i < count {
        if readBit(src, srcStart + i) {
            let bit = dstStart + i
            dst[bit &>> 3] |= UInt8(1) &<< UInt8(bit & 7)
        }
        i += 1
    }
}

/// Sets `count` bits of `dst` starting at bit `start`.
func setBits(_ dst: UnsafeMutableBufferPointer<UInt8>, at start: Int, count: Int) {
    var i = start
    let end = start + count
    while i < end && i & 7 != 0 {
        dst[i &>> 3] |= UInt8(1) &<< UInt8(i & 7)
        i += 1
    }
    while i + 8 <= end {
        dst[i &>> 3] = 0xFF
        i += 8
    }
    while i < end {
        dst[i &>> 3] |= UInt8(1) &<< UInt8(i & 7)
        i += 1
    }
}
