import Foundation

/// Implicit-feedback matrix factorization: a factor vector per user and per item whose dot
/// product scores the pair, fitted by ``ALSSolver`` (alternating least squares with
/// conjugate-gradient steps) on the bookings before the cut-off, with confidence 1 + α·r for
/// a pair booked r times. Factors start uniform in [0, 0.01), seeded, users first. Users
/// without a booking get the popularity fallback.
///
/// Artifact payload: catalogue ids, fallback scores ([Double]), user ids, factors (Int64),
/// user factors ([Float], users × factors, row-major), item factors ([Float], items × factors).
public struct ALSModel: CatalogueModel {
    public let parameters: ALSParameters
    let catalogue: IDIndex
    let fallback: [Double]
    let users: IDIndex
    let userFactors: [Float]
    let itemFactors: [Float]

    public var kind: ModelKind { .als }
    public var spec: ModelSpec { .als(parameters) }
    public var itemIDs: [Int64] { catalogue.ids }

    init(_ window: TrainingWindow, parameters: ALSParameters) {
        self.parameters = parameters
        catalogue = window.items
        fallback = window.decayedPopularity(halfLife: PopularityModel.micros(days: 14))
        let (users, counts) = Self.bookings(window)
        self.users = users
        let alpha = Float(parameters.alpha)
        let confidence = SparseRows(start: counts.start, columns: counts.columns, values: counts.values.map { 1 + alpha * $0 })
        (userFactors, itemFactors) = Self.factorize(confidence, itemCount: catalogue.count, parameters: parameters)
    }

    init(parameters: ALSParameters, catalogue: IDIndex, fallback: [Double], users: IDIndex, userFactors: [Float], itemFactors: [Float]) {
        self.parameters = parameters
        self.catalogue = catalogue
        self.fallback = fallback
        self.users = users
        self.userFactors = userFactors
        self.itemFactors = itemFactors
    }

    /// The users with a booking, and their booking counts per item.
    static func bookings(_ window: TrainingWindow) -> (IDIndex, SparseRows) {
        var ids: [Int64] = [], start = [0], columns: [Int32] = [], values: [Float] = []
        for u in 0 ..< window.users.count {
            let range = window.byUser.range(u)
            guard !range.isEmpty else { continue }
            ids.append(window.users.ids[u])
            columns.append(contentsOf: window.byUser.columns[range])
            values.append(contentsOf: window.byUser.values[range])
            start.append(columns.count)
        }
        return (IDIndex(ids: ids), SparseRows(start: start, columns: columns, values: values))
    }

    /// User and item factors for the confidences `c` (rows: users, columns: items).
    static func factorize(_ c: SparseRows, itemCount: Int, parameters p: ALSParameters) -> (users: [Float], items: [Float]) {
        let f = p.factors
        var rng = SplitMix(seed: p.seed)
        let x = WorkBuffer((0 ..< c.rowCount * f).map { _ in rng.unitFloat() * 0.01 })
        let y = WorkBuffer((0 ..< itemCount * f).map { _ in rng.unitFloat() * 0.01 })
        let byUser = ALSSolver.Confidences(c)
        let byItem = ALSSolver.Confidences(c.transposed(columnCount: itemCount))
        let solver = ALSSolver(factors: f, regularization: Float(p.regularization), cgSteps: p.cgSteps, threads: p.threads)
        for _ in 0 ..< p.iterations {
            solver.update(x, fixed: y, confidence: byUser)
            solver.update(y, fixed: x, confidence: byItem)
        }
        return (x.array, y.array)
    }

    public func knows(user: Int64) -> Bool { users.index(of: user) != nil }

    func catalogueScores(user: Int64) -> [Double]? {
        guard let u = users.index(of: user) else { return nil }
        let f = parameters.factors
        return userFactors.withUnsafeBufferPointer { ub in
            itemFactors.withUnsafeBufferPointer { ib in
                guard let ubase = ub.baseAddress, let ibase = ib.baseAddress else { return [Double](repeating: 0, count: catalogue.count) }
                let xu = ubase + u * f
                return (0 ..< catalogue.count).map { Double(VectorMath.dot(xu, ibase + $0 * f, f)) }
            }
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
        w.write(Int64(parameters.factors))
        w.write(userFactors)
        w.write(itemFactors)
        return w.finish()
    }

    static func decode(_ r: inout ArtifactReader) throws -> ALSModel {
        guard case .als(let parameters) = r.spec else { throw RecommenderError(.corruptArtifact, "an als artifact with \(r.spec.kind) parameters") }
        let catalogue = try r.index()
        let fallback = try r.doubles()
        let users = try r.index()
        let factors = try r.int64()
        let userFactors = try r.floats()
        let itemFactors = try r.floats()
        try r.check(factors == Int64(parameters.factors), "\(factors) factors stored, \(parameters.factors) in the parameters")
        try r.check(fallback.count == catalogue.count, "\(fallback.count) fallback scores for \(catalogue.count) items")
        try r.check(userFactors.count == users.count * parameters.factors, "\(userFactors.count) user factor values for \(users.count) users")
        try r.check(itemFactors.count == catalogue.count * parameters.factors, "\(itemFactors.count) item factor values for \(catalogue.count) items")
        return ALSModel(parameters: parameters, catalogue: catalogue, fallback: fallback, users: users, userFactors: userFactors, itemFactors: itemFactors)
    }
}
