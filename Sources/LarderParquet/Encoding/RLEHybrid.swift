// The RLE / bit-packing hybrid (Encodings.md, "RLE = 3"): a sequence of runs, each either
// `varint(len << 1)` + one value in ceil(bitWidth / 8) bytes, or `varint(groups << 1 | 1)` +
// `groups * 8` values bit-packed. Used for definition/repetition levels, dictionary indices and
// RLE booleans.

/// Encodes unsigned integers with the RLE / bit-packing hybrid.
enum RLEHybridEncoder {
    /// Repeats at least this long become RLE runs; shorter ones stay bit-packed.
    static let minRepeatRun = 8
    /// Longest run a single header may declare (the spec's 2^31 - 1, rounded down to groups of 8
    /// for bit-packed runs).
    static let maxRunLength = Int(Int32.max)

    /// Appends `values` encoded at `bitWidth` (0...32) to `out`, without a length prefix.
    ///
    /// Repeats of `minRepeatRun` or more become RLE runs; everything else is bit-packed in groups
    /// of 8, the last group padded with zeros. Values must fit in `bitWidth` bits (higher bits are
    /// dropped). An empty input appends nothing.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        precondition((0 ... 32).contains(bitWidth), "bit width \(bitWidth) outside 0...32")
        let n = values.count
        guard n > 0, let base = values.baseAddress else { return }
        var literalStart = 0
        var i = 0
        while i < n {
            let v = base[i]
            var j = i + 1
            while j < n && base[j] == v { j += 1 }
            if j - i < minRepeatRun {
                i = j
                continue
            }
            // Bit-packed runs other than the last must hold a multiple of 8 values: lend the
            // pending literals enough of this repeat to complete their last group.
            let pending = i - literalStart
            var runStart = i
            if pending % 8 != 0 { runStart += 8 - pending % 8 }
            if j - runStart < minRepeatRun {
                i = j
                continue
            }
            appendBitPacked(UnsafeBufferPointer(start: base + literalStart, count: runStart - literalStart),
                            bitWidth: bitWidth, into: &out)
            appendRepeat(v, count: j - runStart, bitWidth: bitWidth, into: &out)
            literalStart = j
            i = j
        }
        appendBitPacked(UnsafeBufferPointer(start: base + literalStart, count: n - literalStart),
                        bitWidth: bitWidth, into: &out)
    }

    /// Encodes `values` at `bitWidth`; convenience over the buffer-pointer form.
    static func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out: [UInt8] = []
        values.withUnsafeBufferPointer { encode($0, bitWidth: bitWidth, into: &out) }
        return out
    }

    /// Appends RLE runs of `value` totalling `count` values.
    static func appendRepeat(_ value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        var left = count
        let valueBytes = (bitWidth + 7) / 8
        while left > 0 {
            let run = min(left, maxRunLength)
            EncodingVarInt.appendULEB128(UInt64(run) << 1, to: &out)
            for k in 0 ..< valueBytes { out.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * k))) }
            left -= run
        }
    }

    /// Appends `values` as bit-packed runs, padding the last group of 8 with zeros.
    static func appendBitPacked(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        guard let base = values.baseAddress, values.count > 0 else { return }
        let maxRunValues = maxRunLength & ~7
        var start = 0
        while start < values.count {
            let chunk = min(values.count - start, maxRunValues)
            let groups = (chunk + 7) / 8
            EncodingVarInt.appendULEB128(UInt64(groups) << 1 | 1, to: &out)
            BitPacking.pack(UnsafeBufferPointer(start: base + start, count: chunk), bitWidth: bitWidth, into: &out)
            // Zero padding up to whole groups: `groups * bitWidth` bytes in all.
            let written = BitPacking.byteCount(count: chunk, bitWidth: bitWidth)
            let padding = groups * bitWidth - written
            if padding > 0 { out.append(contentsOf: repeatElement(0, count: padding)) }
            start += chunk
        }
    }
}

/// Decodes the RLE / bit-packing hybrid.
enum RLEHybridDecoder {
    /// Decodes exactly `count` values at `bitWidth` (0...32) from `src` (no length prefix) into
    /// the first `count` slots of `dst`, and returns the number of bytes consumed.
    ///
    /// The last bit-packed run may declare padding values past `count` (DuckDB pads whole runs
    /// of up to 504 values); they are skipped. Bytes after the run that completes `count` values are not read. The caller bounds
    /// `count` (the RLE format lets a few bytes declare 2^31 values).
    /// - Throws: `ParquetError(.corrupt)` when `bitWidth` exceeds 32, the data ends before
    ///   `count` values, an RLE run declares more values than remain, a run header is not a valid 32-bit varint, or an RLE value does not fit
    ///   `bitWidth`; `.invalidArgument` when `dst` is shorter than `count`.
    @discardableResult
    static func decode(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                       into dst: UnsafeMutableBufferPointer<UInt32>) throws -> Int {
        guard (0 ... 32).contains(bitWidth) else {
            throw ParquetError.corruptEncoding("RLE", "bit width \(bitWidth) exceeds 32")
        }
        guard count >= 0, dst.count >= count else {
            throw ParquetError(.invalidArgument, "RLE decode of \(count) values into a buffer of \(dst.count)")
        }
        guard count > 0, let out = dst.baseAddress else { return 0 }
        var cursor = EncodingByteCursor(src, encoding: "RLE")
        let valueBytes = (bitWidth + 7) / 8
        var produced = 0
        while produced < count {
            guard cursor.remaining > 0 else {
                throw ParquetError.corruptEncoding("RLE", "data ends after \(produced) of \(count) values")
            }
            let header = try cursor.readULEB128(maxBits: 32)
            let left = count - produced
            if header & 1 == 0 {
                let run = Int(header >> 1)
                guard run <= left else {
                    throw ParquetError.corruptEncoding("RLE", "run of \(run) values overflows the \(left) values left")
                }
                let raw = try cursor.take(valueBytes, what: "a repeated value")
                var v: UInt32 = 0
                for k in 0 ..< valueBytes { v |= UInt32(raw[k]) << UInt32(8 * k) }
                if bitWidth < 32 && v >> UInt32(bitWidth) != 0 {
                    throw ParquetError.corruptEncoding("RLE", "repeated value \(v) does not fit in \(bitWidth) bits")
                }
                (out + produced).update(repeating: v, count: run)
                produced += run
            } else {
                let declared = Int(header >> 1) * 8
                let take = min(declared, left)
                // The last run may be padded past `count` (DuckDB pads to whole runs); the padding is ignored.
                let runBytes = Int(header >> 1) * bitWidth
                let needed = BitPacking.byteCount(count: take, bitWidth: bitWidth)
                let body = try cursor.take(min(runBytes, max(needed, cursor.remaining)), what: "a bit-packed run")
                try BitPacking.unpack(body, bitWidth: bitWidth, count: take, into: out + produced)
                produced += take
            }
        }
        return cursor.position
    }

    /// Decodes exactly `count` values at `bitWidth` from `src`; convenience returning an array.
    /// - Throws: as ``decode(_:bitWidth:count:into:)``.
    static func decode(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int) throws -> [UInt32] {
        guard count > 0 else { return [] }
        var result = [UInt32](repeating: 0, count: count)
        try result.withUnsafeMutableBufferPointer { _ = try decode(src, bitWidth: bitWidth, count: count, into: $0) }
        return result
    }

    /// Decodes exactly `count` values at `bitWidth` from `bytes`; convenience for tests and tools.
    static func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        try bytes.withUnsafeBytes { try decode($0, bitWidth: bitWidth, count: count) }
    }
}
