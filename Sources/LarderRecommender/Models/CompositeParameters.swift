/// Parameters of ``EnsembleModel``.
public struct EnsembleParameters: Sendable, Hashable, Codable {
    /// The blended models (not ensembles or segmented models themselves).
    public var members: [ModelSpec]
    /// Candidates per member and user: the union of each member's top N is what the blend ranks.
    public var candidatesPerMember: Int
    /// At most this many validation users train the blend (an evenly spaced sample).
    public var maxUsers: Int
    /// L2 penalty of the logistic regression (the intercept is not penalized).
    public var l2: Double
    /// Newton (IRLS) iterations at most.
    public var iterations: Int
    /// Region and favourite-category match features (`view:feature`; nil: not used).
    public var userRegionFeature: String?
    public var itemRegionFeature: String?
    public var favouriteFeature: String?
    public var categoryFeature: String?

    public init(members: [ModelSpec] = [.popularity(.init()), .itemKNN(.init()), .als(.init()), .content(.init())],
                candidatesPerMember: Int = 30, maxUsers: Int = 5000, l2: Double = 1, iterations: Int = 25,
                userRegionFeature: String? = "user_stats:region", itemRegionFeature: String? = "item_stats:region",
                favouriteFeature: String? = "user_stats:fav_category", categoryFeature: String? = "item_stats:category") {
        self.members = members
        self.candidatesPerMember = candidatesPerMember
        self.maxUsers = maxUsers
        self.l2 = l2
        self.iterations = iterations
        self.userRegionFeature = userRegionFeature
        self.itemRegionFeature = itemRegionFeature
        self.favouriteFeature = favouriteFeature
        self.categoryFeature = categoryFeature
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EnsembleParameters()
        func optional(_ key: CodingKeys, _ fallback: String?) throws -> String? {
            c.contains(key) ? try c.decodeIfPresent(String.self, forKey: key) : fallback
        }
        members = try c.decodeIfPresent([ModelSpec].self, forKey: .members) ?? d.members
        candidatesPerMember = try c.decodeIfPresent(Int.self, forKey: .candidatesPerMember) ?? d.candidatesPerMember
        maxUsers = try c.decodeIfPresent(Int.self, forKey: .maxUsers) ?? d.maxUsers
        l2 = try c.decodeIfPresent(Double.self, forKey: .l2) ?? d.l2
        iterations = try c.decodeIfPresent(Int.self, forKey: .iterations) ?? d.iterations
        userRegionFeature = try optional(.userRegionFeature, d.userRegionFeature)
        itemRegionFeature = try optional(.itemRegionFeature, d.itemRegionFeature)
        favouriteFeature = try optional(.favouriteFeature, d.favouriteFeature)
        categoryFeature = try optional(.categoryFeature, d.categoryFeature)
    }

    func validate() throws {
        try check(!members.isEmpty, "an ensemble needs at least one member")
        for m in members {
            try check(m.kind != .ensemble && m.kind != .segmented, "an ensemble's members are single models, not '\(m.kind)'")
            try m.validate()
        }
        try check(candidatesPerMember >= 1, "candidatesPerMember must be ≥ 1 (got \(candidatesPerMember))")
        try check(maxUsers >= 1, "maxUsers must be ≥ 1 (got \(maxUsers))")
        try check(l2 >= 0 && l2.isFinite, "l2 must be ≥ 0 (got \(l2))")
        try check(iterations >= 1, "iterations must be ≥ 1 (got \(iterations))")
    }
}

/// Parameters of ``SegmentedModel``.
public struct SegmentParameters: Sendable, Hashable, Codable {
    /// The user feature whose values are the segments (`view:feature`, e.g. `user_stats:region`).
    public var feature: String
    /// The model fitted per segment.
    public var inner: ModelSpec
    /// The model fitted on everyone, for users of no (or an unknown) segment; nil: `inner`.
    public var global: ModelSpec?
    /// Segments with fewer positives get no model of their own (their users go to the global one).
    public var minimumPositives: Int

    public init(feature: String = "user_stats:region", inner: ModelSpec = .als(.init()), global: ModelSpec? = nil,
                minimumPositives: Int = 20) {
        self.feature = feature
        self.inner = inner
        self.global = global
        self.minimumPositives = minimumPositives
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SegmentParameters()
        feature = try c.decodeIfPresent(String.self, forKey: .feature) ?? d.feature
        inner = try c.decodeIfPresent(ModelSpec.self, forKey: .inner) ?? d.inner
        global = try c.decodeIfPresent(ModelSpec.self, forKey: .global)
        minimumPositives = try c.decodeIfPresent(Int.self, forKey: .minimumPositives) ?? d.minimumPositives
    }

    func validate() throws {
        try check(inner.kind != .segmented && global?.kind != .segmented, "segmented models do not nest")
        try inner.validate()
        try global?.validate()
        try check(minimumPositives >= 1, "minimumPositives must be ≥ 1 (got \(minimumPositives))")
    }
}
