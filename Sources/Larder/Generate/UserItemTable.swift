import LarderColumnar

/// `user_item`: per (user, class) pair, written a little after an interaction of the pair
/// (10 minutes to 6 hours, so a spine row never sees the counts its own interaction caused):
/// how often the user has booked and seen the class, and the rating they gave it (null until
/// they book it, and for 2% of bookings never rated).
struct UserItemTable {
    static let stream: UInt64 = 12

    private var userID: [Int64] = []
    private var itemID: [Int64] = []
    private var eventTS: [Int64] = []
    private var createdTS: [Int64] = []
    private var booked: [Int64] = []
    private var viewed: [Int64] = []
    private var rating: [Float] = []
    private var ratingValid: ValidityBuilder

    private init(capacity: Int) {
        ratingValid = ValidityBuilder(capacity: capacity)
        userID.reserveCapacity(capacity); itemID.reserveCapacity(capacity); eventTS.reserveCapacity(capacity)
        createdTS.reserveCapacity(capacity); booked.reserveCapacity(capacity); viewed.reserveCapacity(capacity)
        rating.reserveCapacity(capacity)
    }

    private struct Row {
        var user: Int
        var item: Int
        var event: Int64
        var created: Int64
        var booked: Int64
        var viewed: Int64
        /// nil: not rated.
        var rating: Float?
    }

    static func chunk(_ chunk: Int, plan: SnapshotPlan, world: MarketplaceWorld, interactions: MarketplaceInteractions,
                      schema: Schema) throws -> RecordBatch {
        let range = plan.baseRange(chunk: chunk)
        var rng = SplitMix64(seed: world.seed, stream: stream, index: UInt64(chunk))
        var table = UserItemTable(capacity: plan.outputRows(range))
        let spine = interactions.count
        for b in range {
            // Base rows follow evenly spaced interactions, in time order.
            let j = spine == 0 ? 0 : b * spine / max(plan.baseRows, 1) % spine
            guard j < spine else { break }
            let u = Int(interactions.user[j]), i = Int(interactions.item[j])
            let delay = 10 * SnapshotPlan.minute + rng.below64(6 * SnapshotPlan.hour)
            let event = min(interactions.eventTS[j] + delay, MarketplaceGenerator.endMicros - 1)
            let timesBooked = Int64(interactions.pairBookings[j])
            let truth = Row(
                user: u, item: i, event: event, created: SnapshotPlan.createdTime(event: event, &rng),
                booked: timesBooked, viewed: Int64(interactions.pairViews[j]),
                rating: timesBooked > 0 && !rng.chance(SnapshotPlan.nullRate) ? world.rating(user: u, item: i) : nil)
            guard plan.isDuplicated(b) else {
                table.append(truth)
                continue
            }
            var stale = truth
            stale.viewed = truth.viewed > 1 ? truth.viewed - 1 : truth.viewed + 1
            stale.rating = truth.rating.map { $0 > 1 ? $0 - 0.5 : $0 + 0.5 }
            var correction = truth
            correction.created = SnapshotPlan.correctionTime(after: truth.created, &rng)
            if rng.chance(0.5) {
                table.append(stale)
                table.append(correction)
            } else {
                table.append(correction)
                table.append(stale)
            }
        }
        return try table.batch(schema: schema)
    }

    private mutating func append(_ row: Row) {
        userID.append(Int64(row.user) + 1)
        itemID.append(MarketplaceWorld.itemIDBase + Int64(row.item) + 1)
        eventTS.append(row.event)
        createdTS.append(row.created)
        booked.append(row.booked)
        viewed.append(row.viewed)
        rating.append(row.rating ?? 0)
        ratingValid.append(row.rating != nil)
    }

    private func batch(schema: Schema) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            .int64(userID), .int64(itemID), .timestamp(eventTS), .timestamp(createdTS), .int64(booked), .int64(viewed),
            .float32(rating, validity: ratingValid.validity),
        ])
    }
}
