/// One value of any ``DataType``, for row-wise code paths (tests, CSV parsing, tools).
/// Hot paths use the typed buffers of ``Column`` instead.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case int32(Int32)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    case binary([UInt8])
    /// Microseconds since the epoch, UTC.
    case timestamp(Int64)
    /// Days since the epoch.
    case date(Int32)
    case vector([Float])

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var description: String {
        switch self {
        case .null: "null"
        case .int32(let v): "\(v)"
        case .int64(let v): "\(v)"
        case .float32(let v): "\(v)"
        case .float64(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): "\"\(v)\""
        case .binary(let v): "0x" + v.map { String($0, radix: 16).leftPad(2) }.joined()
        case .timestamp(let v): "ts(\(v))"
        case .date(let v): "date(\(v))"
        case .vector(let v): "\(v)"
        }
    }
}

extension String {
    func leftPad(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
