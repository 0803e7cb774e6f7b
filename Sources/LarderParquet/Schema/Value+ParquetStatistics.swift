import LarderColumnar

extension Value {
    /// The value in Parquet's PLAIN statistics form (little-endian; byte arrays without length).
    var parquetStatisticsBytes: [UInt8]? {
        func le<T: FixedWidthInteger>(_ x: T) -> [UInt8] { withUnsafeBytes(of: x.littleEndian) { Array($0) } }
        switch self {
        case .int32(let v), .date(let v): return le(v)
        case .int64(let v), .timestamp(let v): return le(v)
        case .float32(let v): return le(v.bitPattern)
        case .float64(let v): return le(v.bitPattern)
        case .bool(let v): return [v ? 1 : 0]
        case .string(let s): return Array(s.utf8)
        case .binary(let b): return b
        case .null, .vector: return nil
        }
    }

    /// Decodes a Parquet statistics value of a column of Larder type `type`.
    /// `timeScale` converts the stored integer to microseconds: value × multiplier ÷ divisor.
    static func fromParquetStatistics(_ bytes: [UInt8], type: DataType, physicalIsInt96: Bool = false,
                                      multiplier: Int64 = 1, divisor: Int64 = 1) -> Value? {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch type {
        case .int32: return load(Int32.self).map { .int32($0) }
        case .date: return load(Int32.self).map { .date($0) }
        case .int64: return load(Int64.self).map { .int64($0) }
        case .timestamp:
            guard !physicalIsInt96, let raw = load(Int64.self) else { return nil }
            let (m, overflow) = raw.multipliedReportingOverflow(by: multiplier)
            guard !overflow else { return nil }
            // Floor division keeps the bound conservative for negative times.
            let q = m / divisor, r = m % divisor
            return .timestamp(r < 0 ? q - 1 : q)
        case .float32: return load(UInt32.self).map { .float32(Float(bitPattern: $0)) }
        case .float64: return load(UInt64.self).map { .float64(Double(bitPattern: $0)) }
        case .bool: return bytes.count == 1 ? .bool(bytes[0] != 0) : nil
        case .string: return .string(String(decoding: bytes, as: UTF8.self))
        case .binary: return .binary(bytes)
        case .vector: return nil
        }
    }
}
