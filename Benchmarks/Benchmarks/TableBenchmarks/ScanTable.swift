import LarderTable

/// 10M rows in 40 files of 250K consecutive keys, each file in row groups of 64 Ki rows, the
/// table sorted by `key`.
enum ScanTable {
    static let files = 40
    static let rowsPerFile: Int64 = 250_000
    static let rowGroupRows = 1 << 16
    static var rows: Int64 { Int64(files) * rowsPerFile }
    static let name = "scan-40x250k"

    static var path: String { PreparedTables.path(of: name, in: TableBenchSettings.scratchDirectory) }

    static func ensure() throws -> String {
        try PreparedTables.ensure(name, in: TableBenchSettings.scratchDirectory) { path in
            let table = try Table.create(at: path, schema: BenchRows.schema, sortColumns: ["key"])
            var options = CommitOptions()
            options.parquet.rowGroupRows = rowGroupRows
            for f in 0 ..< Int64(files) {
                let batch = try BenchRows.batch(keys: f * rowsPerFile ..< (f + 1) * rowsPerFile)
                try table.append([batch], options: options)
            }
            let snapshot = try table.snapshot()
            try check(snapshot.files.count == files && snapshot.rowCount == Int(rows),
                      "\(name): built \(snapshot.files.count) files of \(snapshot.rowCount ?? -1) rows")
        }
    }
}
