/// An error from training, scoring or decoding a recommender model: bad training input, an
/// unknown feature or model kind, an empty training window, a damaged artifact.
///
/// The message names the input (view, column, feature, model kind) and says what to do next.
/// Match codes with `catch let e as RecommenderError where e.code == .unknownFeature` or `~=`.
public struct RecommenderError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A bad argument or bad training rows (null keys, a split whose windows are out of order).
        public static let invalidInput = Code("invalid input")
        /// A feature, column or view the training data does not have.
        public static let unknownFeature = Code("unknown feature")
        /// A model kind that is not one of ``ModelKind``'s.
        public static let unknownModel = Code("unknown model")
        /// A training or validation window without a single positive interaction.
        public static let emptyWindow = Code("empty window")
        /// An artifact that does not decode or fails its checksum.
        public static let corruptArtifact = Code("corrupt artifact")
        /// An artifact written by a newer Larder (a higher format version).
        public static let unsupportedFormat = Code("unsupported format")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? RecommenderError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// The underlying error (from the database, typically), if any.
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}
