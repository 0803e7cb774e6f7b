// PLAIN for BYTE_ARRAY (4-byte little-endian length + bytes), FIXED_LEN_BYTE_ARRAY (bytes only)
// and the deprecated INT96 timestamps (8-byte nanoseconds of day + 4-byte Julian day).
//
// Byte arrays decode into the Arrow-like layout of `ColumnStorage.bytes`: value `i` is
// `data[offsets[i] ..< offsets[i + 1]]`, offsets starting at 0. Decoders append, so a column
// can be assembled page by page into the same buffers.

extension PlainEncoding {
    // MARK: BYTE_ARRAY

    /// Appends byte arrays PLAIN-encoded to `out`: value `i` is `data[offsets[i] ..< offsets[i + 1]]`
    /// for `i` in `0 ..< offsets.count - 1`. With `validity`, only present values are written.
    /// - Throws: `ParquetError(.invalidArgument)` when offsets decrease or leave `data`, or a value
    ///   is longer than `Int32.max` bytes. Nothing is appended then.
    static func encodeByteArrays(offsets: UnsafeBufferPointer<Int>, data: UnsafeRawBufferPointer,
                                 validity: ValidityBitsView? = nil, into out: inout [UInt8]) throws {
        let n = max(offsets.count - 1, 0)
        var total = 0
        for i in 0 ..< n where validity?[i] ?? true {
            let lo = offsets[i], hi = offsets[i + 1]
            guard 0 <= lo, lo <= hi, hi <= data.count else {
                throw ParquetError(.invalidArgument, "byte array \(i) spans \(lo)..<\(hi) outside \(data.count) data bytes")
            }
            guard hi - lo <= Int(Int32.max) else {
                throw ParquetError(.invalidArgument, "byte array \(i) has \(hi - lo) bytes, more than Parquet allows")
            }
            total += 4 + hi - lo
        }
        guard total > 0 else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: total))
        out.withUnsafeMutableBytes { raw in
            guard let dst = raw.baseAddress?.advanced(by: start) else { return }
            var o = 0
            for i in 0 ..< n where validity?[i] ?? true {
                let lo = offsets[i], length = offsets[i + 1] - offsets[i]
                dst.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: o, as: UInt32.self)
                if length > 0, let s = data.baseAddress {
                    (dst + o + 4).copyMemory(from: s + lo, byteCount: length)
                }
                o += 4 + length
            }
        }
    }

    /// Decodes `count` PLAIN byte arrays from the start of `src`, appending `count` offsets to
    /// `offsets` and the bytes to `data`. An empty `offsets` first gets its leading 0; otherwise
    /// its last entry must equal `data.count`. Returns the bytes consumed.
    ///
    /// Every length is checked against the bytes that remain before anything is copied; on error
    /// `offsets` and `data` are left as they were.
    /// - Throws: `ParquetError(.corrupt)` when the page ends early or a length overruns it;
    ///   `.invalidArgument` when `offsets` and `data` disagree.
    @discardableResult
    static func decodeByteArrays(_ src: UnsafeRawBufferPointer, count: Int,
                                 offsets: inout [Int], data: inout [UInt8]) throws -> Int {
        _ = try checkedByteCount(count, size: 4, available: src.count, type: "BYTE_ARRAY")
        try prepareOffsets(&offsets, data: data)
        guard count > 0, let s = src.baseAddress else { return 0 }
        let base = data.count
        let first = offsets.count
        offsets.append(contentsOf: repeatElement(0, count: count))
        // Pass 1: walk the lengths, writing offsets; no byte is copied yet.
        let walked: Result<Int, ParquetError> = offsets.withUnsafeMutableBufferPointer { out in
            var pos = 0
            var running = base
            for i in 0 ..< count {
                guard src.count - pos >= 4 else {
                    return .failure(.corruptEncoding("PLAIN", "BYTE_ARRAY page ends at value \(i) of \(count)"))
                }
                let length = Int(UInt32(littleEndian: s.loadUnaligned(fromByteOffset: pos, as: UInt32.self)))
                pos += 4
                guard length <= src.count - pos else {
                    return .failure(.corruptEncoding(
                        "PLAIN", "BYTE_ARRAY value \(i) declares \(length) bytes but \(src.count - pos) remain"))
                }
                pos += length
                running += length
                out[first + i] = running
            }
            return .success(pos)
        }
        let consumed: Int
        switch walked {
        case .success(let pos): consumed = pos
        case .failure(let error):
            offsets.removeSubrange(first...)
            throw error
        }
        // Pass 2: value i's bytes start after i + 1 length words and the bytes before it.
        let total = consumed - 4 * count
        data.append(contentsOf: repeatElement(0, count: total))
        offsets.withUnsafeBufferPointer { offs in
            data.withUnsafeMutableBytes { raw in
                guard let dst = raw.baseAddress else { return }
                var previous = base
                for i in 0 ..< count {
                    let end = offs[first + i]
                    let length = end - previous
                    if length > 0 {
                        (dst + previous).copyMemory(from: s + 4 * (i + 1) + (previous - base), byteCount: length)
                    }
                    previous = end
                }
            }
        }
        return consumed
    }

    /// Starts an empty offsets buffer at 0, or checks that it ends at `data.count`.
    static func prepareOffsets(_ offsets: inout [Int], data: [UInt8]) throws {
        if offsets.isEmpty {
            offsets.append(0)
        } else if offsets.last != data.count {
            throw ParquetError(.invalidArgument,
                               "offsets end at \(offsets.last ?? 0) but the data buffer holds \(data.count) bytes")
        }
    }

    // MARK: FIXED_LEN_BYTE_ARRAY

    /// Appends fixed-length byte arrays PLAIN-encoded (the bytes only) to `out`; every present
    /// value must be `length` bytes.
    /// - Throws: `ParquetError(.invalidArgument)` when a present value has another length or the
    ///   offsets leave `data`. Nothing is appended then.
    static func encodeFixedLenByteArrays(offsets: UnsafeBufferPointer<Int>, data: UnsafeRawBufferPointer, length: Int,
                                         validity: ValidityBitsView? = nil, into out: inout [UInt8]) throws {
        let n = max(offsets.count - 1, 0)
        for i in 0 ..< n where validity?[i] ?? true {
            let lo = offsets[i], hi = offsets[i + 1]
            guard 0 <= lo, lo <= hi, hi <= data.count, hi - lo == length else {
                throw ParquetError(.invalidArgument,
                                   "value \(i) spans \(lo)..<\(hi), not \(length) bytes inside \(data.count) data bytes")
            }
        }
        guard let s = data.baseAddress else { return }
        for i in 0 ..< n where validity?[i] ?? true {
            out.append(contentsOf: UnsafeRawBufferPointer(start: s + offsets[i], count: length))
        }
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `length` bytes from the start of `src`,
    /// appending the bytes to `data` and `count` offsets (steps of `length`) to `offsets`.
    /// An empty `offsets` first gets its leading 0. Returns the bytes consumed, `count * length`.
    /// - Throws: `ParquetError(.corrupt)` when `src` is shorter; `.invalidArgument` for a negative
    ///   `length` or offsets that do not end at `data.count`.
    @discardableResult
    static func decodeFixedLenByteArrays(_ src: UnsafeRawBufferPointer, count: Int, length: Int,
                                         offsets: inout [Int], data: inout [UInt8]) throws -> Int {
        guard length >= 0 else { throw ParquetError(.invalidArgument, "negative FIXED_LEN_BYTE_ARRAY length \(length)") }
        let bytes = try checkedByteCount(count, size: length, available: src.count, type: "FIXED_LEN_BYTE_ARRAY")
        try prepareOffsets(&offsets, data: data)
        let base = data.count
        offsets.reserveCapacity(offsets.count + count)
        for i in 0 ..< count { offsets.append(base + (i + 1) * length) }
        if bytes > 0 { data.append(contentsOf: UnsafeRawBufferPointer(rebasing: src[0 ..< bytes])) }
        return bytes
    }

    // MARK: INT96

    /// The Julian day number of 1970-01-01.
    static let unixEpochJulianDay: Int64 = 2_440_588
    static let microsPerDay: Int64 = 86_400_000_000

    /// Microseconds since the Unix epoch of an INT96 timestamp: `nanosOfDay` (floored to
    /// microseconds) after midnight of `julianDay`.
    /// - Throws: `ParquetError(.corrupt)` when the result does not fit in an `Int64`.
    static func int96Micros(nanosOfDay: Int64, julianDay: Int32) throws -> Int64 {
        let (dayMicros, o1) = (Int64(julianDay) - unixEpochJulianDay).multipliedReportingOverflow(by: microsPerDay)
        let micros = nanosOfDay >= 0 ? nanosOfDay / 1000 : (nanosOfDay - 999) / 1000
        let (total, o2) = dayMicros.addingReportingOverflow(micros)
        guard !o1, !o2 else {
            throw ParquetError.corruptEncoding("INT96", "Julian day \(julianDay) + \(nanosOfDay) ns is out of range")
        }
        return total
    }

    /// Decodes `count` INT96 timestamps from the start of `src` as microseconds since the Unix
    /// epoch, appending them to `out`. Returns the bytes consumed, `12 * count`.
    /// - Throws: `ParquetError(.corrupt)` when `src` is shorter or a value is out of range;
    ///   `out` is unchanged then.
    @discardableResult
    static func decodeInt96AsMicros(_ src: UnsafeRawBufferPointer, count: Int, appendingTo out: inout [Int64]) throws -> Int {
        let bytes = try checkedByteCount(count, size: 12, available: src.count, type: "INT96")
        guard count > 0, let s = src.baseAddress else { return 0 }
        let start = out.count
        out.reserveCapacity(start + count)
        do {
            for i in 0 ..< count {
                let nanos = Int64(littleEndian: s.loadUnaligned(fromByteOffset: 12 * i, as: Int64.self))
                let day = Int32(littleEndian: s.loadUnaligned(fromByteOffset: 12 * i + 8, as: Int32.self))
                out.append(try int96Micros(nanosOfDay: nanos, julianDay: day))
            }
        } catch {
            out.removeSubrange(start...)
            throw error
        }
        return bytes
    }

    /// Appends `micros` (since the Unix epoch) as INT96 timestamps; for tests and interop.
    static func encodeInt96(micros values: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
        for micros in values {
            let days = micros >= 0 ? micros / microsPerDay : (micros - microsPerDay + 1) / microsPerDay
            let nanos = (micros - days * microsPerDay) * 1000
            withUnsafeBytes(of: nanos.littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: Int32(truncatingIfNeeded: days + unixEpochJulianDay).littleEndian) { out.append(contentsOf: $0) }
        }
    }
}
