import Larder
import LarderColumnar

/// Feast's `push` request, Larder's way: the rows are committed to the view's table (a new
/// version, through `ingest`) and then applied online by an incremental materialization of that
/// view, so online and offline never disagree. `to: "offline"` skips the online step; `online`
/// and `online_and_offline` both do both (Larder never writes online state that the offline
/// store lacks).
///
/// ```json
/// {"push_source_name": "user_stats", "df": {"user_id": [1], "event_ts": ["2026-01-02T03:04:05Z"], "visits_7d": [3]},
///  "to": "online_and_offline"}
/// ```
///
/// `push_source_name` (or `view`) names the feature view. `df` holds columns of equal length by
/// name: integers, numbers, booleans and strings as JSON values; timestamps as ISO 8601 strings
/// or integers (µs since the epoch); dates as `YYYY-MM-DD`; vectors as arrays of numbers;
/// binary as base64. A nullable column may be left out (all null).
struct PushRequest: Sendable {
    var view: String
    var batch: RecordBatch
    var online: Bool

    init(_ body: JSONValue, database: FeatureDatabase) throws {
        guard case .object(let object) = body else {
            throw ServerError.badRequest("the request body must be a JSON object, not \(body.typeName)")
        }
        let known: Set<String> = ["push_source_name", "view", "df", "to", "allow_registry_cache"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw ServerError.badRequest("unknown field '\(unknown)' (expected push_source_name or view, df, to)")
        }
        guard case .string(let name) = object["push_source_name"] ?? object["view"] ?? .null else {
            throw ServerError.badRequest("give the view to push to as 'push_source_name' (or 'view'), a string")
        }
        var online = true
        switch object["to"] {
        case nil, .null, .string("online_and_offline"), .string("online"): online = true
        case .string("offline"): online = false
        case .some(let other):
            throw ServerError.badRequest("'to' must be \"online_and_offline\", \"online\" or \"offline\", not \(OnlineFeaturesRequest.describe(other))")
        }
        guard case .object(let df) = object["df"] ?? .null else {
            throw ServerError.badRequest("'df' must be an object of columns, e.g. {\"user_id\": [1], \"event_ts\": [\"2026-01-02T03:04:05Z\"]}")
        }
        let view = try database.featureView(name)
        let schema = try view.tableSchema(keys: database.keys(of: view, in: database.catalog()))
        if let extra = df.keys.sorted().first(where: { schema.index(of: $0) == nil }) {
            throw ServerError.badRequest("df: view '\(name)' has no column '\(extra)' (columns: \(schema.names.joined(separator: ", ")))")
        }
        var count: Int?
        for (column, value) in df.sorted(by: { $0.key < $1.key }) {
            guard case .array(let values) = value else { throw ServerError.badRequest("df.\(column) must be a list, not \(value.typeName)") }
            if let count, count != values.count {
                throw ServerError.badRequest("df columns differ in length: \(column) has \(values.count) values, the others \(count)")
            }
            count = values.count
        }
        guard let rows = count, rows > 0 else { throw ServerError.badRequest("df has no rows") }
        var columns: [Column] = []
        for field in schema.fields {
            guard case .array(let values) = df[field.name] ?? .null else {
                guard field.isNullable else {
                    throw ServerError.badRequest("df lacks column '\(field.name)' of view '\(name)' (it cannot be null)")
                }
                var builder = ColumnBuilder(type: field.type, capacity: rows)
                for _ in 0 ..< rows { builder.appendNull() }
                columns.append(builder.finish())
                continue
            }
            var builder = ColumnBuilder(type: field.type, capacity: rows)
            for (i, json) in values.enumerated() {
                guard let value = Self.value(json, as: field.type) else {
                    throw ServerError.badRequest("df.\(field.name)[\(i)]: column '\(field.name)' is \(field.type), not \(OnlineFeaturesRequest.describe(json))")
                }
                if value == .null && !field.isNullable {
                    throw ServerError.badRequest("df.\(field.name)[\(i)]: column '\(field.name)' cannot be null")
                }
                do { try builder.append(value) } catch {
                    throw ServerError.badRequest("df.\(field.name)[\(i)]: \(error)")
                }
            }
            columns.append(builder.finish())
        }
        self.view = name
        batch = try RecordBatch(schema: schema, columns: columns)
        self.online = online && view.online
    }

    /// `json` as a value of `type`, or nil when it cannot be one.
    static func value(_ json: JSONValue, as type: DataType) -> Value? {
        switch (type, json) {
        case (_, .null): return .null
        case (.int64, .int(let v)): return .int64(v)
        case (.int32, .int(let v)): return Int32(exactly: v).map(Value.int32)
        case (.float64, .int(let v)): return .float64(Double(v))
        case (.float64, .double(let v)): return .float64(v)
        case (.float32, .int(let v)): return .float32(Float(v))
        case (.float32, .double(let v)): return .float32(Float(v))
        case (.bool, .bool(let v)): return .bool(v)
        case (.string, .string(let v)): return .string(v)
        case (.binary, .string(let v)): return Base64.decode(v).map(Value.binary)
        case (.timestamp, .string(let v)): return Timestamp.parseISO8601(v).map(Value.timestamp)
        case (.timestamp, .int(let v)): return .timestamp(v)
        case (.date, .string(let v)): return Timestamp.parseISODate(v).map(Value.date)
        case (.vector(let dimension), .array(let items)):
            guard items.count == dimension else { return nil }
            var floats: [Float] = []
            floats.reserveCapacity(dimension)
            for item in items {
                switch item {
                case .int(let v): floats.append(Float(v))
                case .double(let v): floats.append(Float(v))
                default: return nil
                }
            }
            return .vector(floats)
        default: return nil
        }
    }
}

/// Feast's `materialize` (`{"start_ts", "end_ts", "feature_views"}`) and
/// `materialize-incremental` (`{"end_ts", "feature_views"}`) requests. Every field is optional
/// (no body: every online view).
///
/// Larder's full materialization rebuilds a store from every row up to `end_ts` (newest per
/// entity, as a point-in-time join at `end_ts` would pick), so `start_ts` is accepted and not
/// needed; an incremental one replays the commits since the store's version, so its `end_ts` is
/// accepted and ignored.
struct MaterializeRequest: Sendable {
    var options: MaterializeOptions

    init(_ body: JSONValue, incremental: Bool) throws(ServerError) {
        guard case .object(let object) = body else {
            throw .badRequest("the request body must be a JSON object, not \(body.typeName)")
        }
        let known: Set<String> = incremental ? ["end_ts", "feature_views"] : ["start_ts", "end_ts", "feature_views"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badRequest("unknown field '\(unknown)' (expected \(known.sorted().joined(separator: ", ")))")
        }
        func time(_ field: String) throws(ServerError) -> Int64? {
            switch object[field] {
            case nil, .null: return nil
            case .string(let text):
                guard let micros = Timestamp.parseISO8601(text) else { throw .badRequest("'\(field)': '\(text)' is not an ISO 8601 time") }
                return micros
            case .some(let other): throw .badRequest("'\(field)' must be an ISO 8601 string, not \(other.typeName)")
            }
        }
        let end = try time("end_ts")
        if !incremental, let start = try time("start_ts"), let end, start > end {
            throw .badRequest("'start_ts' is after 'end_ts'")
        }
        var views: [String]?
        switch object["feature_views"] {
        case nil, .null: views = nil
        case .array(let list):
            views = []
            for (i, item) in list.enumerated() {
                guard case .string(let name) = item else { throw .badRequest("feature_views[\(i)] must be a string, not \(item.typeName)") }
                views?.append(name)
            }
        case .some(let other): throw .badRequest("'feature_views' must be a list of view names, not \(other.typeName)")
        }
        options = MaterializeOptions(mode: incremental ? .incremental : .full, end: incremental ? nil : end, views: views)
    }
}
