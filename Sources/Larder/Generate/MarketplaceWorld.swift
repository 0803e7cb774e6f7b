/// The static side of the synthetic marketplace: users with planted tastes, classes (items)
/// with a category, a region and a price, and the samplers that turn tastes into bookings.
///
/// Everything is a structure of arrays indexed by user or item index (`0 ..< count`); ids in
/// the files are `index + 1` for users and `itemIDBase + index + 1` for items.
struct MarketplaceWorld: Sendable {
    static let categories = ["yoga", "pilates", "spin", "hiit", "boxing", "barre", "dance", "swim", "climbing", "run"]
    /// How common each category is among classes and among tastes.
    static let categoryShare: [Double] = [16, 12, 12, 12, 9, 8, 8, 8, 7, 8]
    /// A typical price per category, in dollars.
    static let categoryBasePrice: [Double] = [18, 24, 20, 16, 22, 26, 14, 12, 28, 10]
    static let regions = ["north", "south", "east", "west"]
    static let priceBands = ["budget", "standard", "premium"]
    static let userBandShare: [Double] = [0.35, 0.45, 0.20]
    /// Preference weights of a user's 1, 2 or 3 preferred categories.
    static let preferenceWeights: [[Double]] = [[1], [0.65, 0.35], [0.5, 0.3, 0.2]]
    static let embeddingDimension = 16
    static let itemIDBase: Int64 = 1_000_000

    /// Probability that a booking is drawn from the user's preferred categories (else any).
    static let preferredCategoryRate = 0.85
    /// Probability that a booking is in the user's own region (else any).
    static let homeRegionRate = 0.85

    let seed: UInt64
    let userCount: Int
    let itemCount: Int

    // Users.
    var userRegion: [UInt8]
    /// Three slots per user, the first `userPreferredCount` used, strongest first.
    var userPreferred: [UInt8]
    var userPreferredCount: [UInt8]
    var userBand: [UInt8]
    /// Relative booking activity (Zipf-like over a random rank).
    var userActivity: [Double]
    var userSignup: [Int64]
    /// When the user became a member; `Int64.max` for never.
    var userMemberSince: [Int64]
    /// `embeddingDimension` floats per user: the taste vector behind `user_stats.embedding`.
    var userTaste: [Float]

    // Items.
    var itemCategory: [UInt8]
    var itemRegion: [UInt8]
    /// Price in cents (a multiple of 50).
    var itemPriceCents: [Int64]
    var itemBand: [UInt8]
    /// Relative popularity (Zipf-like over a random rank).
    var itemPopularity: [Double]
    /// Latent quality in [0, 1], behind ratings.
    var itemQuality: [Double]

    // Samplers.
    let activeUsers: AliasTable
    let statsUsers: AliasTable
    let statsItems: AliasTable
    let popularItems: AliasTable
    /// Items of each (region, category) cell, index `region * categories + category`.
    let cellItems: [[Int32]]
    let cellSamplers: [AliasTable]
    let categoryItems: [[Int32]]
    let categorySamplers: [AliasTable]

    init(users: Int, items: Int, seed: UInt64) {
        self.seed = seed
        userCount = users
        itemCount = items
        var rng = SplitMix64(seed: seed, stream: 1)
        let c = Self.categories.count, r = Self.regions.count, dim = Self.embeddingDimension
        let categoryPicker = AliasTable(weights: Self.categoryShare)
        let bandPicker = AliasTable(weights: Self.userBandShare)

        var categoryVectors = [Float](repeating: 0, count: c * dim)
        for k in categoryVectors.indices { categoryVectors[k] = Float(rng.unit() * 2 - 1) }

        // Items: the first `c` cover every category once, the rest follow the category shares.
        itemCategory = []; itemRegion = []; itemPriceCents = []; itemBand = []; itemQuality = []
        var itemRank = Array(0 ..< items)
        rng.shuffle(&itemRank)
        itemPopularity = itemRank.map { 1 / Double($0 + 3) }
        for i in 0 ..< items {
            let category = i < c ? i : categoryPicker.sample(&rng)
            itemCategory.append(UInt8(category))
            itemRegion.append(UInt8(rng.below(r)))
            let factor = 0.55 + 0.55 * (rng.unit() + rng.unit())
            let halfDollars = (Self.categoryBasePrice[category] * factor * 2).rounded()
            let cents = max(Int64(halfDollars) * 50, 500)
            itemPriceCents.append(cents)
            itemBand.append(Self.band(cents: cents))
            let rank = Double(itemRank[i]) / Double(max(items, 1))
            itemQuality.append(min(1, max(0, 0.75 - 0.5 * rank + 0.25 * rng.bell())))
        }

        // Users.
        userRegion = []; userPreferred = []; userPreferredCount = []; userBand = []
        userSignup = []; userMemberSince = []; userTaste = []
        var userRank = Array(0 ..< users)
        rng.shuffle(&userRank)
        userActivity = userRank.map { 1 / Double($0 + 20) }
        let day: Int64 = 86_400_000_000
        for u in 0 ..< users {
            userRegion.append(UInt8(rng.below(r)))
            let roll = rng.unit()
            let k = roll < 0.3 ? 1 : roll < 0.75 ? 2 : 3
            var chosen: [Int] = []
            while chosen.count < k {
                let pick = categoryPicker.sample(&rng)
                if !chosen.contains(pick) { chosen.append(pick) }
            }
            userPreferredCount.append(UInt8(k))
            for slot in 0 ..< 3 { userPreferred.append(UInt8(slot < k ? chosen[slot] : chosen[0])) }
            userBand.append(UInt8(bandPicker.sample(&rng)))
            userSignup.append(MarketplaceGenerator.startMicros - 1 - rng.below64(730 * day))
            let memberRate = userRank[u] < users / 5 ? 0.5 : 0.25
            userMemberSince.append(rng.chance(memberRate) ? MarketplaceGenerator.startMicros - 60 * day + rng.below64(240 * day) : .max)
            // Taste: the preferred categories' vectors, weighted, plus personal noise, unit length.
            var taste = [Float](repeating: 0, count: dim)
            for (slot, category) in chosen.enumerated() {
                let w = Float(Self.preferenceWeights[k - 1][slot])
                for d in 0 ..< dim { taste[d] += w * categoryVectors[category * dim + d] }
            }
            for d in 0 ..< dim { taste[d] += Float(0.25 * rng.bell()) }
            var norm: Float = 0
            for d in 0 ..< dim { norm += taste[d] * taste[d] }
            norm = norm.squareRoot()
            for d in 0 ..< dim { userTaste.append(norm > 0 ? taste[d] / norm : 0) }
        }

        // Samplers. Feature snapshots favour active users and popular items, with a uniform floor.
        activeUsers = AliasTable(weights: userActivity)
        let activityTotal = userActivity.reduce(0, +)
        statsUsers = AliasTable(weights: userActivity.map { 0.3 / Double(users) + 0.7 * $0 / activityTotal })
        popularItems = AliasTable(weights: itemPopularity)
        let popularityTotal = itemPopularity.reduce(0, +)
        statsItems = AliasTable(weights: itemPopularity.map { 0.5 / Double(items) + 0.5 * $0 / popularityTotal })
        var cells = [[Int32]](repeating: [], count: r * c)
        var byCategory = [[Int32]](repeating: [], count: c)
        for i in 0 ..< items {
            cells[Int(itemRegion[i]) * c + Int(itemCategory[i])].append(Int32(i))
            byCategory[Int(itemCategory[i])].append(Int32(i))
        }
        let popularity = itemPopularity
        cellItems = cells
        cellSamplers = cells.map { AliasTable(weights: $0.map { popularity[Int($0)] }) }
        categoryItems = byCategory
        categorySamplers = byCategory.map { AliasTable(weights: $0.map { popularity[Int($0)] }) }
    }

    static func band(cents: Int64) -> UInt8 {
        cents < 1500 ? 0 : cents < 2500 ? 1 : 2
    }

    // MARK: Sampling behaviour

    /// A category drawn from the user's tastes: a preferred one (by weight) most of the time.
    @inline(__always)
    func tasteCategory(user u: Int, _ rng: inout SplitMix64) -> Int {
        guard rng.chance(Self.preferredCategoryRate) else { return rng.below(Self.categories.count) }
        let k = Int(userPreferredCount[u])
        let weights = Self.preferenceWeights[k - 1]
        var roll = rng.unit()
        for slot in 0 ..< k - 1 {
            if roll < weights[slot] { return Int(userPreferred[u * 3 + slot]) }
            roll -= weights[slot]
        }
        return Int(userPreferred[u * 3 + k - 1])
    }

    /// An item of `category`, in `region` when that cell has items, by popularity.
    @inline(__always)
    func popularItem(region: Int, category: Int, _ rng: inout SplitMix64) -> Int {
        let cell = region * Self.categories.count + category
        if !cellItems[cell].isEmpty { return Int(cellItems[cell][cellSamplers[cell].sample(&rng)]) }
        if !categoryItems[category].isEmpty { return Int(categoryItems[category][categorySamplers[category].sample(&rng)]) }
        return popularItems.sample(&rng)
    }

    /// A class the user books: a taste category, mostly in the home region, popular within it,
    /// and mostly in the user's price band (an out-of-band pick is kept with probability 0.2,
    /// else redrawn, up to three times).
    func bookedItem(user u: Int, _ rng: inout SplitMix64) -> Int {
        var item = 0
        for attempt in 0 ..< 4 {
            let category = tasteCategory(user: u, &rng)
            let region = rng.chance(Self.homeRegionRate) ? Int(userRegion[u]) : rng.below(Self.regions.count)
            item = popularItem(region: region, category: category, &rng)
            if itemBand[item] == userBand[u] || attempt == 3 || rng.chance(0.2) { return item }
        }
        return item
    }

    /// A class shown to the user and not booked: mostly a globally popular one, sometimes one
    /// from the user's tastes regardless of price.
    func shownItem(user u: Int, _ rng: inout SplitMix64) -> Int {
        if rng.chance(0.7) { return popularItems.sample(&rng) }
        let region = rng.chance(Self.homeRegionRate) ? Int(userRegion[u]) : rng.below(Self.regions.count)
        return popularItem(region: region, category: tasteCategory(user: u, &rng), &rng)
    }

    /// Whether `category` is one of the user's preferred categories.
    func prefers(user u: Int, category: Int) -> Bool {
        for slot in 0 ..< Int(userPreferredCount[u]) where Int(userPreferred[u * 3 + slot]) == category { return true }
        return false
    }

    /// The rating (1…5 in half stars) user `u` gives class `i`: higher for preferred categories,
    /// matching price bands and better classes; fixed per pair.
    func rating(user u: Int, item i: Int) -> Float {
        let h = SplitMix64.mix(seed ^ (UInt64(u) << 24) ^ UInt64(i) ^ 0x5EED_4A71)
        let noise = Double(h >> 11) * 0x1p-53 * 2 - 1
        var r = 2.6 + 1.4 * itemQuality[i] + 0.6 * noise
        r += prefers(user: u, category: Int(itemCategory[i])) ? 0.8 : -0.4
        r += itemBand[i] == userBand[u] ? 0.3 : -0.2
        return Float(min(5, max(1, (r * 2).rounded() / 2)))
    }
}
