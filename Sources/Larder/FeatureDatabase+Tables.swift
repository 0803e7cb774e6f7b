import Foundation
import LarderColumnar
import LarderParquet
import LarderTable

extension FeatureDatabase {
    /// The commits of `view`'s table, newest first.
    public func history(of view: String, limit: Int? = nil) throws -> [Table.HistoryEntry] {
        try table(for: view).history(limit: limit)
    }

    /// Which version of a view to read.
    public enum VersionSelector: Sendable, Hashable {
        case latest
        case version(Int64)
        /// Microseconds since the epoch.
        case asOf(Int64)
    }

    /// The snapshot of `view` selected by `at`.
    public func snapshot(of view: String, at selector: VersionSelector = .latest) throws -> Snapshot {
        let table = try table(for: view)
        do {
            switch selector {
            case .latest: return try table.snapshot()
            case .version(let v): return try table.snapshot(version: v)
            case .asOf(let t): return try table.snapshot(asOf: t)
            }
        } catch let e as TableError where e.code == .invalidArgument {
            throw DatabaseError(.unknownName, "view '\(view)': \(e.message)")
        }
    }

    /// Writes `view` (at a version, optionally some columns) to a Parquet file.
    @discardableResult
    public func export(view: String, to output: String, at selector: VersionSelector = .latest,
                       columns: [String]? = nil, options: ParquetWriteOptions = .init()) throws -> ParquetFileSummary {
        let snapshot = try snapshot(of: view, at: selector)
        for c in columns ?? [] where snapshot.schema.index(of: c) == nil {
            throw DatabaseError(.unknownName, "view '\(view)' has no column '\(c)' (columns: \(snapshot.schema.names.joined(separator: ", ")))")
        }
        let batch = try snapshot.read(columns: columns)
        let writer = try ParquetWriter(path: output, schema: batch.schema, options: options)
        do {
            try writer.write(batch)
        } catch {
            writer.abandon()
            throw error
        }
        return try writer.close()
    }

    /// Compacts `view`'s small files into sorted larger ones.
    @discardableResult
    public func compact(view: String, targetFileRows: Int = 4 << 20) throws -> CommitResult {
        try table(for: view).compact(targetFileRows: targetFileRows)
    }

    /// Removes `view`'s data files no version inside the retention window needs.
    @discardableResult
    public func vacuum(view: String, retention: Int64 = 7 * 86_400_000_000, dryRun: Bool = false) throws -> Table.VacuumResult {
        try table(for: view).vacuum(retention: retention, dryRun: dryRun)
    }
}
