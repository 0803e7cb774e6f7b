extension ThriftCompactReader {
    /// Skips the value of a field of wire type `type` (an unknown or unwanted field).
    ///
    /// Nested structs and containers count against ``maxDepth``; every element consumes at
    /// least one byte, so skipping is linear in the input and always terminates.
    mutating func skip(_ type: ThriftCompactType) throws {
        switch type {
        case .boolTrue, .boolFalse:
            return  // a field's bool lives in its header
        default:
            try skipValue(type)
        }
    }

    /// Skips one value of `type` as it is encoded inside a list, set or map (where a bool is
    /// one byte) or after a field header (for every type but bool).
    private mutating func skipValue(_ type: ThriftCompactType) throws {
        switch type {
        case .stop:
            throw ParquetError.thriftCorrupt("stop is not a value type", at: offset)
        case .boolTrue, .boolFalse, .i8:
            try skipBytes(1, what: "a byte")
        case .i16, .i32, .i64:
            _ = try readVarint()
        case .double:
            try skipBytes(8, what: "a double")
        case .uuid:
            try skipBytes(16, what: "a uuid")
        case .binary:
            _ = try readBinaryRange()
        case .list, .set:
            try enter()
            let header = try readListHeader()
            for _ in 0..<header.count {
                try skipValue(header.elementType)
            }
            leave()
        case .map:
            try enter()
            try skipMap()
            leave()
        case .struct:
            try enter()
            var last: Int16 = 0
            while let field = try readFieldHeader(lastFieldId: &last) {
                try skip(field.type)
            }
            leave()
        }
    }

    private mutating func skipMap() throws {
        let start = offset
        let size = try readVarint32()
        if size == 0 { return }
        guard size <= Int32.max else { throw ParquetError.thriftCorrupt("negative map size", at: start) }
        let kinds = try readByte()
        guard let keyType = ThriftCompactType(rawValue: kinds >> 4), keyType != .stop,
              let valueType = ThriftCompactType(rawValue: kinds & 0x0F), valueType != .stop
        else {
            throw ParquetError.thriftCorrupt("unknown map key/value types \(kinds)", at: start)
        }
        let pairSize = keyType.minimumElementSize + valueType.minimumElementSize
        guard Int(size) <= remaining / pairSize else {
            throw ParquetError.thriftTruncated("a map of \(size) entries", at: start)
        }
        for _ in 0..<Int(size) {
            try skipValue(keyType)
            try skipValue(valueType)
        }
    }

    private mutating func skipBytes(_ count: Int, what: String) throws {
        guard count <= remaining else { throw ParquetError.thriftTruncated(what, at: offset) }
        offset += count
    }
}
