import Foundation
import Larder
import LarderColumnar
import LarderTestSupport
import Testing

/// Reads `text` as CSV with `schema`, naming the input "t.csv" in errors.
private func read(_ text: String, _ schema: Schema, options: CSVOptions = .init(), batchRows: Int = 1 << 20) throws -> [RecordBatch] {
    try CSVReader.read(data: Array(text.utf8), schema: schema, options: options, batchRows: batchRows, name: "t.csv")
}

/// Reads `text` and returns its single batch.
private func readOne(_ text: String, _ schema: Schema, options: CSVOptions = .init()) throws -> RecordBatch {
    let batches = try read(text, schema, options: options)
    try #require(batches.count == 1)
    return batches[0]
}

/// The values of column `name`, row by row.
private func values(_ batch: RecordBatch, _ name: String) throws -> [Value] {
    let column = try #require(batch.column(named: name))
    return (0 ..< column.count).map { column[$0] }
}

/// A one-column schema.
private func schema(_ name: String, _ type: DataType, nullable: Bool = true) throws -> Schema {
    try Schema([Field(name, type, nullable: nullable)])
}

/// Expects reading to fail with `.invalidInput` at `line` with exactly `message`.
private func expectError(_ text: String, _ schema: Schema, options: CSVOptions = .init(), line: Int?, message: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let error = #expect(throws: DatabaseError.self, sourceLocation: sourceLocation) {
        try read(text, schema, options: options)
    }
    guard let error else { return }
    #expect(error.code == .invalidInput, sourceLocation: sourceLocation)
    #expect(error.file == "t.csv", sourceLocation: sourceLocation)
    #expect(error.line == line, sourceLocation: sourceLocation)
    #expect(error.message == message, sourceLocation: sourceLocation)
}

@Suite struct CSVReaderTests {
    // MARK: Types

    @Test func integersAtTheirLimits() throws {
        let s = try Schema([Field("a", .int32), Field("b", .int64)])
        let batch = try readOne("""
        a,b
        2147483647,9223372036854775807
        -2147483648,-9223372036854775808
        +5, 7 \n\
        -0,0000000000000000000000042
        """, s)
        #expect(try values(batch, "a") == [.int32(.max), .int32(.min), .int32(5), .int32(0)])
        #expect(try values(batch, "b") == [.int64(.max), .int64(.min), .int64(7), .int64(42)])
    }

    @Test(arguments: [
        ("int32", "2147483648", "is out of range for int32"),
        ("int32", "-2147483649", "is out of range for int32"),
        ("int64", "9223372036854775808", "is out of range for int64"),
        ("int64", "-9223372036854775809", "is out of range for int64"),
        ("int64", "99999999999999999999999", "is out of range for int64"),
    ])
    func integerOverflowIsAnError(type: String, text: String, reason: String) throws {
        let t: DataType = type == "int32" ? .int32 : .int64
        expectError("n\n\(text)\n", try schema("n", t), line: 2, message: "row 2, column 'n': \"\(text)\" \(reason)")
    }

    @Test(arguments: ["1.0", "12a", "--1", "+", "1 2", "0x10", "1e3"])
    func integerGarbageIsAnError(text: String) throws {
        expectError("n\n1\n\(text)\n", try schema("n", .int64), line: 3,
                    message: "row 3, column 'n': cannot parse \"\(text)\" as int64")
    }

    @Test func floatsIncludingSpecialValues() throws {
        let texts = ["1e5", "-0.5", ".5", "5.", "0.1", "1E-3", "-0", "NaN", "nan", "INF", "-inf", "+Infinity",
                     "0.30000000000000004", "1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890", "1e400"]
        let batch = try readOne("x\n" + texts.joined(separator: "\n"), try schema("x", .float64))
        let got = try values(batch, "x").map { value -> Double in
            guard case .float64(let d) = value else { return -42 }
            return d
        }
        let expected: [Double] = [1e5, -0.5, 0.5, 5, 0.1, 0.001, -0.0, .nan, .nan, .infinity, -.infinity, .infinity,
                                  0.30000000000000004, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 123456789012345677877719597056, .infinity]
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            #expect(g.bitPattern == e.bitPattern || (g.isNaN && e.isNaN), "\(g) vs \(e)")
        }
    }

    @Test func float32IsRoundedOnceFromTheText() throws {
        // 1.00000017881393432617187499 is just below the midpoint between two floats; parsing
        // through Double first would round it up to the midpoint and then to even.
        let texts = ["0.1", "3.4028235e38", "1e-45", "-2.5", "16777217", "1.00000017881393432617187499", "nan"]
        let batch = try readOne("x\n" + texts.joined(separator: "\n"), try schema("x", .float32))
        let got = try values(batch, "x").map { value -> Float in
            guard case .float32(let f) = value else { return -42 }
            return f
        }
        let expected: [Float] = [0.1, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -2.5, 16777216, 1.0000001, .nan]
        for (g, e) in zip(got, expected) {
            #expect(g.bitPattern == e.bitPattern || (g.isNaN && e.isNaN), "\(g) vs \(e)")
        }
        #expect(got.count == expected.count)
    }

    @Test func floatsMatchSwiftsParserOnRandomText() throws {
        var rng = SplitMix64(seed: 0xC5)
        var lines: [String] = []
        for k in 0 ..< 4000 {
            switch k % 4 {
            case 0: lines.append("\(Double(bitPattern: rng.next() & ~(0x7FF << 52) | (UInt64.random(in: 900 ... 1150, using: &rng) << 52)))")
            case 1: lines.append("\(Double.random(in: -1e6 ... 1e6, using: &rng))")
            case 2:
                let digits = (0 ..< Int.random(in: 1 ... 24, using: &rng)).map { _ in String(Int.random(in: 0 ... 9, using: &rng)) }.joined()
                lines.append("\(digits).\(Int.random(in: 0 ... 999, using: &rng))e\(Int.random(in: -40 ... 40, using: &rng))")
            default: lines.append("-0.\(UInt64.random(in: 0 ... .max, using: &rng))")
            }
        }
        let s = try Schema([Field("d", .float64), Field("f", .float32)])
        let batch = try readOne("d,f\n" + lines.map { "\($0),\($0)" }.joined(separator: "\n"), s)
        for (row, text) in lines.enumerated() {
            #expect(batch.columns[0][row] == .float64(try #require(Double(text))), "\(text)")
            #expect(batch.columns[1][row] == .float32(try #require(Float(text))), "\(text)")
        }
    }

    @Test func floatGarbageIsAnError() throws {
        for text in ["1e", "1e+", "e5", ".", "0x1p3", "1.2.3", "infinit", "nan(1)", "1,5"] {
            expectError("x\n\"\(text)\"\n", try schema("x", .float64), line: 2,
                        message: "row 2, column 'x': cannot parse \"\(text)\" as float64")
        }
    }

    @Test func boolSpellings() throws {
        let texts = ["true", "FALSE", "t", "F", "yes", "No", "1", "0", "True", "YES"]
        let batch = try readOne("b\n" + texts.joined(separator: "\n"), try schema("b", .bool))
        #expect(try values(batch, "b") == [true, false, true, false, true, false, true, false, true, true].map(Value.bool))
        for bad in ["2", "yess", "y", "truth", "-1"] {
            expectError("b\n\(bad)\n", try schema("b", .bool), line: 2,
                        message: "row 2, column 'b': cannot parse \"\(bad)\" as bool (true/false, t/f, yes/no, 1/0)")
        }
    }

    @Test func stringsKeepTheirBytesAndMustBeUTF8() throws {
        let batch = try readOne("s\n héllo \n日本語 🎉\n\"a,b\"\n\"line1\nline2\"\n\"say \"\"hi\"\"\"\n", try schema("s", .string))
        #expect(try values(batch, "s") == [" héllo ", "日本語 🎉", "a,b", "line1\nline2", "say \"hi\""].map(Value.string))

        for bad: [UInt8] in [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            let data = Array("id,s\n1,ok\n2,x".utf8) + bad + Array("\n".utf8)
            let s = try Schema([Field("id", .int64), Field("s", .string)])
            let error = #expect(throws: DatabaseError.self) { try CSVReader.read(data: data, schema: s, name: "t.csv") }
            #expect(error?.line == 3)
            #expect(error?.message == "row 3, column 's': the value is not valid UTF-8 (bad byte at offset 1)")
        }
    }

    @Test func binaryIsHex() throws {
        let batch = try readOne("b\n0xCAFE\ncafe\n0X00ff\n\"\"\n\n0x\n", try Schema([Field("b", .binary), ]))
        #expect(try values(batch, "b") == [.binary([0xCA, 0xFE]), .binary([0xCA, 0xFE]), .binary([0, 0xFF]), .binary([]), .binary([])])
        let two = try readOne("id,b\n1,\n2,\"\"\n", try Schema([Field("id", .int32), Field("b", .binary)]))
        #expect(try values(two, "b") == [.null, .binary([])])
        for bad in ["abc", "0xZZ", "12 34"] {
            expectError("b\n\(bad)\n", try schema("b", .binary), line: 2,
                        message: "row 2, column 'b': cannot parse \"\(bad)\" as binary (hex digits, optional 0x)")
        }
    }

    @Test func iso8601TimestampsWithAndWithoutOffsets() throws {
        let texts = [
            "2024-03-01T12:30:00Z", "2024-03-01T12:30:00", "2024-03-01 12:30:00.25", "2024-03-01T12:30:00+02:00",
            "2024-03-01T12:30:00-0530", "2024-03-01T12:30:00.123456789Z", "2024-03-01", "2024-03-01T12:30Z",
            "1969-12-31T23:59:59.999999Z", "2024-02-29T00:00:00z", "2024-03-01t12:30:00,5", "+2024-03-01T00:00:00Z",
            "2016-12-31T23:59:60Z",
        ]
        let batch = try readOne("ts\n" + texts.map { "\"\($0)\"" }.joined(separator: "\n"), try schema("ts", .timestamp))
        let expected = try texts.map { Value.timestamp(try #require(Timestamp.parseISO8601($0), "\($0)")) }
        #expect(try values(batch, "ts") == expected)
        #expect(batch.columns[0][0] == .timestamp(1_709_296_200 * 1_000_000))
        #expect(batch.columns[0][3] == .timestamp((1_709_296_200 - 7200) * 1_000_000))
    }

    @Test func badTimestampNamesRowAndColumn() throws {
        let s = try Schema([Field("user_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false)])
        let good = (0 ..< 15).map { "\($0),2024-01-01T00:00:00Z" }.joined(separator: "\n")
        expectError("user_id,event_ts\n\(good)\n99,2024-13-01\n", s, line: 17,
                    message: "row 17, column 'event_ts': cannot parse \"2024-13-01\" as timestamp (ISO 8601)")
        for bad in ["2023-02-29", "2024-01-01T24:00:00", "2024-01-01T12:00:00+", "2024-01-01T12:00:00Zx", "2024-1-01", "yesterday"] {
            expectError("user_id,event_ts\n1,\(bad)\n", s, line: 2,
                        message: "row 2, column 'event_ts': cannot parse \"\(bad)\" as timestamp (ISO 8601)")
        }
    }

    @Test(arguments: [
        (CSVOptions.TimestampFormat.epochSeconds, ["1700000000", "-1", "1700000000.25", "-0.5", "0"],
         [1_700_000_000_000_000, -1_000_000, 1_700_000_000_250_000, -500_000, 0] as [Int64]),
        (.epochMillis, ["1700000000123", "-1", "1.5", "+7"], [1_700_000_000_123_000, -1000, 1500, 7000]),
        (.epochMicros, ["1700000000123456", "-1", "9223372036854775807", "5.9"], [1_700_000_000_123_456, -1, .max, 5]),
    ])
    func epochTimestamps(format: CSVOptions.TimestampFormat, texts: [String], micros: [Int64]) throws {
        var options = CSVOptions()
        options.timestampFormat = format
        let batch = try readOne("ts\n" + texts.joined(separator: "\n"), try schema("ts", .timestamp), options: options)
        #expect(try values(batch, "ts") == micros.map(Value.timestamp))
    }

    @Test func epochErrors() throws {
        var options = CSVOptions()
        options.timestampFormat = .epochSeconds
        expectError("ts\n2024-01-01\n", try schema("ts", .timestamp), options: options, line: 2,
                    message: "row 2, column 'ts': cannot parse \"2024-01-01\" as timestamp (epoch seconds)")
        expectError("ts\n9223372036855\n", try schema("ts", .timestamp), options: options, line: 2,
                    message: "row 2, column 'ts': \"9223372036855\" is out of range for timestamp (epoch seconds)")
        options.timestampFormat = .epochMillis
        expectError("ts\n1.\n", try schema("ts", .timestamp), options: options, line: 2,
                    message: "row 2, column 'ts': cannot parse \"1.\" as timestamp (epoch milliseconds)")
    }

    @Test func dates() throws {
        let batch = try readOne("d\n1970-01-01\n2024-02-29\n1969-12-31\n0001-01-01\n", try schema("d", .date))
        #expect(try values(batch, "d") == [.date(0), .date(19782), .date(-1), .date(-719_162)])
        for bad in ["2023-02-29", "2024-04-31", "2024-00-10", "2024-01-01T00:00:00Z", "24-01-01", "2024/01/01"] {
            expectError("d\n\(bad)\n", try schema("d", .date), line: 2,
                        message: "row 2, column 'd': cannot parse \"\(bad)\" as date (YYYY-MM-DD)")
        }
    }

    @Test func vectorsInEveryAcceptedForm() throws {
        let text = """
        id,v
        1,"[1.0, 2.5, -3]"
        2,[4;5;6]
        3,7 8 9
        4,"  [ 1e1 ,2,3 ]  "
        5,
        6,"1,2,3"
        7,[nan; inf; -0.5]
        """
        let batch = try readOne(text, try Schema([Field("id", .int32), Field("v", .vector(dimension: 3))]))
        let got = try values(batch, "v")
        #expect(Array(got[0 ..< 6]) == [.vector([1, 2.5, -3]), .vector([4, 5, 6]), .vector([7, 8, 9]), .vector([10, 2, 3]), .null, .vector([1, 2, 3])])
        guard case .vector(let last) = got[6] else { Issue.record("row 7 is \(got[6])"); return }
        #expect(last.count == 3 && last[0].isNaN && last[1] == .infinity && last[2] == -0.5)

        for bad in ["[1, 2]", "[1,2,3,4]", "[1,,2,3]", "[1,2,3,]", "[1 2 3", "1 2 x", "[]"] {
            expectError("v\n\"\(bad)\"\n", try schema("v", .vector(dimension: 3)), line: 2,
                        message: "row 2, column 'v': cannot parse \"\(bad)\" as array<float32>[3] (3 numbers)")
        }
    }

    // MARK: Syntax

    @Test func quotingEscapesDelimitersAndNewlines() throws {
        let text = "id,name,n\n1,\"a,b\",\"42\"\n2,\"two\nlines\",7\n3,\"\"\"quoted\"\"\",8\n4,plain \"inner\" quote,9\n"
        let s = try Schema([Field("id", .int32), Field("name", .string), Field("n", .int64)])
        let batch = try readOne(text, s)
        #expect(try values(batch, "name") == ["a,b", "two\nlines", "\"quoted\"", "plain \"inner\" quote"].map(Value.string))
        #expect(try values(batch, "n") == [42, 7, 8, 9].map(Value.int64))
        // The row after a two-line field starts on line 5.
        expectError("id,name,n\n1,\"x\ny\",1\n2,b,zz\n", s, line: 4, message: "row 4, column 'n': cannot parse \"zz\" as int64")
    }

    @Test func crlfAndTrailingNewlines() throws {
        let s = try Schema([Field("a", .int32), Field("b", .string)])
        for text in ["a,b\r\n1,x\r\n2,\"y\r\nz\"\r\n", "a,b\r\n1,x\r\n2,\"y\r\nz\"", "a,b\n1,x\n2,\"y\r\nz\"\n\n\n"] {
            let batch = try readOne(text, s)
            #expect(try values(batch, "a") == [.int32(1), .int32(2)])
            #expect(try values(batch, "b") == [.string("x"), .string("y\r\nz")])
        }
        expectError("a,b\r\n1,x\r\n\r\nq,y\r\n", s, line: 4, message: "row 4, column 'a': cannot parse \"q\" as int32")
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let s = try Schema([Field("a", .int32), Field("b", .int32)])
        let batch = try readOne("a,b\n\n1,2\n\n\n3,4\n", s)
        #expect(batch.rowCount == 2)
        expectError("a,b\n\n1,2\n\n3\n", s, line: 5, message: "row 5 has 1 field; the header has 2 (check the delimiter and quoting)")
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let data: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,v\n1,2\n".utf8)
        let batches = try CSVReader.read(data: data, schema: try Schema([Field("id", .int32), Field("v", .int32)]))
        #expect(batches.count == 1 && batches[0].row(0) == [.int32(1), .int32(2)])
    }

    @Test func tabDelimiter() throws {
        var options = CSVOptions()
        options.delimiter = UInt8(ascii: "\t")
        let batch = try readOne("a\tb\n1\tx,y\n", try Schema([Field("a", .int32), Field("b", .string)]), options: options)
        #expect(batch.row(0) == [.int32(1), .string("x,y")])
    }

    @Test func delimiterCannotBeAQuoteOrLineEnd() throws {
        for byte in [UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")] {
            var options = CSVOptions()
            options.delimiter = byte
            expectError("a\n1\n", try schema("a", .int32), options: options, line: nil,
                        message: "the CSV delimiter cannot be a quote or a line end")
        }
    }

    // MARK: Nulls

    @Test func defaultNullTokenIsTheEmptyUnquotedField() throws {
        let s = try Schema([Field("s", .string), Field("n", .int64), Field("f", .float64), Field("t", .timestamp)])
        let batch = try readOne("s,n,f,t\n,,,\n\"\",\"\", ,\nx,1,2.5,2024-01-01\n", s)
        #expect(batch.row(0) == [.null, .null, .null, .null])
        #expect(batch.row(1) == [.string(""), .null, .null, .null])
        #expect(batch.row(2) == [.string("x"), .int64(1), .float64(2.5), .timestamp(19723 * 86_400_000_000)])
        #expect(batch.columns[0].nullCount == 1 && batch.columns[1].nullCount == 2)
    }

    @Test func explicitNullToken() throws {
        var options = CSVOptions()
        options.nullToken = "NA"
        let s = try Schema([Field("s", .string), Field("n", .int64), Field("b", .bool)])
        let batch = try readOne("s,n,b\nNA,NA,NA\n\"NA\",,true\n,5,\n", s, options: options)
        #expect(batch.row(0) == [.null, .null, .null])
        #expect(batch.row(1) == [.string("NA"), .null, .bool(true)])
        #expect(batch.row(2) == [.string(""), .int64(5), .null])
        expectError("s,n,b\nx,\"NA\",t\n", s, options: options, line: 2, message: "row 2, column 'n': cannot parse \"NA\" as int64")
    }

    @Test func nullInANonNullableColumn() throws {
        let s = try Schema([Field("user_id", .int64, nullable: false), Field("v", .float64)])
        let rows = (1 ... 7).map { "\($0),0.5" }.joined(separator: "\n")
        expectError("user_id,v\n\(rows)\n,1.0\n", s, line: 9, message: "row 9, column 'user_id': empty value in a non-nullable column")
        // In a string column the empty unquoted field is null, the quoted one an empty string.
        let strings = try Schema([Field("k", .string, nullable: false), Field("v", .int32)])
        expectError("k,v\na,1\n\"\",2\n,3\n", strings, line: 4, message: "row 4, column 'k': empty value in a non-nullable column")
        let batch = try readOne("k,v\na,1\n\"\",2\n", strings)
        #expect(try values(batch, "k") == [.string("a"), .string("")])
    }

    // MARK: Header

    @Test func headerInAnotherOrder() throws {
        let s = try Schema([Field("a", .int32), Field("b", .string), Field("c", .float64)])
        let batch = try readOne("c,a,b\n1.5,7,x\n", s)
        #expect(batch.schema == s)
        #expect(batch.row(0) == [.int32(7), .string("x"), .float64(1.5)])
    }

    @Test func withoutHeaderColumnsAreInSchemaOrder() throws {
        var options = CSVOptions()
        options.hasHeader = false
        let s = try Schema([Field("a", .int32), Field("b", .string)])
        let batch = try readOne("1,x\n2,y\n", s, options: options)
        #expect(batch.rowCount == 2 && batch.row(1) == [.int32(2), .string("y")])
        expectError("1,x\n2,y,z\n", s, options: options, line: 2,
                    message: "row 2 has 3 fields; the schema has 2 (check the delimiter and quoting)")
        #expect(try read("", s, options: options).isEmpty)
    }

    @Test func headerMissingColumnsNamesThemAll() throws {
        let s = try Schema([Field("user_id", .int64), Field("event_ts", .timestamp), Field("score", .float64)])
        expectError("score\n1\n", s, line: 1,
                    message: "the header does not match the schema: missing columns 'user_id', 'event_ts' (expected 'user_id', 'event_ts', 'score')")
        expectError("user_id,event_ts,score,extra\n", s, line: 1,
                    message: "the header does not match the schema: column 'extra' not in the schema (expected 'user_id', 'event_ts', 'score')")
        expectError("user_id,ts,score\n", s, line: 1,
                    message: "the header does not match the schema: missing column 'event_ts'; column 'ts' not in the schema (expected 'user_id', 'event_ts', 'score')")
        expectError("user_id,event_ts,score,user_id\n", s, line: 1,
                    message: "the header names column 'user_id' twice (fields 1 and 4)")
        expectError("", s, line: 1,
                    message: "the file is empty; expected a header row naming the columns 'user_id', 'event_ts', 'score'")
    }

    @Test func headerOnlyFileHasNoBatches() throws {
        #expect(try read("a,b\n", try Schema([Field("a", .int32), Field("b", .int32)])).isEmpty)
    }

    // MARK: Syntax errors

    @Test func wrongFieldCounts() throws {
        let s = try Schema([Field("a", .int32), Field("b", .int32), Field("c", .int32)])
        expectError("a,b,c\n1,2,3\n1,2\n", s, line: 3, message: "row 3 has 2 fields; the header has 3 (check the delimiter and quoting)")
        expectError("a,b,c\n1,2,3\n4,5,6\n1,2,3,4\n", s, line: 4, message: "row 4 has 4 fields; the header has 3 (check the delimiter and quoting)")
        expectError("a,b,c\n1,2,3,\n", s, line: 2, message: "row 2 has 4 fields; the header has 3 (check the delimiter and quoting)")
    }

    @Test func unterminatedQuote() throws {
        let s = try Schema([Field("a", .int32), Field("b", .string)])
        expectError("a,b\n1,x\n2,\"never\nclosed\n", s, line: 3,
                    message: "row 3, column 'b': the quoted field opened on line 3 is never closed")
        expectError("a,\"b\n", s, line: 1, message: "row 1 (the header), field 2: the quoted field opened on line 1 is never closed")
    }

    @Test func characterAfterClosingQuote() throws {
        let s = try Schema([Field("a", .int32), Field("b", .string)])
        expectError("a,b\n1,\"x\"y\n", s, line: 2,
                    message: "row 2, column 'b': 'y' follows a closing quote; a quote inside a quoted field must be doubled (\"\")")
    }

    @Test func randomBytesThrowOrParseButNeverCrash() throws {
        let s = try Schema([Field("a", .int64), Field("b", .string), Field("c", .vector(dimension: 2)), Field("d", .timestamp)])
        let alphabet = Array("a,b,c,d\"\n\r 1.-e[];xZT:0".utf8) + [0xFF, 0xC3, 0xA9]
        var rng = SplitMix64(seed: 7)
        var parsed = 0
        for _ in 0 ..< 3000 {
            var data = Array("a,b,c,d\n".utf8)
            for _ in 0 ..< Int.random(in: 0 ... 40, using: &rng) { data.append(alphabet[Int.random(in: 0 ..< alphabet.count, using: &rng)]) }
            do {
                let batches = try CSVReader.read(data: data, schema: s, batchRows: 2)
                #expect(batches.allSatisfy { $0.schema == s && $0.rowCount > 0 && $0.rowCount <= 2 })
                parsed += 1
            } catch let error as DatabaseError {
                let lines = data.filter { $0 == 10 || $0 == 13 }.count + 1
                #expect(error.code == .invalidInput)
                #expect((1 ... lines).contains(error.line ?? 0), "\(error)")
            }
        }
        #expect(parsed > 0)
    }

    // MARK: Batching and files

    @Test func smallBatchesKeepTheSchemaAndOrder() throws {
        let s = try Schema([Field("id", .int64, nullable: false), Field("name", .string), Field("v", .vector(dimension: 2))])
        var text = "id,name,v\n"
        for i in 0 ..< 10 { text += i == 7 ? "\(i),,\n" : "\(i),n\(i),\"[\(i),\(i + 1)]\"\n" }
        let batches = try read(text, s, batchRows: 3)
        #expect(batches.map(\.rowCount) == [3, 3, 3, 1])
        #expect(batches.allSatisfy { $0.schema == s })
        let rows = batches.flatMap { b in (0 ..< b.rowCount).map { b.row($0) } }
        for i in 0 ..< 10 {
            let expected: [Value] = i == 7 ? [.int64(7), .null, .null]
                : [.int64(Int64(i)), .string("n\(i)"), .vector([Float(i), Float(i + 1)])]
            #expect(rows[i] == expected)
        }
        // Only the batch holding row 7 has nulls.
        #expect(batches.map { $0.columns[1].nullCount } == [0, 0, 1, 0])
    }

    @Test func readsAFileAndReportsProgress() throws {
        let dir = try TemporaryDirectory(prefix: "csv")
        let path = dir.file("data.csv")
        var text = "k,x\n"
        for i in 0 ..< 1000 { text += "\(i),\(Double(i) / 4)\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var reports: [(Int, Int)] = []
        let batches = try CSVReader.read(path: path, schema: try Schema([Field("k", .int32), Field("x", .float64)]),
                                         batchRows: 400) { reports.append(($0, $1)) }
        #expect(batches.map(\.rowCount) == [400, 400, 200])
        #expect(batches[2].row(199) == [.int32(999), .float64(249.75)])
        let total = text.utf8.count
        #expect(reports.count == 3)
        #expect(reports.allSatisfy { $0.1 == total })
        #expect(reports.map(\.0) == reports.map(\.0).sorted() && reports.last?.0 == total)

        let missing = #expect(throws: DatabaseError.self) {
            try CSVReader.read(path: dir.file("missing.csv"), schema: try Schema([Field("k", .int32)]))
        }
        #expect(missing?.code == .io && missing?.file == dir.file("missing.csv"))
        // Errors name the file.
        try Data("k,x\n1,2\nx,3\n".utf8).write(to: URL(fileURLWithPath: path))
        let bad = #expect(throws: DatabaseError.self) {
            try CSVReader.read(path: path, schema: try Schema([Field("k", .int32), Field("x", .float64)]))
        }
        #expect(bad.map { "\($0)" } == "\(path):3: row 3, column 'k': cannot parse \"x\" as int32")
    }
}
