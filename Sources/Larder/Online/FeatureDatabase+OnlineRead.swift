import Foundation
import LarderColumnar
import LarderOnline
import Synchronization

extension FeatureDatabase {
    /// Reads features of one or many entities from the online stores (several views at once).
    ///
    /// Each view is looked up by its key columns, taken from `entities` by name. Every value
    /// comes with a status: present, null, not found, or outside max age (the row is older than
    /// the view's ttl at read time; the value is then withheld, as offline). This opens the
    /// stores on every call; a service keeps an ``OnlineFeatureReader`` instead.
    ///
    /// ```swift
    /// let result = try db.onlineFeatures(.references([FeatureReference("user_stats")!]),
    ///                                    entities: [["user_id": .int64(42)]])
    /// print(result["user_stats__visits_7d"]?.values ?? [])
    /// ```
    /// - Throws: `.unknownName` for an unknown view or feature; `.invalidInput` for a view that
    ///   is not online, a missing key column or a key of the wrong type; `.notFound` for a view
    ///   never materialized; ``OnlineStoreError`` for a damaged store (rebuild it).
    public func onlineFeatures(_ features: FeatureSelection, entities: [[String: Value]],
                               at readTime: Int64? = nil) throws -> OnlineFeatureResult {
        try onlineReader(features: features).read(entities: entities, at: readTime)
    }

    /// ``onlineFeatures(_:entities:at:)`` with entities as a record batch of key columns.
    public func onlineFeatures(_ features: FeatureSelection, entities: RecordBatch,
                               at readTime: Int64? = nil) throws -> OnlineFeatureResult {
        try onlineReader(features: features).read(entities: entities, at: readTime)
    }

    /// ``onlineFeatures(_:entities:at:)`` for a list of references.
    public func onlineFeatures(_ references: [FeatureReference], entities: [[String: Value]],
                               at readTime: Int64? = nil) throws -> OnlineFeatureResult {
        try onlineFeatures(.references(references), entities: entities, at: readTime)
    }

    /// ``onlineFeatures(_:entities:at:)`` for a list of references and a batch of keys.
    public func onlineFeatures(_ references: [FeatureReference], entities: RecordBatch,
                               at readTime: Int64? = nil) throws -> OnlineFeatureResult {
        try onlineFeatures(.references(references), entities: entities, at: readTime)
    }

    /// A reader of `features` that keeps the views' online stores open (mapped) between reads.
    /// - Throws: as ``onlineFeatures(_:entities:at:)``.
    public func onlineReader(features: FeatureSelection) throws -> OnlineFeatureReader {
        try OnlineFeatureReader(database: self, features: features)
    }

    /// The online store of `view`, opened (for reading rows in place).
    /// - Throws: `.notFound` when the view was never materialized; ``OnlineStoreError`` for a
    ///   damaged store.
    public func onlineStore(view: String, verification: OnlineStore.Verification = .automatic) throws -> OnlineStore {
        let directory = OnlineViewPlan.directory(databasePath: path, view: view)
        do {
            return try OnlineStore.open(directory: directory, verification: verification)
        } catch let error as OnlineStoreError where error.code == .notFound {
            throw DatabaseError(.notFound, "view '\(view)' has no online store yet; run `larder materialize --view \(view)`")
        }
    }
}

/// Reads online features of a fixed selection, keeping the stores mapped. Thread-safe: any
/// number of threads may read at once (lookups take no lock); ``refresh()`` moves every store
/// to its newest published state.
///
/// ```swift
/// let reader = try db.onlineReader(features: .service("ranker_v1"))
/// let result = try reader.read(entities: keys)        // a RecordBatch of key columns
/// try reader.refresh()                                // after a materialization
/// ```
public final class OnlineFeatureReader: Sendable {
    struct ViewRead: Sendable {
        let view: FeatureView
        let keys: [String]
        let keyTypes: [DataType]
        /// (feature name, value index in the store, type)
        let features: [(name: String, index: Int, type: DataType)]
    }

    /// The views read, in first-mention order.
    let views: [ViewRead]
    /// The requested features in request order: (view position, feature position).
    let order: [(view: Int, feature: Int)]
    private let stores: Mutex<[OnlineStore]>

    init(database: FeatureDatabase, features selection: FeatureSelection) throws {
        let catalog = try database.catalog()
        let references: [FeatureReference]
        switch selection {
        case .references(let r): references = r
        case .service(let name):
            guard let service = catalog.featureService(named: name) else {
                throw DatabaseError(.unknownName, "no feature service '\(name)'")
            }
            references = service.features
        }
        guard !references.isEmpty else { throw DatabaseError(.invalidInput, "no features requested") }
        var names: [String] = []
        var wanted: [String: [String]] = [:]
        var order: [(view: String, feature: String)] = []
        var opened: [OnlineStore] = []
        var views: [ViewRead] = []
        for reference in references where !names.contains(reference.view) { names.append(reference.view) }
        for name in names {
            let view = try database.featureView(name)
            guard view.online else {
                throw DatabaseError(.invalidInput, "view '\(name)' is not online (`online: false`); read it with `historical` instead")
            }
            let keys = try database.keys(of: view, in: catalog)
            let store = try database.onlineStore(view: name)
            var features: [(String, Int, DataType)] = []
            let all = view.featureNames(keys: keys)
            for reference in references where reference.view == name {
                for feature in reference.feature.map({ [$0] }) ?? all {
                    guard all.contains(feature) else {
                        throw DatabaseError(.unknownName, "view '\(name)' has no feature '\(feature)' (features: \(all.joined(separator: ", ")))")
                    }
                    guard let index = store.schema.valueIndex(named: feature) else {
                        throw DatabaseError(.invalidInput, "feature '\(name):\(feature)' is not in the online store yet; run `larder materialize --view \(name)`")
                    }
                    if !features.contains(where: { $0.0 == feature }) {
                        features.append((feature, index, store.schema.values[index].type))
                    }
                    order.append((name, feature))
                }
            }
            wanted[name] = features.map(\.0)
            let keyTypes = store.schema.keys.map(\.type)
            guard store.schema.keys.map(\.name) == keys else {
                throw DatabaseError(.invalidInput, "the online store of view '\(name)' has other keys than the view; run `larder materialize --view \(name)`")
            }
            views.append(ViewRead(view: view, keys: keys, keyTypes: keyTypes,
                                  features: features.map { (name: $0.0, index: $0.1, type: $0.2) }))
            opened.append(store)
        }
        self.views = views
        self.order = order.map { item in
            let v = names.firstIndex(of: item.view)!
            return (v, views[v].features.firstIndex { $0.name == item.feature }!)
        }
        stores = Mutex(opened)
    }

    /// The entity key columns the reader needs, with their types, in first-mention order.
    public var keyColumns: [(name: String, type: DataType)] {
        var out: [(name: String, type: DataType)] = []
        for read in views {
            for (name, type) in zip(read.keys, read.keyTypes) where !out.contains(where: { $0.name == name }) {
                out.append((name, type))
            }
        }
        return out
    }

    /// Moves every store to its newest published state.
    /// - Returns: Whether any store changed.
    /// - Throws: ``OnlineStoreError``; a store that fails keeps its previous state.
    @discardableResult
    public func refresh() throws -> Bool {
        try stores.withLock { stores in
            var changed = false
            for i in stores.indices { changed = try stores[i].refresh() || changed }
            return changed
        }
    }

    /// Reads the features of the entities in `entities`, a batch holding every read view's key
    /// columns by name (other columns are ignored). `readTime` (default now) is the time the
    /// views' ttls are applied at.
    /// - Throws: `.invalidInput` for a missing key column or a key of the wrong type.
    public func read(entities: RecordBatch, at readTime: Int64? = nil) throws -> OnlineFeatureResult {
        let now = readTime ?? Int64(Date().timeIntervalSince1970 * 1_000_000)
        let stores = self.stores.withLock { $0 }
        var perView: [[OnlineFeatureValues]] = []
        var rows: [String: [OnlineRow?]] = [:]
        var versions: [String: Int64] = [:]
        for (v, read) in views.enumerated() {
            let keyColumns = try read.keys.enumerated().map { i, name -> Column in
                guard let column = entities.column(named: name) else {
                    throw DatabaseError(.invalidInput, "the entities lack key column '\(name)' of view '\(read.view.name)' (they have \(entities.schema.names.joined(separator: ", ")))")
                }
                return try Self.keyColumn(column, name: name, as: read.keyTypes[i])
            }
            let found: [OnlineRow?]
            do {
                found = try stores[v].lookup(keyColumns: keyColumns)
            } catch let error as OnlineStoreError {
                throw DatabaseError(.invalidInput, "view '\(read.view.name)': \(error.message)")
            }
            rows[read.view.name] = found
            versions[read.view.name] = stores[v].tableVersion
            perView.append(Self.values(read, found, now: now))
        }
        return OnlineFeatureResult(entityCount: entities.rowCount, features: order.map { perView[$0.view][$0.feature] },
                                   readTime: now, rows: rows, tableVersions: versions)
    }

    /// ``read(entities:at:)`` with one dictionary of key values per entity. Integer keys accept
    /// `.int32` and `.int64` values that fit the key's type.
    public func read(entities: [[String: Value]], at readTime: Int64? = nil) throws -> OnlineFeatureResult {
        var names: [String] = []
        var types: [String: DataType] = [:]
        for read in views {
            for (name, type) in zip(read.keys, read.keyTypes) where types[name] == nil {
                names.append(name)
                types[name] = type
            }
        }
        var fields: [Field] = []
        var columns: [Column] = []
        for name in names {
            let type = types[name]!
            var builder = ColumnBuilder(type: type, capacity: entities.count)
            for (row, entity) in entities.enumerated() {
                guard let value = entity[name] else {
                    throw DatabaseError(.invalidInput, "entity \(row + 1) lacks key '\(name)' (it has \(entity.keys.sorted().joined(separator: ", ")))")
                }
                guard let converted = Self.convert(value, to: type) else {
                    throw DatabaseError(.invalidInput, "entity \(row + 1): key '\(name)' is \(type), not \(value)")
                }
                try builder.append(converted)
            }
            fields.append(Field(name, type, nullable: false))
            columns.append(builder.finish())
        }
        let batch = try RecordBatch(schema: try Schema(fields), columns: columns)
        return try read(entities: batch, at: readTime)
    }

    // MARK: Helpers

    private static func values(_ read: ViewRead, _ found: [OnlineRow?], now: Int64) -> [OnlineFeatureValues] {
        let ttl = read.view.ttl
        var out = read.features.map {
            OnlineFeatureValues(view: read.view.name, feature: $0.name, type: $0.type,
                                values: [], statuses: [], eventTimestamps: [])
        }
        for f in out.indices {
            out[f].values.reserveCapacity(found.count)
            out[f].statuses.reserveCapacity(found.count)
            out[f].eventTimestamps.reserveCapacity(found.count)
        }
        for row in found {
            guard let row else {
                for f in out.indices {
                    out[f].values.append(.null)
                    out[f].statuses.append(.notFound)
                    out[f].eventTimestamps.append(nil)
                }
                continue
            }
            let event = row.eventTimestamp
            // Inclusive bound, as offline: a row exactly ttl old still counts.
            let expired = ttl.map { event < now &- $0 } ?? false
            for (f, feature) in read.features.enumerated() {
                out[f].eventTimestamps.append(event)
                if expired {
                    out[f].values.append(.null)
                    out[f].statuses.append(.outsideMaxAge)
                } else if row.isNull(feature.index) {
                    out[f].values.append(.null)
                    out[f].statuses.append(.null)
                } else {
                    out[f].values.append(row.value(feature.index))
                    out[f].statuses.append(.present)
                }
            }
        }
        return out
    }

    /// `column` as a key column of `type`: the same type, or an int32 column for an int64 key.
    static func keyColumn(_ column: Column, name: String, as type: DataType) throws -> Column {
        if column.type == type { return column }
        if type == .int64, column.type == .int32, let values = column.int32Values {
            return .int64(values.map(Int64.init), validity: column.validity)
        }
        throw DatabaseError(.invalidInput, "key column '\(name)' is \(column.type) in the entities; the view's key is \(type)")
    }

    static func convert(_ value: Value, to type: DataType) -> Value? {
        switch (type, value) {
        case (.int64, .int64), (.int32, .int32), (.string, .string): return value
        case (.int64, .int32(let v)): return .int64(Int64(v))
        case (.int32, .int64(let v)): return Int32(exactly: v).map(Value.int32)
        default: return nil
        }
    }
}
