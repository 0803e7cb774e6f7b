/// An error from the online store: what went wrong, with which file, and what to do next.
///
/// Codes are extensible; match with `==` or `~=`:
///
/// ```swift
/// do { store = try OnlineStore.open(directory: path) }
/// catch OnlineStoreError.Code.corrupt { /* rebuild */ }
/// ```
public struct OnlineStoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The store directory has no `CURRENT` pointer (nothing was ever published there).
        public static let notFound = Code("not found")
        /// `CURRENT` names a data file that does not exist.
        public static let missingFile = Code("missing file")
        /// A file is truncated, fails its checksum, or holds inconsistent structure.
        public static let corrupt = Code("corrupt file")
        /// A file was written by a newer (or unknown) format version.
        public static let unsupportedVersion = Code("unsupported format version")
        /// Data or files do not match the store's schema.
        public static let schemaMismatch = Code("schema mismatch")
        /// A caller-supplied argument is invalid (bad schema, missing column, wrong key type).
        public static let invalidArgument = Code("invalid argument")
        /// Another writer holds the store's lock, or published concurrently.
        public static let conflict = Code("conflicting writer")
        /// The operating system refused an operation.
        public static let io = Code("I/O error")
        /// A fault-injection hook simulated a crash (tests only).
        public static let simulatedCrash = Code("simulated crash")
        public var description: String { name }
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? OnlineStoreError)?.code == code
        }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What was wrong and what to do about it.
    public var message: String
    /// The file or directory the error concerns.
    public var path: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        var s = path.map { "\($0): " } ?? ""
        s += "\(message) (\(code))"
        return s
    }
}

extension OnlineStoreError {
    /// The advice every damaged-store error ends with.
    static let rebuildAdvice = "rebuild the online store with `larder materialize --rebuild`"

    /// A `.corrupt` error naming `path`, ending with the rebuild advice.
    static func corrupt(_ what: String, path: String) -> OnlineStoreError {
        OnlineStoreError(.corrupt, "\(what); the file is damaged or truncated: \(rebuildAdvice)", path: path)
    }
}
