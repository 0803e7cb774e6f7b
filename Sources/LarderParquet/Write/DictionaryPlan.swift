import LarderColumnar

/// The dictionary encoding of one column chunk: the PLAIN-encoded dictionary page body and
/// one index per non-null value. Nil when the column's type is not dictionary-encoded (bool,
/// vector) or the dictionary would exceed the size limit (the writer then falls back to PLAIN).
struct DictionaryPlan {
    var count: Int
    var plainDictionary: [UInt8]
    var indices: [UInt32]

    init?(_ column: Column, maxBytes: Int) {
        let limits = DictionaryLimits(maxDictionaryBytes: maxBytes)
        let validityBytes = column.validity?.bytes ?? []
        let hasNulls = column.validity != nil
        func fixed<T: PlainFixedWidth & DictionaryKey>(_ values: [T]) -> DictionaryPlan? {
            let encoded = values.withUnsafeBufferPointer { buf in
                validityBytes.withUnsafeBytes { raw in
                    FixedWidthDictionaryEncoder<T>.encode(buf, validity: hasNulls ? ValidityBitsView(raw) : nil, limits: limits)
                }
            }
            guard let encoded else { return nil }
            var plain: [UInt8] = []
            encoded.dictionary.withUnsafeBufferPointer { PlainEncoding.encode($0, into: &plain) }
            return DictionaryPlan(count: encoded.dictionary.count, plainDictionary: plain, indices: encoded.indices)
        }
        let plan: DictionaryPlan?
        switch column.storage {
        case .int32(let v): plan = fixed(v)
        case .int64(let v): plan = fixed(v)
        case .float32(let v): plan = fixed(v)
        case .float64(let v): plan = fixed(v)
        case .bytes(let offsets, let data):
            let encoded = offsets.withUnsafeBufferPointer { o in
                data.withUnsafeBytes { d in
                    validityBytes.withUnsafeBytes { raw in
                        try? ByteArrayDictionaryEncoder.encode(offsets: o, data: d,
                                                               validity: hasNulls ? ValidityBitsView(raw) : nil, limits: limits)
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
            plan = DictionaryPlan(count: encoded.offsets.count - 1, plainDictionary: plain, indices: encoded.indices)
        case .bool, .vector:
            plan = nil
        }
        guard let plan else { return nil }
        self = plan
    }

    private init(count: Int, plainDictionary: [UInt8], indices: [UInt32]) {
        self.count = count
        self.plainDictionary = plainDictionary
        self.indices = indices
    }
}
