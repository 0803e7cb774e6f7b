import LarderColumnar
import LarderRecommender

/// One event of a `POST /feedback` body:
///
/// ```json
/// {"user_id": 42, "item_id": 1017, "event": "click", "request_id": "ranker@3:9f86d081884c7d65"}
/// {"user_id": 42, "item_id": 1017, "event": "booking", "model": "ranker", "version": 3, "ts": "2026-07-01T10:00:00Z"}
/// {"events": [{...}, {...}]}
/// ```
///
/// `user_id` and `item_id` are integers (or decimal strings); `event` is `impression`, `click`
/// or `booking`; the serving arm is named by `request_id` (what `/recommend` answered) or by
/// `version` with `model` (default: the server's `--recommender`); `ts` (optional) is ISO 8601
/// text or integer µs since the epoch.
struct FeedbackEvent: Sendable, Equatable {
    var user: Int64
    var item: Int64
    var kind: FeedbackKind
    var model: String
    var version: Int
    var requestID: String?
    /// The event time (µs); nil: when the server received it.
    var time: Int64?

    /// The arm that served.
    var arm: BanditArm { BanditArm(model: model, version: version) }

    static let fields: Set<String> = ["user_id", "item_id", "event", "request_id", "model", "version", "ts"]

    /// The events of a body: one event object, or `{"events": [...]}`.
    /// - Throws: 400 naming the event and field; 413 over `maxEvents`.
    static func parse(_ body: JSONValue, defaultModel: String?, maxEvents: Int) throws(ServerError) -> [FeedbackEvent] {
        guard case .object(let object) = body else {
            throw .badRequest("the request body must be a JSON object (one event, or {\"events\": [...]}), not \(body.typeName)")
        }
        guard let list = object["events"] else { return [try FeedbackEvent(object, index: 0, count: 1, defaultModel: defaultModel)] }
        if let extra = object.keys.sorted().first(where: { $0 != "events" }) {
            throw .badRequest("unknown field '\(extra)' beside 'events' (put every event in the list)")
        }
        guard case .array(let items) = list else { throw .badRequest("'events' must be a list of events, not \(list.typeName)") }
        guard !items.isEmpty else { throw .badRequest("'events' is empty") }
        guard items.count <= maxEvents else {
            throw ServerError(.contentTooLarge, "too_many_events", "\(items.count) events in one request; the limit is \(maxEvents) (split the request)")
        }
        var events: [FeedbackEvent] = []
        for (i, item) in items.enumerated() {
            guard case .object(let fields) = item else { throw .badRequest("events[\(i)] must be an object, not \(item.typeName)") }
            events.append(try FeedbackEvent(fields, index: i, count: items.count, defaultModel: defaultModel))
        }
        return events
    }

    /// `name` of event `index` as error messages say it: `user_id` for a single event, else `events[3].user_id`.
    static func field(_ index: Int, _ name: String, _ count: Int) -> String {
        count == 1 ? name : "events[\(index)].\(name)"
    }

    init(user: Int64, item: Int64, kind: FeedbackKind, model: String, version: Int, requestID: String? = nil, time: Int64? = nil) {
        self.user = user
        self.item = item
        self.kind = kind
        self.model = model
        self.version = version
        self.requestID = requestID
        self.time = time
    }

    init(_ object: [String: JSONValue], index: Int, count: Int, defaultModel: String?) throws(ServerError) {
        func name(_ field: String) -> String { Self.field(index, field, count) }
        if let unknown = object.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw .badRequest("unknown field '\(name(unknown))' (expected \(Self.fields.sorted().joined(separator: ", ")))")
        }
        func id(_ field: String) throws(ServerError) -> Int64 {
            switch object[field] {
            case nil, .null: throw .badRequest("\(name(field)) is required (an integer id)")
            case .int(let v): return v
            case .string(let s):
                guard let v = Int64(s) else { throw .badRequest("\(name(field)): '\(s.prefix(40))' is not an integer id") }
                return v
            case .double(let d) where d.rounded() == d && abs(d) < 9e15: return Int64(d)
            case .some(let other): throw .badRequest("\(name(field)) must be an integer id, not \(OnlineFeaturesRequest.describe(other))")
            }
        }
        user = try id("user_id")
        item = try id("item_id")
        switch object["event"] {
        case .string(let text):
            guard let parsed = try? FeedbackKind(parsing: text) else {
                throw .badRequest("\(name("event")): unknown event '\(text.prefix(40))' (expected impression, click or booking)")
            }
            kind = parsed
        case nil, .null: throw .badRequest("\(name("event")) is required: impression, click or booking")
        case .some(let other): throw .badRequest("\(name("event")) must be a string (impression, click or booking), not \(other.typeName)")
        }
        var model: String?
        switch object["model"] {
        case nil, .null: model = nil
        case .string(let s) where !s.isEmpty: model = s
        case .some(let other): throw .badRequest("\(name("model")) must be a model name, not \(OnlineFeaturesRequest.describe(other))")
        }
        var version: Int?
        switch object["version"] {
        case nil, .null: version = nil
        case .int(let v) where v >= 1 && v <= Int64(Int32.max): version = Int(v)
        case .string(let s) where Int(s).map({ $0 >= 1 }) == true: version = Int(s)
        case .some(let other): throw .badRequest("\(name("version")) must be a version number (1, 2, …), not \(OnlineFeaturesRequest.describe(other))")
        }
        switch object["request_id"] {
        case nil, .null: requestID = nil
        case .string(let text):
            guard let arm = RememberedRequests.arm(of: text), let armModel = arm.model, let armVersion = arm.version else {
                throw .badRequest("\(name("request_id")): '\(text.prefix(80))' is not a request id from /recommend (MODEL@VERSION:16 hex digits)")
            }
            if let model, model != armModel {
                throw .badRequest("\(name("model")): '\(model)' differs from the model of request_id (\(armModel))")
            }
            if let version, version != armVersion {
                throw .badRequest("\(name("version")): \(version) differs from the version of request_id (\(armVersion))")
            }
            requestID = text
            model = armModel
            version = armVersion
        case .some(let other): throw .badRequest("\(name("request_id")) must be a string, not \(other.typeName)")
        }
        guard let version else {
            throw .badRequest("\(name("version")) is required without request_id: name the model version that served (or pass the request_id /recommend answered)")
        }
        guard let chosen = model ?? defaultModel else {
            throw .badRequest("\(name("model")) is required: this server has no default model (larder serve --recommender NAME)")
        }
        self.model = chosen
        self.version = version
        switch object["ts"] {
        case nil, .null: time = nil
        case .int(let micros): time = micros
        case .string(let text):
            guard let micros = Timestamp.parseISO8601(text) else { throw .badRequest("\(name("ts")): '\(text.prefix(40))' is not an ISO 8601 time") }
            time = micros
        case .some(let other): throw .badRequest("\(name("ts")) must be an ISO 8601 string or integer µs, not \(other.typeName)")
        }
    }
}
