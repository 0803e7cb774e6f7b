import Yams

/// Where definitions come from; makes errors that carry the file and the offending node's line.
struct DefinitionsSource {
    /// The file name shown in errors, if any.
    var file: String?
    /// The directory that relative paths (suite files) are resolved against.
    var baseDirectory: String?

    /// An `.invalidDefinitions` error at `line`.
    func error(_ message: String, line: Int?) -> DatabaseError {
        DatabaseError(.invalidDefinitions, message, file: file, line: line)
    }

    /// An `.invalidDefinitions` error at the node's line.
    func error(_ message: String, at node: Node?) -> DatabaseError {
        error(message, line: node?.line)
    }
}

extension Node {
    /// The 1-based line the node starts on.
    var line: Int? { mark?.line }

    /// The resolved tag's name (`Tag.name` is internal to Yams; its description is the name).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.description) }

    /// Whether the node is a scalar that YAML reads as null (`~`, `null`, or nothing).
    var isNull: Bool {
        guard case .scalar = self else { return false }
        return tagName == .null
    }

    /// A short name of the node's kind for messages.
    var kindName: String {
        switch self {
        case .scalar: isNull ? "nothing" : "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

/// One YAML mapping of a definitions file, with its keys checked: no duplicates, scalar keys
/// only, YAML merge keys (`<<: *defaults`) applied, and (by ``checkKeys(allowed:)``) no
/// unknown keys.
struct DefinitionsMap {
    let node: Node
    let source: DefinitionsSource
    /// What the mapping defines, for messages: "feature view 'user_stats'".
    var context: String
    private(set) var entries: [(key: String, keyNode: Node, value: Node)] = []

    /// - Parameter nameKey: The key whose value names the definition in messages; nil for
    ///   mappings that are not definitions (tags, expectation kwargs).
    init(_ node: Node, context: String, source: DefinitionsSource, nameKey: String? = "name") throws {
        guard case .mapping(let mapping) = node else {
            throw source.error("\(context) must be a mapping of keys to values, not \(node.kindName)", at: node)
        }
        self.node = node
        self.source = source
        // Name the definition in messages as soon as possible ("feature view 'x': duplicate key").
        if let nameKey, let entry = mapping.first(where: { $0.key.scalar?.string == nameKey }), case .scalar(let name) = entry.value,
           !name.string.isEmpty {
            self.context = "\(context) '\(name.string)'"
        } else {
            self.context = context
        }
        var firstLine: [String: Int?] = [:]
        var merged: [Node.Mapping] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw source.error("\(self.context): keys must be plain names, not \(keyNode.kindName)", at: keyNode)
            }
            if keyNode.tagName == .merge {
                switch value {
                case .mapping(let m): merged.append(m)
                case .sequence(let s):
                    for item in s {
                        guard case .mapping(let m) = item else {
                            throw source.error("\(self.context): '<<' merges mappings only", at: item)
                        }
                        merged.append(m)
                    }
                default: throw source.error("\(self.context): '<<' merges mappings only", at: value)
                }
                continue
            }
            let key = scalar.string
            if let first = firstLine[key] {
                throw source.error("\(self.context): duplicate key '\(key)'" + (first.map { " (first at line \($0))" } ?? ""), at: keyNode)
            }
            firstLine[key] = keyNode.line
            entries.append((key, keyNode, value))
        }
        // Merged keys fill in what the mapping itself does not set (YAML merge semantics).
        for m in merged {
            for (keyNode, value) in m {
                guard case .scalar(let scalar) = keyNode, keyNode.tagName != .merge else { continue }
                if firstLine[scalar.string] == nil {
                    firstLine[scalar.string] = keyNode.line
                    entries.append((scalar.string, keyNode, value))
                }
            }
        }
    }

    /// Throws if a key is not in `allowed`, naming it, the likely intended key and the allowed ones.
    func checkKeys(allowed: [String]) throws {
        for entry in entries where !allowed.contains(entry.key) {
            var message = "\(context): unknown key '\(entry.key)'"
            if let guess = Self.closestName(to: entry.key, among: allowed) { message += " (did you mean '\(guess)'?)" }
            message += "; allowed keys: " + allowed.joined(separator: ", ")
            throw source.error(message, at: entry.keyNode)
        }
    }

    /// The value of `key`, or nil when absent or null.
    func value(_ key: String) -> Node? {
        guard let entry = entries.first(where: { $0.key == key }), !entry.value.isNull else { return nil }
        return entry.value
    }

    /// The line of `key`, or of the mapping when the key is absent.
    func line(of key: String) -> Int? {
        entries.first { $0.key == key }?.keyNode.line ?? node.line
    }

    /// A scalar value as text (numbers and booleans as written); nil when absent.
    func string(_ key: String) throws -> (value: String, node: Node)? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            throw source.error("\(context): '\(key)' must be a single value, not \(node.kindName)", at: node)
        }
        return (scalar.string, node)
    }

    /// A required scalar value.
    func requiredString(_ key: String) throws -> (value: String, node: Node) {
        guard let found = try string(key) else {
            throw source.error("\(context) has no '\(key)'", line: line(of: key))
        }
        return found
    }

    /// `true` / `false` (YAML's `yes` / `no` too); nil when absent.
    func bool(_ key: String) throws -> Bool? {
        guard let node = value(key) else { return nil }
        guard node.tagName == .bool, let b = node.bool else {
            throw source.error("\(context): '\(key)' must be true or false, not '\(node.string ?? node.kindName)'", at: node)
        }
        return b
    }

    /// A list of scalars; nil when absent.
    func stringList(_ key: String) throws -> [(value: String, node: Node)]? {
        guard let node = value(key) else { return nil }
        guard case .sequence(let items) = node else {
            throw source.error("\(context): '\(key)' must be a list, e.g. [a, b], not \(node.kindName)", at: node)
        }
        return try items.map { item in
            guard case .scalar(let s) = item, !item.isNull else {
                throw source.error("\(context): the items of '\(key)' must be single values, not \(item.kindName)", at: item)
            }
            return (s.string, item)
        }
    }

    /// A list of nodes; nil when absent.
    func sequence(_ key: String) throws -> [Node]? {
        guard let node = value(key) else { return nil }
        guard case .sequence(let items) = node else {
            throw source.error("\(context): '\(key)' must be a list, not \(node.kindName)", at: node)
        }
        return Array(items)
    }

    /// A mapping of strings to strings (`tags`); nil when absent.
    func stringMap(_ key: String) throws -> [String: String]? {
        guard let node = value(key) else { return nil }
        let map = try DefinitionsMap(node, context: "\(context): '\(key)'", source: source, nameKey: nil)
        var result: [String: String] = [:]
        for entry in map.entries {
            guard case .scalar(let s) = entry.value else {
                throw source.error("\(context): the values of '\(key)' must be single values, not \(entry.value.kindName)", at: entry.value)
            }
            guard !entry.key.isEmpty else { throw source.error("\(context): '\(key)' has an empty key", at: entry.keyNode) }
            result[entry.key] = s.string
        }
        return result
    }
}

extension DefinitionsMap {
    /// The name in `candidates` closest to `name` (at most two edits, a swap counting as one),
    /// for "did you mean" hints.
    static func closestName(to name: String, among candidates: [String]) -> String? {
        var best: (name: String, distance: Int)?
        let a = Array(name.lowercased())
        for candidate in candidates {
            let b = Array(candidate.lowercased())
            guard abs(a.count - b.count) <= 2 else { continue }
            let d = editDistance(a, b)
            if d <= 2, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours each cost one.
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var d = [Int](repeating: 0, count: (a.count + 1) * width)
        for i in 0 ... a.count { d[i * width] = i }
        for j in 0 ... b.count { d[j] = j }
        for i in 1 ... a.count {
            for j in 1 ... b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    v = min(v, d[(i - 2) * width + j - 2] + 1)
                }
                d[i * width + j] = v
            }
        }
        return d[a.count * width + b.count]
    }
}
