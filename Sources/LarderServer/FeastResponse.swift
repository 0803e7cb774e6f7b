import Larder
import LarderColumnar

/// Feast's `get-online-features` response, written as JSON bytes.
///
/// ```json
/// {"metadata": {"feature_names": ["user_id", "stats__x"]},
///  "results": [{"values": [42], "statuses": ["PRESENT"], "event_timestamps": ["1970-01-01T00:00:00Z"]},
///              {"values": [7], "statuses": ["PRESENT"], "event_timestamps": ["2026-01-02T03:04:05Z"]}]}
/// ```
///
/// The entity key columns come first (status PRESENT, epoch event time, as Feast does), then
/// one result per requested feature in request order. Values are JSON numbers, strings and
/// booleans; vectors are arrays; binary is base64; timestamps are ISO 8601; non-finite floats
/// and withheld values are null. Shared by the HTTP server and `larder get --json`.
public enum FeastResponse {
    /// Feast's event time for entity columns and values with no row.
    public static let epoch = "1970-01-01T00:00:00Z"

    /// The response for `result`, read for the key columns `keys` (name and one value per
    /// entity, in entity order).
    /// - Parameter fullFeatureNames: `view__feature` names (Feast's `full_feature_names`);
    ///   false gives bare feature names (the caller checks they are unambiguous).
    public static func encode(_ result: OnlineFeatureResult, keys: [(name: String, values: [Value])],
                              fullFeatureNames: Bool) -> [UInt8] {
        var w = JSONWriter()
        w.reserve(256 + result.entityCount * result.features.count * 48)
        w.raw("{\"metadata\":{\"feature_names\":[")
        var first = true
        for key in keys {
            if !first { w.raw(",") }
            first = false
            w.string(key.name)
        }
        for feature in result.features {
            if !first { w.raw(",") }
            first = false
            w.string(fullFeatureNames ? feature.name : feature.feature)
        }
        w.raw("]},\"results\":[")
        first = true
        for key in keys {
            if !first { w.raw(",") }
            first = false
            w.raw("{\"values\":[")
            for (i, value) in key.values.enumerated() {
                if i > 0 { w.raw(",") }
                w.value(value)
            }
            w.raw("],\"statuses\":[")
            for i in key.values.indices { w.raw(i > 0 ? ",\"PRESENT\"" : "\"PRESENT\"") }
            w.raw("],\"event_timestamps\":[")
            for i in key.values.indices { w.raw(i > 0 ? ",\"\(epoch)\"" : "\"\(epoch)\"") }
            w.raw("]}")
        }
        for feature in result.features {
            if !first { w.raw(",") }
            first = false
            w.raw("{\"values\":[")
            for (i, value) in feature.values.enumerated() {
                if i > 0 { w.raw(",") }
                w.value(value)
            }
            w.raw("],\"statuses\":[")
            for (i, status) in feature.statuses.enumerated() {
                if i > 0 { w.raw(",") }
                w.raw("\"")
                w.raw(status.rawValue)
                w.raw("\"")
            }
            w.raw("],\"event_timestamps\":[")
            for (i, time) in feature.eventTimestamps.enumerated() {
                if i > 0 { w.raw(",") }
                w.raw("\"")
                w.raw(time.map { Timestamp.iso8601(micros: $0) } ?? epoch)
                w.raw("\"")
            }
            w.raw("]}")
        }
        w.raw("]}")
        return w.bytes
    }
}

/// Appends JSON to a byte array: no intermediate objects, no reflection.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }

    /// Appends `text` as it is (the caller makes it valid JSON).
    public mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `text` as a JSON string, escaped.
    public mutating func string(_ text: String) {
        bytes.append(0x22)
        for b in text.utf8 {
            switch b {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0 ..< 0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    /// Appends a finite number, or null.
    public mutating func number(_ value: Double) {
        raw(value.isFinite ? value.description : "null")
    }

    /// Appends `value`: numbers, strings, booleans, arrays for vectors, ISO 8601 times,
    /// `YYYY-MM-DD` dates, base64 binary; null for null and non-finite floats.
    public mutating func value(_ value: Value) {
        switch value {
        case .null: raw("null")
        case .int32(let v): raw(String(v))
        case .int64(let v): raw(String(v))
        case .float32(let v): raw(v.isFinite ? v.description : "null")
        case .float64(let v): number(v)
        case .bool(let v): raw(v ? "true" : "false")
        case .string(let v): string(v)
        case .binary(let v): string(Base64.encode(v))
        case .timestamp(let v): string(Timestamp.iso8601(micros: v))
        case .date(let v): string(String(Timestamp.iso8601(micros: Int64(v) * 86_400_000_000).prefix(10)))
        case .vector(let v):
            bytes.append(UInt8(ascii: "["))
            for (i, f) in v.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                raw(f.isFinite ? f.description : "null")
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }
}

/// Standard base64 (RFC 4648, padded), without Foundation.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= data.count {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
            i += 3
        }
        let rest = data.count - i
        if rest > 0 {
            let n = UInt32(data[i]) << 16 | (rest == 2 ? UInt32(data[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var table = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int16(i) }
        let chars = Array(text.utf8).filter { $0 != UInt8(ascii: "=") }
        guard text.utf8.count % 4 == 0 || !text.utf8.contains(UInt8(ascii: "=")) else { return nil }
        var out: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0
        for c in chars {
            let v = table[Int(c)]
            guard v >= 0 else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(buffer >> UInt32(bits) & 0xFF))
            }
        }
        return out
    }
}
