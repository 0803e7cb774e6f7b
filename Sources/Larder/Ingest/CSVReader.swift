import LarderColumnar
import LarderParquet

/// How ``CSVReader`` reads a file.
public struct CSVOptions: Sendable, Hashable {
    /// How timestamp columns are written in the file.
    public enum TimestampFormat: String, Sendable, Hashable, CaseIterable {
        /// `2024-03-01T12:30:00Z`, `2024-03-01 12:30:00.25`, `2024-03-01T12:30:00+02:00`, or a
        /// date alone (midnight UTC); a time without `Z` or an offset is UTC. The grammar of
        /// `Timestamp.parseISO8601`.
        case iso8601 = "iso8601"
        /// Seconds since the Unix epoch, optionally with a decimal fraction (`1700000000.25`).
        case epochSeconds = "epoch-seconds"
        /// Milliseconds since the Unix epoch, optionally with a decimal fraction.
        case epochMillis = "epoch-millis"
        /// Microseconds since the Unix epoch (a fraction is accepted and truncated).
        case epochMicros = "epoch-micros"
    }

    /// The byte between fields; `,` by default (`\t` for TSV). It cannot be `"`, LF or CR.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// An unquoted field equal to this text is null. A quoted field never is: with the default
    /// empty token, `,,` is null while `,"",` is an empty string in a string column. In columns
    /// of other types (everything but string and binary) an empty or blank field is null too,
    /// whatever the token.
    public var nullToken: String = ""
    /// How timestamp columns are written.
    public var timestampFormat: TimestampFormat = .iso8601
    /// Whether the first record names the columns. With a header, columns are matched to the
    /// schema by name, in any order; without one, the file has the schema's columns in the
    /// schema's order.
    public var hasHeader = true

    public init() {}
}

/// Reads CSV files (RFC 4180) into record batches typed by a schema.
///
/// ```swift
/// let schema = try Schema([Field("user_id", .int64, nullable: false),
///                          Field("event_ts", .timestamp, nullable: false),
///                          Field("clicks", .int32)])
/// let batches = try CSVReader.read(path: "clicks.csv", schema: schema)
/// ```
///
/// **Syntax.** Fields are separated by ``CSVOptions/delimiter``; records end with LF or CRLF
/// (a final line end is optional); blank lines are skipped; a UTF-8 byte order mark at the
/// start is ignored. A field in double quotes may hold delimiters, line ends and `""` (one
/// quote); after the closing quote only a delimiter or a line end may follow. A quote inside
/// an unquoted field is an ordinary character.
///
/// **Values.** Spaces and tabs around a value are ignored, except in string and binary columns.
/// - `int32`, `int64`: decimal with an optional sign; out-of-range values are errors.
/// - `float32`, `float64`: decimal with optional fraction and exponent (`1e5`, `-0.5`, `.5`),
///   or `nan`, `inf`, `infinity` with an optional sign, in any case. Correctly rounded.
/// - `bool`: `true/false`, `t/f`, `yes/no`, `1/0`, in any case.
/// - `string`: the bytes as they are; they must be valid UTF-8.
/// - `binary`: hexadecimal digits, optionally prefixed with `0x` (`0xCAFE`, `cafe`).
/// - `timestamp`: see ``CSVOptions/TimestampFormat``.
/// - `date`: `YYYY-MM-DD`.
/// - `vector(dimension:)`: exactly `dimension` numbers, `[1.0, 2.5, -3]` or without brackets,
///   separated by commas, semicolons or blanks (`1.0 2.5 -3`, `1.0;2.5;-3`). Quote the field
///   when the separator is the delimiter.
/// - Null: see ``CSVOptions/nullToken``. A whole vector may be null, not a single element.
///
/// **Errors** are ``DatabaseError`` with code `.invalidInput`, `file` set to the path and
/// `line` to the row. The reader stops at the first error and returns nothing. A row is
/// numbered by the line of the file on which it starts, counting the header as line 1, so the
/// number is what a text editor shows (a row whose quoted field spans lines keeps the number
/// of its first line). Messages read like
/// `row 17, column 'event_ts': cannot parse "2024-13-01" as timestamp (ISO 8601)`.
public enum CSVReader {
    /// Reads the CSV file at `path`.
    ///
    /// - Parameters:
    ///   - schema: the columns to produce; with a header every schema column must appear in
    ///     it and no other.
    ///   - batchRows: the most rows per returned batch (values below 1 count as 1).
    ///   - progress: called now and then, and once at the end, with the bytes parsed so far
    ///     and the file's size.
    /// - Returns: batches with `schema`, in file order; empty if the file has no data rows.
    /// - Throws: ``DatabaseError`` `.invalidInput` naming the row and column for bad input (or
    ///   for a delimiter that is a quote or a line end), `.io` if the file cannot be read.
    public static func read(
        path: String, schema: Schema, options: CSVOptions = .init(), batchRows: Int = 1 << 20,
        progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil
    ) throws -> [RecordBatch] {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw DatabaseError(.io, "cannot read the CSV file", file: path, underlying: error)
        }
        return try file.withBytes { bytes in
            try read(data: bytes, schema: schema, options: options, batchRows: batchRows, progress: progress, name: path)
        }
    }

    /// Reads CSV text held in memory. See ``read(path:schema:options:batchRows:progress:)``.
    /// - Parameter name: the file name errors report, if any.
    public static func read(
        data: [UInt8], schema: Schema, options: CSVOptions = .init(), batchRows: Int = 1 << 20,
        progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil, name: String? = nil
    ) throws -> [RecordBatch] {
        try data.withUnsafeBytes {
            try read(data: $0, schema: schema, options: options, batchRows: batchRows, progress: progress, name: name)
        }
    }

    /// Reads CSV text from a buffer that stays valid for the call.
    /// See ``read(path:schema:options:batchRows:progress:)``.
    /// - Parameter name: the file name errors report, if any.
    public static func read(
        data: UnsafeRawBufferPointer, schema: Schema, options: CSVOptions = .init(), batchRows: Int = 1 << 20,
        progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil, name: String? = nil
    ) throws -> [RecordBatch] {
        guard ![UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(options.delimiter) else {
            throw DatabaseError(.invalidInput, "the CSV delimiter cannot be a quote or a line end", file: name)
        }
        let bytes = UnsafeBufferPointer(start: data.baseAddress?.assumingMemoryBound(to: UInt8.self), count: data.count)
        var session = CSVReadSession(bytes: bytes, schema: schema, options: options,
                                     batchRows: max(batchRows, 1), progress: progress, file: name)
        defer { session.tokenizer.deallocate() }
        return try session.run()
    }
}
