import LarderColumnar

/// Where each part of a fixed-width table entry lives (see docs/online-format.md, "The table").
/// An entry is a hash-table slot and its row at once, so a lookup reads one place:
///
/// ```
/// 0   hash        UInt64  (0: empty entry)
/// 8   event_ts    Int64
/// 16  created_ts  Int64
/// 24  flags       UInt8   (bit 0: tombstone)
/// 25  validity    ceil(values / 8) bytes, bit set = value present
/// ..  key         fixed canonical bytes (all-integer keys) or a 12-byte heap reference
/// ..  values      one fixed-width slot per value column (short strings and vectors inline)
/// ```
///
/// The stride is rounded up to 8 bytes. Short values live in the entry, so that a lookup
/// reads one place in memory: a string or binary slot is a `UInt32` length and then either the
/// bytes themselves (up to ``inlineBytesCapacity``) or an `UInt64` heap offset; a vector of up
/// to ``maxInlineVectorDimension`` floats is stored in its slot (4-byte aligned), a longer one
/// is an `UInt64` heap offset (its length the dimension gives). A variable key is a heap
/// reference (`UInt64` offset, `UInt32` length). All integers are little-endian and read
/// unaligned.
struct RowLayout: Sendable {
    /// How a value column is stored in its row slot.
    enum Kind: Sendable, Equatable {
        case int32, int64, float32, float64, bool
        /// Length (4), then the bytes inline (up to 20) or a heap offset (8, at slot offset 8).
        case bytes
        /// `dimension` floats: in the slot (4-byte aligned) when `inline`, else a heap offset
        /// (8) to them, 4-byte aligned in the heap.
        case vector(dimension: Int, inline: Bool)

        init(_ type: DataType) {
            switch type {
            case .int32, .date: self = .int32
            case .int64, .timestamp: self = .int64
            case .float32: self = .float32
            case .float64: self = .float64
            case .bool: self = .bool
            case .string, .binary: self = .bytes
            case .vector(let d): self = .vector(dimension: d, inline: d <= RowLayout.maxInlineVectorDimension)
            }
        }

        /// The slot's width in the row.
        var width: Int {
            switch self {
            case .int32, .float32: 4
            case .int64, .float64: 8
            case .bool: 1
            case .bytes: RowLayout.bytesSlotWidth
            case .vector(let d, let inline): inline ? d * 4 : 8
            }
        }
    }

    /// One value column's place in the row.
    struct Slot: Sendable {
        var offset: Int
        var kind: Kind
    }

    static let hashOffset = 0
    static let eventOffset = 8
    static let createdOffset = 16
    static let flagsOffset = 24
    static let validityOffset = 25
    static let tombstoneFlag: UInt8 = 1
    /// The width of a heap reference (offset + length).
    static let referenceWidth = 12
    /// Strings and binary values up to this many bytes are stored in their slot.
    static let inlineBytesCapacity = 20
    /// A string or binary slot: length (4), then the bytes or (at ``bytesHeapOffset``) an
    /// `UInt64` heap offset.
    static let bytesSlotWidth = 4 + inlineBytesCapacity
    static let bytesHeapOffset = 8
    /// Vectors of up to this many floats (128 bytes) are stored in the entry.
    static let maxInlineVectorDimension = 32

    let keyOffset: Int
    /// The width of an inline key, or nil when the key is a heap reference.
    let fixedKeyWidth: Int?
    let slots: [Slot]
    let stride: Int

    init(schema: OnlineSchema) {
        let validityBytes = (schema.values.count + 7) / 8
        keyOffset = Self.validityOffset + validityBytes
        fixedKeyWidth = schema.fixedKeyWidth
        var offset = keyOffset + (fixedKeyWidth ?? Self.referenceWidth)
        var slots: [Slot] = []
        slots.reserveCapacity(schema.values.count)
        for field in schema.values {
            let kind = Kind(field.type)
            // Inline vectors are 4-byte aligned (entries and the table are 8-byte aligned), so
            // they are read as `Float`s in place.
            if case .vector(_, true) = kind { offset = (offset + 3) & ~3 }
            slots.append(Slot(offset: offset, kind: kind))
            offset += kind.width
        }
        self.slots = slots
        stride = (offset + 7) & ~7
    }
}

// MARK: - Unaligned little-endian access

extension UnsafeRawPointer {
    @inline(__always)
    func int64(at offset: Int) -> Int64 { Int64(littleEndian: loadUnaligned(fromByteOffset: offset, as: Int64.self)) }
    @inline(__always)
    func uint64(at offset: Int) -> UInt64 { UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    @inline(__always)
    func int32(at offset: Int) -> Int32 { Int32(littleEndian: loadUnaligned(fromByteOffset: offset, as: Int32.self)) }
    @inline(__always)
    func uint32(at offset: Int) -> UInt32 { UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    @inline(__always)
    func byte(at offset: Int) -> UInt8 { load(fromByteOffset: offset, as: UInt8.self) }
}

extension UnsafeMutableRawPointer {
    @inline(__always)
    func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }
}
