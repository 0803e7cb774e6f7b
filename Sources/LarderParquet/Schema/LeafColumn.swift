import LarderColumnar

/// How one top-level field of a Parquet file maps to a Larder column: its single leaf column,
/// the levels that describe nulls and lists, and the conversion applied to stored values.
struct LeafColumn: Sendable {
    /// How stored values become Larder values.
    enum Conversion: Sendable, Equatable {
        case none
        /// INT64 milliseconds → microseconds.
        case millisToMicros
        /// INT64 nanoseconds → microseconds (floor).
        case nanosToMicros
        /// INT96 (Impala/Spark legacy timestamps) → microseconds.
        case int96ToMicros
        /// INT32 holding an unsigned 32-bit value → Int64.
        case unsigned32ToInt64
        /// INT64 holding an unsigned value; values above Int64.max are an error.
        case unsigned64ToInt64
        /// FIXED_LEN_BYTE_ARRAY → binary.
        case fixedToBinary
    }

    /// The top-level field name.
    var name: String
    /// The leaf's path in the schema (`[name]`, or `[name, "list", "element"]` for a list).
    var path: [String]
    var physicalType: ParquetFormat.PhysicalType
    /// Byte width of FIXED_LEN_BYTE_ARRAY values.
    var typeLength: Int
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int
    /// The Larder field, or nil when the column cannot be read (see ``unsupportedReason``).
    var field: Field?
    var conversion: Conversion
    var unsupportedReason: String?
    /// For lists: whether the list element itself may be null (3-level list, optional element).
    var elementIsOptional: Bool
    /// For vectors: whether the declared dimension came from Larder's own metadata.
    var dimensionIsDeclared: Bool

    var isVector: Bool { maxRepetitionLevel > 0 }
}

/// The Parquet schema of a file, mapped to Larder fields.
struct ParquetSchemaMapping: Sendable {
    var leaves: [LeafColumn]

    /// Walks the flattened schema tree of `elements` (the root first).
    /// - Parameter declaredDimensions: vector dimensions from Larder's key/value metadata.
    init(_ elements: [ParquetFormat.SchemaElement], declaredDimensions: [String: Int]) throws {
        guard let root = elements.first else { throw ParquetError(.corrupt, "the footer has an empty schema") }
        let rootChildren = Int(root.numChildren ?? 0)
        guard rootChildren >= 0, rootChildren < elements.count else {
            throw ParquetError(.corrupt, "the schema root declares \(rootChildren) children but the schema has \(elements.count - 1) elements")
        }
        var leaves: [LeafColumn] = []
        var index = 1
        for _ in 0 ..< rootChildren {
            guard index < elements.count else {
                throw ParquetError(.corrupt, "the schema tree declares more elements than the footer holds")
            }
            let (leaf, next) = try Self.mapField(elements, at: index, declaredDimensions: declaredDimensions)
            leaves.append(contentsOf: leaf)
            index = next
        }
        guard index == elements.count else {
            throw ParquetError(.corrupt, "the schema has \(elements.count - index) elements outside the tree")
        }
        self.leaves = leaves
    }

    /// Maps the subtree at `index`; returns its leaf columns and the index after the subtree.
    private static func mapField(_ e: [ParquetFormat.SchemaElement], at index: Int,
                                 declaredDimensions: [String: Int]) throws -> ([LeafColumn], Int) {
        let element = e[index]
        let name = element.name
        let optional = element.repetitionType == .optional
        let children = Int(element.numChildren ?? 0)
        if children == 0 && element.type != nil {
            var leaf = primitive(element, path: [name], def: optional ? 1 : 0, rep: 0, nullable: optional)
            if element.repetitionType == .repeated {
                leaf.field = nil
                leaf.maxDefinitionLevel = 1
                leaf.maxRepetitionLevel = 1
                leaf.unsupportedReason = "repeated top-level field (legacy list) is not supported"
            }
            return ([leaf], index + 1)
        }
        // A group: skip its whole subtree, then decide whether it is a list of floats.
        let end = try subtreeEnd(e, at: index)
        let paths = try leafPaths(e, at: index)
        let isList = element.logicalType == .list || element.convertedType == .list
        func unsupported(_ why: String) -> ([LeafColumn], Int) {
            let leaves = paths.map { p in
                LeafColumn(name: name, path: p.path, physicalType: p.type, typeLength: 0,
                           maxDefinitionLevel: p.def, maxRepetitionLevel: p.rep, field: nil, conversion: .none,
                           unsupportedReason: why, elementIsOptional: false, dimensionIsDeclared: false)
            }
            return (leaves, end)
        }
        guard isList, children == 1, index + 1 < e.count else {
            return unsupported("nested group '\(name)' (struct or map) is not supported; Larder reads primitives and lists of floats")
        }
        let repeated = e[index + 1]
        guard repeated.repetitionType == .repeated else {
            return unsupported("list '\(name)' has no repeated child")
        }
        let elementNode: ParquetFormat.SchemaElement
        var elementPath = [name, repeated.name]
        var def = (optional ? 1 : 0) + 1
        var elementOptional = false
        if (repeated.numChildren ?? 0) == 0 {
            elementNode = repeated                      // 2-level list: the repeated field is the element
        } else if repeated.numChildren == 1, index + 2 < e.count, (e[index + 2].numChildren ?? 0) == 0,
                  repeated.name != "array", repeated.name != "\(name)_tuple" {
            elementNode = e[index + 2]                  // standard 3-level list
            elementPath.append(elementNode.name)
            elementOptional = elementNode.repetitionType == .optional
            if elementOptional { def += 1 }
        } else {
            return unsupported("list '\(name)' of structs is not supported")
        }
        guard elementNode.type == .float else {
            return unsupported("list '\(name)' of \(elementNode.type.map { "\($0)" } ?? "groups") is not supported; Larder reads lists of FLOAT as vectors")
        }
        let dimension = declaredDimensions[name]
        let leaf = LeafColumn(name: name, path: elementPath, physicalType: .float, typeLength: 0,
                              maxDefinitionLevel: def, maxRepetitionLevel: 1,
                              field: Field(name, .vector(dimension: dimension ?? 1), nullable: optional),
                              conversion: .none, unsupportedReason: nil,
                              elementIsOptional: elementOptional, dimensionIsDeclared: dimension != nil)
        return ([leaf], end)
    }

    private static func subtreeEnd(_ e: [ParquetFormat.SchemaElement], at index: Int) throws -> Int {
        var pending = 1, i = index
        while pending > 0 {
            guard i < e.count else { throw ParquetError(.corrupt, "the schema tree under '\(e[index].name)' runs past the footer's elements") }
            let n = Int(e[i].numChildren ?? 0)
            guard n >= 0, n <= e.count else { throw ParquetError(.corrupt, "schema element '\(e[i].name)' declares \(n) children") }
            pending += n - 1
            i += 1
        }
        return i
    }

    private static func leafPaths(_ e: [ParquetFormat.SchemaElement], at index: Int)
        throws -> [(path: [String], type: ParquetFormat.PhysicalType, def: Int, rep: Int)] {
        var out: [(path: [String], type: ParquetFormat.PhysicalType, def: Int, rep: Int)] = []
        var i = index
        func walk(_ prefix: [String], def: Int, rep: Int) throws {
            guard i < e.count else { throw ParquetError(.corrupt, "the schema tree runs past the footer's elements") }
            let el = e[i]
            i += 1
            let d = def + (el.repetitionType == .required ? 0 : 1)
            let r = rep + (el.repetitionType == .repeated ? 1 : 0)
            let path = prefix + [el.name]
            let n = Int(el.numChildren ?? 0)
            if n == 0 {
                out.append((path, el.type ?? .byteArray, d, r))
            } else {
                for _ in 0 ..< n { try walk(path, def: d, rep: r) }
            }
        }
        try walk([], def: 0, rep: 0)
        return out
    }

    /// Maps a primitive element to a Larder field and conversion.
    private static func primitive(_ el: ParquetFormat.SchemaElement, path: [String], def: Int, rep: Int,
                                  nullable: Bool) -> LeafColumn {
        let physical = el.type ?? .byteArray
        var type: DataType?
        var conversion = LeafColumn.Conversion.none
        var reason: String?
        let logical = el.logicalType
        let converted = el.convertedType
        switch physical {
        case .boolean: type = .bool
        case .int32:
            switch logical {
            case .date?: type = .date
            case .integer(let bits, let signed)?:
                if !signed && bits == 32 { type = .int64; conversion = .unsigned32ToInt64 } else { type = .int32 }
            case .decimal?: reason = "DECIMAL is not supported"
            case .time?: reason = "TIME is not supported"
            case nil:
                switch converted {
                case .date?: type = .date
                case .uint32?: type = .int64; conversion = .unsigned32ToInt64
                case .decimal?: reason = "DECIMAL is not supported"
                case .timeMillis?: reason = "TIME is not supported"
                default: type = .int32
                }
            default: type = .int32
            }
        case .int64:
            switch logical {
            case .timestamp(_, let unit)?:
                type = .timestamp
                conversion = unit == .millis ? .millisToMicros : unit == .nanos ? .nanosToMicros : .none
            case .integer(_, let signed)?:
                type = .int64
                if !signed { conversion = .unsigned64ToInt64 }
            case .decimal?: reason = "DECIMAL is not supported"
            case .time?: reason = "TIME is not supported"
            case nil:
                switch converted {
                case .timestampMicros?: type = .timestamp
                case .timestampMillis?: type = .timestamp; conversion = .millisToMicros
                case .uint64?: type = .int64; conversion = .unsigned64ToInt64
                case .decimal?: reason = "DECIMAL is not supported"
                case .timeMicros?: reason = "TIME is not supported"
                default: type = .int64
                }
            default: type = .int64
            }
        case .int96: type = .timestamp; conversion = .int96ToMicros
        case .float: type = .float32
        case .double: type = .float64
        case .byteArray:
            switch logical {
            case .string?, .enum?, .json?: type = .string
            case .decimal?: reason = "DECIMAL is not supported"
            case nil:
                type = (converted == .utf8 || converted == .enum || converted == .json) ? .string : .binary
                if converted == .decimal { type = nil; reason = "DECIMAL is not supported" }
            default: type = .binary
            }
        case .fixedLenByteArray:
            if logical.map({ if case .decimal = $0 { true } else { false } }) ?? (converted == .decimal) {
                reason = "DECIMAL is not supported"
            } else if logical == .float16 {
                reason = "FLOAT16 is not supported"
            } else {
                type = .binary; conversion = .fixedToBinary
            }
        default:
            reason = "physical type \(physical) is not supported"
        }
        let field = type.map { Field(el.name, $0, nullable: nullable) }
        return LeafColumn(name: el.name, path: path, physicalType: physical, typeLength: Int(el.typeLength ?? 0),
                          maxDefinitionLevel: def, maxRepetitionLevel: rep, field: field, conversion: conversion,
                          unsupportedReason: field == nil ? (reason ?? "unsupported type") : nil,
                          elementIsOptional: false, dimensionIsDeclared: false)
    }
}
