import Foundation
import LarderRecommender

/// Small hand-made training sets with known answers.
enum HandMade {
    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 1_767_225_600_000_000
    static func at(day d: Double) -> Int64 { start + Int64(d * Double(day)) }

    /// The split of every hand-made set: T1 at day 80, T2 at day 90.
    static func split() throws -> TimeSplit { try TimeSplit(validationStart: at(day: 80), testStart: at(day: 90)) }

    /// Two taste groups. Users 1…10 book items 101…105 ("yoga", north), users 11…20 items
    /// 201…205 ("spin", south): each user books three of their group's items before T1, one
    /// more in [T1, T2) and the last one after T2. Item 900 ("run", east) was booked by everyone
    /// long ago (day 1), so it is the most popular all-time; impressions of item 900 pad the log.
    static func blocks() throws -> TrainingData {
        var users: [Int64] = [], items: [Int64] = [], times: [Int64] = [], positives: [Bool] = []
        func add(_ u: Int64, _ i: Int64, _ d: Double, _ positive: Bool = true) {
            users.append(u); items.append(i); times.append(at(day: d)); positives.append(positive)
        }
        for u in Int64(1) ... 20 {
            let base: Int64 = u <= 10 ? 100 : 200
            // A user-specific rotation of the group's five items.
            let order = (0 ..< 5).map { base + 1 + (Int64($0) + u) % 5 }
            add(u, 900, 1)
            for (k, item) in order.prefix(3).enumerated() { add(u, item, 10 + Double(k) * 20 + Double(u) * 0.1) }
            add(u, order[3], 85 + Double(u) * 0.1)
            add(u, order[4], 95 + Double(u) * 0.1)
            add(u, 900, 50, false)
        }
        let log = try InteractionLog(userIDs: users, itemIDs: items, times: times, positives: positives)
        let itemIDs: [Int64] = [101, 102, 103, 104, 105, 201, 202, 203, 204, 205, 900]
        let category: [Int32] = [2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 0]   // vocabulary: run, spin, yoga
        let region: [Int32] = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0]     // vocabulary: east, north, south
        let price: [Double] = [10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 5]
        let itemTable = try FeatureTable(ids: itemIDs, columns: [
            "item_stats__category": .categorical(codes: category, vocabulary: ["run", "spin", "yoga"]),
            "item_stats__region": .categorical(codes: region, vocabulary: ["east", "north", "south"]),
            "item_stats__price": .numeric(price),
        ])
        // User 21 has features and no history: a cold start the content model can still place.
        let userIDs = Array(Int64(1) ... 21)
        let userRegion: [Int32] = userIDs.map { $0 <= 10 || $0 == 21 ? 0 : 1 }   // vocabulary: north, south
        let favourite: [Int32] = userIDs.map { $0 <= 10 || $0 == 21 ? 1 : 0 }    // vocabulary: spin, yoga
        let userTable = try FeatureTable(ids: userIDs, columns: [
            "user_stats__region": .categorical(codes: userRegion, vocabulary: ["north", "south"]),
            "user_stats__fav_category": .categorical(codes: favourite, vocabulary: ["spin", "yoga"]),
        ])
        let features = EntityFeatures(users: userTable, items: itemTable)
        return try TrainingData(log: log, split: try split(), validationFeatures: features, testFeatures: features)
    }

    /// Group A users (1…10) and group B users (11…20).
    static let groupA = Set<Int64>(101 ... 105)
    static let groupB = Set<Int64>(201 ... 205)

    /// The items `user` booked before `time`.
    static func booked(_ data: TrainingData, user: Int64, before time: Int64) -> Set<Int64> {
        var out = Set<Int64>()
        for r in 0 ..< data.log.count where data.log.userIDs[r] == user && data.log.positives[r] && data.log.times[r] < time {
            out.insert(data.log.itemIDs[r])
        }
        return out
    }

    /// Small parameters that keep debug-build tests fast (12 factors: the SIMD loops and their
    /// scalar tails both run).
    static let als = ALSParameters(factors: 12, regularization: 0.05, alpha: 10, iterations: 10, cgSteps: 3, seed: 5, threads: 2)
    /// Two factors for the two taste groups of ``blocks()``: more would fit each user's own
    /// bookings instead of the groups.
    static let groupALS = ALSParameters(factors: 2, regularization: 0.1, alpha: 10, iterations: 10, cgSteps: 3, seed: 5, threads: 2)
}
