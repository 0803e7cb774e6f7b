import LarderColumnar

extension CSVReadSession {
    /// Matches the header record just read to the schema and returns, for each file column,
    /// the index of its schema field.
    /// - Throws: ``DatabaseError`` `.invalidInput` for a name that is not UTF-8, a duplicate
    ///   name, schema columns the header lacks (all named) or header columns the schema lacks.
    mutating func readHeader(fieldCount: Int) throws -> [Int] {
        var names: [String] = []
        names.reserveCapacity(fieldCount)
        for k in 0 ..< fieldCount {
            let bytes = tokenizer.field(k)
            guard CSVValueParser.firstInvalidUTF8(bytes) == nil else {
                throw DatabaseError(.invalidInput, "row 1 (the header), field \(k + 1): the column name is not valid UTF-8",
                                    file: file, line: tokenizer.recordLine)
            }
            names.append(String(decoding: bytes, as: UTF8.self))
        }
        var firstPosition: [String: Int] = [:]
        for (k, name) in names.enumerated() {
            if let earlier = firstPosition[name] {
                throw DatabaseError(.invalidInput, "the header names column '\(name)' twice (fields \(earlier + 1) and \(k + 1))",
                                    file: file, line: tokenizer.recordLine)
            }
            firstPosition[name] = k
        }
        let missing = schema.names.filter { firstPosition[$0] == nil }
        let extra = names.filter { schema.index(of: $0) == nil }
        if !missing.isEmpty || !extra.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty {
                parts.append("missing column\(missing.count == 1 ? "" : "s") " + missing.map { "'\($0)'" }.joined(separator: ", "))
            }
            if !extra.isEmpty {
                parts.append("column\(extra.count == 1 ? "" : "s") " + extra.map { "'\($0)'" }.joined(separator: ", ")
                    + " not in the schema")
            }
            throw DatabaseError(.invalidInput, "the header does not match the schema: " + parts.joined(separator: "; ")
                + " (expected " + schema.names.map { "'\($0)'" }.joined(separator: ", ") + ")",
                file: file, line: tokenizer.recordLine)
        }
        fileColumns = names
        return names.compactMap { schema.index(of: $0) }
    }
}
