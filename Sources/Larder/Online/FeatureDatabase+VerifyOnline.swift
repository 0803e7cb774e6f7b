import Foundation
import LarderColumnar
import LarderOnline

/// One difference between the online store and the offline point-in-time answer.
public struct OnlineMismatch: Sendable, Hashable, Codable, CustomStringConvertible {
    public var view: String
    /// The entity key, as `name=value` pairs.
    public var entity: String
    /// The feature, or `event_ts` for the row's event time.
    public var feature: String
    public var online: String
    public var offline: String

    public var description: String { "\(view) \(entity) \(feature): online \(online), offline \(offline)" }
}

/// What ``FeatureDatabase/verifyOnline(views:sample:seed:)`` found for one view.
public struct ViewVerification: Sendable, Hashable, Codable {
    public var view: String
    /// The table version the online store reflects, and the table's latest version.
    public var onlineVersion: Int64
    public var tableVersion: Int64
    /// Entities compared.
    public var entities: Int
    /// The time both answers are taken at (µs): now, or the newest event time if later.
    public var time: Int64
    public var mismatches: [OnlineMismatch]
}

/// What ``FeatureDatabase/verifyOnline(views:sample:seed:)`` found.
public struct OnlineVerification: Sendable, Hashable, Codable {
    public var views: [ViewVerification]
    /// Whether every compared value agreed.
    public var passed: Bool { views.allSatisfy { $0.mismatches.isEmpty } }
}

extension FeatureDatabase {
    /// Checks online/offline skew: for a sample of each view's entities, compares the online
    /// store's values, statuses and event times with the offline point-in-time answer
    /// (``historicalFeatures(spine:features:options:)`` with a spine of the sampled entities),
    /// both taken at the same time: now, or the view's newest event time when that is later
    /// (online holds the newest row even when it is dated in the future).
    ///
    /// Entities are sampled from the view's table (deterministically for a `seed`), so an
    /// entity the store lacks is found; an entity only the store still holds is not sampled.
    /// - Throws: `.notFound` for a view never materialized; the errors of reads and joins.
    public func verifyOnline(views: [String]? = nil, sample: Int = 1000, seed: UInt64 = 1) throws -> OnlineVerification {
        let catalog = try catalog()
        let names = try views.map { names in
            try names.map { name -> String in
                guard try featureView(name).online else {
                    throw DatabaseError(.invalidInput, "view '\(name)' is not online (`online: false`)")
                }
                return name
            }
        } ?? catalog.featureViews.filter(\.online).map(\.name)
        var result = OnlineVerification(views: [])
        for name in names {
            result.views.append(try verifyOnline(view: try featureView(name), catalog: catalog, sample: sample, seed: seed))
        }
        return result
    }

    private func verifyOnline(view: FeatureView, catalog: Catalog, sample: Int, seed: UInt64) throws -> ViewVerification {
        let keys = try self.keys(of: view, in: catalog)
        let snapshot = try snapshot(of: view.name)
        let scanned = try snapshot.read(columns: keys + [view.timestampField])
        var time = Int64(Date().timeIntervalSince1970 * 1_000_000)
        if let events = scanned.column(named: view.timestampField) {
            for i in 0 ..< events.count where events.isValid(i) {
                if let e = events.int64Values?[i], e > time { time = e }
            }
        }
        // Distinct keys, then a deterministic sample.
        var entities = try Self.distinctRows(try scanned.project(keys))
        if entities.rowCount > sample {
            var order = Array(0 ..< entities.rowCount)
            var random = SplitMix64(seed: seed)
            random.shuffle(&order)
            entities = try entities.take(Array(order.prefix(max(0, sample))).sorted())
        }
        let selection = FeatureSelection.references([FeatureReference(view: view.name, feature: nil)])
        let reader = try onlineReader(features: selection)
        let online = try reader.read(entities: entities, at: time)

        var timeName = "event_timestamp"
        while keys.contains(timeName) { timeName = "_" + timeName }
        let spine = try entities.appending(column: .timestamp([Int64](repeating: time, count: entities.rowCount)),
                                           field: Field(timeName, .timestamp, nullable: false))
        var options = HistoricalOptions()
        options.spineTimestampColumn = timeName
        options.includeFeatureTimestamps = true
        let offline = try historicalFeatures(spine: spine, features: selection, options: options).batch
        let offlineEvents = offline.column(named: view.name + "__" + view.timestampField)

        var mismatches: [OnlineMismatch] = []
        func entity(_ row: Int) -> String {
            zip(keys, entities.row(row)).map { "\($0)=\($1)" }.joined(separator: ",")
        }
        for feature in online.features {
            let column = offline.column(named: feature.name)
            for row in 0 ..< entities.rowCount {
                let want = column?[row] ?? .null
                let got = feature.values[row]
                if !Self.same(got, want) {
                    mismatches.append(OnlineMismatch(view: view.name, entity: entity(row), feature: feature.feature,
                                                     online: "\(got) (\(feature.statuses[row]))", offline: "\(want)"))
                }
            }
        }
        if let first = online.features.first, let offlineEvents {
            for row in 0 ..< entities.rowCount {
                // Compare event times where both sides have a visible row.
                let status = first.statuses[row]
                let got: Value = status == .present || status == .null ? first.eventTimestamps[row].map(Value.timestamp) ?? .null : .null
                let want = offlineEvents[row]
                if got != want {
                    mismatches.append(OnlineMismatch(view: view.name, entity: entity(row), feature: view.timestampField,
                                                     online: "\(got) (\(status))", offline: "\(want)"))
                }
            }
        }
        return ViewVerification(view: view.name, onlineVersion: online.tableVersions[view.name] ?? -1,
                                tableVersion: snapshot.version, entities: entities.rowCount, time: time,
                                mismatches: mismatches)
    }

    /// Equal values, NaN equal to NaN.
    private static func same(_ a: Value, _ b: Value) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.float32(let x), .float32(let y)): return x.isNaN && y.isNaN
        case (.float64(let x), .float64(let y)): return x.isNaN && y.isNaN
        case (.vector(let x), .vector(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        default: return false
        }
    }
}
