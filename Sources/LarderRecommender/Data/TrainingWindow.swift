import Foundation

/// What a model is fitted on: every interaction before a cut-off, the users and items known by
/// then (the catalogue), the positives aggregated per (user, item), and the features as of the
/// cut-off. Made by ``TrainingData/window(_:)``.
public struct TrainingWindow: Sendable {
    /// The stage whose cut-off this is.
    public let stage: TrainingData.Stage
    /// Rows strictly before this time (µs) are in the window.
    public let cutoff: Int64
    /// Users with a row before the cut-off or features as of it.
    let users: IDIndex
    /// The catalogue: items with a row before the cut-off or features as of it.
    let items: IDIndex
    /// The positives before the cut-off, in time order: user and item indexes, times, log rows.
    let positiveUser: [Int32]
    let positiveItem: [Int32]
    let positiveTime: [Int64]
    let positiveRow: [Int]
    /// Bookings per (user, item): rows are users, columns items, values booking counts.
    let byUser: SparseRows
    /// The transpose: rows are items.
    let byItem: SparseRows
    /// Features as of the cut-off, one row per user / item index (null where unknown).
    let userFeatures: FeatureTable
    let itemFeatures: FeatureTable
    /// Point-in-time features of each positive (aligned with `positiveUser`).
    let eventFeatures: FeatureTable

    /// The number of users, items (the catalogue) and positive rows.
    public var userCount: Int { users.count }
    public var itemCount: Int { items.count }
    public var positiveCount: Int { positiveUser.count }
    /// The catalogue's item ids.
    public var itemIDs: [Int64] { items.ids }

    init(data: TrainingData, stage: TrainingData.Stage) {
        self.stage = stage
        cutoff = data.cutoff(stage)
        let log = data.log
        let end = log.firstRow(atOrAfter: cutoff)
        let features = data.features(stage)
        users = IDIndex(distinct: log.userIDs[..<end] + features.users.ids)
        items = IDIndex(distinct: log.itemIDs[..<end] + features.items.ids)
        var pu: [Int32] = [], pi: [Int32] = [], pt: [Int64] = [], pr: [Int] = []
        for r in 0 ..< end where log.positives[r] {
            // Both ids were indexed above, from the same rows.
            pu.append(Int32(users.index(of: log.userIDs[r]) ?? 0))
            pi.append(Int32(items.index(of: log.itemIDs[r]) ?? 0))
            pt.append(log.times[r])
            pr.append(r)
        }
        positiveUser = pu
        positiveItem = pi
        positiveTime = pt
        positiveRow = pr
        byUser = SparseRows(rows: users.count, triples: pu, pi, values: [Float](repeating: 1, count: pu.count))
        byItem = byUser.transposed(columnCount: items.count)
        userFeatures = features.users.aligned(to: users)
        itemFeatures = features.items.aligned(to: items)
        eventFeatures = data.eventFeatures.rows(pr)
    }

    /// Exponentially time-decayed booking counts per item as of the cut-off: a booking `age`
    /// µs before it weighs 2^(-age / halfLife); no half-life (nil or ≤ 0): plain counts.
    func decayedPopularity(halfLife: Int64?) -> [Double] {
        var scores = [Double](repeating: 0, count: items.count)
        let rate = halfLife.flatMap { $0 > 0 ? 1 / Double($0) : nil }
        for k in positiveItem.indices {
            let weight = rate.map { exp2(-Double(cutoff - positiveTime[k]) * $0) } ?? 1
            scores[Int(positiveItem[k])] += weight
        }
        return scores
    }
}

extension FeatureTable {
    /// The table's rows reordered to `index` (one row per indexed id; null for ids it lacks).
    func aligned(to index: IDIndex) -> FeatureTable {
        var position: [Int64: Int] = [:]
        for (k, id) in ids.enumerated() { position[id] = k }
        let rows = index.ids.map { position[$0] ?? -1 }
        let gathered = self.rows(rows)
        return (try? FeatureTable(ids: index.ids, columns: gathered.columns)) ?? .empty
    }

    /// The rows at `rows` (a position of -1 gives a null row), without ids.
    func rows(_ rows: [Int]) -> FeatureTable {
        var columns: [String: FeatureValues] = [:]
        for (name, values) in self.columns {
            switch values {
            case .categorical(let codes, let vocabulary):
                columns[name] = .categorical(codes: rows.map { $0 < 0 ? -1 : codes[$0] }, vocabulary: vocabulary)
            case .numeric(let v):
                columns[name] = .numeric(rows.map { $0 < 0 ? .nan : v[$0] })
            }
        }
        return (try? FeatureTable(columns: columns)) ?? .empty
    }
}
