/// Larder: the feature database. Entities, feature views and feature services (Feast's
/// vocabulary) are defined in a YAML file and applied to a database directory; data is
/// ingested into one versioned table per feature view.

import LarderColumnar

/// Everything a database defines: entities, feature views, feature services and expectation
/// suites. Stored in the database, versioned: every `apply` records a new catalog.
public struct Catalog: Codable, Hashable, Sendable {
    public var entities: [Entity] = []
    public var featureViews: [FeatureView] = []
    public var featureServices: [FeatureService] = []
    public var expectationSuites: [ExpectationSuiteDefinition] = []

    public init(entities: [Entity] = [], featureViews: [FeatureView] = [], featureServices: [FeatureService] = [],
                expectationSuites: [ExpectationSuiteDefinition] = []) {
        self.entities = entities
        self.featureViews = featureViews
        self.featureServices = featureServices
        self.expectationSuites = expectationSuites
    }

    public func entity(named name: String) -> Entity? { entities.first { $0.name == name } }
    public func featureView(named name: String) -> FeatureView? { featureViews.first { $0.name == name } }
    public func featureService(named name: String) -> FeatureService? { featureServices.first { $0.name == name } }
}

/// Something features describe (a user, an item), identified by its join keys.
public struct Entity: Codable, Hashable, Sendable {
    public var name: String
    /// Key columns, e.g. `["user_id"]`. Feature views that use the entity have these columns.
    public var joinKeys: [String]
    public var description: String?

    public init(name: String, joinKeys: [String], description: String? = nil) {
        self.name = name
        self.joinKeys = joinKeys
        self.description = description
    }
}

/// A column of a feature view, with its definitions-file type name.
public struct FeatureField: Codable, Hashable, Sendable {
    public var name: String
    public var type: FeatureType

    public init(name: String, type: FeatureType) {
        self.name = name
        self.type = type
    }
}

/// The dtypes of a definitions file: `int32, int64, float32, float64, bool, string, bytes,
/// timestamp, date, array<float32>` (with `dim`).
public enum FeatureType: Hashable, Sendable, Codable, CustomStringConvertible {
    case int32, int64, float32, float64, bool, string, bytes, timestamp, date
    case floatVector(dimension: Int)

    /// The columnar type.
    public var dataType: DataType {
        switch self {
        case .int32: .int32
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .bytes: .binary
        case .timestamp: .timestamp
        case .date: .date
        case .floatVector(let d): .vector(dimension: d)
        }
    }

    /// Parses a dtype name; `dimension` is required for `array<float32>`.
    public init?(name: String, dimension: Int?) {
        switch String(name.lowercased().filter { $0 != " " }) {
        case "int32": self = .int32
        case "int64": self = .int64
        case "float32", "float": self = .float32
        case "float64", "double": self = .float64
        case "bool", "boolean": self = .bool
        case "string": self = .string
        case "bytes", "binary": self = .bytes
        case "timestamp": self = .timestamp
        case "date": self = .date
        case "array<float32>", "array<float>":
            guard let dimension, dimension > 0 else { return nil }
            self = .floatVector(dimension: dimension)
        default: return nil
        }
    }

    /// The name used in definitions files.
    public var name: String {
        switch self {
        case .int32: "int32"
        case .int64: "int64"
        case .float32: "float32"
        case .float64: "float64"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .timestamp: "timestamp"
        case .date: "date"
        case .floatVector: "array<float32>"
        }
    }

    public var description: String {
        if case .floatVector(let d) = self { return "array<float32>[\(d)]" }
        return name
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        if text.hasPrefix("array<float32>["), text.hasSuffix("]"), let d = Int(text.dropFirst(15).dropLast()) {
            self = .floatVector(dimension: d)
        } else if let t = FeatureType(name: text, dimension: nil) {
            self = t
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown feature type \(text)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// What ingest does with rows that fail the view's expectation suite.
public enum InvalidRowPolicy: String, Codable, Hashable, Sendable {
    /// Nothing is committed.
    case reject
    /// Failing rows go to `<view>__quarantine`; the rest commits.
    case quarantine
    /// Everything commits; the result is recorded.
    case warn
}

/// A group of features of one or more entities, stored in one versioned table.
public struct FeatureView: Codable, Hashable, Sendable {
    public var name: String
    /// Entity names; their join keys are the view's key columns (composite when several).
    public var entities: [String]
    /// The event-time column.
    public var timestampField: String
    /// The ingestion-time column (ties between equal event times go to the later one).
    public var createdTimestampColumn: String?
    /// How long a value stays valid, in microseconds; nil: forever.
    public var ttl: Int64?
    /// Whether the view is materialized to the online store.
    public var online: Bool
    /// Every column, keys and timestamps included, in table order.
    public var schema: [FeatureField]
    public var expectationSuite: String?
    public var onInvalid: InvalidRowPolicy?
    public var description: String?
    public var tags: [String: String]

    public init(name: String, entities: [String], timestampField: String, createdTimestampColumn: String? = nil,
                ttl: Int64? = nil, online: Bool = true, schema: [FeatureField], expectationSuite: String? = nil,
                onInvalid: InvalidRowPolicy? = nil, description: String? = nil, tags: [String: String] = [:]) {
        self.name = name
        self.entities = entities
        self.timestampField = timestampField
        self.createdTimestampColumn = createdTimestampColumn
        self.ttl = ttl
        self.online = online
        self.schema = schema
        self.expectationSuite = expectationSuite
        self.onInvalid = onInvalid
        self.description = description
        self.tags = tags
    }

    /// The columnar schema of the view's table. Key and timestamp columns are not nullable.
    public func tableSchema(keys: [String]) throws -> Schema {
        let required = Set(keys + [timestampField])
        return try Schema(schema.map { Field($0.name, $0.type.dataType, nullable: !required.contains($0.name)) })
    }

    /// The feature columns: everything but keys and timestamps.
    public func featureNames(keys: [String]) -> [String] {
        let excluded = Set(keys + [timestampField] + (createdTimestampColumn.map { [$0] } ?? []))
        return schema.map(\.name).filter { !excluded.contains($0) }
    }
}

/// A named set of feature references (`view:feature`, or `view` for all its features), the
/// unit a model asks for.
public struct FeatureService: Codable, Hashable, Sendable {
    public var name: String
    public var features: [FeatureReference]
    public var description: String?
    /// Log every served feature vector to `<service>__served` (used by the feature server).
    public var logServedFeatures: Bool

    public init(name: String, features: [FeatureReference], description: String? = nil, logServedFeatures: Bool = false) {
        self.name = name
        self.features = features
        self.description = description
        self.logServedFeatures = logServedFeatures
    }
}

/// `view:feature`, or `view` alone for every feature of the view.
public struct FeatureReference: Codable, Hashable, Sendable, CustomStringConvertible {
    public var view: String
    /// nil: all features of the view.
    public var feature: String?

    public init(view: String, feature: String?) {
        self.view = view
        self.feature = feature
    }

    /// Parses `view:feature` or `view`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1 ... 2).contains(parts.count), !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else { return nil }
        view = String(parts[0])
        feature = parts.count == 2 ? String(parts[1]) : nil
    }

    public var description: String { feature.map { "\(view):\($0)" } ?? view }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let r = FeatureReference(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad feature reference \(text)")
        }
        self = r
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// An expectation suite as defined (Great Expectations' names and kwargs), kept as JSON text
/// until the quality layer interprets it.
public struct ExpectationSuiteDefinition: Codable, Hashable, Sendable {
    public var name: String
    /// The suite's expectations as GE JSON (`[{"type": ..., "kwargs": {...}}]`).
    public var expectationsJSON: String

    public init(name: String, expectationsJSON: String) {
        self.name = name
        self.expectationsJSON = expectationsJSON
    }
}
