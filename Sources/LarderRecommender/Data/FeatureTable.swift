/// The values of one feature, one per row: categories as codes into a vocabulary, or numbers.
public enum FeatureValues: Sendable, Hashable {
    /// Strings (and other discrete values) as codes into `vocabulary`; -1 is null.
    case categorical(codes: [Int32], vocabulary: [String])
    /// Numbers (integers, floats, booleans as 0/1, timestamps in µs); NaN is null.
    case numeric([Double])

    /// The number of rows.
    public var count: Int {
        switch self {
        case .categorical(let codes, _): codes.count
        case .numeric(let values): values.count
        }
    }

    /// Equal when the same rows hold the same values; nulls (NaN) equal each other.
    public static func == (a: FeatureValues, b: FeatureValues) -> Bool {
        switch (a, b) {
        case (.categorical(let x, let v), .categorical(let y, let w)): x == y && v == w
        case (.numeric(let x), .numeric(let y)): x.map(\.bitPattern) == y.map(\.bitPattern)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .categorical(let codes, let vocabulary):
            hasher.combine(0)
            hasher.combine(codes)
            hasher.combine(vocabulary)
        case .numeric(let values):
            hasher.combine(1)
            hasher.combine(values.map(\.bitPattern))
        }
    }

    /// Row `row` as text (nil for null), for tests and reports.
    public func text(at row: Int) -> String? {
        switch self {
        case .categorical(let codes, let vocabulary): codes[row] < 0 ? nil : vocabulary[Int(codes[row])]
        case .numeric(let values): values[row].isNaN ? nil : "\(values[row])"
        }
    }
}

/// Feature columns over a list of rows: one row per entity (the features of users or items as
/// of a time) or one per interaction (the point-in-time features of each event).
///
/// Columns are named by the point-in-time output name `view__feature` (`user_stats__region`).
public struct FeatureTable: Sendable, Hashable {
    /// The entity of each row (user or item ids), or empty for a table aligned with a log.
    public let ids: [Int64]
    /// The columns, by `view__feature` name.
    public let columns: [String: FeatureValues]

    /// A table of `columns`, all as long as `ids` (or of one length when `ids` is empty).
    /// - Throws: `.invalidInput` when the columns differ in length.
    public init(ids: [Int64] = [], columns: [String: FeatureValues] = [:]) throws {
        let lengths = Set(columns.values.map(\.count))
        guard lengths.count <= 1, ids.isEmpty || lengths.isEmpty || lengths.first == ids.count else {
            throw RecommenderError(.invalidInput, "feature columns of different lengths: \(columns.mapValues(\.count).sorted { $0.key < $1.key }) for \(ids.count) ids")
        }
        self.ids = ids
        self.columns = columns
    }

    /// An empty table.
    public static let empty: FeatureTable = (try? FeatureTable()) ?? FeatureTable(unchecked: [], [:])

    private init(unchecked ids: [Int64], _ columns: [String: FeatureValues]) {
        self.ids = ids
        self.columns = columns
    }

    /// The column named `name` (`view__feature`, or `view:feature`, which is converted).
    public func column(_ name: String) -> FeatureValues? {
        columns[Self.outputName(name)]
    }

    /// `view__feature` for a reference `view:feature`; other names unchanged.
    public static func outputName(_ reference: String) -> String {
        guard let colon = reference.firstIndex(of: ":") else { return reference }
        return reference[..<colon] + "__" + reference[reference.index(after: colon)...]
    }
}
