import LarderColumnar

/// Rows `range` of a column, held without copying (the column's buffers are shared), for the
/// metrics whose state is the data itself: uniqueness keys, and the values behind medians and
/// quantiles. Encoding writes only the rows in range; floats as their bit patterns, so NaN and
/// infinities survive JSON.
struct ColumnSlice: Sendable {
    let column: Column
    let range: Range<Int>

    var count: Int { range.count }

    /// Whether row `i` (an index of the column, within `range`) holds a value that is not NaN.
    @inline(__always)
    func isPresent(_ i: Int) -> Bool {
        guard column.isValid(i) else { return false }
        switch column.storage {
        case .float64(let v): return !v[i].isNaN
        case .float32(let v): return !v[i].isNaN
        default: return true
        }
    }
}

extension ColumnSlice: Codable {
    private enum Keys: String, CodingKey { case type, dimension, ints32, ints64, floats32, floats64, bools, offsets, bytes, validity }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let typeName = try c.decode(String.self, forKey: .type)
        let type: DataType
        switch typeName {
        case "int32": type = .int32
        case "int64": type = .int64
        case "float32": type = .float32
        case "float64": type = .float64
        case "bool": type = .bool
        case "string": type = .string
        case "binary": type = .binary
        case "timestamp": type = .timestamp
        case "date": type = .date
        case "vector": type = .vector(dimension: try c.decode(Int.self, forKey: .dimension))
        default: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown column type \(typeName)")
        }
        let storage: ColumnStorage
        switch type {
        case .int32, .date: storage = .int32(try c.decode([Int32].self, forKey: .ints32))
        case .int64, .timestamp: storage = .int64(try c.decode([Int64].self, forKey: .ints64))
        case .float32: storage = .float32(try c.decode([UInt32].self, forKey: .floats32).map(Float.init(bitPattern:)))
        case .float64: storage = .float64(try c.decode([UInt64].self, forKey: .floats64).map(Double.init(bitPattern:)))
        case .bool: storage = .bool(try c.decode([Bool].self, forKey: .bools))
        case .string, .binary:
            storage = .bytes(offsets: try c.decode([Int].self, forKey: .offsets), data: try c.decode([UInt8].self, forKey: .bytes))
        case .vector(let d):
            storage = .vector(dimension: d, values: try c.decode([UInt32].self, forKey: .floats32).map(Float.init(bitPattern:)))
        }
        let validity = try c.decodeIfPresent([Bool].self, forKey: .validity).map { Bitmap($0) }
        do {
            column = try Column(type: type, storage: storage, validity: validity)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "inconsistent column: \(error)")
        }
        range = 0 ..< column.count
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        let r = range
        switch column.type {
        case .vector(let d):
            try c.encode("vector", forKey: .type)
            try c.encode(d, forKey: .dimension)
        default:
            try c.encode(column.type.description, forKey: .type)
        }
        switch column.storage {
        case .int32(let v): try c.encode(Array(v[r]), forKey: .ints32)
        case .int64(let v): try c.encode(Array(v[r]), forKey: .ints64)
        case .float32(let v): try c.encode(v[r].map(\.bitPattern), forKey: .floats32)
        case .float64(let v): try c.encode(v[r].map(\.bitPattern), forKey: .floats64)
        case .bool(let v): try c.encode(Array(v[r]), forKey: .bools)
        case .bytes(let offsets, let data):
            let base = offsets[r.lowerBound]
            try c.encode(offsets[r.lowerBound ... r.upperBound].map { $0 - base }, forKey: .offsets)
            try c.encode(Array(data[base ..< offsets[r.upperBound]]), forKey: .bytes)
        case .vector(let d, let values): try c.encode(values[r.lowerBound * d ..< r.upperBound * d].map(\.bitPattern), forKey: .floats32)
        }
        if column.validity != nil {
            try c.encode(r.map { column.isValid($0) }, forKey: .validity)
        }
    }
}

/// The key columns of one stretch of rows, for uniqueness: `start` is the position of the
/// stretch's first row among all rows validated.
///
/// The scan also records each row's key hash (and which rows `ignore_row_if` keeps), while the
/// columns are in cache; they are not encoded, and are recomputed when absent.
struct KeyChunk: Sendable, Codable {
    var start: Int
    var columns: [ColumnSlice]
    var hashes: [UInt64]?
    var keep: [Bool]?

    init(start: Int, columns: [ColumnSlice], hashes: [UInt64]? = nil, keep: [Bool]? = nil) {
        self.start = start
        self.columns = columns
        self.hashes = hashes
        self.keep = keep
    }

    var count: Int { columns.first?.count ?? 0 }

    private enum Keys: String, CodingKey { case start, columns }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        start = try c.decode(Int.self, forKey: .start)
        columns = try c.decode([ColumnSlice].self, forKey: .columns)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(start, forKey: .start)
        try c.encode(columns, forKey: .columns)
    }
}
