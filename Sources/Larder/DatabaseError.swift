import LarderQuality

/// An error from the feature database: bad definitions, bad input files, unknown names.
///
/// The message names the input (file and line, view, column, row) and says what to do.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// No database at the path (run `larder init`).
        public static let notFound = Code("not found")
        public static let alreadyExists = Code("already exists")
        /// The definitions file is invalid.
        public static let invalidDefinitions = Code("invalid definitions")
        /// `apply` would change a view incompatibly; pass allowBreaking.
        public static let breakingChange = Code("breaking change")
        /// An unknown entity, view, service or feature.
        public static let unknownName = Code("unknown name")
        /// An input file or batch does not match the view.
        public static let invalidInput = Code("invalid input")
        /// Rows failed the view's expectation suite.
        public static let validationFailed = Code("validation failed")
        public static let io = Code("I/O error")
        /// Larder broke one of its own guarantees (a bug; please report it).
        public static let internalError = Code("internal error")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? DatabaseError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// The file the error concerns, if any.
    public var file: String?
    /// 1-based line (definitions) or row (data files), if known.
    public var line: Int?
    public var underlying: (any Error & Sendable)?
    /// For `.validationFailed`: the expectation suite's full result (GE's JSON shape).
    public var validationResult: ValidationResult?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.underlying = underlying
    }

    public var description: String {
        var s = ""
        if let file { s += file + (line.map { ":\($0)" } ?? "") + ": " } else if let line { s += "line \(line): " }
        s += message
        if let underlying { s += ": \(underlying)" }
        return s
    }
}
