import Foundation
import Larder
import LarderColumnar

// recommendation-service --db PATH [--model NAME] [--k N] [--feature view:feature ...] [--user ID ...]
//
// With --user: answers for those users and exits. Without: a long-running worker that reads
// one JSON request per line on stdin ({"user_id": 42, "k": 5}) and writes one JSON answer per
// line on stdout, refreshing the online state and the production model between requests.

let usage = "usage: recommendation-service --db PATH [--model NAME] [--k N] [--feature view:feature ...] [--user ID ...]"

struct Settings {
    var database: String?
    var model = "marketplace_recommender"
    var k = 10
    var features: [String] = []
    var users: [Int64] = []

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw ServiceError("\(flag) needs a value\n\(usage)") }
            return next
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--db": database = try value(flag)
            case "--model": model = try value(flag)
            case "--feature": features.append(try value(flag))
            case "--k":
                let text = try value(flag)
                guard let n = Int(text), n > 0 else { throw ServiceError("--k \(text): expected a positive integer") }
                k = n
            case "--user":
                let text = try value(flag)
                guard let id = Int64(text) else { throw ServiceError("--user \(text): expected an integer user id") }
                users.append(id)
            case "--help", "-h": throw ServiceError(usage)
            default: throw ServiceError("unknown argument '\(flag)'\n\(usage)")
            }
        }
        if database == nil { throw ServiceError("--db is required\n\(usage)") }
        if features.isEmpty { features = ["user_stats:visits_7d", "user_stats:fav_category", "user_stats:region"] }
    }
}

/// Writes one line to stdout unbuffered, so a worker's answer leaves as soon as it is ready.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// One answer as a JSON line.
func jsonLine(_ answer: ServiceAnswer) throws -> String {
    var features: [String: Any] = [:]
    for f in answer.features {
        features[f.name] = ["value": jsonValue(f.value), "status": f.status.rawValue,
                            "event_time": f.eventTime.map { Timestamp.iso8601(micros: $0) } ?? NSNull()] as [String: Any]
    }
    let object: [String: Any] = [
        "user_id": answer.user, "model": answer.model, "version": answer.version, "features": features,
        "fallback": answer.recommendations.usedFallback,
        "items": answer.recommendations.items.map { ["item_id": $0.item, "score": $0.score] as [String: Any] },
    ]
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

/// A feature value as a JSON-compatible value.
func jsonValue(_ value: Value) -> Any {
    switch value {
    case .null: NSNull()
    case .int32(let v): v
    case .int64(let v): v
    case .float32(let v): v.isFinite ? Double(v) : NSNull()
    case .float64(let v): v.isFinite ? v : NSNull()
    case .bool(let v): v
    case .string(let v): v
    case .timestamp(let v): Timestamp.iso8601(micros: v)
    case .date(let v): Int(v)
    case .binary(let v): Data(v).base64EncodedString()
    case .vector(let v): v.map { Double($0) }
    }
}

/// Reads `{"user_id": 42, "k": 5}`.
func parseRequest(_ line: String, defaultK: Int) throws -> (user: Int64, k: Int) {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw ServiceError("not a JSON object: \(line.prefix(80))")
    }
    guard let user = (object["user_id"] as? NSNumber)?.int64Value else { throw ServiceError("'user_id' must be an integer") }
    let k = (object["k"] as? NSNumber)?.intValue ?? defaultK
    guard k > 0 else { throw ServiceError("'k' must be positive") }
    return (user, k)
}

do {
    let settings = try Settings(Array(CommandLine.arguments.dropFirst()))
    let service = try RecommendationService(database: settings.database ?? "", model: settings.model, features: settings.features)
    if !settings.users.isEmpty {
        for user in settings.users { emit(try jsonLine(try service.answer(user: user, k: settings.k))) }
    } else {
        while let line = readLine() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            do {
                try service.refresh()
                let request = try parseRequest(line, defaultK: settings.k)
                emit(try jsonLine(try service.answer(user: request.user, k: request.k)))
            } catch {
                let data = try JSONSerialization.data(withJSONObject: ["error": "\(error)"], options: [.sortedKeys])
                emit(String(decoding: data, as: UTF8.self))
            }
        }
    }
} catch {
    FileHandle.standardError.write(Data("recommendation-service: \(error)\n".utf8))
    exit(1)
}
