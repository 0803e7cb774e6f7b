/// Interactions in time order: who saw or booked which item when. A row is a positive (the
/// user booked the item: `label` 1) or an impression (shown and not booked: `label` 0).
///
/// The log is a structure of arrays; rows are sorted by time (stably, so rows with equal times
/// keep their input order).
public struct InteractionLog: Sendable, Hashable {
    /// The user of each row.
    public let userIDs: [Int64]
    /// The item of each row.
    public let itemIDs: [Int64]
    /// The event time of each row (µs since the epoch).
    public let times: [Int64]
    /// Whether each row is a positive (a booking).
    public let positives: [Bool]

    /// A log of the given rows, sorted by time.
    /// - Throws: `.invalidInput` when the arrays differ in length.
    public init(userIDs: [Int64], itemIDs: [Int64], times: [Int64], positives: [Bool]) throws {
        guard userIDs.count == itemIDs.count, itemIDs.count == times.count, times.count == positives.count else {
            throw RecommenderError(.invalidInput, "an interaction log needs as many users (\(userIDs.count)), items (\(itemIDs.count)), times (\(times.count)) and labels (\(positives.count))")
        }
        let order = Self.timeOrder(times)
        if let order {
            self.userIDs = order.map { userIDs[$0] }
            self.itemIDs = order.map { itemIDs[$0] }
            self.times = order.map { times[$0] }
            self.positives = order.map { positives[$0] }
        } else {
            self.userIDs = userIDs
            self.itemIDs = itemIDs
            self.times = times
            self.positives = positives
        }
    }

    /// The permutation that sorts `times` stably, nil when they are sorted already.
    static func timeOrder(_ times: [Int64]) -> [Int]? {
        var sorted = true
        for k in times.indices.dropFirst() where times[k - 1] > times[k] { sorted = false; break }
        if sorted { return nil }
        return times.indices.sorted { times[$0] < times[$1] || (times[$0] == times[$1] && $0 < $1) }
    }

    /// The number of rows.
    public var count: Int { times.count }

    /// The number of positive rows.
    public var positiveCount: Int { positives.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The first row at or after `time` (rows are in time order).
    public func firstRow(atOrAfter time: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
