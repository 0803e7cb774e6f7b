/// The 4-bit type ids of the Thrift compact protocol, as they appear in field headers and
/// list, set and map headers.
///
/// In a field header a bool's value lives in the type itself (`boolTrue` / `boolFalse`); as a
/// list element a bool is one byte and its element type is written as `boolFalse` (2) by the
/// specification and as `boolTrue` (1) by some writers, so readers accept both.
enum ThriftCompactType: UInt8, Sendable, CustomStringConvertible {
    case stop = 0
    case boolTrue = 1
    case boolFalse = 2
    case i8 = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
    case uuid = 13

    /// The type for a 4-bit type id, or `nil` for 14 and 15 (no such type).
    @inline(__always)
    init?(nibble: UInt8) {
        switch nibble {
        case 0: self = .stop
        case 1: self = .boolTrue
        case 2: self = .boolFalse
        case 3: self = .i8
        case 4: self = .i16
        case 5: self = .i32
        case 6: self = .i64
        case 7: self = .double
        case 8: self = .binary
        case 9: self = .list
        case 10: self = .set
        case 11: self = .map
        case 12: self = .struct
        case 13: self = .uuid
        default: return nil
        }
    }

    /// Whether this type carries a zigzag varint or a single signed byte.
    var isInteger: Bool {
        switch self {
        case .i8, .i16, .i32, .i64: true
        default: false
        }
    }

    /// Whether this is one of the two bool types.
    var isBool: Bool { self == .boolTrue || self == .boolFalse }

    /// The fewest bytes one list element of this type can occupy; used to reject element
    /// counts that cannot fit in the bytes that remain before anything is allocated.
    var minimumElementSize: Int {
        switch self {
        case .double: 8
        case .uuid: 16
        default: 1
        }
    }

    var description: String {
        switch self {
        case .stop: "stop"
        case .boolTrue, .boolFalse: "bool"
        case .i8: "i8"
        case .i16: "i16"
        case .i32: "i32"
        case .i64: "i64"
        case .double: "double"
        case .binary: "binary"
        case .list: "list"
        case .set: "set"
        case .map: "map"
        case .struct: "struct"
        case .uuid: "uuid"
        }
    }
}

/// A decoded field header: the field id (after applying the delta) and the wire type.
struct ThriftFieldHeader: Sendable {
    var id: Int16
    var type: ThriftCompactType
}

/// A decoded list or set header: the element count (already checked against the bytes that
/// remain) and the element type.
struct ThriftListHeader: Sendable {
    var count: Int
    var elementType: ThriftCompactType
}

extension ParquetError {
    /// A Thrift structure is malformed at `offset`.
    static func thriftCorrupt(_ message: String, at offset: Int) -> ParquetError {
        ParquetError(.corrupt, "malformed Thrift metadata at byte \(offset): \(message)")
    }

    /// A Thrift structure ends before the value at `offset` does.
    static func thriftTruncated(_ what: String, at offset: Int) -> ParquetError {
        ParquetError(.truncated, "Thrift metadata ends inside \(what) at byte \(offset)")
    }

    /// A required field of a Parquet metadata structure is absent.
    static func missingField(_ field: String, in structure: String) -> ParquetError {
        ParquetError(.corrupt, "Parquet \(structure) lacks its required field '\(field)'")
    }
}
