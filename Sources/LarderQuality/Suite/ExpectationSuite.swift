/// A named list of expectations, read from and written as Great Expectations suite JSON.
///
/// ```swift
/// let suite = try ExpectationSuite(json: text)          // GE 0.x or 1.x suite file
/// let validator = try SuiteValidator(suite: suite, schema: batch.schema)
/// let result = validator.validate([batch])
/// ```
public struct ExpectationSuite: Hashable, Sendable {
    /// The suite's name (`name` in GE 1.x files, `expectation_suite_name` in 0.x files).
    public var name: String
    public var expectations: [Expectation]
    /// The suite's free-form `meta` object, kept as read.
    public var meta: [String: QualityJSON]

    public init(name: String, expectations: [Expectation], meta: [String: QualityJSON] = [:]) {
        self.name = name
        self.expectations = expectations
        self.meta = meta
    }

    /// Reads Great Expectations suite JSON.
    ///
    /// Accepts a whole suite in the 1.x form (`{"name", "expectations": [{"type", "kwargs",
    /// "meta"}]}`), in the 0.x form (`{"expectation_suite_name", "expectations":
    /// [{"expectation_type", "kwargs", "meta"}]}`), or just the array of expectations. Fields
    /// GE writes that Larder does not use (`id`, `notes`, `rendered_content`, `data_asset_type`,
    /// `suite_parameters`, ...) are ignored. Expectation types and kwargs are checked later, by
    /// ``SuiteValidator/init(suite:schema:)`` against a schema.
    /// - Parameters:
    ///   - name: Overrides the name in the text (required when the text has none).
    /// - Throws: ``QualityError`` `.invalidJSON` when the text is not JSON, not shaped like a
    ///   suite, or an expectation lacks its type or has non-object kwargs (naming its index).
    public init(json: String, name: String? = nil) throws(QualityError) {
        let root = try QualityJSON(parsing: json)
        let list: [QualityJSON]
        var fileName: String?
        var meta: [String: QualityJSON] = [:]
        switch root {
        case .array(let a):
            list = a
        case .object(let o):
            guard let e = o["expectations"] else {
                throw QualityError(.invalidJSON, "a suite needs an \"expectations\" array")
            }
            guard let a = e.arrayValue else {
                throw QualityError(.invalidJSON, "\"expectations\" must be an array, not \(e.kindName)")
            }
            list = a
            fileName = o["name"]?.stringValue ?? o["expectation_suite_name"]?.stringValue
            meta = o["meta"]?.objectValue ?? [:]
        default:
            throw QualityError(.invalidJSON, "a suite is a JSON object or an array of expectations, not \(root.kindName)")
        }
        guard let resolved = name ?? fileName else {
            throw QualityError(.invalidJSON, "the suite has no \"name\" (or \"expectation_suite_name\"); give one")
        }
        var expectations: [Expectation] = []
        for (index, item) in list.enumerated() {
            expectations.append(try Self.expectation(item, index: index))
        }
        self.init(name: resolved, expectations: expectations, meta: meta)
    }

    private static func expectation(_ item: QualityJSON, index: Int) throws(QualityError) -> Expectation {
        guard let o = item.objectValue else {
            throw QualityError(.invalidJSON, "an expectation is a JSON object, not \(item.kindName)", expectationIndex: index)
        }
        guard let type = o["type"]?.stringValue ?? o["expectation_type"]?.stringValue else {
            throw QualityError(.invalidJSON, "the expectation has no \"type\" (or \"expectation_type\")", expectationIndex: index)
        }
        var kwargs: [String: QualityJSON] = [:]
        switch o["kwargs"] {
        case nil, .null?: break
        case .object(let k)?: kwargs = k
        case let other?:
            throw QualityError(.invalidJSON, "\"kwargs\" must be an object, not \(other.kindName)",
                               expectationIndex: index, expectationType: type)
        }
        let meta = o["meta"]?.objectValue ?? [:]
        return Expectation(type: type, kwargs: kwargs, meta: meta)
    }

    /// The suite as GE 1.x JSON: `{"name", "expectations": [{"type", "kwargs", "meta"}], "meta"}`.
    public func jsonText(pretty: Bool = true) -> String {
        QualityJSON.object([
            "name": .string(name),
            "expectations": .array(expectations.map(\.json)),
            "meta": .object(meta),
        ]).jsonText(pretty: pretty)
    }
}
