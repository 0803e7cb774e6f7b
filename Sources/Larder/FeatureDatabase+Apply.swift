import Foundation
import LarderColumnar
import LarderTable

/// What ``FeatureDatabase/apply(_:allowBreaking:dryRun:)`` did.
public struct ApplyResult: Sendable {
    public var diff: CatalogDiff
    /// Whether anything was recorded (false for a dry run or an unchanged catalog).
    public var applied: Bool
}

extension FeatureDatabase {
    /// Applies `catalog`: records it as the new catalog version, creates the tables of new
    /// feature views and evolves the schemas of changed ones.
    ///
    /// Additive changes (new views, new nullable columns at the end, ttl, online, ...) apply
    /// directly. Breaking changes (a column removed or retyped, keys changed, a view removed)
    /// are refused unless `allowBreaking`; then a changed view's table is replaced (its old
    /// versions stay readable by time travel).
    /// - Throws: `.breakingChange` listing every breaking change; `.invalidDefinitions` if the
    ///   catalog does not validate.
    @discardableResult
    public func apply(_ catalog: Catalog, allowBreaking: Bool = false, dryRun: Bool = false) throws -> ApplyResult {
        try Definitions.validate(catalog)
        let old = try self.catalog()
        let diff = CatalogDiff.between(old, catalog)
        if !diff.breakingChanges.isEmpty && !allowBreaking {
            let list = diff.breakingChanges.map { "  \($0)" }.joined(separator: "\n")
            throw DatabaseError(.breakingChange, "these changes are breaking (pass --allow-breaking to replace the affected data):\n\(list)")
        }
        guard !dryRun, !diff.isEmpty else { return ApplyResult(diff: diff, applied: false) }
        // Tables first, so a recorded catalog never names a view without a table.
        for view in catalog.featureViews {
            let keys = try self.keys(of: view, in: catalog)
            let schema = try view.tableSchema(keys: keys)
            let sort = keys + [view.timestampField] + (view.createdTimestampColumn.map { [$0] } ?? [])
            let path = tablePath(view.name)
            if FileManager.default.fileExists(atPath: path + "/_delta_log") {
                try Table.open(at: path).updateSchema(schema, sortColumns: sort, allowBreaking: allowBreaking)
            } else {
                _ = try Table.create(at: path, schema: schema, name: view.name, sortColumns: sort)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(catalog), as: UTF8.self)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let row = try RecordBatch(schema: Self.catalogSchema, columns: [.timestamp([now]), .string([json]), .string([diff.summary])])
        var options = CommitOptions()
        options.metadata = ["operation": "apply"]
        try catalogTable.append([row], options: options)
        return ApplyResult(diff: diff, applied: true)
    }
}
