import Foundation
import LarderColumnar

/// Conversion between a Larder ``Schema`` and Delta's JSON schema string.
///
/// int32 ↔ `integer` (also reads `short`, `byte`), int64 ↔ `long`, float32 ↔ `float`,
/// float64 ↔ `double`, bool ↔ `boolean`, string, binary, timestamp ↔ `timestamp` (µs, UTC;
/// `timestamp_ntz` is read as UTC), date, and vectors ↔ `array` of non-null `float` whose
/// dimension is kept in the field's metadata (`larder.dimension`). A vector from another
/// writer without that metadata reports dimension 0 until the data says.
enum DeltaSchema {
    static let dimensionKey = "larder.dimension"

    static func encode(_ schema: Schema) -> String {
        let fields: [[String: Any]] = schema.fields.map { f in
            var metadata: [String: Any] = [:]
            let type: Any
            switch f.type {
            case .int32: type = "integer"
            case .int64: type = "long"
            case .float32: type = "float"
            case .float64: type = "double"
            case .bool: type = "boolean"
            case .string: type = "string"
            case .binary: type = "binary"
            case .timestamp: type = "timestamp"
            case .date: type = "date"
            case .vector(let d):
                type = ["type": "array", "elementType": "float", "containsNull": false] as [String: Any]
                metadata[dimensionKey] = d
            }
            return ["name": f.name, "type": type, "nullable": f.isNullable, "metadata": metadata]
        }
        let object: [String: Any] = ["type": "struct", "fields": fields]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses a schema string. Vectors without a declared dimension get dimension 0 in
    /// `undeclaredVectors` and dimension 1 in the schema, to be resolved from a data file.
    static func decode(_ text: String) throws -> (schema: Schema, undeclaredVectors: [String]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              object["type"] as? String == "struct", let fields = object["fields"] as? [[String: Any]] else {
            throw TableError(.corrupt, "the table's schema string is not a Delta struct schema")
        }
        var out: [Field] = []
        var undeclared: [String] = []
        for f in fields {
            guard let name = f["name"] as? String else { throw TableError(.corrupt, "a schema field has no name") }
            let nullable = f["nullable"] as? Bool ?? true
            let metadata = f["metadata"] as? [String: Any] ?? [:]
            let type: DataType
            switch f["type"] {
            case let s as String:
                switch s {
                case "integer", "short", "byte": type = .int32
                case "long": type = .int64
                case "float": type = .float32
                case "double": type = .float64
                case "boolean": type = .bool
                case "string": type = .string
                case "binary": type = .binary
                case "timestamp", "timestamp_ntz": type = .timestamp
                case "date": type = .date
                default:
                    throw TableError(.unsupported, "column '\(name)' has type \(s), which Larder does not read")
                }
            case let complex as [String: Any]:
                guard complex["type"] as? String == "array", complex["elementType"] as? String == "float" else {
                    throw TableError(.unsupported, "column '\(name)' is a nested type (\(complex["type"] ?? "?")); Larder reads arrays of float as vectors")
                }
                if let d = (metadata[dimensionKey] as? NSNumber)?.intValue, d > 0 {
                    type = .vector(dimension: d)
                } else {
                    type = .vector(dimension: 1)
                    undeclared.append(name)
                }
            default:
                throw TableError(.corrupt, "column '\(name)' has no type")
            }
            out.append(Field(name, type, nullable: nullable))
        }
        do {
            return (try Schema(out), undeclared)
        } catch {
            throw TableError(.corrupt, "the table's schema is invalid: \(error)")
        }
    }
}
