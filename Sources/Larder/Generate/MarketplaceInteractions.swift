import LarderColumnar

/// The interactions spine: one row per class shown to a user, in event-time order, labelled
/// 1 when the user booked it and 0 when they did not. Also the indexes the feature tables are
/// computed from: each user's and each item's bookings in time order, and running per-pair
/// counts.
struct MarketplaceInteractions: Sendable {
    static let bookingRate = 0.35
    /// Members pay this share of the list price.
    static let memberPricePercent: Int64 = 85

    let count: Int
    var user: [Int32]
    var item: [Int32]
    var eventTS: [Int64]
    var booked: [Bool]
    /// Cents paid for a booking; 0 for an impression.
    var paidCents: [Int64]
    /// Bookings and impressions of the row's (user, item) pair up to and including the row.
    var pairBookings: [Int32]
    var pairViews: [Int32]

    /// Bookings by user: user `u`'s are `userBookingStart[u] ..< userBookingStart[u + 1]`,
    /// in time order, with their times and a running sum of cents over the whole array.
    var userBookingStart: [Int]
    var userBookingTime: [Int64]
    var userBookingCentsPrefix: [Int64]
    /// Bookings by item, the same way (times only).
    var itemBookingStart: [Int]
    var itemBookingTime: [Int64]

    init(world: MarketplaceWorld, count: Int, seed: UInt64) {
        self.count = count
        var rng = SplitMix64(seed: seed, stream: 2)
        user = []; item = []; eventTS = []; booked = []; paidCents = []
        user.reserveCapacity(count); item.reserveCapacity(count); eventTS.reserveCapacity(count)
        booked.reserveCapacity(count); paidCents.reserveCapacity(count)
        let span = MarketplaceGenerator.endMicros - MarketplaceGenerator.startMicros
        let step = span / Int64(max(count, 1))
        for r in 0 ..< count {
            let ts = MarketplaceGenerator.startMicros + Int64(r) * step + rng.below64(step)
            let u = world.activeUsers.sample(&rng)
            let isBooking = rng.chance(Self.bookingRate)
            let i = isBooking ? world.bookedItem(user: u, &rng) : world.shownItem(user: u, &rng)
            var cents: Int64 = 0
            if isBooking {
                cents = world.itemPriceCents[i]
                if world.userMemberSince[u] <= ts { cents = cents * Self.memberPricePercent / 100 }
            }
            user.append(Int32(u)); item.append(Int32(i)); eventTS.append(ts); booked.append(isBooking); paidCents.append(cents)
        }

        // Running counts per (user, item) pair, in row order.
        pairBookings = []; pairViews = []
        pairBookings.reserveCapacity(count); pairViews.reserveCapacity(count)
        var pairs: [UInt64: (bookings: Int32, views: Int32)] = [:]
        pairs.reserveCapacity(count)
        for r in 0 ..< count {
            let key = UInt64(UInt32(bitPattern: user[r])) << 32 | UInt64(UInt32(bitPattern: item[r]))
            var entry = pairs[key] ?? (0, 0)
            entry.views += 1
            if booked[r] { entry.bookings += 1 }
            pairs[key] = entry
            pairBookings.append(entry.bookings)
            pairViews.append(entry.views)
        }

        // Bookings grouped by user and by item (counting sort keeps time order).
        userBookingStart = Array(repeating: 0, count: world.userCount + 1)
        itemBookingStart = Array(repeating: 0, count: world.itemCount + 1)
        for r in 0 ..< count where booked[r] {
            userBookingStart[Int(user[r]) + 1] += 1
            itemBookingStart[Int(item[r]) + 1] += 1
        }
        for u in 0 ..< world.userCount { userBookingStart[u + 1] += userBookingStart[u] }
        for i in 0 ..< world.itemCount { itemBookingStart[i + 1] += itemBookingStart[i] }
        let bookings = userBookingStart[world.userCount]
        userBookingTime = Array(repeating: 0, count: bookings)
        itemBookingTime = Array(repeating: 0, count: bookings)
        var userCents = [Int64](repeating: 0, count: bookings)
        var userFill = userBookingStart, itemFill = itemBookingStart
        for r in 0 ..< count where booked[r] {
            let u = Int(user[r]), i = Int(item[r])
            userBookingTime[userFill[u]] = eventTS[r]
            userCents[userFill[u]] = paidCents[r]
            userFill[u] += 1
            itemBookingTime[itemFill[i]] = eventTS[r]
            itemFill[i] += 1
        }
        userBookingCentsPrefix = Array(repeating: 0, count: bookings + 1)
        for k in 0 ..< bookings { userBookingCentsPrefix[k + 1] = userBookingCentsPrefix[k] + userCents[k] }
    }

    /// The index of the first time in `range` (sorted) that is later than `t`.
    @inline(__always)
    static func firstAfter(_ t: Int64, in times: UnsafeBufferPointer<Int64>, _ range: Range<Int>) -> Int {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The interactions as a batch with `schema` (user_id, item_id, event_ts, label, price_paid).
    func batch(schema: Schema) throws -> RecordBatch {
        var paidValid = Bitmap(count: count, value: true)
        var paid = [Double](repeating: 0, count: count)
        for r in 0 ..< count {
            if booked[r] { paid[r] = Double(paidCents[r]) / 100 } else { paidValid[r] = false }
        }
        return try RecordBatch(schema: schema, columns: [
            .int64(user.map { Int64($0) + 1 }),
            .int64(item.map { MarketplaceWorld.itemIDBase + Int64($0) + 1 }),
            .timestamp(eventTS),
            .int64(booked.map { $0 ? 1 : 0 }),
            .float64(paid, validity: paidValid),
        ])
    }
}
