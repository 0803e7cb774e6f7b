import Yams

/// Reading each kind of definition from its YAML mapping, with the checks that need nothing
/// but the definition itself. Checks across definitions are in `Definitions+Validation.swift`.
extension Definitions {
    static let entityKeys = ["name", "join_keys", "description"]
    static let viewKeys = ["name", "entities", "timestamp_field", "created_timestamp_column", "ttl", "online", "schema",
                           "expectation_suite", "on_invalid", "description", "tags"]
    static let fieldKeys = ["name", "dtype", "dim"]
    static let serviceKeys = ["name", "features", "description", "log_served_features"]
    /// The dtype names a schema accepts, for messages.
    static let dtypeNames = ["int32", "int64", "float32", "float64", "bool", "string", "bytes", "timestamp", "date", "array<float32>"]
    /// The largest vector dimension accepted.
    static let maxVectorDimension = 65_536

    static func parseEntity(_ node: Node, source: DefinitionsSource) throws -> ParsedDefinitions.ParsedEntity {
        var map = try DefinitionsMap(node, context: "entity", source: source)
        let name = try map.name(kind: "entity")
        map.context = "entity '\(name.value)'"
        try map.checkKeys(allowed: entityKeys)
        guard let keys = try map.stringList("join_keys"), !keys.isEmpty else {
            throw source.error("entity '\(name.value)' has no join_keys; list its key columns, e.g. join_keys: [\(name.value)_id]",
                               line: map.line(of: "join_keys"))
        }
        var seen = Set<String>()
        for key in keys {
            try checkIdentifier(key.value, what: "entity '\(name.value)': join key", at: key.node, source: source)
            guard seen.insert(key.value).inserted else {
                throw source.error("entity '\(name.value)' lists join key '\(key.value)' twice", at: key.node)
            }
        }
        let entity = Entity(name: name.value, joinKeys: keys.map(\.value), description: try map.string("description")?.value)
        return .init(entity: entity, nameNode: name.node)
    }

    static func parseView(_ node: Node, source: DefinitionsSource) throws -> ParsedDefinitions.ParsedView {
        var map = try DefinitionsMap(node, context: "feature view", source: source)
        let name = try map.name(kind: "feature view")
        map.context = "feature view '\(name.value)'"
        try map.checkKeys(allowed: viewKeys)
        try checkNotReserved(name.value, what: "feature view", at: name.node, source: source)

        guard let entities = try map.stringList("entities"), !entities.isEmpty else {
            throw source.error("\(map.context) has no entities; list the entities its rows describe, e.g. entities: [user]",
                               line: map.line(of: "entities"))
        }
        var seenEntities = Set<String>()
        for entity in entities where !seenEntities.insert(entity.value).inserted {
            throw source.error("\(map.context) lists entity '\(entity.value)' twice", at: entity.node)
        }

        // Schema: every column, in table order.
        guard let columns = try map.sequence("schema"), !columns.isEmpty else {
            throw source.error("\(map.context) has no schema; list its columns, e.g. - {name: user_id, dtype: int64}",
                               line: map.line(of: "schema"))
        }
        var schema: [FeatureField] = []
        var fieldNodes: [String: Node] = [:]
        for column in columns {
            let (field, nameNode) = try parseField(column, view: name.value, source: source)
            if let first = fieldNodes[field.name] {
                throw source.error("\(map.context) has two columns named '\(field.name)'" + (first.line.map { " (first at line \($0))" } ?? ""),
                                   at: nameNode)
            }
            fieldNodes[field.name] = nameNode
            schema.append(field)
        }

        // Timestamps: in the schema, of dtype timestamp.
        let timestamp = try map.requiredString("timestamp_field")
        try checkTimestampColumn(timestamp, key: "timestamp_field", schema: schema, context: map.context, source: source)
        let created = try map.string("created_timestamp_column")
        if let created {
            try checkTimestampColumn(created, key: "created_timestamp_column", schema: schema, context: map.context, source: source)
            guard created.value != timestamp.value else {
                throw source.error("\(map.context): created_timestamp_column and timestamp_field are both '\(created.value)'; "
                    + "the created (ingestion) time must be a column of its own", at: created.node)
            }
        }

        let suite = try map.string("expectation_suite")
        if let suite { try checkIdentifier(suite.value, what: "\(map.context): expectation_suite", at: suite.node, source: source) }
        var onInvalid: InvalidRowPolicy?
        if let policy = try map.string("on_invalid") {
            guard let parsed = InvalidRowPolicy(rawValue: policy.value) else {
                throw source.error("\(map.context): unknown on_invalid '\(policy.value)' (allowed: reject, quarantine, warn)", at: policy.node)
            }
            onInvalid = parsed
        }

        let view = FeatureView(
            name: name.value, entities: entities.map(\.value), timestampField: timestamp.value,
            createdTimestampColumn: created?.value, ttl: try parseTTL(map), online: try map.bool("online") ?? true,
            schema: schema, expectationSuite: suite?.value, onInvalid: onInvalid,
            description: try map.string("description")?.value, tags: try map.stringMap("tags") ?? [:])
        return .init(view: view, nameNode: name.node, entityNodes: entities.map(\.node), fieldNodes: fieldNodes,
                     suiteNode: suite?.node, timestampLine: timestamp.node.line)
    }

    /// One schema entry: `{name: visits_7d, dtype: int64}` or `{name: e, dtype: "array<float32>", dim: 16}`.
    static func parseField(_ node: Node, view: String, source: DefinitionsSource) throws -> (FeatureField, Node) {
        var map = try DefinitionsMap(node, context: "feature view '\(view)': schema column", source: source)
        let name = try map.name(kind: "feature view '\(view)': schema column")
        map.context = "feature view '\(view)': column '\(name.value)'"
        try map.checkKeys(allowed: fieldKeys)
        let dtype = try map.requiredString("dtype")
        var dimension: Int?
        if let dimNode = map.value("dim") {
            guard dimNode.tagName == .int, let d = dimNode.int else {
                throw source.error("\(map.context): dim must be an integer, not '\(dimNode.string ?? dimNode.kindName)'", at: dimNode)
            }
            dimension = d
        }
        let normalized = dtype.value.lowercased().filter { $0 != " " }
        let isVector = normalized == "array<float32>" || normalized == "array<float>"
        if isVector {
            guard let dimension, dimension > 0 else {
                throw source.error("\(map.context): array<float32> needs a positive dim (the vector length), e.g. dim: 16"
                    + (dimension.map { ", not \($0)" } ?? ""), line: map.value("dim")?.line ?? dtype.node.line)
            }
            guard dimension <= maxVectorDimension else {
                throw source.error("\(map.context): dim \(dimension) is larger than \(maxVectorDimension)", at: map.value("dim"))
            }
        } else if dimension != nil {
            throw source.error("\(map.context): dim applies to array<float32> only, not to \(dtype.value)", at: map.value("dim"))
        }
        guard let type = FeatureType(name: dtype.value, dimension: dimension) else {
            var message = "\(map.context): unknown dtype '\(dtype.value)'"
            if let guess = DefinitionsMap.closestName(to: dtype.value, among: dtypeNames) { message += " (did you mean '\(guess)'?)" }
            throw source.error(message + "; allowed: " + dtypeNames.joined(separator: ", "), at: dtype.node)
        }
        return (FeatureField(name: name.value, type: type), name.node)
    }

    /// `ttl: 30d`, `ttl: 3600` (seconds); absent or null: no ttl.
    static func parseTTL(_ map: DefinitionsMap) throws -> Int64? {
        guard let node = map.value("ttl") else { return nil }
        let text = node.string ?? node.kindName
        do throws(DurationText.Problem) {
            if node.tagName == .int {
                guard let seconds = node.int else { throw DurationText.Problem.tooLarge }
                return try DurationText.fromSeconds(seconds)
            }
            guard case .scalar = node else { throw DurationText.Problem.invalid }
            return try DurationText.parse(text)
        } catch {
            let why = switch error {
            case .notPositive: "is not positive (leave ttl out for no limit)"
            case .tooLarge: "is too large"
            case .invalid: "is not a duration"
            }
            throw map.source.error("\(map.context): ttl '\(text)' \(why); write a number with a unit (w, d, h, m, s, ms, us), "
                + "e.g. 30d, 12h, 90m, 1500ms, or a plain number of seconds", at: node)
        }
    }

    static func parseService(_ node: Node, source: DefinitionsSource) throws -> ParsedDefinitions.ParsedService {
        var map = try DefinitionsMap(node, context: "feature service", source: source)
        let name = try map.name(kind: "feature service")
        map.context = "feature service '\(name.value)'"
        try map.checkKeys(allowed: serviceKeys)
        try checkNotReserved(name.value, what: "feature service", at: name.node, source: source)
        guard let items = try map.stringList("features"), !items.isEmpty else {
            throw source.error("\(map.context) has no features; list them as \"view:feature\" or \"view\" (all its features)",
                               line: map.line(of: "features"))
        }
        var references: [FeatureReference] = []
        for item in items {
            guard let reference = FeatureReference(item.value) else {
                throw source.error("\(map.context): bad feature reference '\(item.value)'; write \"view:feature\" or \"view\"", at: item.node)
            }
            guard !references.contains(reference) else {
                throw source.error("\(map.context) lists '\(item.value)' twice", at: item.node)
            }
            references.append(reference)
        }
        let service = FeatureService(name: name.value, features: references, description: try map.string("description")?.value,
                                     logServedFeatures: try map.bool("log_served_features") ?? false)
        return .init(service: service, nameNode: name.node, featureNodes: items.map(\.node))
    }

    /// Checks that a timestamp column is in the schema with dtype timestamp.
    private static func checkTimestampColumn(_ column: (value: String, node: Node), key: String, schema: [FeatureField],
                                             context: String, source: DefinitionsSource) throws {
        guard let field = schema.first(where: { $0.name == column.value }) else {
            throw source.error("\(context): \(key) '\(column.value)' is not in the schema; add - {name: \(column.value), dtype: timestamp}",
                               at: column.node)
        }
        guard field.type == .timestamp else {
            throw source.error("\(context): \(key) '\(column.value)' has dtype \(field.type.name); it must be timestamp", at: column.node)
        }
    }
}

extension DefinitionsMap {
    /// Reads and checks the required `name`.
    func name(kind: String) throws -> (value: String, node: Node) {
        guard let found = try string("name") else {
            throw source.error("\(kind) has no 'name'", line: line(of: "name"))
        }
        try Definitions.checkIdentifier(found.value, what: kind, at: found.node, source: source)
        return found
    }
}
