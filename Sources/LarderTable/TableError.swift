/// An error from a versioned table: what went wrong, with which table, and what to do.
///
/// Codes are extensible; match with `==` or `~=`.
public struct TableError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// No table (or no such file) at the path.
        public static let notFound = Code("not found")
        /// A table already exists at the path.
        public static let alreadyExists = Code("already exists")
        /// The log or a data file is damaged or inconsistent.
        public static let corrupt = Code("corrupt table")
        /// The table uses a Delta feature Larder does not support (deletion vectors, column mapping, ...).
        public static let unsupported = Code("unsupported feature")
        /// A concurrent commit changed what this operation read; retry the operation.
        public static let conflict = Code("conflicting commit")
        /// Data does not match the table's schema.
        public static let schemaMismatch = Code("schema mismatch")
        /// A caller-supplied argument is invalid (unknown version, bad predicate column, ...).
        public static let invalidArgument = Code("invalid argument")
        /// The operating system refused an operation.
        public static let io = Code("I/O error")
        /// A fault-injecting storage simulated a crash (tests only).
        public static let simulatedCrash = Code("simulated crash")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? TableError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// The table (or file) the error concerns.
    public var path: String?
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, path: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.underlying = underlying
    }

    public var description: String {
        var s = path.map { "\($0): " } ?? ""
        s += "\(message) (\(code))"
        if let underlying { s += ": \(underlying)" }
        return s
    }
}
