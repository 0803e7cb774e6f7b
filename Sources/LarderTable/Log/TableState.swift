import Foundation

/// A table's state at one version, built by replaying the log: the protocol, the metadata,
/// the live data files (each with the version that added it), the latest version per
/// idempotent writer, and every commit's timestamp (for time travel by time).
struct TableState: Sendable, Codable {
    var version: Int64 = -1
    var protocolAction: ProtocolAction?
    var metadata: MetadataAction?
    var files: [String: LiveFile] = [:]
    var transactions: [String: Int64] = [:]
    /// Commit timestamps in milliseconds, index = version (from commitInfo, else file time).
    var commitTimestamps: [Int64] = []

    struct LiveFile: Sendable, Codable, Hashable {
        var add: AddFile
        /// The version whose commit added the file.
        var version: Int64
    }

    /// Applies the actions of commit `version`.
    /// - Throws: ``TableError`` `.unsupported` for protocol features Larder cannot honour;
    ///   `.corrupt` when the commit is out of order.
    mutating func apply(_ actions: [DeltaAction], version: Int64, fileTimestamp: Int64) throws {
        guard version == self.version + 1 else {
            throw TableError(.corrupt, "commit \(version) follows version \(self.version)")
        }
        var timestamp: Int64?
        for action in actions {
            switch action {
            case .protocol(let p):
                try Self.check(p)
                protocolAction = p
            case .metadata(let m):
                if let mode = m.configuration["delta.columnMapping.mode"], mode != "none" {
                    throw TableError(.unsupported, "the table uses column mapping (mode \(mode)), which Larder does not read")
                }
                if !m.partitionColumns.isEmpty {
                    throw TableError(.unsupported, "the table is partitioned by \(m.partitionColumns.joined(separator: ", ")); Larder reads unpartitioned tables")
                }
                metadata = m
            case .add(let a):
                files[a.path] = LiveFile(add: a, version: version)
            case .remove(let r):
                files.removeValue(forKey: r.path)
            case .txn(let t):
                transactions[t.appId] = t.version
            case .commitInfo(let c):
                timestamp = c.timestamp
            case .other:
                break
            }
        }
        // Commit times must not go backwards, or time travel by time becomes ambiguous.
        let previous = commitTimestamps.last ?? Int64.min
        commitTimestamps.append(max(timestamp ?? fileTimestamp, previous))
        self.version = version
    }

    static func check(_ p: ProtocolAction) throws {
        guard p.minReaderVersion <= 1 else {
            let features = p.readerFeatures.map { ": " + $0.joined(separator: ", ") } ?? ""
            throw TableError(.unsupported, "the table needs a Delta reader of version \(p.minReaderVersion)\(features); Larder reads version 1 (no deletion vectors or column mapping)")
        }
    }

    /// The latest version committed at or before `millis`, or nil if the table is younger.
    func version(atOrBefore millis: Int64) -> Int64? {
        var lo = 0, hi = commitTimestamps.count - 1, found: Int?
        while lo <= hi {
            let mid = (lo + hi) / 2
            if commitTimestamps[mid] <= millis { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found.map(Int64.init)
    }
}
