/// What applying a new catalog over an old one changes, and which changes are breaking.
///
/// Breaking changes make stored data unreadable or wrong under the new definitions: a view's
/// column removed, retyped or made non-nullable, its entities, key columns or timestamp columns
/// changed, columns added anywhere but at the end or reordered, an entity's join keys changed
/// while a view uses it, or a view removed (its data would become unreachable). Everything else
/// is additive: new definitions, new columns at the end of a schema, ttl / online /
/// description / tags / suite / on_invalid changes, service and suite changes and removals.
///
/// ```swift
/// let diff = CatalogDiff.between(current, try Definitions.load(path: "definitions.yaml"))
/// print(diff.summary)
/// // + feature view item_stats
/// // ~ feature view user_stats: added column clicks_1d (int64)
/// // - feature service ranker_v0
/// if !diff.breakingChanges.isEmpty { /* refuse unless the user allows breaking changes */ }
/// ```
public struct CatalogDiff: Hashable, Sendable {
    /// The kind of definition a change concerns.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case entity, featureView, featureService, expectationSuite

        /// The name used in messages: "feature view".
        public var label: String {
            switch self {
            case .entity: "entity"
            case .featureView: "feature view"
            case .featureService: "feature service"
            case .expectationSuite: "expectation suite"
            }
        }
    }

    /// Whether a definition was added, changed or removed.
    public enum Operation: String, Hashable, Sendable {
        case added, changed, removed

        /// The summary line's prefix: `+`, `~` or `-`.
        public var symbol: String {
            switch self {
            case .added: "+"
            case .changed: "~"
            case .removed: "-"
            }
        }
    }

    /// One change to one definition. A definition that changes in several ways has one
    /// change per way.
    public struct Change: Hashable, Sendable, CustomStringConvertible {
        public var operation: Operation
        public var kind: Kind
        /// The definition's name.
        public var name: String
        /// What changed, for people: "added column x (int64)"; nil for plain additions and removals.
        public var detail: String?
        /// Whether the change makes existing data unreadable or wrong.
        public var isBreaking: Bool

        public init(operation: Operation, kind: Kind, name: String, detail: String? = nil, isBreaking: Bool = false) {
            self.operation = operation
            self.kind = kind
            self.name = name
            self.detail = detail
            self.isBreaking = isBreaking
        }

        /// The summary line: `~ feature view user_stats: removed column x (breaking)`.
        public var description: String {
            "\(operation.symbol) \(kind.label) \(name)" + (detail.map { ": \($0)" } ?? "") + (isBreaking ? " (breaking)" : "")
        }
    }

    /// New definitions.
    public var added: [Change] = []
    /// Changes to definitions present in both catalogs, one per change.
    public var changed: [Change] = []
    /// Definitions that are gone.
    public var removed: [Change] = []

    public init(added: [Change] = [], changed: [Change] = [], removed: [Change] = []) {
        self.added = added
        self.changed = changed
        self.removed = removed
    }

    /// Whether the catalogs define the same things.
    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }

    /// Every change, added first, then changed, then removed.
    public var allChanges: [Change] { added + changed + removed }

    /// The changes that make existing data unreadable or wrong.
    public var breakingChanges: [Change] { allChanges.filter(\.isBreaking) }

    /// One line per change (`+ feature view user_stats`, `~ feature view user_stats: added
    /// column x (int64)`, `- feature service ranker_v1`), or "no changes".
    public var summary: String {
        isEmpty ? "no changes" : allChanges.map(\.description).joined(separator: "\n")
    }

    /// The changes from `old` to `new`, in kind order (entities, views, services, suites), then
    /// in each catalog's order.
    public static func between(_ old: Catalog, _ new: Catalog) -> CatalogDiff {
        var diff = CatalogDiff()
        let oldKeys = keyColumns(of: old)
        let newKeys = keyColumns(of: new)

        diff.compare(.entity, old.entities, new.entities, name: \.name) { a, b in
            entityChanges(a, b, usedBy: old.featureViews.filter { $0.entities.contains(a.name) }.map(\.name))
        }
        diff.compare(.featureView, old.featureViews, new.featureViews, name: \.name, removalIsBreaking: true) { a, b in
            viewChanges(a, b, oldKeys: oldKeys[a.name] ?? [], newKeys: newKeys[b.name] ?? [])
        }
        diff.compare(.featureService, old.featureServices, new.featureServices, name: \.name, changes: serviceChanges)
        diff.compare(.expectationSuite, old.expectationSuites, new.expectationSuites, name: \.name) { a, b in
            a.expectationsJSON == b.expectationsJSON ? [] : [("expectations changed", false)]
        }
        return diff
    }

    /// Appends the additions, changes and removals of one kind.
    private mutating func compare<T>(_ kind: Kind, _ old: [T], _ new: [T], name: (T) -> String, removalIsBreaking: Bool = false,
                                     changes: (T, T) -> [(detail: String, breaking: Bool)]) {
        let oldByName = Dictionary(old.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.map(name))
        for item in new {
            let itemName = name(item)
            if let before = oldByName[itemName] {
                for change in changes(before, item) {
                    changed.append(Change(operation: .changed, kind: kind, name: itemName, detail: change.detail, isBreaking: change.breaking))
                }
            } else {
                added.append(Change(operation: .added, kind: kind, name: itemName))
            }
        }
        for item in old where !newNames.contains(name(item)) {
            removed.append(Change(operation: .removed, kind: kind, name: name(item),
                                  detail: removalIsBreaking ? "its data would become unreachable" : nil, isBreaking: removalIsBreaking))
        }
    }

    /// Each view's key columns: its entities' join keys, in order.
    private static func keyColumns(of catalog: Catalog) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for view in catalog.featureViews {
            result[view.name] = view.entities.flatMap { catalog.entity(named: $0)?.joinKeys ?? [] }
        }
        return result
    }

    private static func entityChanges(_ a: Entity, _ b: Entity, usedBy views: [String]) -> [(detail: String, breaking: Bool)] {
        var changes: [(String, Bool)] = []
        if a.joinKeys != b.joinKeys {
            var detail = "join keys changed from \(list(a.joinKeys)) to \(list(b.joinKeys))"
            if !views.isEmpty { detail += " (used by feature view\(views.count == 1 ? "" : "s") \(views.joined(separator: ", ")))" }
            changes.append((detail, !views.isEmpty))
        }
        if a.description != b.description { changes.append(("description changed", false)) }
        return changes
    }

    private static func serviceChanges(_ a: FeatureService, _ b: FeatureService) -> [(detail: String, breaking: Bool)] {
        var changes: [(String, Bool)] = []
        let added = b.features.filter { !a.features.contains($0) }
        let removed = a.features.filter { !b.features.contains($0) }
        if !added.isEmpty { changes.append(("added feature\(added.count == 1 ? "" : "s") " + added.map(\.description).joined(separator: ", "), false)) }
        if !removed.isEmpty {
            changes.append(("removed feature\(removed.count == 1 ? "" : "s") " + removed.map(\.description).joined(separator: ", "), false))
        }
        if added.isEmpty, removed.isEmpty, a.features != b.features { changes.append(("features reordered", false)) }
        if a.logServedFeatures != b.logServedFeatures {
            changes.append(("log_served_features changed from \(a.logServedFeatures) to \(b.logServedFeatures)", false))
        }
        if a.description != b.description { changes.append(("description changed", false)) }
        return changes
    }

    /// `[a, b]`.
    static func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }
}
