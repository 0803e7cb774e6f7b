import ArgumentParser
import Foundation
import LarderColumnar
import LarderParquet
import LarderTable

/// `larder inspect PATH`: the footer of a Parquet file (schema, row groups, codecs, sizes,
/// statistics), for people or, with `--json`, for machines.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a Parquet file (schema, row groups, codecs, sizes, statistics) or a table (versions, files, schema, protocol)."
    )

    @Argument(help: "A Parquet file, or a table directory (one with a _delta_log folder).")
    var path: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let report = try TableInspection(Table.open(at: path))
            if json {
                let data = try JSONSerialization.data(withJSONObject: report.json, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(report.text, terminator: "")
            }
            return
        }
        let file = try ParquetFile(path: path)
        let report = ParquetInspection(file)
        if json {
            let data = try JSONSerialization.data(withJSONObject: report.json, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report.text, terminator: "")
        }
    }
}

/// What `inspect` reports about a Parquet file.
struct ParquetInspection {
    let file: ParquetFile

    init(_ file: ParquetFile) { self.file = file }

    private var size: Int { (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0 }

    var json: [String: Any] {
        let meta = file.metadata
        var groups: [[String: Any]] = []
        for (g, group) in meta.rowGroups.enumerated() {
            var columns: [[String: Any]] = []
            for chunk in group.columns {
                guard let m = chunk.metaData else { continue }
                var c: [String: Any] = [
                    "path": m.pathInSchema.joined(separator: "."),
                    "physicalType": "\(m.type)",
                    "codec": "\(m.codec)",
                    "encodings": m.encodings.map { "\($0)" },
                    "values": m.numValues,
                    "compressedBytes": m.totalCompressedSize,
                    "uncompressedBytes": m.totalUncompressedSize,
                ]
                if let name = m.pathInSchema.first, let s = file.statistics(rowGroup: g, column: name) {
                    c["nullCount"] = s.nullCount
                    if let lo = s.min { c["min"] = Self.jsonValue(lo) }
                    if let hi = s.max { c["max"] = Self.jsonValue(hi) }
                }
                columns.append(c)
            }
            groups.append(["rows": group.numRows, "compressedBytes": group.totalCompressedSize ?? 0,
                           "uncompressedBytes": group.totalByteSize, "columns": columns])
        }
        return [
            "path": file.path,
            "sizeBytes": size,
            "createdBy": meta.createdBy ?? "",
            "formatVersion": meta.version,
            "rows": file.rowCount,
            "schema": file.schema.fields.map { ["name": $0.name, "type": $0.type.description, "nullable": $0.isNullable] },
            "unsupportedColumns": file.unsupportedColumns.map { ["name": $0.name, "reason": $0.reason] },
            "rowGroups": groups,
            "metadata": file.keyValueMetadata,
        ]
    }

    var text: String {
        let meta = file.metadata
        var out = "\(file.path): \(size) bytes, \(file.rowCount) rows in \(file.rowGroupCount) row group(s)\n"
        out += "created by: \(meta.createdBy ?? "unknown")\n\nschema:\n"
        for f in file.schema.fields {
            out += "  \(f.name.padding(24)) \(f.type.description)\(f.isNullable ? "" : " not null")\n"
        }
        for (name, reason) in file.unsupportedColumns { out += "  \(name.padding(24)) (unreadable: \(reason))\n" }
        for (g, group) in meta.rowGroups.enumerated() {
            out += "\nrow group \(g): \(group.numRows) rows, \(group.totalCompressedSize ?? 0) bytes compressed, \(group.totalByteSize) uncompressed\n"
            out += "  " + ["column".padding(24), "codec".padding(12), "encodings".padding(30), "compressed".padding(12),
                           "uncompressed".padding(13), "nulls".padding(8), "min / max"].joined(separator: " ") + "\n"
            for chunk in group.columns {
                guard let m = chunk.metaData else { continue }
                let name = m.pathInSchema.first ?? "?"
                var nulls = "", range = ""
                if let s = file.statistics(rowGroup: g, column: name) {
                    nulls = "\(s.nullCount)"
                    if let lo = s.min, let hi = s.max { range = "\(Self.textValue(lo)) / \(Self.textValue(hi))" }
                }
                out += "  " + [m.pathInSchema.joined(separator: ".").padding(24), "\(m.codec)".padding(12),
                               m.encodings.map { "\($0)" }.joined(separator: ",").padding(30),
                               "\(m.totalCompressedSize)".padding(12), "\(m.totalUncompressedSize)".padding(13),
                               nulls.padding(8), range].joined(separator: " ") + "\n"
            }
        }
        let extra = file.keyValueMetadata.filter { $0.key != "larder.schema" && $0.key != "ARROW:schema" }
        if !extra.isEmpty {
            out += "\nmetadata:\n"
            for (k, v) in extra.sorted(by: { $0.key < $1.key }) { out += "  \(k) = \(v.prefix(200))\n" }
        }
        return out
    }

    static func textValue(_ v: Value) -> String {
        switch v {
        case .timestamp(let t): Timestamp.iso8601(micros: t)
        case .date(let d): Timestamp.isoDate(days: d)
        case .string(let s): "\"" + String(s.prefix(40)) + (s.count > 40 ? "…" : "") + "\""
        default: v.description
        }
    }

    static func jsonValue(_ v: Value) -> Any {
        switch v {
        case .null: NSNull()
        case .int32(let x): Int(x)
        case .int64(let x): Int(x)
        case .float32(let x): x.isFinite ? Double(x) as Any : "\(x)"
        case .float64(let x): x.isFinite ? x as Any : "\(x)"
        case .bool(let x): x
        case .string(let s): s
        case .binary(let b): b.map { String(format: "%02x", $0) }.joined()
        case .timestamp(let t): Timestamp.iso8601(micros: t)
        case .date(let d): Timestamp.isoDate(days: d)
        case .vector(let f): f.map { Double($0) }
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
