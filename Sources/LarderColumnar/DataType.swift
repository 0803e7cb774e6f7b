/// LarderColumnar: in-memory columns and record batches with an Arrow-like layout.
///
/// A ``Column`` holds one typed value buffer (contiguous Swift arrays), an optional validity
/// ``Bitmap`` (nil means every value is present), and for strings and binary an offsets buffer
/// into one byte buffer. A ``RecordBatch`` is a ``Schema`` plus equally long columns. Kernels
/// (filter, take, sort, compare, hash, concatenate) work column at a time on the typed buffers.

/// The logical type of a column.
///
/// Every type maps to exactly one storage layout (see ``ColumnStorage``):
/// `timestamp` is stored as `Int64` microseconds since the Unix epoch, UTC; `date` as `Int32`
/// days since the Unix epoch; `vector(dimension:)` as `dimension` consecutive `Float`s per row.
public enum DataType: Hashable, Sendable, CustomStringConvertible {
    case int32
    case int64
    case float32
    case float64
    case bool
    case string
    case binary
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp
    /// Days since 1970-01-01.
    case date
    /// A fixed-dimension vector of `Float`.
    case vector(dimension: Int)

    public var description: String {
        switch self {
        case .int32: "int32"
        case .int64: "int64"
        case .float32: "float32"
        case .float64: "float64"
        case .bool: "bool"
        case .string: "string"
        case .binary: "binary"
        case .timestamp: "timestamp"
        case .date: "date"
        case .vector(let d): "array<float32>[\(d)]"
        }
    }

    /// Whether values are ordered numerically (usable by `between`-style comparisons).
    public var isNumeric: Bool {
        switch self {
        case .int32, .int64, .float32, .float64, .timestamp, .date: true
        default: false
        }
    }
}

/// A named, typed column slot in a ``Schema``.
public struct Field: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var type: DataType
    /// Whether the column may hold nulls.
    public var isNullable: Bool

    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.isNullable = nullable
    }

    public var description: String { "\(name): \(type)\(isNullable ? "?" : "")" }
}

/// An ordered list of fields with unique names, plus string key/value metadata.
public struct Schema: Hashable, Sendable, CustomStringConvertible {
    public private(set) var fields: [Field]
    public var metadata: [String: String]

    /// Creates a schema.
    /// - Throws: ``ColumnarError`` with code `.invalidSchema` if two fields share a name or a
    ///   vector has a non-positive dimension.
    public init(_ fields: [Field], metadata: [String: String] = [:]) throws {
        var seen = Set<String>()
        for field in fields {
            guard seen.insert(field.name).inserted else {
                throw ColumnarError(.invalidSchema, "duplicate column name '\(field.name)'", column: field.name)
            }
            if case .vector(let d) = field.type, d <= 0 {
                throw ColumnarError(.invalidSchema, "vector column '\(field.name)' has dimension \(d); it must be positive", column: field.name)
            }
        }
        self.fields = fields
        self.metadata = metadata
    }

    public var count: Int { fields.count }
    public var names: [String] { fields.map(\.name) }

    /// The index of the field called `name`, if any.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The field called `name`, if any.
    public func field(named name: String) -> Field? { index(of: name).map { fields[$0] } }

    public var description: String { "(" + fields.map(\.description).joined(separator: ", ") + ")" }
}
