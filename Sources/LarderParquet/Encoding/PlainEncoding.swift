// PLAIN (Encodings.md, "PLAIN = 0") for the fixed-width physical types and BOOLEAN: values back
// to back, little-endian; booleans bit-packed LSB first. Byte arrays and INT96 are in
// PlainEncoding+ByteArray.swift.

/// A type whose PLAIN encoding is its little-endian in-memory bytes: INT32 (`Int32`,
/// `UInt32`), INT64 (`Int64`, `UInt64`), FLOAT (`Float`), DOUBLE (`Double`).
protocol PlainFixedWidth: BitwiseCopyable, AdditiveArithmetic {}
extension Int32: PlainFixedWidth {}
extension UInt32: PlainFixedWidth {}
extension Int64: PlainFixedWidth {}
extension UInt64: PlainFixedWidth {}
extension Float: PlainFixedWidth {}
extension Double: PlainFixedWidth {}

/// Validity bits over a range of values: value `i` is present when bit `bitOffset + i` of
/// `bytes` (LSB first, as in ``Bitmap``) is set. Lets a writer encode a page that starts
/// mid-column without copying its bitmap.
struct ValidityBitsView {
    let bytes: UnsafeRawBufferPointer
    let bitOffset: Int

    init(_ bytes: UnsafeRawBufferPointer, bitOffset: Int = 0) {
        self.bytes = bytes
        self.bitOffset = bitOffset
    }

    @inline(__always)
    subscript(i: Int) -> Bool {
        let bit = bitOffset + i
        return (bytes[bit >> 3] >> UInt8(bit & 7)) & 1 != 0
    }

    /// The number of set bits among the first `count`.
    func setCount(_ count: Int) -> Int {
        var total = 0
        var i = 0
        while i < count && (bitOffset + i) & 7 != 0 {
            if self[i] { total += 1 }
            i += 1
        }
        while i + 8 <= count {
            total += bytes[(bitOffset + i) >> 3].nonzeroBitCount
            i += 8
        }
        while i < count {
            if self[i] { total += 1 }
            i += 1
        }
        return total
    }
}

/// PLAIN encoding and decoding.
enum PlainEncoding {
    // MARK: Fixed width

    /// Appends `values` PLAIN-encoded (their little-endian bytes) to `out`. With `validity`,
    /// only the values whose bit is set are written (nulls have no PLAIN representation).
    static func encode<T: PlainFixedWidth>(_ values: UnsafeBufferPointer<T>, validity: ValidityBitsView? = nil,
                                           into out: inout [UInt8]) {
        guard let base = values.baseAddress, values.count > 0 else { return }
        let size = MemoryLayout<T>.stride
        guard let validity else {
            out.append(contentsOf: UnsafeRawBufferPointer(start: base, count: values.count * size))
            return
        }
        let present = validity.setCount(values.count)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: present * size))
        out.withUnsafeMutableBytes { raw in
            guard let dst = raw.baseAddress?.advanced(by: start) else { return }
            var o = 0
            for i in 0 ..< values.count where validity[i] {
                dst.storeBytes(of: base[i], toByteOffset: o, as: T.self)
                o += size
            }
        }
    }

    /// Decodes `count` PLAIN values of `T` from the start of `src` into `dst` and returns the
    /// bytes consumed (`count * MemoryLayout<T>.size`).
    /// - Throws: `ParquetError(.corrupt)` when `src` is shorter; `.invalidArgument` when `dst`
    ///   has room for fewer than `count` values.
    @discardableResult
    static func decode<T: PlainFixedWidth>(_ src: UnsafeRawBufferPointer, count: Int,
                                           into dst: UnsafeMutableBufferPointer<T>) throws -> Int {
        guard count >= 0, dst.count >= count else {
            throw ParquetError(.invalidArgument, "PLAIN decode of \(count) values into a buffer of \(dst.count)")
        }
        let bytes = try checkedByteCount(count, size: MemoryLayout<T>.stride, available: src.count, type: "\(T.self)")
        if bytes > 0, let s = src.baseAddress, let d = dst.baseAddress {
            UnsafeMutableRawPointer(d).copyMemory(from: s, byteCount: bytes)
        }
        return bytes
    }

    /// Decodes `count` PLAIN values of `T` from the start of `src`, appending them to `out`.
    /// Returns the bytes consumed.
    /// - Throws: `ParquetError(.corrupt)` when `src` holds fewer than `count` values.
    @discardableResult
    static func decode<T: PlainFixedWidth>(_ src: UnsafeRawBufferPointer, count: Int,
                                           appendingTo out: inout [T]) throws -> Int {
        let bytes = try checkedByteCount(count, size: MemoryLayout<T>.stride, available: src.count, type: "\(T.self)")
        guard count > 0, let s = src.baseAddress else { return 0 }
        if Int(bitPattern: s) % MemoryLayout<T>.alignment == 0 {
            // Aligned (the usual case: a page's values start its buffer): one copy, no zero fill.
            s.withMemoryRebound(to: T.self, capacity: count) { out.append(contentsOf: UnsafeBufferPointer(start: $0, count: count)) }
            return bytes
        }
        let start = out.count
        // Grow, then copy raw bytes: the source is unaligned for T.
        out.append(contentsOf: repeatElement(T.zero, count: count))
        out.withUnsafeMutableBytes { raw in
            raw.baseAddress?.advanced(by: start * MemoryLayout<T>.stride).copyMemory(from: s, byteCount: bytes)
        }
        return bytes
    }

    /// `count * size`, checked against `available`.
    static func checkedByteCount(_ count: Int, size: Int, available: Int, type: String) throws -> Int {
        guard count >= 0 else { throw ParquetError(.invalidArgument, "negative value count \(count)") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, bytes <= available else {
            throw ParquetError.corruptEncoding(
                "PLAIN", "\(count) \(type) values need \(count)×\(size) bytes but the page holds \(available)")
        }
        return bytes
    }

    // MARK: Boolean

    /// Appends booleans PLAIN-encoded (bit-packed, LSB first; the last byte zero-padded) to
    /// `out`. With `validity`, only present values are written.
    static func encode(_ values: UnsafeBufferPointer<Bool>, validity: ValidityBitsView? = nil,
                       into out: inout [UInt8]) {
        let n = values.count
        let present = validity.map { $0.setCount(n) } ?? n
        guard present > 0 else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: (present + 7) / 8))
        out.withUnsafeMutableBufferPointer { dst in
            var o = 0
            for i in 0 ..< n where validity?[i] ?? true {
                if values[i] { dst[start + (o >> 3)] |= UInt8(1) << UInt8(o & 7) }
                o += 1
            }
        }
    }

    /// Decodes `count` PLAIN booleans from the start of `src`, appending them to `out`.
    /// Returns the bytes consumed, `(count + 7) / 8`.
    /// - Throws: `ParquetError(.corrupt)` when `src` is shorter.
    @discardableResult
    static func decodeBooleans(_ src: UnsafeRawBufferPointer, count: Int, appendingTo out: inout [Bool]) throws -> Int {
        guard count >= 0 else { throw ParquetError(.invalidArgument, "negative value count \(count)") }
        let bytes = (count + 7) / 8
        guard bytes <= src.count else {
            throw ParquetError.corruptEncoding("PLAIN", "\(count) booleans need \(bytes) bytes but the page holds \(src.count)")
        }
        let start = out.count
        out.append(contentsOf: repeatElement(false, count: count))
        out.withUnsafeMutableBufferPointer { dst in
            for i in 0 ..< count {
                dst[start + i] = (src[i >> 3] >> UInt8(i & 7)) & 1 != 0
            }
        }
        return bytes
    }
}
