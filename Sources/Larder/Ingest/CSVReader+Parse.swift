import LarderColumnar

/// One read of one CSV text: tokenizes records and appends each field to its column's
/// typed buffer, cutting a ``RecordBatch`` every `batchRows` rows.
struct CSVReadSession {
    let bytes: UnsafeBufferPointer<UInt8>
    let schema: Schema
    let options: CSVOptions
    let batchRows: Int
    let progress: ((Int, Int) -> Void)?
    let file: String?
    var tokenizer: CSVTokenizer
    /// Column names in file order (the header's, or the schema's when there is none).
    var fileColumns: [String]
    /// Whether the record being read is the header.
    var readingHeader = false

    init(bytes: UnsafeBufferPointer<UInt8>, schema: Schema, options: CSVOptions, batchRows: Int,
         progress: ((Int, Int) -> Void)?, file: String?) {
        self.bytes = bytes
        self.schema = schema
        self.options = options
        self.batchRows = batchRows
        self.progress = progress
        self.file = file
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = bytes.starts(with: bom) ? 3 : 0
        tokenizer = CSVTokenizer(bytes: bytes, delimiter: options.delimiter, start: start, fieldCapacity: schema.count)
        fileColumns = schema.names
    }

    mutating func run() throws -> [RecordBatch] {
        // fileToSchema[k]: the schema column that file column k fills.
        let fileToSchema: [Int]
        if options.hasHeader {
            readingHeader = true
            guard let count = try nextRecord() else {
                throw DatabaseError(.invalidInput, "the file is empty; expected a header row naming the columns "
                    + schema.names.map { "'\($0)'" }.joined(separator: ", "), file: file, line: 1)
            }
            fileToSchema = try readHeader(fieldCount: count)
            readingHeader = false
        } else {
            fileToSchema = Array(0 ..< schema.count)
        }
        let nullToken = Array(options.nullToken.utf8)
        var columns = schema.fields.map { CSVColumnBuffer(field: $0, timestampFormat: options.timestampFormat) }
        var batches: [RecordBatch] = []
        var rows = 0
        var rowsBefore = 0   // rows in earlier batches, for the size estimate
        let dataStart = tokenizer.position

        while let count = try nextRecord() {
            guard count == fileToSchema.count else {
                let what = options.hasHeader ? "the header has" : "the schema has"
                throw DatabaseError(.invalidInput, "row \(tokenizer.recordLine) has \(count) field\(count == 1 ? "" : "s"); "
                    + "\(what) \(fileToSchema.count) (check the delimiter and quoting)", file: file, line: tokenizer.recordLine)
            }
            for k in 0 ..< count {
                let quoted = tokenizer.isQuoted(k)
                let value = tokenizer.field(k)
                let isNull = !quoted && value.count == nullToken.count && (nullToken.isEmpty || value.elementsEqual(nullToken))
                do {
                    try columns[fileToSchema[k]].append(value, isNullToken: isNull)
                } catch {
                    throw fieldError(error, column: columns[fileToSchema[k]], value: value)
                }
            }
            rows += 1
            if rows == batchRows {
                rowsBefore += rows
                let bytesPerRow = max((tokenizer.position - dataStart) / rowsBefore, 1)
                let estimate = (bytes.count - tokenizer.position) / bytesPerRow + 1
                batches.append(try finishBatch(&columns, reserve: min(batchRows, estimate)))
                rows = 0
                progress?(tokenizer.position, bytes.count)
            } else if rows & 0xFFFF == 0 {
                progress?(tokenizer.position, bytes.count)
            }
        }
        if rows > 0 { batches.append(try finishBatch(&columns, reserve: 0)) }
        progress?(bytes.count, bytes.count)
        return batches
    }

    private mutating func nextRecord() throws -> Int? {
        do {
            return try tokenizer.next()
        } catch {
            let row = tokenizer.recordLine
            switch error {
            case .unterminatedQuote(let field, let line):
                throw DatabaseError(.invalidInput, "\(place(row, field)): the quoted field opened on line \(line) is never closed",
                                    file: file, line: row)
            case .junkAfterQuote(let field, let byte):
                let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
                throw DatabaseError(.invalidInput, "\(place(row, field)): \(shown) follows a closing quote; "
                    + "a quote inside a quoted field must be doubled (\"\")", file: file, line: row)
            }
        }
    }

    /// "row 7, column 'name'" for file column `field` ("row 1 (the header), field 3" while the
    /// header is read).
    private func place(_ row: Int, _ field: Int) -> String {
        if readingHeader { return "row \(row) (the header), field \(field + 1)" }
        if field < fileColumns.count { return "row \(row), column '\(fileColumns[field])'" }
        return "row \(row), field \(field + 1)"
    }

    private func fieldError(_ error: any Error, column: CSVColumnBuffer, value: UnsafeBufferPointer<UInt8>) -> DatabaseError {
        let row = tokenizer.recordLine
        let lead = "row \(row), column '\(column.field.name)'"
        let message: String
        switch error as? CSVFieldProblem {
        case .nullInNonNullable:
            message = "\(lead): empty value in a non-nullable column"
        case .invalidUTF8(let offset):
            message = "\(lead): the value is not valid UTF-8 (bad byte at offset \(offset))"
        case .outOfRange:
            message = "\(lead): \(Self.quoted(value)) is out of range for \(column.expectation)"
        case .unparsable, nil:
            message = "\(lead): cannot parse \(Self.quoted(value)) as \(column.expectation)"
        }
        return DatabaseError(.invalidInput, message, file: file, line: row)
    }

    /// The value in double quotes for a message, shortened if long.
    static func quoted(_ value: UnsafeBufferPointer<UInt8>) -> String {
        let limit = 60
        let text = String(decoding: value.prefix(limit), as: UTF8.self)
        return "\"" + text + (value.count > limit ? "…" : "") + "\""
    }

    private func finishBatch(_ columns: inout [CSVColumnBuffer], reserve: Int) throws -> RecordBatch {
        do {
            var built: [Column] = []
            built.reserveCapacity(columns.count)
            for i in columns.indices { built.append(try columns[i].finish(reserve: reserve)) }
            return try RecordBatch(schema: schema, columns: built)
        } catch {
            // The buffers are built to fit the schema; this is a bug, not bad input.
            throw DatabaseError(.invalidInput, "internal error building a batch", file: file,
                                line: tokenizer.recordLine, underlying: error)
        }
    }
}
