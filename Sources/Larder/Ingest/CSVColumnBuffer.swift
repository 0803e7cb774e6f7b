import LarderColumnar

/// Why one field could not be stored; the reader turns it into a message naming the row.
enum CSVFieldProblem: Error {
    /// The text is not a value of the column's type.
    case unparsable
    /// An integer or epoch timestamp outside the column's range.
    case outOfRange
    /// A null (empty field or the null token) in a non-nullable column.
    case nullInNonNullable
    /// A string column's bytes are not UTF-8; the offset of the first bad byte.
    case invalidUTF8(at: Int)
}

/// The typed buffers of one column while a batch is read: values are parsed from the field
/// bytes straight into a contiguous array of the column's storage type.
struct CSVColumnBuffer {
    enum Kind {
        case int32, int64, float32, float64, bool, string, binary, date
        case timestamp(unitMicros: Int64?)   // nil: ISO 8601
        case vector(dimension: Int)
    }

    let field: Field
    let kind: Kind
    private var int32s: [Int32] = []     // int32, date
    private var int64s: [Int64] = []     // int64, timestamp
    private var floats: [Float] = []     // float32, vector
    private var doubles: [Double] = []
    private var bools: [Bool] = []
    private var offsets: [Int] = [0]     // string, binary
    private var bytes: [UInt8] = []
    /// Created at the first null, with every earlier row marked valid.
    private var validity: Bitmap?
    private(set) var count = 0

    init(field: Field, timestampFormat: CSVOptions.TimestampFormat) {
        self.field = field
        switch field.type {
        case .int32: kind = .int32
        case .int64: kind = .int64
        case .float32: kind = .float32
        case .float64: kind = .float64
        case .bool: kind = .bool
        case .string: kind = .string
        case .binary: kind = .binary
        case .date: kind = .date
        case .vector(let d): kind = .vector(dimension: d)
        case .timestamp:
            switch timestampFormat {
            case .iso8601: kind = .timestamp(unitMicros: nil)
            case .epochSeconds: kind = .timestamp(unitMicros: 1_000_000)
            case .epochMillis: kind = .timestamp(unitMicros: 1000)
            case .epochMicros: kind = .timestamp(unitMicros: 1)
            }
        }
    }

    /// Whether an empty quoted field is an empty value rather than null.
    var isText: Bool {
        switch kind {
        case .string, .binary: true
        default: false
        }
    }

    /// A human description of what the column expects, for error messages.
    var expectation: String {
        switch kind {
        case .binary: "binary (hex digits, optional 0x)"
        case .date: "date (YYYY-MM-DD)"
        case .timestamp(nil): "timestamp (ISO 8601)"
        case .timestamp(1_000_000): "timestamp (epoch seconds)"
        case .timestamp(1000): "timestamp (epoch milliseconds)"
        case .timestamp: "timestamp (epoch microseconds)"
        case .vector(let d): "\(field.type) (\(d) numbers)"
        case .bool: "bool (true/false, t/f, yes/no, 1/0)"
        default: "\(field.type)"
        }
    }

    /// Appends one field.
    /// - Parameters:
    ///   - value: the field's bytes, without quotes and with `""` unescaped.
    ///   - isNullToken: the field was unquoted and equal to the null token.
    /// - Throws: the problem, for the caller to word with the row and column.
    @inline(__always)
    mutating func append(_ value: UnsafeBufferPointer<UInt8>, isNullToken: Bool) throws(CSVFieldProblem) {
        if isText {
            if isNullToken { return try appendNull() }
        } else {
            let t = CSVValueParser.trimmed(value)
            if isNullToken || t.isEmpty { return try appendNull() }
            return try appendParsed(t)
        }
        if case .string = kind {
            if let bad = CSVValueParser.firstInvalidUTF8(value) { throw .invalidUTF8(at: bad) }
            bytes.append(contentsOf: value)
        } else {
            guard CSVValueParser.appendHex(CSVValueParser.trimmed(value), to: &bytes) else { throw .unparsable }
        }
        offsets.append(bytes.count)
        appendValid()
    }

    @inline(__always)
    private mutating func appendParsed(_ t: UnsafeBufferPointer<UInt8>) throws(CSVFieldProblem) {
        switch kind {
        case .int64:
            guard let v = CSVValueParser.int64(t) else { throw integerProblem(t) }
            int64s.append(v)
        case .float64:
            guard let v = CSVValueParser.float64(t) else { throw .unparsable }
            doubles.append(v)
        case .int32:
            guard let v = CSVValueParser.int32(t) else { throw integerProblem(t) }
            int32s.append(v)
        case .float32:
            guard let v = CSVValueParser.float32(t) else { throw .unparsable }
            floats.append(v)
        case .bool:
            guard let v = CSVValueParser.bool(t) else { throw .unparsable }
            bools.append(v)
        case .date:
            guard let v = CSVValueParser.date(t) else { throw .unparsable }
            int32s.append(v)
        case .timestamp(let unit):
            if let unit {
                guard let v = CSVValueParser.epoch(t, unitMicros: unit) else { throw integerProblem(t) }
                int64s.append(v)
            } else {
                guard let v = CSVValueParser.iso8601(t) else { throw .unparsable }
                int64s.append(v)
            }
        case .vector(let d):
            guard CSVValueParser.appendVector(t, dimension: d, to: &floats) else { throw .unparsable }
        case .string, .binary:
            throw .unparsable   // handled by append(_:isNullToken:)
        }
        appendValid()
    }

    private func integerProblem(_ t: UnsafeBufferPointer<UInt8>) -> CSVFieldProblem {
        CSVValueParser.looksLikeInteger(t) ? .outOfRange : .unparsable
    }

    @inline(__always)
    private mutating func appendValid() {
        count += 1
        validity?.append(true)
    }

    private mutating func appendNull() throws(CSVFieldProblem) {
        guard field.isNullable else { throw .nullInNonNullable }
        if validity == nil { validity = Bitmap(count: count, value: true) }
        validity?.append(false)
        count += 1
        switch kind {
        case .int32, .date: int32s.append(0)
        case .int64, .timestamp: int64s.append(0)
        case .float32: floats.append(0)
        case .float64: doubles.append(0)
        case .bool: bools.append(false)
        case .string, .binary: offsets.append(bytes.count)
        case .vector(let d): floats.append(contentsOf: repeatElement(0, count: d))
        }
    }

    /// The column built so far; the buffer is left empty with room for `reserve` more rows.
    mutating func finish(reserve: Int) throws -> Column {
        let storage: ColumnStorage
        switch kind {
        case .int32, .date: storage = .int32(int32s); int32s = []; int32s.reserveCapacity(reserve)
        case .int64, .timestamp: storage = .int64(int64s); int64s = []; int64s.reserveCapacity(reserve)
        case .float32: storage = .float32(floats); floats = []; floats.reserveCapacity(reserve)
        case .float64: storage = .float64(doubles); doubles = []; doubles.reserveCapacity(reserve)
        case .bool: storage = .bool(bools); bools = []; bools.reserveCapacity(reserve)
        case .string, .binary:
            storage = .bytes(offsets: offsets, data: bytes)
            let averageLength = count > 0 ? bytes.count / count + 1 : 8
            offsets = [0]; offsets.reserveCapacity(reserve + 1)
            bytes = []; bytes.reserveCapacity(reserve * averageLength)
        case .vector(let d):
            storage = .vector(dimension: d, values: floats); floats = []; floats.reserveCapacity(reserve * d)
        }
        let column = try Column(type: field.type, storage: storage, validity: validity)
        validity = nil
        count = 0
        return column
    }
}
