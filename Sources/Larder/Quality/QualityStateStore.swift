import Foundation
import LarderQuality
import LarderTable

/// The validation metrics stored beside a view's commits, so validating a version merges the
/// stored metrics of the commits that wrote its files and scans only the rest.
///
/// When the quality gate validates an ingest, the mergeable state of the rows it commits
/// (``ValidationState``) is written to `tables/<view>/_larder_quality/<version>-<fingerprint>.json`
/// (a directory Delta readers ignore, as they ignore every path starting with `_`), together
/// with the data files the commit added. ``FeatureDatabase/validate(view:at:suite:options:)``
/// groups a version's files by the commit that added them: a group whose stored state was
/// computed by the same suite over the same columns (the validator's fingerprint) and covers
/// exactly those files is merged as it is; any other group (files written before the suite
/// existed, rewritten by compaction or a delete, or a state too large to keep) is scanned.
///
/// States whose retained values (medians, quantiles, uniqueness keys, distinct-value counts)
/// exceed ``maximumRetainedValues`` are not stored: they would be as large as the data.
/// A state that cannot be written (full disk) is skipped; the commit stands and the next
/// validation scans those files. Row numbers in results built from stored states count rows
/// in commit order, as they were ingested.
struct QualityStateStore {
    /// The directory inside a table that holds stored states.
    static let directoryName = "_larder_quality"
    /// The largest ``ValidationState/retainedValueCount`` stored.
    static let maximumRetainedValues = 1 << 18

    let tablePath: String

    var directory: String { tablePath + "/" + Self.directoryName }

    /// What one stored file holds.
    struct Entry: Codable {
        var version: Int64
        var files: [String]
        var rows: Int
        var state: ValidationState
    }

    func path(version: Int64, fingerprint: UInt64) -> String {
        directory + "/" + String(format: "%020lld", version) + "-" + String(fingerprint, radix: 16) + ".json"
    }

    /// Stores `state` for the files `version` added (when it is small enough); returns
    /// whether it was written.
    @discardableResult
    func store(_ state: ValidationState, version: Int64, snapshot: Snapshot) -> Bool {
        guard state.isClean, state.retainedValueCount <= Self.maximumRetainedValues else { return false }
        let files = snapshot.files.filter { $0.addedVersion == version }.map(\.path).sorted()
        let entry = Entry(version: version, files: files, rows: state.rowCount, state: state)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let data = try JSONEncoder().encode(entry)
            let target = path(version: version, fingerprint: state.fingerprint)
            let temporary = target + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, target) == 0 else {
                try? FileManager.default.removeItem(atPath: temporary)
                return false
            }
            return true
        } catch {
            return false
        }
    }

    /// The stored state for the files `version` added, when one exists for `validator`, covers
    /// exactly `files`, and can stand in for scanning them under `options`.
    func state(version: Int64, files: [Snapshot.DataFile], validator: SuiteValidator,
               options: ValidationOptions) -> ValidationState? {
        let file = path(version: version, fingerprint: validator.fingerprint)
        guard let data = FileManager.default.contents(atPath: file),
              let entry = try? JSONDecoder().decode(Entry.self, from: data) else { return nil }
        let counts = files.compactMap(\.rowCount)
        guard counts.count == files.count, counts.reduce(0, +) == entry.rows,
              entry.version == version, entry.files == files.map(\.path).sorted(),
              entry.rows == entry.state.rowCount,
              validator.canReuse(entry.state, options: options) else { return nil }
        return entry.state
    }
}
