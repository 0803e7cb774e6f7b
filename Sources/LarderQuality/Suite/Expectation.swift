/// Where an expectation looks, which decides what a failure can name.
public enum ExpectationScope: String, Hashable, Sendable, Codable {
    /// The table as a whole: row count, column count, column names.
    case table
    /// Each row on its own (not null, between, in set, regex, unique, ...): every failing row
    /// can be named, so the quarantine gate can set exactly those rows aside.
    case row
    /// A statistic of a column (mean, median, distinct values, type, ...): only the column as
    /// a whole passes or fails.
    case aggregate
}

/// One expectation of a suite, in Great Expectations' terms: a type such as
/// `expect_column_values_to_be_between`, its kwargs, and free-form meta.
///
/// ```swift
/// let e = Expectation("expect_column_values_to_be_between",
///                     ["column": "visits_7d", "min_value": 0, "max_value": 1000, "mostly": 0.99])
/// ```
public struct Expectation: Hashable, Sendable, Codable {
    /// The Great Expectations type name, e.g. `expect_column_values_to_not_be_null`.
    public var type: String
    /// The kwargs, as in Great Expectations (`column`, `min_value`, `mostly`, ...).
    public var kwargs: [String: QualityJSON]
    /// Free-form notes kept with the expectation and echoed in results.
    public var meta: [String: QualityJSON]

    public init(type: String, kwargs: [String: QualityJSON] = [:], meta: [String: QualityJSON] = [:]) {
        self.type = type
        self.kwargs = kwargs
        self.meta = meta
    }

    /// Shorthand: `Expectation("expect_column_values_to_be_unique", ["column": "user_id"])`.
    public init(_ type: String, _ kwargs: [String: QualityJSON] = [:]) {
        self.init(type: type, kwargs: kwargs)
    }

    /// The expectation's scope, from its type (`.aggregate` for types Larder does not know).
    public var scope: ExpectationScope { ExpectationKind(rawValue: type)?.scope ?? .aggregate }

    /// The column the expectation concerns (`column` kwarg), if any.
    public var column: String? { kwargs["column"]?.stringValue }

    /// Every column the expectation reads (`column`, `column_A`/`column_B`, `column_list`).
    public var columns: [String] {
        var names: [String] = []
        for key in ["column", "column_A", "column_B"] { if let c = kwargs[key]?.stringValue { names.append(c) } }
        if let list = kwargs["column_list"]?.arrayValue, ExpectationKind(rawValue: type) == .compoundColumnsUnique {
            names += list.compactMap(\.stringValue)
        }
        return names
    }

    /// The GE 1.x JSON object: `{"type": ..., "kwargs": {...}, "meta": {...}}`.
    public var json: QualityJSON {
        .object(["type": .string(type), "kwargs": .object(kwargs), "meta": .object(meta)])
    }
}
