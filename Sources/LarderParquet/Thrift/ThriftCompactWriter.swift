/// A writer of the Thrift compact protocol that appends to a byte array.
///
/// Structs are written between ``beginStruct()`` and ``endStruct()``; field headers use the
/// one-byte delta form when the id is 1–15 above the previous field's id and the long form
/// (type byte, then the id as a zigzag varint) otherwise.
///
/// ```swift
/// var writer = ThriftCompactWriter()
/// writer.beginStruct()
/// writer.writeField(1, i32: 2)
/// writer.writeField(6, string: "larder")
/// writer.endStruct()
/// ```
struct ThriftCompactWriter {
    /// The bytes written so far.
    var bytes: [UInt8]
    private var lastFieldId: Int16 = 0
    private var enclosingFieldIds: [Int16] = []

    /// A writer appending to `bytes`.
    init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    // MARK: Structs and fields

    /// Starts a struct (or union): field ids restart from zero.
    mutating func beginStruct() {
        enclosingFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    /// Ends the struct begun last, writing its stop field.
    mutating func endStruct() {
        bytes.append(0)
        lastFieldId = enclosingFieldIds.popLast() ?? 0
    }

    /// Writes a field header. For a bool field use ``writeField(_:bool:)`` instead, since the
    /// value lives in the header.
    mutating func writeFieldHeader(_ id: Int16, _ type: ThriftCompactType) {
        let delta = Int(id) - Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigZag32(Int32(id))
        }
        lastFieldId = id
    }

    mutating func writeField(_ id: Int16, bool value: Bool) {
        writeFieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func writeField(_ id: Int16, i8 value: Int8) {
        writeFieldHeader(id, .i8)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func writeField(_ id: Int16, i16 value: Int16) {
        writeFieldHeader(id, .i16)
        writeZigZag32(Int32(value))
    }

    mutating func writeField(_ id: Int16, i32 value: Int32) {
        writeFieldHeader(id, .i32)
        writeZigZag32(value)
    }

    mutating func writeField(_ id: Int16, i64 value: Int64) {
        writeFieldHeader(id, .i64)
        writeZigZag64(value)
    }

    mutating func writeField(_ id: Int16, double value: Double) {
        writeFieldHeader(id, .double)
        writeDouble(value)
    }

    mutating func writeField(_ id: Int16, binary value: [UInt8]) {
        writeFieldHeader(id, .binary)
        writeBinary(value)
    }

    mutating func writeField(_ id: Int16, string value: String) {
        writeFieldHeader(id, .binary)
        writeString(value)
    }

    /// Writes a struct-valued field.
    mutating func writeField<T: ThriftCompactCodable>(_ id: Int16, struct value: T) {
        writeFieldHeader(id, .struct)
        value.write(to: &self)
    }

    /// Writes a list field whose elements are structs.
    mutating func writeField<T: ThriftCompactCodable>(_ id: Int16, structs values: [T]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .struct)
        for value in values { value.write(to: &self) }
    }

    mutating func writeField(_ id: Int16, strings values: [String]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .binary)
        for value in values { writeString(value) }
    }

    mutating func writeField(_ id: Int16, binaries values: [[UInt8]]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .binary)
        for value in values { writeBinary(value) }
    }

    mutating func writeField(_ id: Int16, i32s values: [Int32]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .i32)
        for value in values { writeZigZag32(value) }
    }

    mutating func writeField(_ id: Int16, i64s values: [Int64]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .i64)
        for value in values { writeZigZag64(value) }
    }

    /// Writes a list of bools: element type 2 as the specification gives, one byte each.
    mutating func writeField(_ id: Int16, bools values: [Bool]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .boolFalse)
        for value in values { bytes.append(value ? 1 : 0) }
    }

    // MARK: Values

    /// Writes a list header (short form for fewer than 15 elements).
    mutating func writeListHeader(count: Int, elementType: ThriftCompactType) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeZigZag32(_ value: Int32) {
        writeVarint(UInt64(UInt32(bitPattern: (value &<< 1) ^ (value >> 31))))
    }

    mutating func writeZigZag64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value &<< 1) ^ (value >> 63)))
    }

    mutating func writeDouble(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes the stop byte that ends a struct without popping the field-id stack (for
    /// callers that manage nesting themselves, such as tests assembling raw input).
    mutating func writeStop() {
        bytes.append(0)
    }
}
