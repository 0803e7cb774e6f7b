import LarderColumnar

extension Table {
    /// Changes the table's schema as one commit.
    ///
    /// An additive change (the old columns unchanged, new nullable columns at the end) keeps
    /// the data: files written before read the new columns as nulls. Any other change is
    /// breaking and needs `allowBreaking`; it also removes every data file in the same commit
    /// (earlier versions stay readable by time travel, with their own schema).
    /// - Throws: `.schemaMismatch` for a breaking change without `allowBreaking`; `.conflict`
    ///   if the metadata changed concurrently.
    @discardableResult
    public func updateSchema(_ schema: Schema, sortColumns: [String]? = nil, allowBreaking: Bool = false,
                             options: CommitOptions = .init()) throws -> CommitResult {
        let state = try latestState()
        guard var metadata = state.metadata else { throw TableError(.corrupt, "no metaData action", path: path) }
        let current = try makeSnapshot(state).schema
        let additive = Self.isAdditive(from: current, to: schema)
        guard additive || allowBreaking else {
            throw TableError(.schemaMismatch, "changing the schema from \(current) to \(schema) is not additive (new nullable columns at the end); allow breaking changes to replace the table's data", path: path)
        }
        for c in sortColumns ?? [] where schema.index(of: c) == nil {
            throw TableError(.invalidArgument, "sort column '\(c)' is not in the schema \(schema)", path: path)
        }
        metadata.schemaString = DeltaSchema.encode(schema)
        if let sortColumns {
            metadata.configuration[TableConfiguration.sortColumns] = sortColumns.isEmpty ? nil : sortColumns.joined(separator: ",")
        }
        guard metadata != state.metadata else { return CommitResult() }
        var pending = PendingCommit(operation: additive ? "ADD COLUMNS" : "REPLACE SCHEMA", rule: .noChangeSinceRead, readState: state)
        pending.metadata = metadata
        if !additive {
            pending.removes = state.files.values.map { RemoveFile(path: $0.add.path, deletionTimestamp: nil, dataChange: true, size: $0.add.size) }
        }
        pending.parameters = ["schema": "\(schema)"]
        return try commit(pending, options: options)
    }

    /// Whether `new` only appends nullable columns to `old`.
    public static func isAdditive(from old: Schema, to new: Schema) -> Bool {
        guard new.count >= old.count, Array(new.fields.prefix(old.count)) == old.fields else { return false }
        return new.fields.dropFirst(old.count).allSatisfy(\.isNullable)
    }
}
