import Foundation
import Larder
import LarderColumnar
import Testing
@testable import LarderServer

/// The request parser and the response writer: what they accept, what they reject, and that the
/// writer's output reads back as the same values.
@Suite struct ServerJSONTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2, 3.5, 1e3, -0, true, false, null], "b": {"c": "d\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}, "e": 9223372036854775807} "#)
        #expect(value == .object([
            "a": .array([.int(1), .int(-2), .double(3.5), .double(1000), .int(0), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d\"\\/\u{8}\u{c}\n\r\té😀")]),
            "e": .int(Int64.max),
        ]))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808), "beyond Int64: a double")
        #expect(try parse("\"héllo\"") == .string("héllo"))
    }

    @Test func rejectsMalformedInputWithAnOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "unexpected end of input"),
            ("{\"a\" 1}", 5, "expected ':'"),
            ("[1, 2", 5, "unexpected end of input in an array"),
            ("[1 2]", 3, "expected ',' or ']'"),
            ("{\"a\": 1,}", 8, "expected a string key"),
            ("01", 0, "leading zero"),
            ("1.", 2, "expected a digit after '.'"),
            ("-", 1, "expected a digit"),
            ("tru", 0, "expected true"),
            ("\"abc", 4, "end of input in a string"),
            ("\"a\u{1}\"", 2, "control character"),
            ("\"\\x\"", 2, "invalid escape"),
            ("\"\\ud800\"", 7, "unpaired surrogate"),
            ("[1] x", 4, "unexpected data after"),
            ("1e999", 0, "out of range"),
        ]
        for (text, offset, needle) in cases {
            let error = #expect(throws: JSONParseError.self, "\(text)") { try parse(text) }
            #expect(error?.offset == offset, "\(text): \(String(describing: error))")
            #expect(error?.message.contains(needle) == true, "\(text): \(String(describing: error))")
        }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try parse(String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)) }
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) }
    }

    @Test func writerOutputReadsBackAsTheSameValues() throws {
        var w = JSONWriter()
        w.raw("[")
        let values: [Value] = [.null, .int32(-3), .int64(Int64.min), .float32(0.1), .float64(-2.5e-300), .float64(.nan), .bool(true),
                               .string("q\"\\\n\u{1}é"), .binary([0, 1, 2, 250]), .timestamp(1_700_000_000_123_456), .date(19_000),
                               .vector([1, .infinity])]
        for (i, v) in values.enumerated() {
            if i > 0 { w.raw(",") }
            w.value(v)
        }
        w.raw("]")
        let back = try JSONValue.parse(w.bytes)
        #expect(back == .array([
            .null, .int(-3), .int(Int64.min), .double(Double("0.1")!), .double(-2.5e-300), .null, .bool(true),
            .string("q\"\\\n\u{1}é"), .string("AAEC+g=="), .string("2023-11-14T22:13:20.123456Z"), .string("2022-01-08"),
            .array([.double(1), .null]),
        ]))
        #expect(Base64.decode("AAEC+g==") == [0, 1, 2, 250])
        #expect(Base64.decode("AAE") == [0, 1])
        #expect(Base64.decode("A*==") == nil)
    }
}
