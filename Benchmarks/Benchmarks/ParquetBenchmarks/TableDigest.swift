import LarderColumnar

/// Row count, decoded size and one checksum per column of a table: what every benchmark checks
/// a result against before its time counts. The same definitions, in Python, are in
/// `Benchmarks/parquet/common.py` (whose docstring is the reference); the input's digest is
/// written beside it by `make_input.py` as `<input>.json`.
struct TableDigest: Codable, Equatable, Sendable {
    var rows: Int
    /// Σ over columns: rows × 8 for int64/timestamp/float64, rows × 4 for float32, rows × 1
    /// for bool, and UTF-8 bytes + rows × 4 for strings. Null slots count at full width.
    var decodedBytes: Int
    var columns: [String: ColumnDigest]
}

/// The checksum of one column (see ``TableDigest``).
struct ColumnDigest: Codable, Equatable, Sendable {
    var nulls: Int
    /// int64, timestamp, float64, float32: wrapping sum of the values' bit patterns (non-null rows).
    var sum: UInt64?
    /// bool: the number of true values.
    var trues: Int?
    /// string: UTF-8 bytes of the non-null values, and the wrapping sum of those bytes.
    var bytes: Int?
    var byteSum: UInt64?
}

enum DigestError: Error, CustomStringConvertible {
    case unsupported(column: String, type: DataType)
    case mismatch(what: String, expected: TableDigest, actual: TableDigest)

    var description: String {
        switch self {
        case .unsupported(let column, let type):
            "column \(column): type \(type) has no digest rule"
        case .mismatch(let what, let expected, let actual):
            "\(what) does not match the input's digest: rows \(actual.rows) (expected \(expected.rows)), "
                + "columns that differ: \(actual.differingColumns(from: expected).joined(separator: ", "))"
        }
    }
}

extension TableDigest {
    /// The digest of `batch`.
    init(_ batch: RecordBatch) throws {
        var decoded = 0
        var columns: [String: ColumnDigest] = [:]
        for (field, column) in zip(batch.schema.fields, batch.columns) {
            let (digest, bytes) = try ColumnDigest.make(column, name: field.name)
            columns[field.name] = digest
            decoded += bytes
        }
        self.init(rows: batch.rowCount, decodedBytes: decoded, columns: columns)
    }

    /// The digest of the concatenation of `batches` (all with the same schema).
    init(batches: [RecordBatch]) throws {
        self.init(rows: 0, decodedBytes: 0, columns: [:])
        for batch in batches {
            let part = try TableDigest(batch)
            rows += part.rows
            decodedBytes += part.decodedBytes
            for (name, digest) in part.columns {
                columns[name] = columns[name].map { $0.merged(with: digest) } ?? digest
            }
        }
    }

    /// Throws ``DigestError/mismatch`` unless `self` equals `expected`.
    func check(against expected: TableDigest, what: @autoclosure () -> String) throws {
        guard self == expected else { throw DigestError.mismatch(what: what(), expected: expected, actual: self) }
    }

    func differingColumns(from other: TableDigest) -> [String] {
        Set(columns.keys).union(other.columns.keys).sorted().filter { columns[$0] != other.columns[$0] }
    }
}

extension ColumnDigest {
    /// The digest of two row ranges of one column, one after the other.
    func merged(with other: ColumnDigest) -> ColumnDigest {
        func add(_ a: UInt64?, _ b: UInt64?) -> UInt64? { a.flatMap { a in b.map { a &+ $0 } } }
        func add(_ a: Int?, _ b: Int?) -> Int? { a.flatMap { a in b.map { a + $0 } } }
        return ColumnDigest(nulls: nulls + other.nulls, sum: add(sum, other.sum), trues: add(trues, other.trues),
                            bytes: add(bytes, other.bytes), byteSum: add(byteSum, other.byteSum))
    }

    /// The digest of `column` and its decoded size in bytes.
    static func make(_ column: Column, name: String) throws -> (ColumnDigest, Int) {
        let rows = column.count
        let validity = column.validity
        let nulls = column.nullCount
        switch column.storage {
        case .int64(let values):
            return (ColumnDigest(nulls: nulls, sum: wrappingSum(values, validity) { UInt64(bitPattern: $0) }), rows * 8)
        case .float64(let values):
            return (ColumnDigest(nulls: nulls, sum: wrappingSum(values, validity) { $0.bitPattern }), rows * 8)
        case .float32(let values):
            return (ColumnDigest(nulls: nulls, sum: wrappingSum(values, validity) { UInt64($0.bitPattern) }), rows * 4)
        case .bool(let values):
            let trues = Int(wrappingSum(values, validity) { $0 ? 1 : 0 })
            return (ColumnDigest(nulls: nulls, trues: trues), rows)
        case .bytes(let offsets, let data) where column.type == .string:
            var total = 0
            var byteSum: UInt64 = 0
            offsets.withUnsafeBufferPointer { offsets in
                data.withUnsafeBufferPointer { data in
                    for row in 0 ..< rows where validity?[row] ?? true {
                        for i in offsets[row] ..< offsets[row + 1] { byteSum &+= UInt64(data[i]) }
                        total += offsets[row + 1] - offsets[row]
                    }
                }
            }
            return (ColumnDigest(nulls: nulls, bytes: total, byteSum: byteSum), total + rows * 4)
        default:
            throw DigestError.unsupported(column: name, type: column.type)
        }
    }

    private static func wrappingSum<T>(_ values: [T], _ validity: Bitmap?, _ bits: (T) -> UInt64) -> UInt64 {
        values.withUnsafeBufferPointer { values in
            var sum: UInt64 = 0
            if let validity {
                for i in values.indices where validity[i] { sum &+= bits(values[i]) }
            } else {
                for value in values { sum &+= bits(value) }
            }
            return sum
        }
    }
}
