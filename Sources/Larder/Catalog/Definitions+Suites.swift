import Foundation
import Yams

/// Expectation suites: inline (`expectations:` in YAML) or from a Great Expectations JSON file
/// (`file:`), kept as the JSON text of the `expectations` array for the quality layer.
extension Definitions {
    static let suiteKeys = ["name", "expectations", "file", "expectation_suite_file"]
    /// The most nodes an inline suite may have (YAML aliases can multiply a small text).
    static let maxSuiteNodes = 1_000_000
    /// The largest suite file read.
    static let maxSuiteFileBytes = 64 << 20

    static func parseSuite(_ node: Node, source: DefinitionsSource) throws -> ParsedDefinitions.ParsedSuite {
        var map = try DefinitionsMap(node, context: "expectation suite", source: source)
        let name = try map.name(kind: "expectation suite")
        map.context = "expectation suite '\(name.value)'"
        try map.checkKeys(allowed: suiteKeys)
        let fileKeys = ["file", "expectation_suite_file"].filter { map.value($0) != nil }
        let inline = map.value("expectations")
        guard fileKeys.count + (inline == nil ? 0 : 1) == 1 else {
            throw source.error("\(map.context) needs exactly one of 'expectations' (a list) or 'file' (a Great Expectations JSON file)",
                               line: map.line(of: fileKeys.last ?? "expectations"))
        }
        let json: String
        if let inline {
            guard case .sequence(let items) = inline else {
                throw source.error("\(map.context): 'expectations' must be a list, not \(inline.kindName)", at: inline)
            }
            for item in items { try checkExpectation(item, context: map.context, source: source) }
            var budget = maxSuiteNodes
            let value = try SuiteJSON(yaml: inline, depth: 0, budget: &budget, context: map.context, source: source)
            json = try value.jsonText(context: map.context, line: inline.line, source: source)
        } else {
            let path = try map.requiredString(fileKeys[0])
            json = try loadSuiteFile(path.value, context: map.context, node: path.node, source: source)
        }
        return .init(suite: ExpectationSuiteDefinition(name: name.value, expectationsJSON: json), nameNode: name.node)
    }

    /// An inline expectation must be a mapping that names its type (`type`, or GE 0.x's
    /// `expectation_type`); the quality layer checks the rest.
    private static func checkExpectation(_ node: Node, context: String, source: DefinitionsSource) throws {
        let map = try DefinitionsMap(node, context: "\(context): expectation", source: source, nameKey: nil)
        guard map.value("type") != nil || map.value("expectation_type") != nil else {
            throw source.error("\(context): an expectation has no 'type', e.g. {type: expect_column_values_to_not_be_null, kwargs: {column: user_id}}",
                               at: node)
        }
    }

    /// Reads a GE suite file (0.x or 1.x shape) and returns its `expectations` array as JSON.
    private static func loadSuiteFile(_ path: String, context: String, node: Node, source: DefinitionsSource) throws -> String {
        let resolved: String
        if path.hasPrefix("/") {
            resolved = path
        } else if let base = source.baseDirectory {
            resolved = URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent(path).path
        } else {
            resolved = path
        }
        let url = URL(fileURLWithPath: resolved)
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: resolved)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maxSuiteFileBytes else {
                throw source.error("\(context): suite file \(resolved) is larger than \(maxSuiteFileBytes >> 20) MiB", at: node)
            }
            data = try Data(contentsOf: url)
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError(.io, "\(context): cannot read suite file \(resolved)", file: source.file, line: node.line, underlying: error)
        }
        let value: SuiteJSON
        do {
            value = try JSONDecoder().decode(SuiteJSON.self, from: data)
        } catch {
            throw DatabaseError(.invalidDefinitions, "\(context): suite file \(resolved) is not valid JSON", file: source.file,
                                line: node.line, underlying: error)
        }
        let expectations: SuiteJSON
        switch value {
        case .array: expectations = value
        case .object(let members):
            guard let found = members["expectations"], case .array = found else {
                throw source.error("\(context): suite file \(resolved) has no \"expectations\" array", at: node)
            }
            expectations = found
        default:
            throw source.error("\(context): suite file \(resolved) is not a Great Expectations suite (an object with \"expectations\")", at: node)
        }
        return try expectations.jsonText(context: context, line: node.line, source: source)
    }
}

/// A JSON value, to carry expectations from YAML or JSON files to JSON text.
enum SuiteJSON: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([SuiteJSON])
    case object([String: SuiteJSON])

    /// The deepest nesting accepted from YAML.
    static let maxDepth = 64

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [SuiteJSON] = []
            while !array.isAtEnd { items.append(try array.decode(SuiteJSON.self)) }
            self = .array(items)
            return
        }
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: SuiteJSON] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(SuiteJSON.self, forKey: key) }
            self = .object(members)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try c.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let members):
            var c = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in members { try c.encode(value, forKey: AnyKey(key)) }
        }
    }

    /// Converts a YAML node: scalars by their resolved YAML type (quoted scalars stay strings).
    init(yaml node: Node, depth: Int, budget: inout Int, context: String, source: DefinitionsSource) throws {
        budget -= 1
        guard budget >= 0, depth <= Self.maxDepth else {
            throw source.error("\(context): the expectations are too large or nested too deeply", at: node)
        }
        switch node {
        case .scalar(let scalar):
            switch node.tagName {
            case .null: self = .null
            case .bool: self = node.bool.map { .bool($0) } ?? .string(scalar.string)
            case .int: self = node.int.map { .int(Int64($0)) } ?? node.float.map { .double($0) } ?? .string(scalar.string)
            case .float:
                guard let d = node.float, d.isFinite else {
                    throw source.error("\(context): '\(scalar.string)' is not a finite number; JSON cannot hold it", at: node)
                }
                self = .double(d)
            default: self = .string(scalar.string)
            }
        case .sequence(let items):
            var values: [SuiteJSON] = []
            for item in items { values.append(try SuiteJSON(yaml: item, depth: depth + 1, budget: &budget, context: context, source: source)) }
            self = .array(values)
        case .mapping:
            let map = try DefinitionsMap(node, context: context, source: source, nameKey: nil)
            var members: [String: SuiteJSON] = [:]
            for entry in map.entries {
                members[entry.key] = try SuiteJSON(yaml: entry.value, depth: depth + 1, budget: &budget, context: context, source: source)
            }
            self = .object(members)
        }
    }

    /// Compact JSON with sorted keys, so equal suites have equal text.
    func jsonText(context: String, line: Int?, source: DefinitionsSource) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw DatabaseError(.invalidDefinitions, "\(context): the expectations cannot be written as JSON", file: source.file,
                                line: line, underlying: error)
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
