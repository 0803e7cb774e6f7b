import LarderColumnar

/// The non-null values of a column chunk, decoded page by page in their physical form.
/// Only the buffer of the chunk's physical type is used.
struct DenseValues {
    var int32: [Int32] = []
    var int64: [Int64] = []
    var float: [Float] = []
    var double: [Double] = []
    var bool: [Bool] = []
    var offsets: [Int] = [0]
    var data: [UInt8] = []
    /// Selective reads: dictionary pages keep their indices here instead of gathering.
    var keepIndices = false
    var indices: [UInt32] = []
    var dictionaryIndexed = false

    /// The number of values held in the buffer of `kind`.
    func count(_ kind: PhysicalKind) -> Int {
        switch kind {
        case .int32: int32.count
        case .int64, .int96: int64.count
        case .float: float.count
        case .double: double.count
        case .bool: bool.count
        case .bytes, .fixedBytes: offsets.count - 1
        }
    }

    /// Appends `dictionary[i]` for each index, checking every index.
    mutating func appendGathered(from dictionary: DenseValues, kind: PhysicalKind,
                                 indices: UnsafeBufferPointer<UInt32>) throws {
        let size = dictionary.count(kind)
        switch kind {
        case .int32: try Self.gather(dictionary.int32, indices, into: &int32)
        case .int64, .int96: try Self.gather(dictionary.int64, indices, into: &int64)
        case .float: try Self.gather(dictionary.float, indices, into: &float)
        case .double: try Self.gather(dictionary.double, indices, into: &double)
        case .bool: try Self.gather(dictionary.bool, indices, into: &bool)
        case .bytes, .fixedBytes:
            try dictionary.offsets.withUnsafeBufferPointer { dictOffsets in
                var total = 0
                for i in indices {
                    guard Int(i) < size else { throw Self.badIndex(i, size) }
                    total += dictOffsets[Int(i) + 1] - dictOffsets[Int(i)]
                }
                let dataStart = data.count, offsetStart = offsets.count
                data.append(contentsOf: repeatElement(0, count: total))
                offsets.append(contentsOf: repeatElement(0, count: indices.count))
                dictionary.data.withUnsafeBytes { src in
                    data.withUnsafeMutableBytes { dst in
                        offsets.withUnsafeMutableBufferPointer { out in
                            var o = dataStart
                            for (k, i) in indices.enumerated() {
                                let lo = dictOffsets[Int(i)], n = dictOffsets[Int(i) + 1] - lo
                                // n > 0 means both buffers are non-empty, so both addresses exist.
                                if n > 0, let to = dst.baseAddress, let from = src.baseAddress {
                                    (to + o).copyMemory(from: from + lo, byteCount: n)
                                }
                                o += n
                                out[offsetStart + k] = o
                            }
                        }
                    }
                }
            }
        }
    }

    /// Appends `dict[i]` for each index into pre-sized storage; every index is checked.
    private static func gather<T>(_ dict: [T], _ indices: UnsafeBufferPointer<UInt32>, into out: inout [T]) throws {
        guard !indices.isEmpty else { return }
        guard let first = dict.first else { throw badIndex(indices[0], 0) }
        let start = out.count
        out.append(contentsOf: repeatElement(first, count: indices.count))
        try dict.withUnsafeBufferPointer { d in
            try out.withUnsafeMutableBufferPointer { o in
                let size = UInt32(truncatingIfNeeded: d.count)
                for k in 0 ..< indices.count {
                    let i = indices[k]
                    guard i < size else { throw badIndex(i, d.count) }
                    o[start + k] = d[Int(i)]
                }
            }
        }
    }

    private static func badIndex(_ i: UInt32, _ size: Int) -> ParquetError {
        ParquetError(.corrupt, "dictionary index \(i) is out of range for a dictionary of \(size) entries")
    }
}

/// The physical value kinds a chunk decodes into.
enum PhysicalKind: Sendable {
    case int32, int64, int96, float, double, bool, bytes, fixedBytes

    init(_ type: ParquetFormat.PhysicalType) throws {
        switch type {
        case .int32: self = .int32
        case .int64: self = .int64
        case .int96: self = .int96
        case .float: self = .float
        case .double: self = .double
        case .boolean: self = .bool
        case .byteArray: self = .bytes
        case .fixedLenByteArray: self = .fixedBytes
        default: throw ParquetError(.unsupported, "physical type \(type)")
        }
    }
}

extension DenseValues {
    /// Builds the column of `rowCount` rows from the dense values and the validity of each row
    /// (nil: every row present), applying the leaf's conversion.
    func column(type: DataType, kind: PhysicalKind, conversion: LeafColumn.Conversion,
                validity: Bitmap?, rowCount: Int) throws -> Column {
        let present = validity?.setCount ?? rowCount
        guard count(kind) == present else {
            throw ParquetError(.corrupt, "column chunk holds \(count(kind)) values for \(present) non-null rows")
        }
        func spread<T>(_ dense: [T], zero: T) -> [T] {
            guard let validity else { return dense }
            var out = [T](repeating: zero, count: rowCount)
            var j = 0
            for i in 0 ..< rowCount where validity[i] {
                out[i] = dense[j]
                j += 1
            }
            return out
        }
        let storage: ColumnStorage
        switch kind {
        case .int32:
            if conversion == .unsigned32ToInt64 {
                storage = .int64(spread(int32.map { Int64(UInt32(bitPattern: $0)) }, zero: 0))
            } else {
                storage = .int32(spread(int32, zero: 0))
            }
        case .int64, .int96:
            storage = .int64(spread(try convert(int64, conversion), zero: 0))
        case .float: storage = .float32(spread(float, zero: 0))
        case .double: storage = .float64(spread(double, zero: 0))
        case .bool: storage = .bool(spread(bool, zero: false))
        case .bytes, .fixedBytes:
            if let validity {
                var full = [Int](repeating: 0, count: rowCount + 1)
                var j = 0
                for i in 0 ..< rowCount {
                    if validity[i] { j += 1 }
                    full[i + 1] = offsets[j]
                }
                storage = .bytes(offsets: full, data: data)
            } else {
                storage = .bytes(offsets: offsets, data: data)
            }
        }
        return try Column(type: type, storage: storage, validity: validity)
    }

    private func convert(_ values: [Int64], _ conversion: LeafColumn.Conversion) throws -> [Int64] {
        switch conversion {
        case .millisToMicros:
            return try values.map { v in
                let (r, overflow) = v.multipliedReportingOverflow(by: 1000)
                guard !overflow else { throw ParquetError(.unsupported, "timestamp \(v) ms is out of the microsecond range") }
                return r
            }
        case .nanosToMicros:
            return values.map { v in v >= 0 ? v / 1000 : (v - 999) / 1000 }
        case .unsigned64ToInt64:
            for v in values where v < 0 {
                throw ParquetError(.unsupported, "unsigned 64-bit value \(UInt64(bitPattern: v)) does not fit int64")
            }
            return values
        default:
            return values
        }
    }
}
