import LarderColumnar

/// The dictionary encoding of one column chunk: the PLAIN-encoded dictionary page body and
/// one index per non-null value. Nil when the column's type is not dictionary-encoded (bool,
/// vector) or the dictionary would exceed the size limit (the writer then falls back to PLAIN).
struct DictionaryPlan {
    var count: Int
    var plainDictionary: [UInt8]
    var indices: [UInt32]
    /// The chunk's statistics, computed from the (small) dictionary instead of every row.
    var statistics = ColumnStatistics(nullCount: 0, min: nil, max: nil)

    init?(_ column: Column, rows: Range<Int>, maxBytes: Int) {
        let limits = DictionaryLimits(maxDictionaryBytes: maxBytes)
        let validityBytes = column.validity?.bytes ?? []
        let hasNulls = column.validity != nil
        func fixed<T: PlainFixedWidth & DictionaryKey>(_ values: [T], _ wrap: ([T]) -> ColumnStorage) -> DictionaryPlan? {
            let encoded = values.withUnsafeBufferPointer { buf in
                validityBytes.withUnsafeBytes { raw in
                    FixedWidthDictionaryEncoder<T>.encode(UnsafeBufferPointer(rebasing: buf[rows]),
                                                          validity: hasNulls ? ValidityBitsView(raw, bitOffset: rows.lowerBound) : nil, limits: limits)
                }
            }
            guard let encoded else { return nil }
            var plain: [UInt8] = []
            encoded.dictionary.withUnsafeBufferPointer { PlainEncoding.encode($0, into: &plain) }
            var plan = DictionaryPlan(count: encoded.dictionary.count, plainDictionary: plain, indices: encoded.indices)
            plan.statistics = Self.statistics(of: column, rows: rows, dictionary: wrap(encoded.dictionary))
            return plan
        }
        let plan: DictionaryPlan?
        switch column.storage {
        case .int32(let v): plan = fixed(v) { .int32($0) }
        case .int64(let v): plan = fixed(v) { .int64($0) }
        case .float32(let v): plan = fixed(v) { .float32($0) }
        case .float64(let v): plan = fixed(v) { .float64($0) }
        case .bytes(let offsets, let data):
            let encoded = offsets.withUnsafeBufferPointer { o in
                data.withUnsafeBytes { d in
                    validityBytes.withUnsafeBytes { raw in
                        try? ByteArrayDictionaryEncoder.encode(offsets: UnsafeBufferPointer(rebasing: o[rows.lowerBound ... rows.upperBound]), data: d,
                                                               validity: hasNulls ? ValidityBitsView(raw, bitOffset: rows.lowerBound) : nil, limits: limits)
                    }
                }
            }
            guard let encoded = encoded ?? nil else { return nil }
            var plain: [UInt8] = []
            let ok: Void? = encoded.offsets.withUnsafeBufferPointer { o in
                encoded.data.withUnsafeBytes { d in
                    try? PlainEncoding.encodeByteArrays(offsets: o, data: d, into: &plain)
                }
            }
            guard ok != nil else { return nil }
            var p = DictionaryPlan(count: encoded.offsets.count - 1, plainDictionary: plain, indices: encoded.indices)
            p.statistics = Self.statistics(of: column, rows: rows, dictionary: .bytes(offsets: encoded.offsets, data: encoded.data))
            plan = p
        case .bool, .vector:
            plan = nil
        }
        guard let plan else { return nil }
        self = plan
    }

    /// Min and max over the dictionary entries (every entry is a present value), nulls from the column.
    private static func statistics(of column: Column, rows: Range<Int>, dictionary: ColumnStorage) -> ColumnStatistics {
        let nulls = column.validity.map { v in rows.reduce(0) { $0 + (v[$1] ? 0 : 1) } } ?? 0
        guard let values = try? Column(type: column.type, storage: dictionary) else { return ColumnStatistics(column, rows: rows) }
        var stats = ColumnStatistics(values)
        stats.nullCount = nulls
        return stats
    }

    private init(count: Int, plainDictionary: [UInt8], indices: [UInt32]) {
        self.count = count
        self.plainDictionary = plainDictionary
        self.indices = indices
    }
}
