import Larder
import LarderColumnar

/// Feast's `get-online-features` request:
///
/// ```json
/// {"features": ["user_stats:visits_7d", "item_stats"], "entities": {"user_id": [1, 2]}, "full_feature_names": true}
/// {"feature_service": "ranker_v1", "entities": {"user_id": [1, 2]}}
/// ```
struct OnlineFeaturesRequest: Sendable {
    var selection: FeatureSelection
    /// A canonical text of the selection: the reader cache's key.
    var selectionKey: String
    /// The feature service named, if any (served-feature logging is per service).
    var service: String?
    var entities: [String: [JSONValue]]
    var entityCount: Int
    var fullFeatureNames: Bool

    /// The request's fields.
    static let fields: Set<String> = ["features", "feature_service", "entities", "full_feature_names"]

    /// Reads the request out of a parsed body.
    /// - Throws: ``ServerError`` (400) naming the missing or mistyped field; 413 over `maxEntities`.
    init(_ body: JSONValue, maxEntities: Int) throws(ServerError) {
        guard case .object(let object) = body else {
            throw .badRequest("the request body must be a JSON object, not \(body.typeName)")
        }
        // Sorted only when there is something to report (this runs for every read).
        if object.keys.contains(where: { !Self.fields.contains($0) }),
           let unknown = object.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw .badRequest("unknown field '\(unknown)' (expected features or feature_service, entities, full_feature_names)")
        }
        switch (object["features"], object["feature_service"]) {
        case (nil, nil), (.null, nil), (nil, .null):
            throw .badRequest("give 'features' (a list of \"view:feature\") or 'feature_service'")
        case (.some(let f), .some(let s)) where f != .null && s != .null:
            throw .badRequest("give 'features' or 'feature_service', not both")
        case (.some(.array(let list)), _):
            guard !list.isEmpty else { throw .badRequest("'features' is empty") }
            var references: [FeatureReference] = []
            for (i, item) in list.enumerated() {
                guard case .string(let text) = item else {
                    throw .badRequest("features[\(i)] must be a string \"view:feature\", not \(item.typeName)")
                }
                guard let reference = FeatureReference(text) else {
                    throw .badRequest("features[\(i)]: bad feature reference '\(text)' (expected view:feature or view)")
                }
                references.append(reference)
            }
            selection = .references(references)
            selectionKey = "f:" + list.map { if case .string(let s) = $0 { s } else { "" } }.joined(separator: ",")
            service = nil
        case (.some(let other), _) where other != .null:
            throw .badRequest("'features' must be a list of strings, not \(other.typeName)")
        case (_, .some(.string(let name))):
            selection = .service(name)
            selectionKey = "s:" + name
            service = name
        case (_, .some(let other)):
            throw .badRequest("'feature_service' must be a string, not \(other.typeName)")
        default:
            throw .badRequest("give 'features' or 'feature_service'")
        }
        switch object["full_feature_names"] {
        case nil, .null: fullFeatureNames = false
        case .bool(let b): fullFeatureNames = b
        case .some(let other): throw .badRequest("'full_feature_names' must be a boolean, not \(other.typeName)")
        }
        guard case .object(let entities) = object["entities"] ?? .null else {
            throw .badRequest("'entities' must be an object of key columns, e.g. {\"user_id\": [1, 2]}")
        }
        guard !entities.isEmpty else { throw .badRequest("'entities' is empty") }
        var count: Int?
        var columns: [String: [JSONValue]] = [:]
        for name in entities.keys.sorted() {
            guard case .array(let values) = entities[name]! else {
                throw .badRequest("entities.\(name) must be a list of key values, not \(entities[name]!.typeName)")
            }
            if let count, values.count != count {
                throw .badRequest("entity key columns differ in length: \(name) has \(values.count) values, the others \(count)")
            }
            count = values.count
            columns[name] = values
        }
        guard let count, count > 0 else { throw .badRequest("no entities given (the key lists are empty)") }
        guard count <= maxEntities else {
            throw ServerError(.contentTooLarge, "too_many_entities", "\(count) entities in one request; the limit is \(maxEntities) (split the request or raise --max-entities)")
        }
        self.entities = columns
        entityCount = count
    }

    /// The key columns `keys` (name, type) as a batch, and the keys' values for the response.
    /// - Throws: 400 for a missing key, an extra column, or a value of the wrong type.
    func keyBatch(_ keys: [(name: String, type: DataType)]) throws(ServerError) -> (RecordBatch, [(name: String, values: [Value])]) {
        if entities.keys.contains(where: { name in !keys.contains { $0.name == name } }),
           let extra = entities.keys.sorted().first(where: { name in !keys.contains { $0.name == name } }) {
            throw .badRequest("'\(extra)' is not a key of the requested views (keys: \(keys.map(\.name).joined(separator: ", ")))")
        }
        var fields: [Field] = []
        var columns: [Column] = []
        var echoed: [(name: String, values: [Value])] = []
        for key in keys {
            guard let values = entities[key.name] else {
                throw .badRequest("entities lack key '\(key.name)' (given: \(entities.keys.sorted().joined(separator: ", ")))")
            }
            var echo: [Value] = []
            echo.reserveCapacity(values.count)
            switch key.type {
            case .int64, .int32:
                var ints: [Int64] = []
                ints.reserveCapacity(values.count)
                for (i, value) in values.enumerated() {
                    let v: Int64
                    switch value {
                    case .int(let x): v = x
                    case .double(let d) where d.rounded() == d && abs(d) < 9e15: v = Int64(d)
                    case .string(let s) where Int64(s) != nil: v = Int64(s)!  // Feast clients send int64 as strings too
                    default: throw .badRequest("entities.\(key.name)[\(i)]: key '\(key.name)' is \(key.type), not \(Self.describe(value))")
                    }
                    if key.type == .int32, Int32(exactly: v) == nil {
                        throw .badRequest("entities.\(key.name)[\(i)]: \(v) does not fit key '\(key.name)' (int32)")
                    }
                    ints.append(v)
                    echo.append(key.type == .int32 ? .int32(Int32(v)) : .int64(v))
                }
                columns.append(key.type == .int32 ? .int32(ints.map { Int32($0) }) : .int64(ints))
            case .string:
                var strings: [String] = []
                strings.reserveCapacity(values.count)
                for (i, value) in values.enumerated() {
                    guard case .string(let s) = value else {
                        throw .badRequest("entities.\(key.name)[\(i)]: key '\(key.name)' is string, not \(Self.describe(value))")
                    }
                    strings.append(s)
                    echo.append(.string(s))
                }
                columns.append(.string(strings.map { Optional($0) }))
            default:
                throw .badRequest("key '\(key.name)' has type \(key.type), which the server cannot read from JSON")
            }
            fields.append(Field(key.name, key.type, nullable: false))
            echoed.append((key.name, echo))
        }
        do {
            return (try RecordBatch(schema: try Schema(fields), columns: columns), echoed)
        } catch {
            throw .badRequest("entities: \(error)")
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .int(let v): "the number \(v)"
        case .double(let v): "the number \(v)"
        case .string(let s): "the string \"\(s.prefix(40))\""
        default: value.typeName
        }
    }
}
