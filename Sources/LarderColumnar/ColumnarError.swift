/// An error raised by LarderColumnar: bad schemas, mismatched lengths, wrong types.
public struct ColumnarError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added; match with `==` or `~=`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public static let invalidSchema = Code("invalid schema")
        public static let lengthMismatch = Code("length mismatch")
        public static let typeMismatch = Code("type mismatch")
        public static let outOfRange = Code("out of range")
        public static let unknownColumn = Code("unknown column")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? ColumnarError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// The column the error concerns, if any.
    public var column: String?

    public init(_ code: Code, _ message: String, column: String? = nil) {
        self.code = code
        self.message = message
        self.column = column
    }

    public var description: String {
        if let column { return "\(code): \(message) (column '\(column)')" }
        return "\(code): \(message)"
    }
}
