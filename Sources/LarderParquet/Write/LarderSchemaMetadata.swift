import FoundationEssentials
import LarderColumnar

/// Larder's own description of a file's schema, stored under the footer key
/// `larder.schema` so that Larder reads back exactly the types it wrote (vector dimensions,
/// nullability). Other tools ignore it.
struct LarderSchemaMetadata: Codable, Sendable {
    static let key = "larder.schema"
    static let currentVersion = 1

    struct FieldEntry: Codable, Sendable {
        var name: String
        var type: String
        var nullable: Bool
        var dimension: Int?
    }

    var version: Int
    var fields: [FieldEntry]

    init(_ schema: Schema) {
        version = Self.currentVersion
        fields = schema.fields.map { f in
            if case .vector(let d) = f.type {
                return FieldEntry(name: f.name, type: "vector", nullable: f.isNullable, dimension: d)
            }
            return FieldEntry(name: f.name, type: f.type.description, nullable: f.isNullable, dimension: nil)
        }
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings, ints and bools cannot fail.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses the metadata value; nil when absent or not understood (then Parquet types rule).
    static func decode(_ value: String?) -> LarderSchemaMetadata? {
        guard let value, let parsed = try? JSONDecoder().decode(LarderSchemaMetadata.self, from: Data(value.utf8)),
              parsed.version == currentVersion else { return nil }
        return parsed
    }

    var vectorDimensions: [String: Int] {
        var out: [String: Int] = [:]
        for f in fields where f.type == "vector" { if let d = f.dimension, d > 0 { out[f.name] = d } }
        return out
    }
}

extension Schema {
    /// The flattened Parquet schema for this Larder schema (root first).
    ///
    /// Timestamps are `INT64` with `TIMESTAMP(isAdjustedToUTC=true, MICROS)` plus the legacy
    /// `TIMESTAMP_MICROS` converted type; dates `INT32` `DATE`; strings `BYTE_ARRAY` `STRING`;
    /// vectors the standard 3-level `LIST` of required `FLOAT` elements.
    var parquetElements: [ParquetFormat.SchemaElement] {
        var out = [ParquetFormat.SchemaElement(name: "schema", numChildren: Int32(fields.count))]
        for f in fields {
            let rep: ParquetFormat.FieldRepetitionType = f.isNullable ? .optional : .required
            switch f.type {
            case .int32: out.append(.init(name: f.name, type: .int32, repetitionType: rep))
            case .int64: out.append(.init(name: f.name, type: .int64, repetitionType: rep))
            case .float32: out.append(.init(name: f.name, type: .float, repetitionType: rep))
            case .float64: out.append(.init(name: f.name, type: .double, repetitionType: rep))
            case .bool: out.append(.init(name: f.name, type: .boolean, repetitionType: rep))
            case .string:
                out.append(.init(name: f.name, type: .byteArray, repetitionType: rep, convertedType: .utf8, logicalType: .string))
            case .binary: out.append(.init(name: f.name, type: .byteArray, repetitionType: rep))
            case .timestamp:
                out.append(.init(name: f.name, type: .int64, repetitionType: rep, convertedType: .timestampMicros,
                                 logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros)))
            case .date:
                out.append(.init(name: f.name, type: .int32, repetitionType: rep, convertedType: .date, logicalType: .date))
            case .vector:
                out.append(.init(name: f.name, repetitionType: rep, numChildren: 1, convertedType: .list, logicalType: .list))
                out.append(.init(name: "list", repetitionType: .repeated, numChildren: 1))
                out.append(.init(name: "element", type: .float, repetitionType: .required))
            }
        }
        return out
    }
}

extension Field {
    /// The leaf path of this field in Larder's Parquet layout.
    var parquetPath: [String] {
        if case .vector = type { return [name, "list", "element"] }
        return [name]
    }

    var parquetPhysicalType: ParquetFormat.PhysicalType {
        switch type {
        case .int32, .date: .int32
        case .int64, .timestamp: .int64
        case .float32, .vector: .float
        case .float64: .double
        case .bool: .boolean
        case .string, .binary: .byteArray
        }
    }
}
