import LarderColumnar
import LarderOnline

/// How one feature view maps onto its online store: the store directory, the online schema
/// (the view's keys, its features, its event and created time columns) and the conversion of
/// the view's table rows into the writer's input.
struct OnlineViewPlan: Sendable {
    let view: FeatureView
    let keys: [String]
    let features: [String]
    let schema: OnlineSchema
    let directory: String
    /// The created-time column of the table, if the view has one.
    let createdColumn: String?

    /// The name the online schema gives the created time when the view has none (rows then
    /// carry created time 0, as the online format specifies).
    static let absentCreatedName = "__larder_created_ts"

    init(view: FeatureView, catalog: Catalog, databasePath: String, tableSchema: Schema) throws {
        var keys: [String] = []
        for name in view.entities {
            guard let entity = catalog.entity(named: name) else {
                throw DatabaseError(.unknownName, "feature view '\(view.name)' uses unknown entity '\(name)'")
            }
            keys += entity.joinKeys.filter { !keys.contains($0) }
        }
        self.view = view
        self.keys = keys
        features = view.featureNames(keys: keys).filter { tableSchema.index(of: $0) != nil }
        directory = Self.directory(databasePath: databasePath, view: view.name)
        createdColumn = view.createdTimestampColumn
        func field(_ name: String) throws -> Field {
            guard let field = tableSchema.field(named: name) else {
                throw DatabaseError(.internalError, "view '\(view.name)' has no column '\(name)' in its table")
            }
            return field
        }
        let keyFields = try keys.map { try field($0) }
        for key in keyFields {
            switch key.type {
            case .int64, .int32, .string: break
            default:
                throw DatabaseError(.invalidDefinitions, "view '\(view.name)' cannot be served online: key column '\(key.name)' is \(key.type); online keys must be int64, int32 or string (set `online: false`)")
            }
        }
        do {
            schema = try OnlineSchema(keys: keyFields, values: try features.map { try field($0) },
                                      eventTimestampColumn: view.timestampField,
                                      createdTimestampColumn: view.createdTimestampColumn ?? Self.absentCreatedName)
        } catch let error as OnlineStoreError {
            throw DatabaseError(.invalidDefinitions, "view '\(view.name)' cannot be served online: \(error.message)")
        }
    }

    /// `<db>/online/<view>`.
    static func directory(databasePath: String, view: String) -> String {
        databasePath + "/online/" + view
    }

    /// The table columns a materialization reads.
    var readColumns: [String] {
        keys + [view.timestampField] + (createdColumn.map { [$0] } ?? []) + features
    }

    /// A scanned batch as writer input: rows with a null key or event time dropped (the offline
    /// join ignores them too), rows after `end` dropped, null created times as `Int64.min`
    /// (they sort first, as offline).
    func onlineInput(_ batch: RecordBatch, end: Int64?) throws -> RecordBatch {
        var batch = batch
        var keep: Bitmap?
        func restrict(_ mask: Bitmap) { keep = keep.map { $0 & mask } ?? mask }
        for name in keys + [view.timestampField] {
            if let validity = batch.column(named: name)?.validity, !validity.allSet { restrict(validity) }
        }
        if let end, let events = batch.column(named: view.timestampField)?.int64Values {
            restrict(Bitmap(events.lazy.map { $0 <= end }))
        }
        if let keep, !keep.allSet { batch = try batch.filter(keep) }
        if let created = createdColumn, let index = batch.schema.index(of: created),
           let validity = batch.columns[index].validity, !validity.allSet,
           var values = batch.columns[index].int64Values {
            for i in values.indices where !validity[i] { values[i] = .min }
            var fields = batch.schema.fields
            var columns = batch.columns
            fields[index] = Field(created, .timestamp, nullable: false)
            columns[index] = .timestamp(values)
            batch = try RecordBatch(schema: try Schema(fields), columns: columns)
        }
        return batch
    }

    /// The created time as reported to users: nil when the view has none or it was null.
    func reportedCreated(_ micros: Int64) -> Int64? {
        createdColumn == nil || micros == .min ? nil : micros
    }
}
