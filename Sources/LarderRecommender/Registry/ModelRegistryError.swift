/// An error from the model registry: an unknown model, version, stage or artifact, a name that
/// cannot be stored, a damaged or too-new manifest, a lineage that no longer reproduces.
///
/// The message names the input (model, version, file) and says what to do next. Match codes
/// with `catch let e as ModelRegistryError where e.code == .unknownVersion` or with `~=`.
public struct ModelRegistryError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// No model of that name has a registered version.
        public static let unknownModel = Code("unknown model")
        /// The model exists but not that version.
        public static let unknownVersion = Code("unknown version")
        /// A stage name that is not none, staging, production or archived.
        public static let unknownStage = Code("unknown stage")
        /// The version has no artifact of that name.
        public static let unknownArtifact = Code("unknown artifact")
        /// The model has no version in production.
        public static let noProductionVersion = Code("no production version")
        /// A model or artifact name that cannot be stored, or another bad argument.
        public static let invalidInput = Code("invalid input")
        /// A manifest or stages file written by a newer Larder (a higher format version).
        public static let unsupportedFormat = Code("unsupported format")
        /// A manifest, stages file or artifact that does not decode or fails its checksum.
        public static let corrupt = Code("corrupt")
        /// The lineage cannot rebuild the training set (no spine view, a view's ttl changed,
        /// a table's history was rewritten), or the rebuilt rows differ from the recorded ones.
        public static let lineageMismatch = Code("lineage mismatch")
        public static let io = Code("I/O error")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? ModelRegistryError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// The model the error concerns, if any.
    public var model: String?
    /// The version the error concerns, if any.
    public var version: Int?
    /// The file the error concerns, if any.
    public var path: String?
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, model: String? = nil, version: Int? = nil, path: String? = nil,
                underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.model = model
        self.version = version
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
