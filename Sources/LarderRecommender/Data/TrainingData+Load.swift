import Larder
import LarderColumnar

extension TrainingData {
    /// Reads a training set from `db`: the interactions view (at the version `options.asOf`
    /// names, else the latest), split by time, with the user and item features of each row as
    /// of its event time (a point-in-time join: no value from after the event), and the
    /// features of every user and item as of just before T1 and just before T2 (an entity
    /// snapshot at the same table versions; where it has no value within the view's ttl, the
    /// last value the entity's own events saw before the cut-off).
    ///
    /// - Throws: ``RecommenderError`` `.unknownFeature` naming a missing view or column,
    ///   `.invalidInput` for null or mistyped keys, times or labels, an empty log, or features
    ///   of views not keyed by the user or item column; database errors as `underlying`.
    public static func load(from db: FeatureDatabase, options: TrainingDataOptions = .init()) throws -> TrainingData {
        let view = try database("the interactions view '\(options.interactionsView)'") { try db.featureView(options.interactionsView) }
        let timeColumn = options.timeColumn ?? view.timestampField
        let selector = options.asOf[view.name] ?? .latest
        let snapshot = try database("view '\(view.name)' at \(selector)") { try db.snapshot(of: view.name, at: selector) }
        let wanted = [options.userColumn, options.itemColumn, timeColumn, options.labelColumn]
        for column in wanted where snapshot.schema.index(of: column) == nil {
            throw RecommenderError(.unknownFeature, "view '\(view.name)' has no column '\(column)' (columns: \(snapshot.schema.names.joined(separator: ", ")))")
        }
        let batch = try database("view '\(view.name)'") { try snapshot.read(columns: wanted) }
        guard batch.rowCount > 0 else {
            throw RecommenderError(.emptyWindow, "view '\(view.name)' (version \(snapshot.version)) has no rows to train on")
        }
        var users = try ids(batch.columns[0], view: view.name, column: options.userColumn)
        var items = try ids(batch.columns[1], view: view.name, column: options.itemColumn)
        var times = try ids(batch.columns[2], view: view.name, column: timeColumn)
        var positives = try labels(batch.columns[3], view: view.name, column: options.labelColumn)
        if let order = InteractionLog.timeOrder(times) {
            users = order.map { users[$0] }
            items = order.map { items[$0] }
            times = order.map { times[$0] }
            positives = order.map { positives[$0] }
        }
        let log = try InteractionLog(userIDs: users, itemIDs: items, times: times, positives: positives)
        let split = try options.split ?? TimeSplit.quantiles(of: times, validation: options.validationQuantile, test: options.testQuantile)

        var tables = [TrainingLineage.TableVersion(view: view.name, version: snapshot.version, committedAt: snapshot.timestamp,
                                                   selectedBy: "\(selector)")]
        var encoder = FeatureEncoder()
        var eventColumns: [(String, Column)] = []
        var snapshots: [(stage: Stage, users: Bool, ids: [Int64], columns: [(String, Column)])] = []
        let references = options.userFeatures + options.itemFeatures
        if !references.isEmpty {
            let plan = try FeaturePlan(db: db, options: options, timeColumn: timeColumn)
            let spine = try RecordBatch(schema: Schema(plan.spineFields(time: timeColumn)),
                                        columns: plan.spineColumns(users: users, items: items, times: times))
            var historical = HistoricalOptions()
            let featureViews = Set(plan.references.map(\.view))
            historical.asOf = options.asOf.filter { featureViews.contains($0.key) }
            historical.availableAt = options.availableAt
            historical.spineTimestampColumn = timeColumn
            historical.threads = options.threads
            let result = try database("the point-in-time join of \(references.joined(separator: ", "))") {
                try db.historicalFeatures(spine: spine, features: .references(plan.references), options: historical)
            }
            var pinned = historical
            for v in result.summary.views {
                tables.append(.init(view: v.view, version: v.version, committedAt: v.committedAt, selectedBy: v.selectedBy))
                pinned.asOf[v.view] = .version(v.version)
            }
            for name in result.batch.schema.names.dropFirst(spine.schema.count) {
                guard let column = result.batch.column(named: name) else { continue }
                eventColumns.append((name, column))
            }
            // Entities as of just before each cut-off, at the versions the join read.
            for stage in Stage.allCases {
                for (isUser, refs, key) in [(true, plan.userReferences, plan.userKey), (false, plan.itemReferences, plan.itemKey)] where !refs.isEmpty {
                    let at = (stage == .validation ? split.validationStart : split.testStart) - 1
                    var sideOptions = pinned
                    let sideViews = Set(refs.map(\.view))
                    sideOptions.asOf = pinned.asOf.filter { sideViews.contains($0.key) }
                    let snap = try database("the \(isUser ? "user" : "item") features as of \(Timestamp.iso8601(micros: at))") {
                        try db.entitySnapshot(features: .references(refs), at: at, options: sideOptions)
                    }
                    guard let key, let keyColumn = snap.batch.column(named: key) else { continue }
                    let ids = try Self.ids(keyColumn, view: refs[0].view, column: key)
                    let columns = snap.batch.schema.names.filter { $0 != key }.compactMap { name in snap.batch.column(named: name).map { (name, $0) } }
                    snapshots.append((stage, isUser, ids, columns))
                }
            }
        }
        for (name, column) in eventColumns { encoder.collect(name, column) }
        for snap in snapshots { for (name, column) in snap.columns { encoder.collect(name, column) } }
        var events: [String: FeatureValues] = [:]
        for (name, column) in eventColumns { events[name] = try encoder.encode(name, column) }
        let eventFeatures = try FeatureTable(columns: events)

        var entity: [Stage: EntityFeatures] = [:]
        for snap in snapshots {
            var columns: [String: FeatureValues] = [:]
            for (name, column) in snap.columns { columns[name] = try encoder.encode(name, column) }
            let table = try FeatureTable(ids: snap.ids, columns: columns)
            let cut = log.firstRow(atOrAfter: cutoffTime(snap.stage, split))
            let filled = table.filled(from: eventFeatures, entityOf: snap.users ? users : items, rows: cut)
            if snap.users { entity[snap.stage, default: .init()].users = filled } else { entity[snap.stage, default: .init()].items = filled }
        }

        var digest = Digest64()
        digest.add(log.userIDs); digest.add(log.itemIDs); digest.add(log.times); digest.add(log.positives.map { $0 ? UInt8(1) : 0 })
        digest.add(word: UInt64(bitPattern: split.validationStart)); digest.add(word: UInt64(bitPattern: split.testStart))
        eventFeatures.digest(into: &digest)
        for stage in Stage.allCases {
            entity[stage]?.users.digest(into: &digest)
            entity[stage]?.items.digest(into: &digest)
        }
        let lineage = TrainingLineage(
            interactionsView: view.name, userColumn: options.userColumn, itemColumn: options.itemColumn, timeColumn: timeColumn,
            labelColumn: options.labelColumn, tables: tables, userFeatures: options.userFeatures, itemFeatures: options.itemFeatures,
            availableAt: options.availableAt, split: split, rows: log.count, positives: log.positiveCount, fingerprint: digest.hex)
        return try TrainingData(log: log, split: split, eventFeatures: eventFeatures,
                                validationFeatures: entity[.validation] ?? .init(), testFeatures: entity[.test] ?? .init(),
                                lineage: lineage)
    }

    private static func cutoffTime(_ stage: Stage, _ split: TimeSplit) -> Int64 {
        stage == .validation ? split.validationStart : split.testStart
    }

    /// Runs a database call, wrapping its errors with what was being read.
    static func database<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as RecommenderError { throw e } catch let e as DatabaseError {
            let code: RecommenderError.Code = e.code == .unknownName || e.code == .notFound ? .unknownFeature : .invalidInput
            throw RecommenderError(code, "cannot read \(what)", underlying: e)
        } catch {
            throw RecommenderError(.invalidInput, "cannot read \(what): \(error)")
        }
    }

    /// The non-null integers (ids or timestamps) of `column`.
    static func ids(_ column: Column, view: String, column name: String) throws -> [Int64] {
        guard column.nullCount == 0 else {
            throw RecommenderError(.invalidInput, "column '\(name)' of view '\(view)' has \(column.nullCount) null values; keys and times must not be null")
        }
        switch column.storage {
        case .int64(let v): return v
        case .int32(let v): return v.map(Int64.init)
        default:
            throw RecommenderError(.invalidInput, "column '\(name)' of view '\(view)' has type \(column.type); expected an integer id or a timestamp")
        }
    }

    /// Labels as positives: greater than 0, or true.
    static func labels(_ column: Column, view: String, column name: String) throws -> [Bool] {
        guard column.nullCount == 0 else {
            throw RecommenderError(.invalidInput, "label column '\(name)' of view '\(view)' has \(column.nullCount) null values")
        }
        switch column.storage {
        case .int64(let v): return v.map { $0 > 0 }
        case .int32(let v): return v.map { $0 > 0 }
        case .bool(let v): return v
        case .float64(let v): return v.map { $0 > 0 }
        case .float32(let v): return v.map { $0 > 0 }
        default:
            throw RecommenderError(.invalidInput, "label column '\(name)' of view '\(view)' has type \(column.type); expected integers, booleans or numbers")
        }
    }
}

extension FeatureTable {
    /// The table with, for every entity, each null value (or missing entity) replaced by the
    /// last non-null value among its events in `events` rows `0 ..< rows` (entity of row `r`:
    /// `entityOf[r]`). Entities seen only in events are added; ids come out ascending.
    func filled(from events: FeatureTable, entityOf: [Int64], rows: Int) -> FeatureTable {
        let index = IDIndex(distinct: ids + entityOf[..<rows])
        let base = aligned(to: index)
        var columns = base.columns
        for (name, values) in base.columns {
            guard let eventValues = events.columns[name] else { continue }
            var last = [Int](repeating: -1, count: index.count)
            switch eventValues {
            case .categorical(let codes, _):
                for r in 0 ..< rows where codes[r] >= 0 { if let e = index.index(of: entityOf[r]) { last[e] = r } }
            case .numeric(let v):
                for r in 0 ..< rows where !v[r].isNaN { if let e = index.index(of: entityOf[r]) { last[e] = r } }
            }
            switch (values, eventValues) {
            case (.categorical(var codes, let vocabulary), .categorical(let eventCodes, _)):
                for e in codes.indices where codes[e] < 0 && last[e] >= 0 { codes[e] = eventCodes[last[e]] }
                columns[name] = .categorical(codes: codes, vocabulary: vocabulary)
            case (.numeric(var v), .numeric(let eventV)):
                for e in v.indices where v[e].isNaN && last[e] >= 0 { v[e] = eventV[last[e]] }
                columns[name] = .numeric(v)
            default:
                break
            }
        }
        return (try? FeatureTable(ids: index.ids, columns: columns)) ?? base
    }
}
