import Foundation

/// Content-based scoring from what the user booked and who they are: a smoothed estimate of
/// how likely the user is to book in each category, price band and region, times how
/// popular the item is within its (category, region) cell.
///
/// For a user with n bookings before the cut-off, of which n(s) fall in slot s of a signal
/// (category, price band or region, each item's value taken as of its booking, from the
/// point-in-time join), P(s | user) = (n(s) + σ·share(s) + w·[s is the user's own]) /
/// (n + σ + w), where share(s) is the slot's Laplace-smoothed share of all bookings, σ the
/// ``ContentParameters/smoothing``, and "the user's own" is their favourite category
/// (weight ``ContentParameters/favouriteWeight``) or home region
/// (``ContentParameters/homeRegionWeight``), read from the user features as of the cut-off.
/// Price bands cut the catalogue's prices at equal-count quantiles. An item's score is
/// Σ log P(its slot | user) + β·log((pop + ½) / (cell pop + ½·cell size)) with pop the
/// time-decayed bookings and β the ``ContentParameters/popularityWeight``. Items with an
/// unknown value fall in an extra "unknown" slot per signal.
///
/// The model knows every user with a booking or with a favourite category or home region, so
/// it answers cold-start users who have features but no history; others get the fallback.
///
/// Artifact payload: catalogue ids, fallback scores, user ids, slots per signal ([Int64]),
/// band edges ([Double]), item slots ([Int32], items × signals), item priors ([Double]), user
/// log-probabilities ([Float], users × Σ slots).
public struct ContentModel: CatalogueModel {
    public let parameters: ContentParameters
    let catalogue: IDIndex
    let fallback: [Double]
    let users: IDIndex
    let slots: [Int]
    let bandEdges: [Double]
    let itemSlots: [Int32]
    let itemPrior: [Double]
    let userLogs: [Float]

    public var kind: ModelKind { .content }
    public var spec: ModelSpec { .content(parameters) }
    public var itemIDs: [Int64] { catalogue.ids }

    /// One signal while fitting: per item and per positive, a slot in 0 ..< slots (the last
    /// one for unknown), and per user an optional "own" slot with its pseudo-count weight.
    private struct Signal {
        var slots: Int
        var item: [Int32]
        var event: [Int32]
        var own: [Int32]?
        var ownWeight: Double
    }

    init(_ window: TrainingWindow, parameters p: ContentParameters) throws {
        parameters = p
        catalogue = window.items
        let popularity = window.decayedPopularity(halfLife: PopularityModel.micros(days: p.halfLifeDays))
        fallback = window.decayedPopularity(halfLife: PopularityModel.micros(days: 14))
        var signals: [Signal] = []
        var categorySlot: [Int32]?, regionSlot: [Int32]?
        func slotted(_ codes: [Int32], unknown: Int) -> [Int32] { codes.map { $0 < 0 ? Int32(unknown) : $0 } }

        if let ref = p.categoryFeature {
            let items = try window.categorical(ref, in: window.itemFeatures, role: "category")
            let n = items.vocabulary.count
            var signal = Signal(slots: n + 1, item: slotted(items.codes, unknown: n), event: [], own: nil, ownWeight: p.favouriteWeight)
            signal.event = zip(window.eventCodes(ref, vocabulary: items.vocabulary), window.positiveItem).map { $0 >= 0 ? $0 : signal.item[Int($1)] }
            if let fav = p.favouriteFeature {
                let user = try window.categorical(fav, in: window.userFeatures, role: "favourite category")
                let map = TrainingWindow.recode(from: user.vocabulary, to: items.vocabulary)
                signal.own = user.codes.map { $0 < 0 ? -1 : map[Int($0)] }
            }
            categorySlot = signal.item
            signals.append(signal)
        }
        var edges: [Double] = []
        if let ref = p.priceFeature {
            let prices = try window.numeric(ref, in: window.itemFeatures, role: "price")
            edges = Self.quantileEdges(prices.filter { !$0.isNaN }, bands: p.priceBands)
            let unknown = edges.count + 1
            let item = prices.map { Int32($0.isNaN ? unknown : Self.band($0, edges)) }
            var event = [Int32](repeating: -1, count: window.positiveCount)
            if case .numeric(let eventPrices)? = window.eventFeatures.column(ref) {
                for k in event.indices where !eventPrices[k].isNaN { event[k] = Int32(Self.band(eventPrices[k], edges)) }
            }
            for k in event.indices where event[k] < 0 { event[k] = item[Int(window.positiveItem[k])] }
            signals.append(Signal(slots: unknown + 1, item: item, event: event, own: nil, ownWeight: 0))
        }
        if let ref = p.itemRegionFeature {
            let items = try window.categorical(ref, in: window.itemFeatures, role: "item region")
            let n = items.vocabulary.count
            var signal = Signal(slots: n + 1, item: slotted(items.codes, unknown: n), event: [], own: nil, ownWeight: p.homeRegionWeight)
            signal.event = zip(window.eventCodes(ref, vocabulary: items.vocabulary), window.positiveItem).map { $0 >= 0 ? $0 : signal.item[Int($1)] }
            if let home = p.userRegionFeature {
                let user = try window.categorical(home, in: window.userFeatures, role: "user region")
                let map = TrainingWindow.recode(from: user.vocabulary, to: items.vocabulary)
                signal.own = user.codes.map { $0 < 0 ? -1 : map[Int($0)] }
            }
            regionSlot = signal.item
            signals.append(signal)
        }
        bandEdges = edges
        slots = signals.map(\.slots)
        itemSlots = (0 ..< catalogue.count).flatMap { i in signals.map { $0.item[i] } }
        itemPrior = Self.cellPriors(popularity, category: categorySlot, region: regionSlot, weight: p.popularityWeight)
        (users, userLogs) = Self.userLogs(window, signals: signals, smoothing: p.smoothing)
    }

    init(parameters: ContentParameters, catalogue: IDIndex, fallback: [Double], users: IDIndex, slots: [Int], bandEdges: [Double],
         itemSlots: [Int32], itemPrior: [Double], userLogs: [Float]) {
        self.parameters = parameters
        self.catalogue = catalogue
        self.fallback = fallback
        self.users = users
        self.slots = slots
        self.bandEdges = bandEdges
        self.itemSlots = itemSlots
        self.itemPrior = itemPrior
        self.userLogs = userLogs
    }

    /// Cut points splitting `values` into `bands` groups of equal count (fewer when values repeat).
    static func quantileEdges(_ values: [Double], bands: Int) -> [Double] {
        guard bands > 1, !values.isEmpty else { return [] }
        let sorted = values.sorted()
        var edges: [Double] = []
        for b in 1 ..< bands {
            let edge = sorted[min(sorted.count - 1, b * sorted.count / bands)]
            if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
        }
        return edges
    }

    /// The band of `price`: the number of edges at or below it.
    static func band(_ price: Double, _ edges: [Double]) -> Int {
        edges.reduce(0) { $0 + (price >= $1 ? 1 : 0) }
    }

    /// weight · log of each item's smoothed share of its (category, region) cell's popularity.
    private static func cellPriors(_ popularity: [Double], category: [Int32]?, region: [Int32]?, weight: Double) -> [Double] {
        guard weight > 0 else { return [Double](repeating: 0, count: popularity.count) }
        func cell(_ i: Int) -> Int64 { Int64(category?[i] ?? 0) << 32 | Int64(region?[i] ?? 0) }
        var total: [Int64: (pop: Double, size: Double)] = [:]
        for i in popularity.indices { total[cell(i), default: (0, 0)].pop += popularity[i]; total[cell(i), default: (0, 0)].size += 1 }
        return popularity.indices.map { i in
            let t = total[cell(i)] ?? (0, 1)
            return weight * log((popularity[i] + 0.5) / (t.pop + 0.5 * t.size))
        }
    }

    /// The known users and their log P(slot | user) for every signal's slots.
    private static func userLogs(_ window: TrainingWindow, signals: [Signal], smoothing: Double) -> (IDIndex, [Float]) {
        let width = signals.reduce(0) { $0 + $1.slots }
        let offsets = signals.indices.map { s in signals[..<s].reduce(0) { $0 + $1.slots } }
        var counts = [Float](repeating: 0, count: window.users.count * width)
        var history = [Float](repeating: 0, count: window.users.count)
        var shares = [Double](repeating: 1, count: width)
        for k in 0 ..< window.positiveCount {
            let u = Int(window.positiveUser[k])
            history[u] += 1
            for (s, signal) in signals.enumerated() {
                let slot = offsets[s] + Int(signal.event[k])
                counts[u * width + slot] += 1
                shares[slot] += 1
            }
        }
        for (s, signal) in signals.enumerated() {
            let total = (offsets[s] ..< offsets[s] + signal.slots).reduce(0.0) { $0 + shares[$1] }
            for slot in offsets[s] ..< offsets[s] + signal.slots { shares[slot] /= total }
        }
        var ids: [Int64] = [], logs: [Float] = []
        for u in 0 ..< window.users.count {
            let owns = signals.map { signal in signal.own.map { Int($0[u]) } ?? -1 }
            guard history[u] > 0 || owns.contains(where: { $0 >= 0 }) else { continue }
            ids.append(window.users.ids[u])
            for (s, signal) in signals.enumerated() {
                let extra = owns[s] >= 0 ? signal.ownWeight : 0
                let denominator = Double(history[u]) + smoothing + extra
                for slot in 0 ..< signal.slots {
                    var mass = Double(counts[u * width + offsets[s] + slot]) + smoothing * shares[offsets[s] + slot]
                    if slot == owns[s] { mass += extra }
                    logs.append(Float(log(mass / denominator)))
                }
            }
        }
        return (IDIndex(ids: ids), logs)
    }

    public func knows(user: Int64) -> Bool { users.index(of: user) != nil }

    func catalogueScores(user: Int64) -> [Double]? {
        guard let u = users.index(of: user) else { return nil }
        let width = slots.reduce(0, +), signals = slots.count
        let offsets = slots.indices.map { s in slots[..<s].reduce(0, +) }
        return (0 ..< catalogue.count).map { i in
            var score = itemPrior[i]
            for s in 0 ..< signals { score += Double(userLogs[u * width + offsets[s] + Int(itemSlots[i * signals + s])]) }
            return score
        }
    }

    public func score(user: Int64, candidates: [Int64]) -> CandidateScores {
        scoreCandidates(user: user, candidates: candidates)
    }

    public func recommend(user: Int64, k: Int, excluding: Set<Int64>) -> Recommendations {
        recommendTop(user: user, k: k, excluding: excluding)
    }

    public func encode() -> Data {
        var w = ArtifactWriter(kind: kind, spec: spec)
        w.write(catalogue.ids)
        w.write(fallback)
        w.write(users.ids)
        w.write(slots)
        w.write(bandEdges)
        w.write(itemSlots)
        w.write(itemPrior)
        w.write(userLogs)
        return w.finish()
    }

    static func decode(_ r: inout ArtifactReader) throws -> ContentModel {
        guard case .content(let parameters) = r.spec else { throw RecommenderError(.corruptArtifact, "a content artifact with \(r.spec.kind) parameters") }
        let catalogue = try r.index()
        let fallback = try r.doubles()
        let users = try r.index()
        let slots = try r.ints()
        let bandEdges = try r.doubles()
        let itemSlots = try r.int32s()
        let itemPrior = try r.doubles()
        let userLogs = try r.floats()
        try r.check(fallback.count == catalogue.count && itemPrior.count == catalogue.count, "item arrays do not match the catalogue of \(catalogue.count)")
        try r.check(slots.allSatisfy { $0 >= 1 } && itemSlots.count == catalogue.count * slots.count, "\(itemSlots.count) item slots for \(catalogue.count) items and \(slots.count) signals")
        for (k, slot) in itemSlots.enumerated() where slot < 0 || Int(slot) >= slots[k % slots.count] {
            try r.check(false, "item slot \(slot) outside its signal")
        }
        try r.check(userLogs.count == users.count * slots.reduce(0, +), "\(userLogs.count) user values for \(users.count) users")
        return ContentModel(parameters: parameters, catalogue: catalogue, fallback: fallback, users: users, slots: slots,
                            bandEdges: bandEdges, itemSlots: itemSlots, itemPrior: itemPrior, userLogs: userLogs)
    }
}
