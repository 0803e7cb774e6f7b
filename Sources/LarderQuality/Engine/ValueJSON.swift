import LarderColumnar

/// Column values as result JSON, the way GE writes pandas values: integers and floats as
/// numbers (NaN as null), timestamps as ISO 8601 with a `+00:00` offset (Python's
/// `isoformat()` of a UTC timestamp), dates as `YYYY-MM-DD`, binary as lowercase hex,
/// vectors as arrays of numbers.
enum ValueJSON {
    static func value(_ column: Column, _ i: Int) -> QualityJSON {
        guard column.isValid(i) else { return .null }
        switch column.storage {
        case .int32(let v): return column.type == .date ? .string(Timestamp.isoDate(days: v[i])) : .int(Int64(v[i]))
        case .int64(let v): return column.type == .timestamp ? .string(timestamp(v[i])) : .int(v[i])
        case .float32(let v): return v[i].isNaN ? .null : .double(Double(v[i]))
        case .float64(let v): return v[i].isNaN ? .null : .double(v[i])
        case .bool(let v): return .bool(v[i])
        case .bytes(let offsets, let data):
            let bytes = data[offsets[i] ..< offsets[i + 1]]
            if column.type == .string { return .string(String(decoding: bytes, as: UTF8.self)) }
            return .string(hex(bytes))
        case .vector(let d, let values):
            return .array(values[i * d ..< (i + 1) * d].map { $0.isNaN ? .null : .double(Double($0)) })
        }
    }

    /// `2024-01-01T00:00:00+00:00`, with `.ffffff` when there are microseconds.
    static func timestamp(_ micros: Int64) -> String {
        String(Timestamp.iso8601(micros: micros).dropLast()) + "+00:00"
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A sort key's value as JSON for a column of `type`.
    static func value(_ key: SortKey, type: DataType) -> QualityJSON {
        switch key {
        case .int(let i):
            switch type {
            case .timestamp: return .string(timestamp(i))
            case .date: return .string(Timestamp.isoDate(days: Int32(clamping: i)))
            default: return .int(i)
            }
        case .double(let d): return d.isNaN ? .null : .double(d)
        }
    }

    /// A fixed-width distinct key (see ``ValueCounts``) as JSON for a column of `type`.
    static func value(fixedKey k: UInt64, type: DataType) -> QualityJSON {
        switch type {
        case .float32, .float64: return .double(FloatKey.value(k))
        case .bool: return .bool(k != 0)
        default: return value(.int(Int64(bitPattern: k)), type: type)
        }
    }

    /// Byte-string distinct key as JSON.
    static func value(bytesKey k: [UInt8], type: DataType) -> QualityJSON {
        type == .string ? .string(String(decoding: k, as: UTF8.self)) : .string(hex(k))
    }
}
