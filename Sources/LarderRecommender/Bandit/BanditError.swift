/// An error from a ``BanditRouter``: no arms, an unknown arm, a reward or setting out of
/// range, or a snapshot that cannot be read. The message names the input.
public struct BanditError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// ``BanditRouter/choose()`` on a router without arms.
        public static let noArms = Code("no arms")
        /// Feedback for an arm the router does not have (e.g. retired since it served).
        public static let unknownArm = Code("unknown arm")
        /// A reward outside [0, 1], NaN, an empty arm name, or a setting out of range.
        public static let invalidInput = Code("invalid input")
        /// A snapshot written by a newer Larder.
        public static let unsupportedFormat = Code("unsupported format")
        /// A snapshot that does not decode.
        public static let corrupt = Code("corrupt")
        public static let io = Code("I/O error")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? BanditError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// The arm the error concerns, if any.
    public var arm: BanditArm?
    /// The file the error concerns, if any.
    public var path: String?
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, arm: BanditArm? = nil, path: String? = nil,
                underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.arm = arm
        self.path = path
        self.underlying = underlying
    }

    public var description: String {
        var s = message
        if let path { s += " (\(path))" }
        if let underlying { s += ": \(underlying)" }
        return s
    }
}
