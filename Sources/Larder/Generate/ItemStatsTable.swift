import LarderColumnar

/// `item_stats`: snapshots of each class, computed from the bookings up to the snapshot's
/// event time (`bookings_7d`; `popularity` = bookings in 30 days relative to the average
/// class), an average rating driven by the class's latent quality, the current price (a 20%
/// promotion in some weeks), category and region.
struct ItemStatsTable {
    static let stream: UInt64 = 11

    private var itemID: [Int64] = []
    private var eventTS: [Int64] = []
    private var createdTS: [Int64] = []
    private var bookings: [Int64] = []
    private var rating: [Float] = []
    private var ratingValid: ValidityBuilder
    private var price: [Double] = []
    private var category: VocabularyColumnBuilder
    private var region: VocabularyColumnBuilder
    private var popularity: [Double] = []

    private init(capacity: Int) {
        ratingValid = ValidityBuilder(capacity: capacity)
        category = VocabularyColumnBuilder(MarketplaceWorld.categories, capacity: capacity)
        region = VocabularyColumnBuilder(MarketplaceWorld.regions, capacity: capacity)
        itemID.reserveCapacity(capacity); eventTS.reserveCapacity(capacity); createdTS.reserveCapacity(capacity)
        bookings.reserveCapacity(capacity); rating.reserveCapacity(capacity); price.reserveCapacity(capacity)
        popularity.reserveCapacity(capacity)
    }

    private struct Row {
        var item: Int
        var event: Int64
        var created: Int64
        var bookings7d: Int64
        var rating: Float
        var priceCents: Int64
        var popularity: Double
    }

    static func chunk(_ chunk: Int, plan: SnapshotPlan, world: MarketplaceWorld, interactions: MarketplaceInteractions,
                      schema: Schema) throws -> RecordBatch {
        let range = plan.baseRange(chunk: chunk)
        var rng = SplitMix64(seed: world.seed, stream: stream, index: UInt64(chunk))
        var table = ItemStatsTable(capacity: plan.outputRows(range))
        let day = SnapshotPlan.day
        let span = Double(MarketplaceGenerator.endMicros - MarketplaceGenerator.startMicros) / Double(day)
        let average30d = Double(interactions.itemBookingTime.count) * 30 / span / Double(max(world.itemCount, 1))
        interactions.itemBookingTime.withUnsafeBufferPointer { times in
            for b in range {
                let event = plan.eventTime(base: b, &rng)
                let i = world.statsItems.sample(&rng)
                let all = interactions.itemBookingStart[i] ..< interactions.itemBookingStart[i + 1]
                let end = MarketplaceInteractions.firstAfter(event, in: times, all)
                let from7 = MarketplaceInteractions.firstAfter(event - 7 * day, in: times, all.lowerBound ..< end)
                let from30 = MarketplaceInteractions.firstAfter(event - 30 * day, in: times, all.lowerBound ..< end)
                let week = UInt64((event - MarketplaceGenerator.startMicros) / (7 * day))
                let onPromotion = SplitMix64.mix(world.seed ^ UInt64(i) << 16 ^ week ^ 0x9_F00D) % 6 == 0
                let listCents = world.itemPriceCents[i]
                let stars = 3.0 + 1.6 * world.itemQuality[i] + 0.15 * rng.bell()
                let truth = Row(
                    item: i, event: event, created: SnapshotPlan.createdTime(event: event, &rng),
                    bookings7d: Int64(end - from7), rating: Float(SnapshotPlan.round(min(5, max(1, stars)), places: 2)),
                    priceCents: onPromotion ? listCents * 80 / 100 : listCents,
                    popularity: SnapshotPlan.round(Double(end - from30) / max(average30d, 1e-9), places: 4))
                guard plan.isDuplicated(b) else {
                    table.append(truth, world: world, &rng)
                    continue
                }
                var stale = truth
                stale.bookings7d += Int64(1 + rng.below(3))
                stale.rating = max(1, truth.rating - 0.5)
                stale.popularity = SnapshotPlan.round(truth.popularity * 1.25 + 0.1, places: 4)
                var correction = truth
                correction.created = SnapshotPlan.correctionTime(after: truth.created, &rng)
                if rng.chance(0.5) {
                    table.append(stale, world: world, &rng)
                    table.append(correction, world: world, &rng)
                } else {
                    table.append(correction, world: world, &rng)
                    table.append(stale, world: world, &rng)
                }
            }
        }
        return try table.batch(schema: schema)
    }

    private mutating func append(_ row: Row, world: MarketplaceWorld, _ rng: inout SplitMix64) {
        itemID.append(MarketplaceWorld.itemIDBase + Int64(row.item) + 1)
        eventTS.append(row.event)
        createdTS.append(row.created)
        bookings.append(row.bookings7d)
        let ratingIsNull = rng.chance(SnapshotPlan.nullRate)
        rating.append(ratingIsNull ? 0 : row.rating)
        ratingValid.append(!ratingIsNull)
        price.append(Double(row.priceCents) / 100)
        category.append(Int(world.itemCategory[row.item]))
        region.append(Int(world.itemRegion[row.item]))
        popularity.append(row.popularity)
    }

    private func batch(schema: Schema) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            .int64(itemID), .timestamp(eventTS), .timestamp(createdTS), .int64(bookings),
            .float32(rating, validity: ratingValid.validity), .float64(price), category.column(), region.column(),
            .float64(popularity),
        ])
    }
}
