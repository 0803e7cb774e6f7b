import Foundation
import LarderColumnar
import LarderOnline
import LarderTable
import LarderTestSupport
import Testing
@testable import Larder

/// Online reads: statuses (present, null, not found, outside max age), several views and
/// entities at once, vectors read in place, bad input, damaged stores, concurrent readers.
@Suite struct OnlineReadTests {
    typealias Row = OnlineTestWorld.Row
    static let second: Int64 = 1_000_000

    @Test func statusesFollowTheTtlAsOffline() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir, ttl: "10s")
        let t: Int64 = 1_800_000_000 * Self.second
        try db.ingest([try OnlineTestWorld.batch([
            Row(user: 1, event: t - 5 * Self.second, created: 0, x: 1),
            Row(user: 2, event: t - 20 * Self.second, created: 0, x: 2),
            Row(user: 3, event: t - 10 * Self.second, created: 0, x: nil),   // exactly ttl old: still valid
            Row(user: 4, event: t - 10 * Self.second - 1, created: 0, x: 4), // one µs older: outside
        ])], into: "stats")
        try db.materialize()
        let result = try db.onlineFeatures([FeatureReference(view: "stats", feature: "x")],
                                           entities: (1 ... 5).map { ["user_id": .int64($0)] }, at: t)
        let x = try #require(result["stats__x"])
        #expect(x.statuses == [.present, .outsideMaxAge, .null, .outsideMaxAge, .notFound])
        #expect(x.values == [.int64(1), .null, .null, .null, .null])
        #expect(x.eventTimestamps == [t - 5 * Self.second, t - 20 * Self.second, t - 10 * Self.second, t - 10 * Self.second - 1, nil])

        // The same answer as the offline join at t (nulls where online withholds or lacks).
        let spine = try RecordBatch(["user_id": .int64([1, 2, 3, 4, 5]), "event_ts": .timestamp([Int64](repeating: t, count: 5))])
        let offline = try db.historicalFeatures(spine: spine, features: .references([FeatureReference(view: "stats", feature: "x")]))
        #expect(offline.batch.column(named: "stats__x")?.values == x.values)
    }

    @Test func severalViewsAndVectorsInPlace() throws {
        let dir = try TemporaryDirectory()
        let db = try FeatureDatabase.create(at: dir.file("db"))
        let yaml = OnlineTestWorld.yaml() + """

          - name: items
            entities: [item]
            timestamp_field: ts
            schema:
              - {name: item_id, dtype: string}
              - {name: ts, dtype: timestamp}
              - {name: price, dtype: float64}
        """
        try db.apply(try Definitions.parse(yaml: yaml.replacingOccurrences(of: "entities:\n  - name: user\n    join_keys: [user_id]",
                                                                             with: "entities:\n  - name: user\n    join_keys: [user_id]\n  - name: item\n    join_keys: [item_id]")))
        try db.ingest([try OnlineTestWorld.batch([Row(user: 7, event: 10, created: 0, x: 70)])], into: "stats")
        try db.ingest([try RecordBatch(["item_id": .string(["a", "b"]), "ts": .timestamp([1, 2]), "price": .float64([1.5, 2.5])])], into: "items")
        let result = try db.materialize()
        #expect(Set(result.views.map(\.view)) == ["stats", "items"])
        let read = try db.onlineFeatures([FeatureReference("items:price")!, FeatureReference("stats:v")!, FeatureReference("stats:x")!],
                                         entities: [["user_id": .int64(7), "item_id": .string("b")],
                                                    ["user_id": .int32(8), "item_id": .string("a")]])
        #expect(read.features.map(\.name) == ["items__price", "stats__v", "stats__x"])
        #expect(read["price"]?.values == [.float64(2.5), .float64(1.5)])
        #expect(read["x"]?.statuses == [.present, .notFound])
        #expect(read["v"]?.values.first == .vector([70, 70.5, 7, 10]))
        // In place: the row's vector is a view of the mapped file.
        let row = try #require(read.rows["stats"]?[0])
        let store = try db.onlineStore(view: "stats")
        let index = try #require(store.schema.valueIndex(named: "v"))
        let v = try #require(row.vector(index))
        #expect(v.withUnsafeBufferPointer { Array($0) } == [70, 70.5, 7, 10])
    }

    @Test func badInputIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        let notMaterialized = #expect(throws: DatabaseError.self) {
            try db.onlineFeatures(OnlineTestWorld.features, entities: [["user_id": .int64(1)]])
        }
        #expect(notMaterialized?.code == .notFound)
        #expect(notMaterialized?.message.contains("larder materialize") == true)
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 10, created: 0, x: 1)])], into: "stats")
        try db.materialize()
        let cases: [(FeatureSelection, [[String: Value]], DatabaseError.Code, String)] = [
            (.references([FeatureReference("stats:nope")!]), [["user_id": .int64(1)]], .unknownName, "no feature 'nope'"),
            (.references([FeatureReference("nope")!]), [["user_id": .int64(1)]], .unknownName, "no feature view 'nope'"),
            (.service("nope"), [["user_id": .int64(1)]], .unknownName, "no feature service 'nope'"),
            (OnlineTestWorld.features, [["user": .int64(1)]], .invalidInput, "lacks key 'user_id'"),
            (OnlineTestWorld.features, [["user_id": .string("1")]], .invalidInput, "key 'user_id' is int64"),
        ]
        for (selection, entities, code, needle) in cases {
            let error = #expect(throws: DatabaseError.self) { try db.onlineFeatures(selection, entities: entities) }
            #expect(error?.code == code, "\(needle)")
            #expect(error?.message.contains(needle) == true, "\(error?.message ?? "") should contain \(needle)")
        }
        let wrongColumn = #expect(throws: DatabaseError.self) {
            try db.onlineFeatures(OnlineTestWorld.features, entities: try RecordBatch(["user_id": .float64([1])]))
        }
        #expect(wrongColumn?.message.contains("key column 'user_id' is float64") == true)
    }

    @Test func aDamagedStoreIsReportedAndARebuildFixesIt() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        try db.ingest([try OnlineTestWorld.batch((0 ..< 100).map { Row(user: $0, event: 10, created: 0, x: $0) })], into: "stats")
        try db.materialize()
        let store = try db.onlineStore(view: "stats")
        let base = dir.file("db/online/stats/" + store.files[0])
        // Flip a byte in the middle of the table section.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: base))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: base))

        let read = #expect(throws: OnlineStoreError.self) { try db.onlineFeatures(OnlineTestWorld.features, entities: [["user_id": .int64(1)]]) }
        #expect(read?.code == .corrupt)
        #expect(read?.message.contains("larder materialize --rebuild") == true)
        try db.ingest([try OnlineTestWorld.batch([Row(user: 1, event: 20, created: 0, x: 100)])], into: "stats")
        // An incremental sync does not write on top of a damaged store; a full one replaces it.
        let refused = #expect(throws: OnlineStoreError.self) { try db.materialize(.init(mode: .incremental)) }
        #expect(refused?.code == .corrupt)
        try db.materialize()
        try OnlineTestWorld.expectOnlineEqualsOffline(db, users: Array(0 ..< 100), "after the rebuild")

        // A truncated CURRENT: the incremental sync refuses with the advice, a full one fixes it.
        let current = dir.file("db/online/stats/CURRENT")
        let text = try Data(contentsOf: URL(fileURLWithPath: current))
        try text.prefix(text.count - 5).write(to: URL(fileURLWithPath: current))
        let sync = #expect(throws: OnlineStoreError.self) { try db.materialize(.init(mode: .incremental)) }
        #expect(sync?.code == .corrupt)
        #expect(sync?.message.contains("--rebuild") == true)
        try db.materialize()
        #expect(try db.onlineFeatures(OnlineTestWorld.features, entities: [["user_id": .int64(1)]])["x"]?.values == [.int64(100)])
    }

    /// Readers on other threads while a writer syncs: every read sees one published state (all
    /// users from the same round), and rounds never go backwards for a reader.
    @Test func readersDuringSyncsSeeWholeStates() throws {
        let dir = try TemporaryDirectory()
        let db = try OnlineTestWorld.create(dir)
        let users = Array(Int64(0) ..< 50)
        func round(_ r: Int64) throws {
            try db.ingest([try OnlineTestWorld.batch(users.map { Row(user: $0, event: 100 + r, created: 0, x: r) })], into: "stats")
        }
        try round(0)
        try db.materialize()
        let reader = try db.onlineReader(features: OnlineTestWorld.features)
        let keys = try RecordBatch(["user_id": .int64(users)])
        let rounds: Int64 = 12
        let problems = LockedList()
        let done = SharedFlag(false)
        let finished = DispatchGroup()
        for _ in 0 ..< 2 {
            DispatchQueue.global().async(group: finished) {
                var last: Int64 = -1
                var reads = 0
                while !done.load() || reads == 0 {
                    do {
                        try reader.refresh()
                        let xs = try reader.read(entities: keys)["x"]?.values ?? []
                        let distinct = Set(xs)
                        guard distinct.count == 1, case .int64(let r)? = distinct.first else {
                            problems.append("a read saw \(distinct.count) rounds: \(distinct)")
                            break
                        }
                        if r < last { problems.append("round went back from \(last) to \(r)") }
                        last = r
                        reads += 1
                    } catch {
                        problems.append("\(error)")
                        break
                    }
                }
            }
        }
        for r in 1 ... rounds {
            try round(r)
            try db.materialize(.init(mode: .incremental))
        }
        done.store(true)
        finished.wait()
        #expect(problems.items.isEmpty, "\(problems.items.prefix(5))")
        try reader.refresh()
        #expect(try reader.read(entities: keys)["x"]?.values.first == .int64(rounds))
    }
}

/// A list several threads append to.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.withLock { storage.append(item) } }
    var items: [String] { lock.withLock { storage } }
}

/// A flag several threads share.
final class SharedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Bool
    init(_ value: Bool) { self.value = value }
    func load() -> Bool { lock.withLock { value } }
    func store(_ newValue: Bool) { lock.withLock { value = newValue } }
}
