import Foundation

/// The actions of a Delta Lake commit (delta-io/delta `PROTOCOL.md`), as Larder reads and
/// writes them. Each commit file `_delta_log/%020d.json` holds one action per line.
///
/// Reading is lenient about fields Larder does not use (other writers add many), and strict
/// about what changes meaning: deletion vectors and reader features Larder does not support
/// are refused.
enum DeltaAction: Sendable {
    case `protocol`(ProtocolAction)
    case metadata(MetadataAction)
    case add(AddFile)
    case remove(RemoveFile)
    case commitInfo(CommitInfo)
    case txn(TransactionAction)
    /// An action Larder does not interpret (`cdc`, `domainMetadata`, `checkpointMetadata`, ...).
    case other(String)
}

/// `protocol`: the reader and writer versions (and features) a table requires.
struct ProtocolAction: Hashable, Sendable, Codable {
    var minReaderVersion: Int
    var minWriterVersion: Int
    var readerFeatures: [String]?
    var writerFeatures: [String]?

    static let larder = ProtocolAction(minReaderVersion: 1, minWriterVersion: 2, readerFeatures: nil, writerFeatures: nil)
}

/// `metaData`: the table's id, schema (Delta's JSON schema string) and configuration.
struct MetadataAction: Hashable, Sendable, Codable {
    var id: String
    var name: String?
    var description: String?
    var schemaString: String
    var partitionColumns: [String]
    var configuration: [String: String]
    var createdTime: Int64?
}

/// `add`: a data file that becomes part of the table.
public struct AddFile: Hashable, Sendable, Codable {
    /// Path relative to the table root (URL-encoded in the log).
    public var path: String
    public var size: Int64
    /// Milliseconds since the epoch.
    public var modificationTime: Int64
    public var dataChange: Bool
    /// The stats JSON string (numRecords, minValues, maxValues, nullCount), if recorded.
    public var stats: String?
    var partitionValues: [String: String?] = [:]
    /// The add action's `tags`. Larder records where a file's rows stand in commit order
    /// (``CommitOrder``) here.
    public var tags: [String: String]? = nil
}

/// `remove`: a data file that stops being part of the table.
struct RemoveFile: Hashable, Sendable {
    var path: String
    var deletionTimestamp: Int64?
    var dataChange: Bool
    var size: Int64?
}

/// `commitInfo`: provenance of a commit. Larder reads the fields it shows in history.
struct CommitInfo: Sendable {
    var timestamp: Int64?
    var operation: String?
    var operationParameters: [String: String]
    var operationMetrics: [String: Int64]
    /// Larder's caller-supplied metadata (`larder.metadata`), or Delta's `userMetadata` string.
    var metadata: [String: String]
    var engineInfo: String?
}

/// `txn`: the latest version an application (appId) has committed, for idempotent writers.
struct TransactionAction: Hashable, Sendable {
    var appId: String
    var version: Int64
    var lastUpdated: Int64?
}

// MARK: - JSON

extension DeltaAction {
    /// Decodes one line of a commit file.
    /// - Throws: ``TableError`` `.corrupt` for malformed JSON or missing required fields;
    ///   `.unsupported` for an `add` carrying a deletion vector.
    static func decode(line: Substring) throws -> DeltaAction {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        } catch {
            throw TableError(.corrupt, "a log line is not JSON: \(line.prefix(80))")
        }
        guard let dict = object as? [String: Any], let (key, value) = dict.first, dict.count == 1,
              let body = value as? [String: Any] else {
            throw TableError(.corrupt, "a log line is not a single action: \(line.prefix(80))")
        }
        func string(_ k: String) throws -> String {
            guard let v = body[k] as? String else { throw TableError(.corrupt, "\(key) action without '\(k)'") }
            return v
        }
        func int(_ k: String) -> Int64? { (body[k] as? NSNumber)?.int64Value }
        switch key {
        case "protocol":
            guard let r = int("minReaderVersion"), let w = int("minWriterVersion") else {
                throw TableError(.corrupt, "protocol action without versions")
            }
            return .protocol(ProtocolAction(minReaderVersion: Int(r), minWriterVersion: Int(w),
                                            readerFeatures: body["readerFeatures"] as? [String],
                                            writerFeatures: body["writerFeatures"] as? [String]))
        case "metaData":
            let format = body["format"] as? [String: Any]
            if let provider = format?["provider"] as? String, provider != "parquet" {
                throw TableError(.unsupported, "data files in format '\(provider)'; Larder reads Parquet tables")
            }
            return .metadata(MetadataAction(
                id: try string("id"), name: body["name"] as? String, description: body["description"] as? String,
                schemaString: try string("schemaString"),
                partitionColumns: body["partitionColumns"] as? [String] ?? [],
                configuration: (body["configuration"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String },
                createdTime: int("createdTime")))
        case "add":
            if let dv = body["deletionVector"], !(dv is NSNull) {
                throw TableError(.unsupported, "the table uses deletion vectors, which Larder does not read")
            }
            return .add(AddFile(path: try unescape(try string("path")), size: int("size") ?? 0,
                                modificationTime: int("modificationTime") ?? 0,
                                dataChange: body["dataChange"] as? Bool ?? true, stats: body["stats"] as? String,
                                partitionValues: (body["partitionValues"] as? [String: Any] ?? [:]).mapValues { $0 as? String },
                                tags: (body["tags"] as? [String: Any])?.compactMapValues { $0 as? String }))
        case "remove":
            return .remove(RemoveFile(path: try unescape(try string("path")), deletionTimestamp: int("deletionTimestamp"),
                                      dataChange: body["dataChange"] as? Bool ?? true, size: int("size")))
        case "commitInfo":
            var metadata: [String: String] = [:]
            if let m = body["larder.metadata"] as? [String: Any] { metadata = m.compactMapValues { "\($0)" } }
            if let user = body["userMetadata"] as? String, metadata.isEmpty { metadata["userMetadata"] = user }
            return .commitInfo(CommitInfo(
                timestamp: int("timestamp"), operation: body["operation"] as? String,
                operationParameters: (body["operationParameters"] as? [String: Any] ?? [:]).mapValues { "\($0)" },
                operationMetrics: (body["operationMetrics"] as? [String: Any] ?? [:]).compactMapValues {
                    ($0 as? NSNumber)?.int64Value ?? ($0 as? String).flatMap { Int64($0) }
                },
                metadata: metadata, engineInfo: body["engineInfo"] as? String))
        case "txn":
            guard let v = int("version") else { throw TableError(.corrupt, "txn action without a version") }
            return .txn(TransactionAction(appId: try string("appId"), version: v, lastUpdated: int("lastUpdated")))
        default:
            return .other(key)
        }
    }

    /// The action as one JSON line (without the newline).
    func encoded() -> String {
        let object: [String: Any]
        switch self {
        case .protocol(let p):
            var body: [String: Any] = ["minReaderVersion": p.minReaderVersion, "minWriterVersion": p.minWriterVersion]
            if let r = p.readerFeatures { body["readerFeatures"] = r }
            if let w = p.writerFeatures { body["writerFeatures"] = w }
            object = ["protocol": body]
        case .metadata(let m):
            var body: [String: Any] = [
                "id": m.id, "format": ["provider": "parquet", "options": [String: String]()],
                "schemaString": m.schemaString, "partitionColumns": m.partitionColumns, "configuration": m.configuration,
            ]
            if let n = m.name { body["name"] = n }
            if let d = m.description { body["description"] = d }
            if let c = m.createdTime { body["createdTime"] = c }
            object = ["metaData": body]
        case .add(let a):
            var body: [String: Any] = [
                "path": escape(a.path), "partitionValues": [String: String](), "size": a.size,
                "modificationTime": a.modificationTime, "dataChange": a.dataChange,
            ]
            if let s = a.stats { body["stats"] = s }
            if let t = a.tags, !t.isEmpty { body["tags"] = t }
            object = ["add": body]
        case .remove(let r):
            var body: [String: Any] = ["path": escape(r.path), "dataChange": r.dataChange, "extendedFileMetadata": true,
                                       "partitionValues": [String: String]()]
            if let t = r.deletionTimestamp { body["deletionTimestamp"] = t }
            if let s = r.size { body["size"] = s }
            object = ["remove": body]
        case .commitInfo(let c):
            var body: [String: Any] = ["operationParameters": c.operationParameters,
                                       "operationMetrics": c.operationMetrics.mapValues { NSNumber(value: $0) }]
            if let t = c.timestamp { body["timestamp"] = t }
            if let o = c.operation { body["operation"] = o }
            if let e = c.engineInfo { body["engineInfo"] = e }
            if !c.metadata.isEmpty { body["larder.metadata"] = c.metadata }
            object = ["commitInfo": body]
        case .txn(let t):
            var body: [String: Any] = ["appId": t.appId, "version": t.version]
            if let l = t.lastUpdated { body["lastUpdated"] = l }
            object = ["txn": body]
        case .other:
            object = [:]
        }
        // Plain dictionaries of strings, numbers and bools always serialise.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Delta stores paths URL-encoded (RFC 2396). Larder names files with `[A-Za-z0-9._-]` only,
/// so escaping is the identity for its own files; other writers' paths are decoded.
private func unescape(_ path: String) throws -> String {
    guard path.contains("%") else { return path }
    guard let decoded = path.removingPercentEncoding else {
        throw TableError(.corrupt, "bad percent-encoding in log path '\(path)'")
    }
    return decoded
}

private func escape(_ path: String) -> String {
    path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "%"))) ?? path
}
