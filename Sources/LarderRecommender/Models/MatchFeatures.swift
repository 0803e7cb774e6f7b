/// The ensemble's match features: whether an item is in the user's home region, and whether
/// it is in the user's favourite category (user values as of the cut-off, recoded into the
/// item features' vocabularies so they compare by name).
struct MatchFeatures: Sendable, Hashable {
    let users: IDIndex
    /// Per user, the home region and favourite category as item-vocabulary codes (-1: unknown);
    /// empty when the feature is not used.
    let userRegion: [Int32]
    let userFavourite: [Int32]
    /// Per catalogue item, its region and category codes; empty when not used.
    let itemRegion: [Int32]
    let itemCategory: [Int32]

    var useRegion: Bool { !itemRegion.isEmpty }
    var useFavourite: Bool { !itemCategory.isEmpty }
    var names: [String] { (useRegion ? ["region match"] : []) + (useFavourite ? ["favourite category match"] : []) }

    init(users: IDIndex, userRegion: [Int32], userFavourite: [Int32], itemRegion: [Int32], itemCategory: [Int32]) {
        self.users = users
        self.userRegion = userRegion
        self.userFavourite = userFavourite
        self.itemRegion = itemRegion
        self.itemCategory = itemCategory
    }

    /// - Throws: `.unknownFeature` when a named feature is not in the training data.
    init(_ window: TrainingWindow, parameters p: EnsembleParameters) throws {
        users = window.users
        func pair(_ userRef: String?, _ itemRef: String?, _ role: String) throws -> ([Int32], [Int32]) {
            guard let userRef, let itemRef else { return ([], []) }
            let item = try window.categorical(itemRef, in: window.itemFeatures, role: "item \(role)")
            let user = try window.categorical(userRef, in: window.userFeatures, role: "user \(role)")
            let map = TrainingWindow.recode(from: user.vocabulary, to: item.vocabulary)
            return (user.codes.map { $0 < 0 ? -1 : map[Int($0)] }, item.codes)
        }
        (userRegion, itemRegion) = try pair(p.userRegionFeature, p.itemRegionFeature, "region")
        (userFavourite, itemCategory) = try pair(p.favouriteFeature, p.categoryFeature, "category")
    }

    /// The match features of `user` for catalogue item `i`, appended to `row`.
    @inline(__always)
    func append(user u: Int?, item i: Int, to row: inout [Double]) {
        if useRegion {
            let code = u.map { userRegion[$0] } ?? -1
            row.append(code >= 0 && code == itemRegion[i] ? 1 : 0)
        }
        if useFavourite {
            let code = u.map { userFavourite[$0] } ?? -1
            row.append(code >= 0 && code == itemCategory[i] ? 1 : 0)
        }
    }
}
