import LarderColumnar

/// Turns columns of point-in-time results into ``FeatureValues``: strings into codes of one
/// sorted vocabulary per feature (shared by every table the feature appears in), numbers and
/// booleans into doubles with NaN for null.
struct FeatureEncoder {
    /// Per feature name, the distinct strings seen so far.
    private var strings: [String: Set<String>] = [:]

    /// Notes the strings of `column` under `name` (call for every table before encoding).
    mutating func collect(_ name: String, _ column: Column) {
        guard column.type == .string, case .bytes(let offsets, let data) = column.storage else { return }
        var seen = Set<ArraySlice<UInt8>>()
        for i in 0 ..< column.count where column.isValid(i) { seen.insert(data[offsets[i] ..< offsets[i + 1]]) }
        strings[name, default: []].formUnion(seen.map { String(decoding: $0, as: UTF8.self) })
    }

    /// `column` encoded under `name`.
    /// - Throws: `.invalidInput` for vector and binary features, which models do not take.
    func encode(_ name: String, _ column: Column) throws -> FeatureValues {
        let n = column.count
        switch column.storage {
        case .bytes(let offsets, let data):
            guard column.type == .string else { break }
            let vocabulary = (strings[name] ?? []).sorted()
            var code: [ArraySlice<UInt8>: Int32] = [:]
            for (k, s) in vocabulary.enumerated() { code[ArraySlice(Array(s.utf8))] = Int32(k) }
            var codes = [Int32](repeating: -1, count: n)
            for i in 0 ..< n where column.isValid(i) { codes[i] = code[data[offsets[i] ..< offsets[i + 1]]] ?? -1 }
            return .categorical(codes: codes, vocabulary: vocabulary)
        case .int64(let v): return .numeric(Self.doubles(n, column) { Double(v[$0]) })
        case .int32(let v): return .numeric(Self.doubles(n, column) { Double(v[$0]) })
        case .float64(let v): return .numeric(Self.doubles(n, column) { v[$0] })
        case .float32(let v): return .numeric(Self.doubles(n, column) { Double(v[$0]) })
        case .bool(let v): return .numeric(Self.doubles(n, column) { v[$0] ? 1 : 0 })
        case .vector: break
        }
        throw RecommenderError(.invalidInput, "feature '\(name)' has type \(column.type); recommender features must be strings, numbers or booleans")
    }

    private static func doubles(_ n: Int, _ column: Column, _ value: (Int) -> Double) -> [Double] {
        (0 ..< n).map { column.isValid($0) ? value($0) : .nan }
    }
}
