import Foundation
import Yams

/// Reads a definitions file: the YAML that declares a database's entities, feature views,
/// feature services and expectation suites, in Feast's vocabulary.
///
/// ```yaml
/// entities:
///   - name: user
///     join_keys: [user_id]
/// feature_views:
///   - name: user_stats
///     entities: [user]
///     timestamp_field: event_ts
///     ttl: 30d                      # optional: w, d, h, m, s, ms, us, or integer seconds
///     schema:
///       - {name: user_id, dtype: int64}
///       - {name: event_ts, dtype: timestamp}
///       - {name: visits_7d, dtype: int64}
///       - {name: embedding, dtype: "array<float32>", dim: 16}
/// feature_services:
///   - name: ranker_v1
///     features: ["user_stats:visits_7d", "user_stats"]
/// expectation_suites:
///   - name: user_stats_checks
///     expectations:
///       - {type: expect_column_values_to_not_be_null, kwargs: {column: user_id}}
///   - name: from_great_expectations
///     file: suites/user_stats.json  # a GE suite; relative to the definitions file
/// ```
///
/// ```swift
/// let catalog = try Definitions.load(path: "definitions.yaml")
/// ```
///
/// Everything is checked before a catalog is returned: unknown keys, names, dtypes, ttls,
/// references between entities, views, services and suites. The first problem found is thrown
/// as a ``DatabaseError`` with code `.invalidDefinitions`, the file, and the line of the
/// offending YAML node (`defs.yaml:12: feature view 'user_stats' uses unknown entity 'usr'
/// (known: user, item)`).
public enum Definitions {
    /// The keys of the top-level mapping.
    static let topLevelKeys = ["entities", "feature_views", "feature_services", "expectation_suites"]

    /// Parses and validates definitions.
    ///
    /// - Parameters:
    ///   - yaml: The definitions text.
    ///   - file: The file name used in errors (`defs.yaml:12: …`), if any.
    ///   - baseDirectory: The directory that suite `file:` paths are relative to; nil: the
    ///     current directory.
    /// - Returns: The catalog, in the file's order. An empty document gives an empty catalog.
    /// - Throws: ``DatabaseError`` `.invalidDefinitions` (with `file` and `line`) for YAML
    ///   syntax errors and invalid definitions; `.io` when a suite file cannot be read.
    public static func parse(yaml: String, file: String? = nil, baseDirectory: String? = nil) throws -> Catalog {
        let source = DefinitionsSource(file: file, baseDirectory: baseDirectory)
        try checkNestingDepth(yaml, source: source)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, yaml: yaml, source: source)
        }
        guard let root, !root.isNull else { return Catalog() }
        let top = try DefinitionsMap(root, context: "the definitions file", source: source, nameKey: nil)
        try top.checkKeys(allowed: topLevelKeys)

        var parsed = ParsedDefinitions()
        parsed.entities = try (top.sequence("entities") ?? []).map { try parseEntity($0, source: source) }
        parsed.views = try (top.sequence("feature_views") ?? []).map { try parseView($0, source: source) }
        parsed.services = try (top.sequence("feature_services") ?? []).map { try parseService($0, source: source) }
        parsed.suites = try (top.sequence("expectation_suites") ?? []).map { try parseSuite($0, source: source) }
        try parsed.validate(source: source)
        return parsed.catalog
    }

    /// Reads, parses and validates a definitions file; suite files are resolved relative to it.
    ///
    /// - Throws: ``DatabaseError`` `.io` when the file cannot be read, `.invalidDefinitions`
    ///   (with the path and line) when it is not valid.
    public static func load(path: String) throws -> Catalog {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DatabaseError(.io, "cannot read the definitions file \(path)", file: path, underlying: error)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DatabaseError(.invalidDefinitions, "the definitions file is not UTF-8 text", file: path)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: text, file: path, baseDirectory: base)
    }

    /// Turns a Yams error into `.invalidDefinitions` at the line Yams reports.
    static func syntaxError(_ error: YamlError, yaml: String, source: DefinitionsSource) -> DatabaseError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text), from line \(context.mark.line))" }
            return source.error(message, line: mark.line)
        case .reader(let problem, let offset, _, _):
            let line = offset.map { offset in 1 + yaml.utf8.prefix(max(0, offset)).lazy.filter { $0 == UInt8(ascii: "\n") }.count }
            return source.error("YAML syntax error: \(problem)", line: line)
        default:
            return source.error("YAML error: \(error)", line: nil)
        }
    }

    /// The deepest flow nesting (`[[[…`) accepted, and the furthest column a block node may
    /// start at (block nesting needs a column per level: indentation or compact `- - -`). Real
    /// definitions nest a few levels; the limits keep a hostile file from exhausting the YAML
    /// composer's stack, which recurses once per level.
    static let maxFlowNesting = 64
    static let maxBlockColumn = 256

    /// Rejects text nested deeper than the limits before the YAML parser sees it.
    static func checkNestingDepth(_ yaml: String, source: DefinitionsSource) throws {
        let bytes = Array(yaml.utf8)
        var depth = 0
        var line = 1
        var index = 0
        while index < bytes.count {
            // Line start: skip indentation and block indicators (`- `, `? `, `: `).
            var column = 0
            while index < bytes.count {
                let byte = bytes[index]
                let isIndicator = byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: ":")
                if byte == UInt8(ascii: " ") || (isIndicator && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: " ")) {
                    column += 1
                    index += 1
                } else {
                    break
                }
            }
            if column > maxBlockColumn {
                throw source.error("a line nests deeper than column \(maxBlockColumn); definitions nest a few levels only", line: line)
            }
            // Rest of the line: count flow brackets.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
                switch bytes[index] {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > maxFlowNesting {
                        throw source.error("brackets nest more than \(maxFlowNesting) levels deep", line: line)
                    }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth = max(0, depth - 1)
                default:
                    break
                }
                index += 1
            }
            index += 1
            line += 1
        }
    }
}

/// Definitions as read, with the lines that validation errors point at.
struct ParsedDefinitions {
    struct ParsedEntity {
        var entity: Entity
        var nameNode: Node
    }

    struct ParsedView {
        var view: FeatureView
        var nameNode: Node
        /// One node per entry of `view.entities`.
        var entityNodes: [Node]
        /// The `name:` node of each schema column.
        var fieldNodes: [String: Node]
        var suiteNode: Node?
        /// The line of `timestamp_field` (for errors about keys that are also timestamps).
        var timestampLine: Int?
    }

    struct ParsedService {
        var service: FeatureService
        var nameNode: Node
        /// One node per entry of `service.features`.
        var featureNodes: [Node]
    }

    struct ParsedSuite {
        var suite: ExpectationSuiteDefinition
        var nameNode: Node
    }

    var entities: [ParsedEntity] = []
    var views: [ParsedView] = []
    var services: [ParsedService] = []
    var suites: [ParsedSuite] = []

    var catalog: Catalog {
        Catalog(entities: entities.map(\.entity), featureViews: views.map(\.view),
                featureServices: services.map(\.service), expectationSuites: suites.map(\.suite))
    }
}
