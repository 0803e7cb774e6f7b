import LarderQuality
import Yams

/// Name rules and the checks across definitions: unique names, entities and suites that exist,
/// join keys in every view's schema with one dtype everywhere, service references that name
/// real features.
extension Definitions {
    /// Names become directory and column names: at most this many characters.
    static let maxNameLength = 128
    /// Suffixes of the tables Larder derives from views and services (`<view>__quarantine`,
    /// `<service>__served`); a view or service named like one would collide with it.
    static let reservedSuffixes = ["__quarantine", "__served"]
    /// Key dtypes that cannot be keys (inexact or not scalar).
    static func canBeKey(_ type: FeatureType) -> Bool {
        switch type {
        case .float32, .float64, .floatVector: false
        default: true
        }
    }

    /// Checks that a name is `[A-Za-z_][A-Za-z0-9_]*` and not too long.
    static func checkIdentifier(_ name: String, what: String, at node: Node, source: DefinitionsSource) throws {
        guard !name.isEmpty else { throw source.error("\(what) has an empty name", at: node) }
        let bytes = Array(name.utf8)
        let isStart: (UInt8) -> Bool = { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 }
        let isRest: (UInt8) -> Bool = { isStart($0) || ($0 >= 48 && $0 <= 57) }
        guard let first = bytes.first, isStart(first), bytes.dropFirst().allSatisfy(isRest) else {
            throw source.error("\(what) name '\(name)' is not valid: use letters, digits and '_', not starting with a digit "
                + "(names become directory and column names)", at: node)
        }
        guard bytes.count <= maxNameLength else {
            throw source.error("\(what) name '\(name.prefix(32))…' is longer than \(maxNameLength) characters", at: node)
        }
    }

    /// Checks that a view or service name does not end like a derived table's name.
    static func checkNotReserved(_ name: String, what: String, at node: Node, source: DefinitionsSource) throws {
        if let suffix = reservedSuffixes.first(where: { name.hasSuffix($0) }) {
            throw source.error("\(what) name '\(name)' ends in '\(suffix)', which Larder reserves for the tables it derives", at: node)
        }
    }

    /// "(known: a, b)" or "(none are defined)".
    static func knownList(_ names: [String], kind: String) -> String {
        guard !names.isEmpty else { return "(no \(kind) are defined)" }
        let shown = names.prefix(20).joined(separator: ", ")
        return "(known: " + shown + (names.count > 20 ? ", …" : "") + ")"
    }
}

extension ParsedDefinitions {
    /// Checks everything that involves more than one definition.
    func validate(source: DefinitionsSource) throws {
        try checkUnique(entities.map { ($0.entity.name, $0.nameNode) }, kind: "entity", caseInsensitive: false, source: source)
        // Views and services name directories and tables: they must differ on case-insensitive file systems too.
        try checkUnique(views.map { ($0.view.name, $0.nameNode) }, kind: "feature view", caseInsensitive: true, source: source)
        try checkUnique(services.map { ($0.service.name, $0.nameNode) }, kind: "feature service", caseInsensitive: true, source: source)
        try checkUnique(suites.map { ($0.suite.name, $0.nameNode) }, kind: "expectation suite", caseInsensitive: false, source: source)

        let entityByName = Dictionary(entities.map { ($0.entity.name, $0.entity) }, uniquingKeysWith: { first, _ in first })
        let suiteNames = Set(suites.map(\.suite.name))
        var keyTypes: [String: (type: FeatureType, view: String, line: Int?)] = [:]
        var keysByView: [String: [String]] = [:]
        for parsed in views {
            let keys = try checkEntitiesAndKeys(of: parsed, entityByName: entityByName, keyTypes: &keyTypes, source: source)
            keysByView[parsed.view.name] = keys
            if let suite = parsed.view.expectationSuite, !suiteNames.contains(suite) {
                throw source.error("feature view '\(parsed.view.name)' uses unknown expectation suite '\(suite)' "
                    + Definitions.knownList(suites.map(\.suite.name), kind: "expectation suites"), at: parsed.suiteNode)
            }
        }
        try checkSuites(keysByView: keysByView, source: source)
        let viewByName = Dictionary(views.map { ($0.view.name, $0.view) }, uniquingKeysWith: { first, _ in first })
        for parsed in services {
            for (reference, node) in zip(parsed.service.features, parsed.featureNodes) {
                try checkReference(reference, of: parsed.service.name, at: node, viewByName: viewByName,
                                   keysByView: keysByView, source: source)
            }
        }
    }

    /// Every suite must parse, and a view's suite must compile against the view's table schema
    /// (known expectations, existing columns of fitting types, valid kwargs), so a bad suite is
    /// refused here and never reaches an ingest.
    private func checkSuites(keysByView: [String: [String]], source: DefinitionsSource) throws {
        var parsed: [String: ExpectationSuite] = [:]
        for s in suites {
            do {
                parsed[s.suite.name] = try ExpectationSuite(json: s.suite.expectationsJSON, name: s.suite.name)
            } catch let error {
                throw source.error("expectation suite '\(s.suite.name)': \(error.message)", at: s.nameNode)
            }
        }
        for view in views {
            guard let name = view.view.expectationSuite, let suite = parsed[name] else { continue }
            let schema = try view.view.tableSchema(keys: keysByView[view.view.name] ?? [])
            do {
                _ = try SuiteValidator(suite: suite, schema: schema)
            } catch let error {
                throw source.error("feature view '\(view.view.name)': expectation suite '\(name)': \(error.message)", at: view.suiteNode ?? view.nameNode)
            }
        }
    }

    /// Throws on the second definition of a name, pointing at the first.
    private func checkUnique(_ names: [(String, Node)], kind: String, caseInsensitive: Bool, source: DefinitionsSource) throws {
        var first: [String: (name: String, node: Node)] = [:]
        for (name, node) in names {
            let key = caseInsensitive ? name.lowercased() : name
            if let earlier = first[key] {
                let at = earlier.node.line.map { " at line \($0)" } ?? ""
                if earlier.name == name {
                    throw source.error("duplicate \(kind) name '\(name)' (first defined\(at))", at: node)
                }
                throw source.error("\(kind) name '\(name)' differs from '\(earlier.name)' (defined\(at)) only in case; "
                    + "names become directory names, so they must differ in more than case", at: node)
            }
            first[key] = (name, node)
        }
    }

    /// Checks a view's entities and their join keys; returns the view's key columns.
    private func checkEntitiesAndKeys(of parsed: ParsedView, entityByName: [String: Entity],
                                      keyTypes: inout [String: (type: FeatureType, view: String, line: Int?)],
                                      source: DefinitionsSource) throws -> [String] {
        let view = parsed.view
        let context = "feature view '\(view.name)'"
        var keys: [String] = []
        var owner: [String: String] = [:]
        for (entityName, node) in zip(view.entities, parsed.entityNodes) {
            guard let entity = entityByName[entityName] else {
                throw source.error("\(context) uses unknown entity '\(entityName)' "
                    + Definitions.knownList(entities.map(\.entity.name), kind: "entities"), at: node)
            }
            for key in entity.joinKeys {
                if let other = owner[key] {
                    throw source.error("\(context): entities '\(other)' and '\(entityName)' both have join key '\(key)'; "
                        + "a view's key columns must be distinct", at: node)
                }
                owner[key] = entityName
                keys.append(key)
                guard let field = view.schema.first(where: { $0.name == key }) else {
                    let dtype = keyTypes[key]?.type.name ?? "int64"
                    throw source.error("\(context): join key '\(key)' of entity '\(entityName)' is not in its schema; "
                        + "add - {name: \(key), dtype: \(dtype)}", at: node)
                }
                let fieldNode = parsed.fieldNodes[key] ?? node
                guard Definitions.canBeKey(field.type) else {
                    throw source.error("\(context): join key '\(key)' has dtype \(field.type.name); "
                        + "keys must be int32, int64, string, bytes, bool, date or timestamp", at: fieldNode)
                }
                if key == view.timestampField || key == view.createdTimestampColumn {
                    throw source.error("\(context): join key '\(key)' is also a timestamp column; use a column of its own",
                                       at: fieldNode)
                }
                if let known = keyTypes[key] {
                    guard known.type == field.type else {
                        let at = known.line.map { " (line \($0))" } ?? ""
                        throw source.error("\(context): join key '\(key)' has dtype \(field.type.name) here but \(known.type.name) "
                            + "in feature view '\(known.view)'\(at); a key has one dtype everywhere", at: fieldNode)
                    }
                } else {
                    keyTypes[key] = (field.type, view.name, fieldNode.line)
                }
            }
        }
        return keys
    }

    /// Checks that a service's reference names a view and one of its features.
    private func checkReference(_ reference: FeatureReference, of service: String, at node: Node, viewByName: [String: FeatureView],
                                keysByView: [String: [String]], source: DefinitionsSource) throws {
        let context = "feature service '\(service)'"
        guard let view = viewByName[reference.view] else {
            throw source.error("\(context) references unknown feature view '\(reference.view)' "
                + Definitions.knownList(views.map(\.view.name), kind: "feature views"), at: node)
        }
        guard let feature = reference.feature else { return }
        let keys = keysByView[view.name] ?? []
        if keys.contains(feature) {
            throw source.error("\(context): '\(reference)' is a join key of feature view '\(view.name)', not a feature", at: node)
        }
        if feature == view.timestampField || feature == view.createdTimestampColumn {
            throw source.error("\(context): '\(reference)' is a timestamp column of feature view '\(view.name)', not a feature", at: node)
        }
        guard view.schema.contains(where: { $0.name == feature }) else {
            let features = view.featureNames(keys: keys)
            throw source.error("\(context) references unknown feature '\(feature)' of feature view '\(view.name)' "
                + (features.isEmpty ? "(it has no features)" : "(features: " + features.joined(separator: ", ") + ")"), at: node)
        }
    }
}
