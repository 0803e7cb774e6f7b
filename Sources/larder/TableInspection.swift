import Foundation
import LarderColumnar
import LarderTable

/// What `inspect` reports about a table: protocol, schema, the latest version's files and
/// the version history.
struct TableInspection {
    let table: Table
    let snapshot: Snapshot
    let history: [Table.HistoryEntry]
    let protocolVersions: (reader: Int, writer: Int)

    init(_ table: Table) throws {
        self.table = table
        snapshot = try table.snapshot()
        history = try table.history()
        protocolVersions = (snapshot.protocolReaderVersion, snapshot.protocolWriterVersion)
    }

    var json: [String: Any] {
        [
            "path": table.path,
            "version": snapshot.version,
            "timestamp": Timestamp.iso8601(micros: snapshot.timestamp),
            "protocol": ["minReaderVersion": protocolVersions.reader, "minWriterVersion": protocolVersions.writer],
            "schema": snapshot.schema.fields.map { ["name": $0.name, "type": $0.type.description, "nullable": $0.isNullable] },
            "sortColumns": snapshot.sortColumns,
            "configuration": snapshot.configuration,
            "rows": snapshot.rowCount as Any? ?? NSNull(),
            "files": snapshot.files.map { f -> [String: Any] in
                ["path": f.path, "sizeBytes": f.size, "addedVersion": f.addedVersion,
                 "rows": f.rowCount as Any? ?? NSNull()]
            },
            "history": history.map { h -> [String: Any] in
                ["version": h.version, "timestamp": Timestamp.iso8601(micros: h.timestamp), "operation": h.operation,
                 "filesAdded": h.filesAdded, "filesRemoved": h.filesRemoved, "rowsAdded": h.rowsAdded,
                 "rowsRemoved": h.rowsRemoved, "dataChange": h.dataChange, "metadata": h.metadata]
            },
        ]
    }

    var text: String {
        var out = "\(table.path): Delta table, version \(snapshot.version) (\(Timestamp.iso8601(micros: snapshot.timestamp)))\n"
        out += "protocol: reader \(protocolVersions.reader), writer \(protocolVersions.writer)\n"
        out += "rows: \(snapshot.rowCount.map(String.init) ?? "unknown") in \(snapshot.files.count) file(s), \(snapshot.files.reduce(0) { $0 + $1.size }) bytes\n"
        if !snapshot.sortColumns.isEmpty { out += "sorted by: \(snapshot.sortColumns.joined(separator: ", "))\n" }
        out += "\nschema:\n"
        for f in snapshot.schema.fields {
            out += "  \(f.name.padding(24)) \(f.type.description)\(f.isNullable ? "" : " not null")\n"
        }
        out += "\nfiles:\n"
        for f in snapshot.files {
            out += "  \(f.path)  v\(f.addedVersion)  \(f.size) bytes  \(f.rowCount.map { "\($0) rows" } ?? "")\n"
        }
        out += "\nhistory:\n"
        out += "  " + ["version".padding(8), "time".padding(28), "operation".padding(14), "+files".padding(7), "-files".padding(7), "+rows".padding(10), "-rows"].joined(separator: " ") + "\n"
        for h in history {
            out += "  " + ["\(h.version)".padding(8), Timestamp.iso8601(micros: h.timestamp).padding(28), h.operation.padding(14),
                           "\(h.filesAdded)".padding(7), "\(h.filesRemoved)".padding(7), "\(h.rowsAdded)".padding(10), "\(h.rowsRemoved)"].joined(separator: " ")
            if !h.metadata.isEmpty { out += "  " + h.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
            out += "\n"
        }
        return out
    }
}
