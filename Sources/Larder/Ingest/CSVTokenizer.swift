/// A syntax error in the CSV text itself (before any value is typed).
enum CSVSyntaxProblem: Error {
    /// A quoted field (0-based `field` of the record) is never closed; `line` is where its
    /// quote opened.
    case unterminatedQuote(field: Int, line: Int)
    /// A byte other than a delimiter or line end follows a closing quote.
    case junkAfterQuote(field: Int, byte: UInt8)
}

/// Splits RFC 4180 text into records and fields without copying: each field is a byte range
/// of the input, plus whether it was quoted and holds `""` escapes.
///
/// Records end at LF, CRLF or a lone CR; blank lines between records are skipped. Inside
/// quotes, delimiters and line ends are data and `""` is one quote. A quote inside an unquoted
/// field is kept as a literal character. Owns its field-slot buffers: call ``deallocate()``.
struct CSVTokenizer {
    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let quotedFlag: UInt8 = 1
    private static let escapedFlag: UInt8 = 2

    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    /// Offset of the next unread byte.
    private(set) var position: Int
    /// 1-based line of `position`.
    private(set) var line = 1
    /// 1-based line on which the last record returned by ``next()`` started.
    private(set) var recordLine = 0

    private var starts: UnsafeMutableBufferPointer<Int>
    private var ends: UnsafeMutableBufferPointer<Int>
    private var flags: UnsafeMutableBufferPointer<UInt8>
    private var scratch: UnsafeMutableBufferPointer<UInt8>

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, start: Int, fieldCapacity: Int) {
        self.bytes = bytes
        self.delimiter = delimiter
        position = start
        let capacity = max(fieldCapacity, 4)
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        flags = .allocate(capacity: capacity)
        scratch = .allocate(capacity: 64)
    }

    mutating func deallocate() {
        starts.deallocate()
        ends.deallocate()
        flags.deallocate()
        scratch.deallocate()
    }

    private mutating func growFields() {
        let capacity = starts.count * 2
        func grown<T>(_ old: UnsafeMutableBufferPointer<T>) -> UnsafeMutableBufferPointer<T> {
            let new = UnsafeMutableBufferPointer<T>.allocate(capacity: capacity)
            _ = new.initialize(fromContentsOf: old)
            old.deallocate()
            return new
        }
        starts = grown(starts)
        ends = grown(ends)
        flags = grown(flags)
    }

    /// Reads the next record and returns its number of fields, or nil at the end of the input.
    mutating func next() throws(CSVSyntaxProblem) -> Int? {
        let b = bytes, n = b.count, delimiter = delimiter
        var p = position
        // Skip blank lines.
        while p < n {
            let c = b[p]
            if c == Self.lf {
                p += 1
            } else if c == Self.cr {
                p += 1
                if p < n && b[p] == Self.lf { p += 1 }
            } else {
                break
            }
            line += 1
        }
        position = p
        guard p < n else { return nil }
        recordLine = line
        var count = 0
        while true {
            if count == starts.count { growFields() }
            if p < n && b[p] == Self.quote {
                let openLine = line
                p += 1
                let start = p
                var escaped = false
                while true {
                    guard p < n else { throw .unterminatedQuote(field: count, line: openLine) }
                    let c = b[p]
                    if c == Self.quote {
                        if p + 1 < n && b[p + 1] == Self.quote {
                            escaped = true
                            p += 2
                            continue
                        }
                        break
                    }
                    if c == Self.lf || (c == Self.cr && !(p + 1 < n && b[p + 1] == Self.lf)) { line += 1 }
                    p += 1
                }
                starts[count] = start
                ends[count] = p
                flags[count] = escaped ? Self.quotedFlag | Self.escapedFlag : Self.quotedFlag
                p += 1
                if p < n {
                    let c = b[p]
                    if c != delimiter && c != Self.lf && c != Self.cr { throw .junkAfterQuote(field: count, byte: c) }
                }
            } else {
                let start = p
                while p < n {
                    let c = b[p]
                    if c == delimiter || c == Self.lf || c == Self.cr { break }
                    p += 1
                }
                starts[count] = start
                ends[count] = p
                flags[count] = 0
            }
            count += 1
            guard p < n else { break }
            let c = b[p]
            p += 1
            if c == delimiter { continue }
            if c == Self.cr && p < n && b[p] == Self.lf { p += 1 }
            line += 1
            break
        }
        position = p
        return count
    }

    /// Whether field `k` of the last record was quoted.
    @inline(__always)
    func isQuoted(_ k: Int) -> Bool { flags[k] & Self.quotedFlag != 0 }

    /// The bytes of field `k` of the last record, without its quotes. A field with `""`
    /// escapes is unescaped into a scratch buffer that the next call overwrites.
    @inline(__always)
    mutating func field(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        let raw = UnsafeBufferPointer(rebasing: bytes[starts[k] ..< ends[k]])
        guard flags[k] & Self.escapedFlag != 0 else { return raw }
        if scratch.count < raw.count {
            scratch.deallocate()
            scratch = .allocate(capacity: raw.count)
        }
        var out = 0
        var i = 0
        while i < raw.count {
            scratch[out] = raw[i]
            out += 1
            // Inside a quoted field every quote is doubled; keep one.
            i += raw[i] == Self.quote ? 2 : 1
        }
        return UnsafeBufferPointer(rebasing: scratch[..<out])
    }
}
