/// Parameters of ``PopularityModel``.
public struct PopularityParameters: Sendable, Hashable, Codable {
    /// A booking's weight halves every `halfLifeDays` days before the cut-off; 0: no decay
    /// (all-time counts).
    public var halfLifeDays: Double

    public init(halfLifeDays: Double = 14) {
        self.halfLifeDays = halfLifeDays
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        halfLifeDays = try c.decodeIfPresent(Double.self, forKey: .halfLifeDays) ?? 14
    }

    func validate() throws {
        try check(halfLifeDays >= 0 && halfLifeDays.isFinite, "halfLifeDays must be ≥ 0 (got \(halfLifeDays))")
    }
}

/// Parameters of ``ItemKNNModel``.
public struct ItemKNNParameters: Sendable, Hashable, Codable {
    /// Neighbours kept per item (the most similar).
    public var neighbours: Int
    /// Added to the cosine's denominator: similarities resting on few co-bookings shrink.
    public var shrinkage: Double

    public init(neighbours: Int = 50, shrinkage: Double = 10) {
        self.neighbours = neighbours
        self.shrinkage = shrinkage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        neighbours = try c.decodeIfPresent(Int.self, forKey: .neighbours) ?? 50
        shrinkage = try c.decodeIfPresent(Double.self, forKey: .shrinkage) ?? 10
    }

    func validate() throws {
        try check(neighbours >= 1, "neighbours must be ≥ 1 (got \(neighbours))")
        try check(shrinkage >= 0 && shrinkage.isFinite, "shrinkage must be ≥ 0 (got \(shrinkage))")
    }
}

/// Parameters of ``ALSModel``.
public struct ALSParameters: Sendable, Hashable, Codable {
    /// Latent factors per user and item.
    public var factors: Int
    /// λ, the L2 penalty on every factor vector.
    public var regularization: Double
    /// α in the confidence 1 + α·r of a user who booked an item r times.
    public var alpha: Double
    /// Alternating sweeps (users, then items).
    public var iterations: Int
    /// Conjugate-gradient steps per vector and sweep.
    public var cgSteps: Int
    /// Seeds the initial factors.
    public var seed: UInt64
    /// Worker threads.
    public var threads: Int

    public init(factors: Int = 64, regularization: Double = 0.01, alpha: Double = 10, iterations: Int = 15,
                cgSteps: Int = 3, seed: UInt64 = 42, threads: Int = 2) {
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.cgSteps = cgSteps
        self.seed = seed
        self.threads = threads
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ALSParameters()
        factors = try c.decodeIfPresent(Int.self, forKey: .factors) ?? d.factors
        regularization = try c.decodeIfPresent(Double.self, forKey: .regularization) ?? d.regularization
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? d.alpha
        iterations = try c.decodeIfPresent(Int.self, forKey: .iterations) ?? d.iterations
        cgSteps = try c.decodeIfPresent(Int.self, forKey: .cgSteps) ?? d.cgSteps
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads
    }

    func validate() throws {
        try check((1 ... 1024).contains(factors), "factors must be in 1...1024 (got \(factors))")
        try check(regularization >= 0 && regularization.isFinite, "regularization must be ≥ 0 (got \(regularization))")
        try check(alpha >= 0 && alpha.isFinite, "alpha must be ≥ 0 (got \(alpha))")
        try check(iterations >= 0, "iterations must be ≥ 0 (got \(iterations))")
        try check(cgSteps >= 1, "cgSteps must be ≥ 1 (got \(cgSteps))")
        try check(threads >= 1, "threads must be ≥ 1 (got \(threads))")
    }
}

/// Parameters of ``ContentModel``: which features hold an item's category, price and region
/// and a user's region and favourite category (`view:feature`; nil: not used), and how much
/// each signal weighs.
public struct ContentParameters: Sendable, Hashable, Codable {
    public var categoryFeature: String?
    public var priceFeature: String?
    public var itemRegionFeature: String?
    public var userRegionFeature: String?
    public var favouriteFeature: String?
    /// Price bands: the catalogue's prices cut at equal-count quantiles into this many bands.
    public var priceBands: Int
    /// Pseudo-bookings spread over categories, bands and regions by their global shares, so
    /// a short history does not rule anything out.
    public var smoothing: Double
    /// Pseudo-bookings of the user's favourite category (the feature), and of the home region.
    public var favouriteWeight: Double
    public var homeRegionWeight: Double
    /// Weight of the item's share of its (category, region) cell's recent bookings.
    public var popularityWeight: Double
    /// Half-life of the popularity term, in days (0: no decay).
    public var halfLifeDays: Double

    public init(categoryFeature: String? = "item_stats:category", priceFeature: String? = "item_stats:price",
                itemRegionFeature: String? = "item_stats:region", userRegionFeature: String? = "user_stats:region",
                favouriteFeature: String? = "user_stats:fav_category", priceBands: Int = 3, smoothing: Double = 1,
                favouriteWeight: Double = 1, homeRegionWeight: Double = 1, popularityWeight: Double = 1, halfLifeDays: Double = 30) {
        self.categoryFeature = categoryFeature
        self.priceFeature = priceFeature
        self.itemRegionFeature = itemRegionFeature
        self.userRegionFeature = userRegionFeature
        self.favouriteFeature = favouriteFeature
        self.priceBands = priceBands
        self.smoothing = smoothing
        self.favouriteWeight = favouriteWeight
        self.homeRegionWeight = homeRegionWeight
        self.popularityWeight = popularityWeight
        self.halfLifeDays = halfLifeDays
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ContentParameters()
        func optional(_ key: CodingKeys, _ fallback: String?) throws -> String? {
            c.contains(key) ? try c.decodeIfPresent(String.self, forKey: key) : fallback
        }
        categoryFeature = try optional(.categoryFeature, d.categoryFeature)
        priceFeature = try optional(.priceFeature, d.priceFeature)
        itemRegionFeature = try optional(.itemRegionFeature, d.itemRegionFeature)
        userRegionFeature = try optional(.userRegionFeature, d.userRegionFeature)
        favouriteFeature = try optional(.favouriteFeature, d.favouriteFeature)
        priceBands = try c.decodeIfPresent(Int.self, forKey: .priceBands) ?? d.priceBands
        smoothing = try c.decodeIfPresent(Double.self, forKey: .smoothing) ?? d.smoothing
        favouriteWeight = try c.decodeIfPresent(Double.self, forKey: .favouriteWeight) ?? d.favouriteWeight
        homeRegionWeight = try c.decodeIfPresent(Double.self, forKey: .homeRegionWeight) ?? d.homeRegionWeight
        popularityWeight = try c.decodeIfPresent(Double.self, forKey: .popularityWeight) ?? d.popularityWeight
        halfLifeDays = try c.decodeIfPresent(Double.self, forKey: .halfLifeDays) ?? d.halfLifeDays
    }

    func validate() throws {
        try check((1 ... 100).contains(priceBands), "priceBands must be in 1...100 (got \(priceBands))")
        for (name, v) in [("smoothing", smoothing), ("favouriteWeight", favouriteWeight), ("homeRegionWeight", homeRegionWeight),
                          ("popularityWeight", popularityWeight), ("halfLifeDays", halfLifeDays)] {
            try check(v >= 0 && v.isFinite, "\(name) must be ≥ 0 (got \(v))")
        }
        try check(smoothing > 0, "smoothing must be > 0")
    }
}

/// Fails with `.invalidInput` and `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    guard condition else { throw RecommenderError(.invalidInput, message()) }
}
