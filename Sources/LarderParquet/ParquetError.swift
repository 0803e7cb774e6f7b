/// An error reading or writing Parquet: the file it concerns, what is wrong, and the cause.
///
/// Codes are extensible; match them with `catch let e as ParquetError where e.code == .corrupt`
/// or with `~=` in a `catch` pattern.
public struct ParquetError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The file is not Parquet (bad magic) or its structures are inconsistent.
        public static let corrupt = Code("corrupt file")
        /// The file ends before a structure it declares.
        public static let truncated = Code("truncated file")
        /// A valid Parquet feature Larder does not support (type, codec, encoding).
        public static let unsupported = Code("unsupported feature")
        /// A caller-supplied argument is invalid (unknown column, bad option).
        public static let invalidArgument = Code("invalid argument")
        /// The operating system refused an operation (open, read, write, mmap).
        public static let io = Code("I/O error")
        /// A codec failed to compress or decompress a page.
        public static let codec = Code("codec error")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? ParquetError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// The file the error concerns, when known.
    public var path: String?
    /// The column (dotted path) the error concerns, when known.
    public var column: String?
    /// The underlying error, if any.
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, path: String? = nil, column: String? = nil,
                underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.column = column
        self.underlying = underlying
    }

    /// The same error, naming `path` if it did not name a file yet.
    public func at(path: String?) -> ParquetError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }

    public var description: String {
        var s = path.map { "\($0): " } ?? ""
        if let column { s += "column '\(column)': " }
        s += "\(message) (\(code))"
        if let underlying { s += ": \(underlying)" }
        return s
    }
}
