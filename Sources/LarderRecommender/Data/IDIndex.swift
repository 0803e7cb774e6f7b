/// A dense numbering of entity ids: id `ids[k]` has index `k`. Models work on indexes and store
/// the ids in their artifacts, so scoring takes and returns the ids a service knows.
struct IDIndex: Sendable, Hashable {
    /// The ids, in index order.
    let ids: [Int64]
    private let positions: [Int64: Int32]

    /// An index over `ids`, which must be distinct (the caller guarantees it).
    init(ids: [Int64]) {
        self.ids = ids
        var positions: [Int64: Int32] = [:]
        positions.reserveCapacity(ids.count)
        for (k, id) in ids.enumerated() { positions[id] = Int32(k) }
        self.positions = positions
    }

    /// An index over the distinct values of `values`, in ascending id order.
    init(distinct values: some Sequence<Int64>) {
        self.init(ids: Array(Set(values)).sorted())
    }

    var count: Int { ids.count }

    /// The index of `id`, nil when it is not indexed.
    @inline(__always)
    func index(of id: Int64) -> Int? { positions[id].map(Int.init) }

    static func == (a: IDIndex, b: IDIndex) -> Bool { a.ids == b.ids }
    func hash(into hasher: inout Hasher) { hasher.combine(ids) }
}
