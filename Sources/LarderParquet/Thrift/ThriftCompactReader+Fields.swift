/// A Thrift struct that can be decoded from and encoded to the compact protocol.
protocol ThriftCompactCodable {
    /// Decodes the struct whose first field header is at the reader's position, through its
    /// stop field.
    init(from reader: inout ThriftCompactReader) throws
    /// Appends the struct, through its stop field.
    func write(to writer: inout ThriftCompactWriter)
}

/// The state of a struct being decoded: the id of the last field read, from which the next
/// short-form header's delta counts.
struct ThriftStructCursor {
    var lastFieldId: Int16 = 0
}

// Typed reads of a field's value after its header. Each checks the wire type first, so a
// value of the wrong type is reported as corrupt rather than misread. Integer fields accept
// any integer wire type whose value fits, as the compact protocol encodes i16, i32 and i64
// the same way.
extension ThriftCompactReader {
    /// Reads an integer element or field value of integer wire type `type`.
    mutating func readInteger(_ type: ThriftCompactType) throws -> Int64 {
        switch type {
        case .i8: return Int64(try readI8())
        case .i16, .i32, .i64: return try readZigZag64()
        default:
            throw ParquetError.thriftCorrupt("expected an integer, found \(type)", at: offset)
        }
    }

    /// Reads a bool list element (one byte: 1 is true, 0 or 2 false).
    mutating func readBoolElement() throws -> Bool {
        try readByte() == 1
    }

    mutating func int64(_ field: ThriftFieldHeader) throws -> Int64 {
        guard field.type.isInteger else { throw mismatch(field, expected: "an integer") }
        return try readInteger(field.type)
    }

    mutating func int32(_ field: ThriftFieldHeader) throws -> Int32 {
        let start = offset
        let value = try int64(field)
        guard let narrow = Int32(exactly: value) else { throw outOfRange(field, value, "i32", start) }
        return narrow
    }

    mutating func int16(_ field: ThriftFieldHeader) throws -> Int16 {
        let start = offset
        let value = try int64(field)
        guard let narrow = Int16(exactly: value) else { throw outOfRange(field, value, "i16", start) }
        return narrow
    }

    mutating func int8(_ field: ThriftFieldHeader) throws -> Int8 {
        let start = offset
        let value = try int64(field)
        guard let narrow = Int8(exactly: value) else { throw outOfRange(field, value, "i8", start) }
        return narrow
    }

    mutating func bool(_ field: ThriftFieldHeader) throws -> Bool {
        switch field.type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw mismatch(field, expected: "bool")
        }
    }

    mutating func double(_ field: ThriftFieldHeader) throws -> Double {
        guard field.type == .double else { throw mismatch(field, expected: "double") }
        return try readDouble()
    }

    mutating func binary(_ field: ThriftFieldHeader) throws -> [UInt8] {
        guard field.type == .binary else { throw mismatch(field, expected: "binary") }
        return try readBinary()
    }

    mutating func string(_ field: ThriftFieldHeader) throws -> String {
        guard field.type == .binary else { throw mismatch(field, expected: "string") }
        return try readString()
    }

    /// Reads a struct (or union) field value.
    mutating func decode<T: ThriftCompactCodable>(_ field: ThriftFieldHeader, as: T.Type = T.self) throws -> T {
        guard field.type == .struct else { throw mismatch(field, expected: "struct") }
        return try T(from: &self)
    }

    /// Reads a list (or set) field whose elements must be of `elementType` (any integer type
    /// for an integer type, either bool type for a bool type), decoding each with `element`.
    mutating func list<T>(
        _ field: ThriftFieldHeader, of elementType: ThriftCompactType,
        _ element: (inout ThriftCompactReader, ThriftCompactType) throws -> T
    ) throws -> [T] {
        guard field.type == .list || field.type == .set else { throw mismatch(field, expected: "list") }
        let start = offset
        try enter()
        let header = try readListHeader()
        let actual = header.elementType
        let compatible = actual == elementType
            || (actual.isInteger && elementType.isInteger)
            || (actual.isBool && elementType.isBool)
        guard compatible else {
            throw ParquetError.thriftCorrupt(
                "field \(field.id): expected a list of \(elementType), found a list of \(actual)", at: start)
        }
        var result: [T] = []
        // The count is bounded by the bytes that remain, but elements are larger in memory
        // than on the wire; let the array grow past a modest reservation.
        result.reserveCapacity(Swift.min(header.count, 1024))
        for _ in 0..<header.count {
            result.append(try element(&self, actual))
        }
        leave()
        return result
    }

    mutating func structList<T: ThriftCompactCodable>(_ field: ThriftFieldHeader, of: T.Type = T.self) throws -> [T] {
        try list(field, of: .struct) { reader, _ in try T(from: &reader) }
    }

    mutating func stringList(_ field: ThriftFieldHeader) throws -> [String] {
        try list(field, of: .binary) { reader, _ in try reader.readString() }
    }

    mutating func binaryList(_ field: ThriftFieldHeader) throws -> [[UInt8]] {
        try list(field, of: .binary) { reader, _ in try reader.readBinary() }
    }

    mutating func int64List(_ field: ThriftFieldHeader) throws -> [Int64] {
        try list(field, of: .i64) { reader, type in try reader.readInteger(type) }
    }

    mutating func int32List(_ field: ThriftFieldHeader) throws -> [Int32] {
        try list(field, of: .i32) { reader, type in
            let start = reader.offset
            let value = try reader.readInteger(type)
            guard let narrow = Int32(exactly: value) else {
                throw ParquetError.thriftCorrupt("list element \(value) out of i32 range", at: start)
            }
            return narrow
        }
    }

    /// Reads a list of an enum-like type stored as i32 (such as `Encoding`).
    mutating func enumList<E: RawRepresentable>(_ field: ThriftFieldHeader, of: E.Type = E.self) throws -> [E]
    where E.RawValue == Int32 {
        try list(field, of: .i32) { reader, type in
            let start = reader.offset
            let value = try reader.readInteger(type)
            guard let narrow = Int32(exactly: value), let element = E(rawValue: narrow) else {
                throw ParquetError.thriftCorrupt("list element \(value) out of i32 range", at: start)
            }
            return element
        }
    }

    mutating func boolList(_ field: ThriftFieldHeader) throws -> [Bool] {
        try list(field, of: .boolTrue) { reader, _ in try reader.readBoolElement() }
    }

    // MARK: Structs

    /// Enters a struct whose first field header is next. Read its fields with
    /// ``nextField(_:)`` until that returns `nil`:
    ///
    /// ```swift
    /// var cursor = try reader.beginStruct()
    /// while let field = try reader.nextField(&cursor) {
    ///     switch field.id {
    ///     case 1: version = try reader.int32(field)
    ///     default: try reader.skip(field.type)
    ///     }
    /// }
    /// ```
    ///
    /// (A plain loop rather than a closure, so decoded values are moved, not copied.)
    mutating func beginStruct() throws -> ThriftStructCursor {
        try enter()
        return ThriftStructCursor()
    }

    /// The next field header of the struct begun with ``beginStruct()``, or `nil` at its stop
    /// field (which also leaves the struct). The caller must consume each field's value.
    @inline(__always)
    mutating func nextField(_ cursor: inout ThriftStructCursor) throws -> ThriftFieldHeader? {
        guard let field = try readFieldHeader(lastFieldId: &cursor.lastFieldId) else {
            leave()
            return nil
        }
        return field
    }

    /// Decodes a struct's fields: calls `body` for each field header until the stop field.
    /// `body` must consume the value (reading it or calling ``skip(_:)``).
    mutating func readStruct(_ body: (inout ThriftCompactReader, ThriftFieldHeader) throws -> Void) throws {
        var cursor = try beginStruct()
        while let field = try nextField(&cursor) {
            try body(&self, field)
        }
    }

    private func mismatch(_ field: ThriftFieldHeader, expected: String) -> ParquetError {
        .thriftCorrupt("field \(field.id): expected \(expected), found \(field.type)", at: offset)
    }

    private func outOfRange(_ field: ThriftFieldHeader, _ value: Int64, _ type: String, _ start: Int) -> ParquetError {
        .thriftCorrupt("field \(field.id): value \(value) out of \(type) range", at: start)
    }
}
