import Foundation
import LarderColumnar

/// Item-item collaborative filtering: items are similar when the same users booked both.
///
/// The similarity of items i and j is the cosine of their booking columns (each user counts
/// once), shrunk towards 0 when few users support it:
/// sim(i, j) = c(i, j) / (√(n(i)·n(j)) + shrinkage), where c(i, j) counts the users who
/// booked both and n(i) those who booked i. Each item keeps its `neighbours` most similar
/// items. A user's score for item j is the sum of sim(i, j) over the items i they booked
/// before the cut-off; users without a booking get the popularity fallback.
///
/// Artifact payload: catalogue ids, fallback scores ([Double]), user ids, then two sparse
/// matrices as (row starts [Int64], columns [Int32], values [Float]): the users' booked items
/// (values 1) and the items' neighbours (values the similarities).
public struct ItemKNNModel: CatalogueModel {
    public let parameters: ItemKNNParameters
    let catalogue: IDIndex
    let fallback: [Double]
    let users: IDIndex
    let history: SparseRows
    let neighbours: SparseRows

    public var kind: ModelKind { .itemKNN }
    public var spec: ModelSpec { .itemKNN(parameters) }
    public var itemIDs: [Int64] { catalogue.ids }

    init(_ window: TrainingWindow, parameters: ItemKNNParameters) {
        self.parameters = parameters
        catalogue = window.items
        fallback = window.decayedPopularity(halfLife: PopularityModel.micros(days: 14))
        (users, history) = Self.bookers(window)
        neighbours = Self.similarities(window, parameters: parameters)
    }

    init(parameters: ItemKNNParameters, catalogue: IDIndex, fallback: [Double], users: IDIndex, history: SparseRows, neighbours: SparseRows) {
        self.parameters = parameters
        self.catalogue = catalogue
        self.fallback = fallback
        self.users = users
        self.history = history
        self.neighbours = neighbours
    }

    /// The users with a booking and their booked items (binary).
    static func bookers(_ window: TrainingWindow) -> (IDIndex, SparseRows) {
        var ids: [Int64] = [], start = [0], columns: [Int32] = []
        for u in 0 ..< window.users.count {
            let range = window.byUser.range(u)
            guard !range.isEmpty else { continue }
            ids.append(window.users.ids[u])
            columns.append(contentsOf: window.byUser.columns[range])
            start.append(columns.count)
        }
        return (IDIndex(ids: ids), SparseRows(start: start, columns: columns, values: [Float](repeating: 1, count: columns.count)))
    }

    /// Each item's most similar items, by shrunk cosine over distinct bookers.
    static func similarities(_ window: TrainingWindow, parameters: ItemKNNParameters) -> SparseRows {
        let itemCount = window.items.count
        let byItem = window.byItem, byUser = window.byUser
        let n = (0 ..< itemCount).map { Float(byItem.range($0).count) }
        let shrinkage = Float(parameters.shrinkage), keep = parameters.neighbours
        let chunk = 64
        let starts = Array(stride(from: 0, to: itemCount, by: chunk))
        let parts = (try? concurrentMap(starts) { first -> [[(Int32, Float)]] in
            var together = [Float](repeating: 0, count: itemCount)
            var touched: [Int32] = []
            var out: [[(Int32, Float)]] = []
            for i in first ..< min(itemCount, first + chunk) {
                for k in byItem.range(i) {
                    for m in byUser.range(Int(byItem.columns[k])) {
                        let j = Int(byUser.columns[m])
                        if together[j] == 0 { touched.append(Int32(j)) }
                        together[j] += 1
                    }
                }
                var scored: [(Int32, Float)] = []
                scored.reserveCapacity(touched.count)
                for j in touched {
                    let jj = Int(j)
                    if jj != i { scored.append((j, together[jj] / ((n[i] * n[jj]).squareRoot() + shrinkage))) }
                    together[jj] = 0
                }
                touched.removeAll(keepingCapacity: true)
                scored.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
                out.append(Array(scored.prefix(keep)).sorted { $0.0 < $1.0 })
            }
            return out
        }) ?? []
        var start = [0], columns: [Int32] = [], values: [Float] = []
        for list in parts.joined() {
            for (j, s) in list {
                columns.append(j)
                values.append(s)
            }
            start.append(columns.count)
        }
        return SparseRows(start: start, columns: columns, values: values)
    }

    public func knows(user: Int64) -> Bool { users.index(of: user) != nil }

    func catalogueScores(user: Int64) -> [Double]? {
        guard let u = users.index(of: user) else { return nil }
        var scores = [Double](repeating: 0, count: catalogue.count)
        for k in history.range(u) {
            for m in neighbours.range(Int(history.columns[k])) {
                scores[Int(neighbours.columns[m])] += Double(neighbours.values[m])
            }
        }
        return scores
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
        w.write(sparse: history)
        w.write(sparse: neighbours)
        return w.finish()
    }

    static func decode(_ r: inout ArtifactReader) throws -> ItemKNNModel {
        guard case .itemKNN(let parameters) = r.spec else { throw RecommenderError(.corruptArtifact, "an itemknn artifact with \(r.spec.kind) parameters") }
        let catalogue = try r.index()
        let fallback = try r.doubles()
        let users = try r.index()
        let history = try r.sparse(rows: users.count, columns: catalogue.count)
        let neighbours = try r.sparse(rows: catalogue.count, columns: catalogue.count)
        try r.check(fallback.count == catalogue.count, "\(fallback.count) fallback scores for \(catalogue.count) items")
        return ItemKNNModel(parameters: parameters, catalogue: catalogue, fallback: fallback, users: users, history: history, neighbours: neighbours)
    }
}

extension ArtifactWriter {
    /// A sparse matrix: row starts, columns, values.
    mutating func write(sparse m: SparseRows) {
        write(m.start)
        write(m.columns)
        write(m.values)
    }
}

extension ArtifactReader {
    /// A sparse matrix of `rows` rows whose columns are below `columns`, checked.
    mutating func sparse(rows: Int, columns: Int) throws -> SparseRows {
        let start = try ints()
        let cols = try int32s()
        let values = try floats()
        try check(start.count == rows + 1 && start.first == 0 && start.last == cols.count && values.count == cols.count,
                  "a sparse matrix of \(start.count - 1) rows for \(rows), \(cols.count) columns, \(values.count) values")
        for k in start.indices.dropFirst() where start[k] < start[k - 1] {
            try check(false, "sparse row starts decrease at row \(k)")
        }
        for c in cols where c < 0 || Int(c) >= columns { try check(false, "a sparse column \(c) outside 0..<\(columns)") }
        return SparseRows(start: start, columns: cols, values: values)
    }
}
