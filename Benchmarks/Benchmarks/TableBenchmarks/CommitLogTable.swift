import LarderTable

/// A table of `commits` appends of ``rowsPerCommit`` rows each (version `commits`, one data
/// file per commit), with Larder's default checkpoints or none.
struct CommitLogTable: Sendable, Hashable {
    static let rowsPerCommit = 100
    var commits: Int
    var checkpoints: Bool

    var name: String { "log-\(commits)-" + (checkpoints ? "checkpoints" : "no-checkpoints") }

    static let all: [CommitLogTable] = [100, 1_000, 10_000].flatMap {
        [CommitLogTable(commits: $0, checkpoints: true), CommitLogTable(commits: $0, checkpoints: false)]
    }

    /// Builds every table in `all` that is missing, in parallel, and returns this one's path.
    func ensure() throws -> String {
        try PreparedTables.inParallel(Self.all) { table in
            _ = try PreparedTables.ensure(table.name) { try table.build(at: $0) }
        }
        return try PreparedTables.ensure(name) { try build(at: $0) }
    }

    private func build(at path: String) throws {
        let configuration = checkpoints ? [:] : [TableConfiguration.checkpointInterval: "0"]
        let table = try Table.create(at: path, schema: BenchRows.schema, sortColumns: ["key"], configuration: configuration)
        let rows = Int64(Self.rowsPerCommit)
        for i in 0 ..< Int64(commits) {
            let result = try table.append([try BenchRows.batch(keys: i * rows ..< (i + 1) * rows)])
            try check(result.version == i + 1, "\(name): append \(i + 1) made version \(String(describing: result.version))")
            if (i + 1) % 1_000 == 0 { PreparedTables.log("\(name): \(i + 1) commits") }
        }
        let snapshot = try Table.open(at: path).snapshot()
        try check(snapshot.version == Int64(commits) && snapshot.files.count == commits,
                  "\(name): built version \(snapshot.version) with \(snapshot.files.count) files, expected \(commits) of each")
    }
}
