import LarderColumnar

/// `user_stats`: snapshots of each user, computed from the interactions up to the snapshot's
/// event time (`visits_7d` counts bookings in the 7 days up to it, `spend_30d` sums what they
/// paid in 30 days), with a favourite category that is usually a preferred one, the
/// membership flag, a taste embedding near the user's planted taste vector, and the region.
struct UserStatsTable {
    static let stream: UInt64 = 10

    private var userID: [Int64] = []
    private var eventTS: [Int64] = []
    private var createdTS: [Int64] = []
    private var visits: [Int64] = []
    private var spend: [Double] = []
    private var spendValid: ValidityBuilder
    private var favourite: VocabularyColumnBuilder
    private var member: [Bool] = []
    private var embedding: [Float] = []
    private var embeddingValid: ValidityBuilder
    private var region: VocabularyColumnBuilder

    private init(capacity: Int) {
        spendValid = ValidityBuilder(capacity: capacity)
        embeddingValid = ValidityBuilder(capacity: capacity)
        favourite = VocabularyColumnBuilder(MarketplaceWorld.categories, capacity: capacity)
        region = VocabularyColumnBuilder(MarketplaceWorld.regions, capacity: capacity)
        userID.reserveCapacity(capacity); eventTS.reserveCapacity(capacity)
        createdTS.reserveCapacity(capacity); visits.reserveCapacity(capacity)
        spend.reserveCapacity(capacity); member.reserveCapacity(capacity)
        embedding.reserveCapacity(capacity * MarketplaceWorld.embeddingDimension)
    }

    /// One row's values.
    private struct Row {
        var user: Int
        var event: Int64
        var created: Int64
        var visits: Int64
        var spendCents: Int64
        var favourite: Int
        var member: Bool
    }

    /// The rows of chunk `chunk` of `plan`.
    ///
    /// Rows are in event-day order and, within a day, in user order (as a daily snapshot job
    /// writes them); working through the users in order also keeps their data in cache.
    static func chunk(_ chunk: Int, plan: SnapshotPlan, world: MarketplaceWorld, interactions: MarketplaceInteractions,
                      schema: Schema) throws -> RecordBatch {
        let range = plan.baseRange(chunk: chunk)
        var rng = SplitMix64(seed: world.seed, stream: stream, index: UInt64(chunk))
        var table = UserStatsTable(capacity: plan.outputRows(range))
        let day = SnapshotPlan.day

        // Event times and users in base-row order, then each day's rows sorted by user.
        var events = [Int64](), order = [UInt64]()
        events.reserveCapacity(range.count)
        order.reserveCapacity(range.count)
        for b in range {
            events.append(plan.eventTime(base: b, &rng))
            order.append(UInt64(world.statsUsers.sample(&rng)) << 32 | UInt64(b - range.lowerBound))
        }
        var dayStart = 0
        while dayStart < events.count {
            let dayIndex = (events[dayStart] - MarketplaceGenerator.startMicros) / day
            var dayEnd = dayStart + 1
            while dayEnd < events.count && (events[dayEnd] - MarketplaceGenerator.startMicros) / day == dayIndex { dayEnd += 1 }
            order[dayStart ..< dayEnd].sort()
            dayStart = dayEnd
        }

        interactions.userBookingTime.withUnsafeBufferPointer { times in
            for key in order {
                let k = Int(key & 0xFFFF_FFFF), u = Int(key >> 32)
                let b = range.lowerBound + k, event = events[k]
                let bookings = interactions.userBookingStart[u] ..< interactions.userBookingStart[u + 1]
                let end = MarketplaceInteractions.firstAfter(event, in: times, bookings)
                let from30 = MarketplaceInteractions.firstAfter(event - 30 * day, in: times, bookings.lowerBound ..< end)
                let from7 = MarketplaceInteractions.firstAfter(event - 7 * day, in: times, from30 ..< end)
                let truth = Row(
                    user: u, event: event, created: SnapshotPlan.createdTime(event: event, &rng),
                    visits: Int64(end - from7),
                    spendCents: interactions.userBookingCentsPrefix[end] - interactions.userBookingCentsPrefix[from30],
                    favourite: favouriteCategory(user: u, world: world, &rng), member: world.userMemberSince[u] <= event)
                guard plan.isDuplicated(b) else {
                    table.append(truth, world: world, &rng)
                    continue
                }
                // A bad first write, corrected later: the correction holds the true values.
                var stale = truth
                stale.visits += Int64(1 + rng.below(3))
                stale.spendCents = stale.spendCents * 11 / 10 + 500
                stale.favourite = rng.below(MarketplaceWorld.categories.count)
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

    /// Mostly the user's strongest preference, sometimes another preferred category, rarely any.
    private static func favouriteCategory(user u: Int, world: MarketplaceWorld, _ rng: inout SplitMix64) -> Int {
        let roll = rng.unit()
        let k = Int(world.userPreferredCount[u])
        if roll < 0.75 || (roll < 0.9 && k == 1) { return Int(world.userPreferred[u * 3]) }
        if roll < 0.9 { return Int(world.userPreferred[u * 3 + 1 + rng.below(k - 1)]) }
        return rng.below(MarketplaceWorld.categories.count)
    }

    private mutating func append(_ row: Row, world: MarketplaceWorld, _ rng: inout SplitMix64) {
        userID.append(Int64(row.user) + 1)
        eventTS.append(row.event)
        createdTS.append(row.created)
        visits.append(row.visits)
        let spendIsNull = rng.chance(SnapshotPlan.nullRate)
        spend.append(spendIsNull ? 0 : Double(row.spendCents) / 100)
        spendValid.append(!spendIsNull)
        if rng.chance(SnapshotPlan.nullRate) { favourite.appendNull() } else { favourite.append(row.favourite) }
        member.append(row.member)
        let dim = MarketplaceWorld.embeddingDimension
        if rng.chance(SnapshotPlan.nullRate) {
            embedding.append(contentsOf: repeatElement(0, count: dim))
            embeddingValid.append(false)
        } else {
            // The taste vector plus noise of at most 0.05 per component (16 bits of noise each),
            // quantized to 1/512 as a served embedding would be (and so that it compresses).
            var bits: UInt64 = 0
            for d in 0 ..< dim {
                if d & 3 == 0 { bits = rng.next() }
                let noise = Float(bits & 0xFFFF) * (0.1 / 65536) - 0.05
                bits >>= 16
                embedding.append(Self.quantized(world.userTaste[row.user * dim + d] + noise))
            }
            embeddingValid.append(true)
        }
        region.append(Int(world.userRegion[row.user]))
    }

    /// `x` rounded to a multiple of 1/512 (half away from zero; no libm call).
    @inline(__always)
    private static func quantized(_ x: Float) -> Float {
        Float(Int32(x * 512 + (x < 0 ? -0.5 : 0.5))) / 512
    }

    private func batch(schema: Schema) throws -> RecordBatch {
        let dim = MarketplaceWorld.embeddingDimension
        return try RecordBatch(schema: schema, columns: [
            .int64(userID), .timestamp(eventTS), .timestamp(createdTS), .int64(visits),
            .float64(spend, validity: spendValid.validity), favourite.column(), .bool(member),
            Column(type: .vector(dimension: dim), storage: .vector(dimension: dim, values: embedding),
                   validity: embeddingValid.validity),
            region.column(),
        ])
    }
}
