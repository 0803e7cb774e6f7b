import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Testing

/// Values written by a build come back from lookups, for every type, with nulls, for every
/// key shape.
@Suite struct OnlineRoundTripTests {
    /// Value equality that treats floats by bit pattern (NaN equals NaN, -0.0 differs from 0.0).
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.float32(let x), .float32(let y)): x.bitPattern == y.bitPattern
        case (.float64(let x), .float64(let y)): x.bitPattern == y.bitPattern
        case (.vector(let x), .vector(let y)): x.map(\.bitPattern) == y.map(\.bitPattern)
        default: a == b
        }
    }

    static let allTypes: [Field] = [
        Field("i32", .int32), Field("i64", .int64), Field("f32", .float32), Field("f64", .float64),
        Field("flag", .bool), Field("name", .string), Field("blob", .binary), Field("seen", .timestamp),
        Field("born", .date), Field("embedding", .vector(dimension: 3)),
    ]

    @Test func everyTypeWithNullsRoundTrips() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let schema = try OnlineSchema(keys: [Field("user_id", .int64)], values: Self.allTypes)
        let rows: [[Value]] = [
            [.int32(-7), .int64(.max), .float32(.nan), .float64(-0.0), .bool(true), .string("漢字 👩‍👩‍👧‍👦"),
             .binary([0, 255, 0]), .timestamp(-2_208_988_800_000_000), .date(-25_567), .vector([1.5, -2, .infinity])],
            [.null, .null, .null, .null, .null, .null, .null, .null, .null, .null],
            [.int32(.min), .int64(.min), .float32(-0.0), .float64(.nan), .bool(false), .string(""),
             .binary([]), .timestamp(0), .date(0), .vector([0, 0, 0])],
            [.int32(1), .null, .float32(3.25), .null, .bool(true), .null, .binary([1]), .null, .date(19_000), .null],
        ]
        var pairs: [(String, Column)] = [("user_id", .int64([10, 20, 30, 40]))]
        for (c, field) in Self.allTypes.enumerated() {
            pairs.append((field.name, try OnlineTestData.column(field.type, rows.map { $0[c] })))
        }
        pairs.append(("event_ts", .timestamp([100, 200, 300, 400])))
        pairs.append(("created_ts", .timestamp([1, 2, 3, 4])))
        let batch = try RecordBatch(schema: Schema(pairs.map { Field($0.0, $0.1.type) }), columns: pairs.map(\.1))
        let writer = try OnlineStoreWriter(directory: dir.file("view"), schema: schema)
        let published = try writer.build(base: [batch], tableVersion: 3)
        #expect(published.rowCount == 4)

        let store = try OnlineStore.open(directory: dir.file("view"), verification: .full)
        #expect(store.schema == schema)
        #expect(store.tableVersion == 3)
        for (i, key) in [Int64(10), 20, 30, 40].enumerated() {
            let row = try #require(store.lookup(key))
            #expect(row.eventTimestamp == Int64(100 * (i + 1)))
            #expect(row.createdTimestamp == Int64(i + 1))
            #expect(row.key == [.int64(key)])
            for c in Self.allTypes.indices {
                #expect(Self.same(row.value(c), rows[i][c]), "row \(i) column \(Self.allTypes[c].name): \(row.value(c)) != \(rows[i][c])")
                #expect(row.isNull(c) == rows[i][c].isNull)
            }
        }
        #expect(store.lookup(Int64(11)) == nil)
        // Typed accessors, and the vector read in place.
        let first = try #require(store.lookup(Int64(10)))
        #expect(first.int32(0) == -7)
        #expect(first.string(5) == "漢字 👩‍👩‍👧‍👦")
        #expect(first.binary(6) == [0, 255, 0])
        #expect(first.timestamp(7) == -2_208_988_800_000_000)
        #expect(first.date(8) == -25_567)
        let vector = try #require(first.vector(9))
        #expect(vector.count == 3)
        #expect(vector.withUnsafeBufferPointer { Array($0) } == [1.5, -2, .infinity])
        #expect(try #require(store.lookup(Int64(20))).vector(9) == nil)
    }

    /// Strings at the inline limit (20 bytes) and past it, vectors at the inline limit (32
    /// floats) and past it, nulls among them: the same values after a build, an overlay and a
    /// fold (which copies inline values with the entry and rewrites heap references).
    @Test func inlineAndHeapValuesAtTheLimitsSurviveOverlayAndFold() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let fields = [Field("name", .string), Field("blob", .binary), Field("small", .vector(dimension: 32)),
                      Field("large", .vector(dimension: 33)), Field("n", .int64)]
        let schema = try OnlineSchema(keys: [Field("user_id", .int64)], values: fields)
        func string(_ length: Int, _ seed: Int) -> String {
            String((0 ..< length).map { Character(UnicodeScalar(UInt8(97 + ($0 + seed) % 26))) })
        }
        func rows(_ keys: [Int64], generation: Int) -> [[Value]] {
            keys.map { key in
                let k = Int(key) + generation
                let lengths = [0, 1, 19, 20, 21, 22, 100]
                let length = lengths[k % lengths.count]
                return [k % 5 == 4 ? .null : .string(string(length, k)),
                        k % 3 == 2 ? .null : .binary((0 ..< lengths[(k + 3) % lengths.count]).map { UInt8(truncatingIfNeeded: $0 &* k) }),
                        k % 4 == 3 ? .null : .vector((0 ..< 32).map { Float(k * 100 + $0) }),
                        k % 6 == 5 ? .null : .vector((0 ..< 33).map { -Float(k * 100 + $0) }),
                        .int64(Int64(k))]
            }
        }
        func batch(_ keys: [Int64], generation: Int) throws -> RecordBatch {
            let values = rows(keys, generation: generation)
            var pairs: [(String, Column)] = [("user_id", .int64(keys))]
            for (c, field) in fields.enumerated() { pairs.append((field.name, try OnlineTestData.column(field.type, values.map { $0[c] }))) }
            pairs.append(("event_ts", .timestamp(keys.map { _ in Int64(generation + 1) })))
            return try RecordBatch(schema: Schema(pairs.map { Field($0.0, $0.1.type) }), columns: pairs.map(\.1))
        }
        func check(_ expected: [Int64: [Value]]) throws {
            let store = try OnlineStore.open(directory: dir.path, verification: .full)
            for (key, values) in expected {
                let row = try #require(store.lookup(key))
                for c in fields.indices {
                    #expect(Self.same(row.value(c), values[c]), "key \(key) column \(fields[c].name): \(row.value(c)) != \(values[c])")
                }
            }
        }
        let writer = try OnlineStoreWriter(directory: dir.path, schema: schema)
        let all = (0 ..< 60).map(Int64.init)
        try writer.build(base: [try batch(all, generation: 0)], tableVersion: 1)
        var expected = Dictionary(uniqueKeysWithValues: zip(all, rows(all, generation: 0)))
        try check(expected)
        let changed = all.filter { $0 % 2 == 0 }
        try writer.writeOverlay(upserts: [try batch(changed, generation: 1)], tableVersion: 2)
        for (key, values) in zip(changed, rows(changed, generation: 1)) { expected[key] = values }
        try check(expected)
        #expect(try writer.fold().folded)
        try check(expected)
    }

    /// A build and a fold large enough to be written by one task per core (every value inline,
    /// so rows go to their entries in parallel): every row reads back, the file's checksums
    /// verify, and rows an overlay replaced keep their new values through the fold.
    @Test func rowsWrittenInParallelRoundTrip() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let fields = [Field("n", .int64), Field("x", .float64), Field("name", .string), Field("v", .vector(dimension: 4))]
        let schema = try OnlineSchema(keys: [Field("user_id", .int64)], values: fields)
        func values(_ key: Int64, generation: Int64) -> [Value] {
            let k = key &* 31 &+ generation
            return [k % 7 == 3 ? .null : .int64(k), .float64(Double(k) / 8), .string("u\(k % 100_000)"),
                    k % 11 == 5 ? .null : .vector([Float(k % 1000), 1, 2, Float(generation)])]
        }
        func batch(_ keys: [Int64], generation: Int64) throws -> RecordBatch {
            var pairs: [(String, Column)] = [("user_id", .int64(keys))]
            for (c, field) in fields.enumerated() {
                pairs.append((field.name, try OnlineTestData.column(field.type, keys.map { values($0, generation: generation)[c] })))
            }
            pairs.append(("event_ts", .timestamp(keys.map { _ in generation + 1 })))
            return try RecordBatch(schema: Schema(pairs.map { Field($0.0, $0.1.type) }), columns: pairs.map(\.1))
        }
        func check(_ generations: [Int64: Int64]) throws {
            let store = try OnlineStore.open(directory: dir.path, verification: .full)
            var wrong = 0
            for (key, generation) in generations {
                guard let row = store.lookup(key) else { wrong += 1; continue }
                let expected = values(key, generation: generation)
                if !fields.indices.allSatisfy({ Self.same(row.value($0), expected[$0]) }) || row.eventTimestamp != generation + 1 {
                    wrong += 1
                }
            }
            #expect(wrong == 0)
            #expect(store.lookup(Int64(-1)) == nil)
        }
        // Keys in a scattered order, so rows land all over the table.
        let keys = (0 ..< 100_000).map { Int64(($0 &* 7919) % 100_000) }
        let writer = try OnlineStoreWriter(directory: dir.path, schema: schema)
        #expect(try writer.build(base: [try batch(keys, generation: 0)], tableVersion: 1).rowCount == 100_000)
        var generations = Dictionary(uniqueKeysWithValues: keys.map { ($0, Int64(0)) })
        try check(generations)
        let changed = keys.filter { $0 % 3 == 0 }
        try writer.writeOverlay(upserts: [try batch(changed, generation: 1)], tableVersion: 2)
        for key in changed { generations[key] = 1 }
        #expect(try writer.fold().folded)
        try check(generations)
    }

    @Test func compositeKeysWithStringsRoundTrip() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let schema = try OnlineSchema(keys: [Field("country", .string), Field("user_id", .int64), Field("shard", .int32)],
                                      values: [Field("visits", .int32)])
        // "ab"+"c" and "a"+"bc" must stay distinct keys: the length prefix sees to that.
        let batch = try RecordBatch([
            "country": .string(["de", "fr", "de", "", "ab"]),
            "user_id": .int64([1, 1, 2, 1, 3]),
            "shard": .int32([0, 0, 0, 7, 0]),
            "visits": .int32([10, 20, 30, 40, 50]),
            "event_ts": .timestamp([1, 1, 1, 1, 1]),
        ])
        try OnlineStoreWriter(directory: dir.path, schema: schema).build(base: [batch], tableVersion: 1)
        let store = try OnlineStore.open(directory: dir.path)
        func visits(_ country: String, _ user: Int64, _ shard: Int32) throws -> Int32? {
            store.lookup(try OnlineKey([.string(country), .int64(user), .int32(shard)], schema: schema))?.int32(0)
        }
        #expect(try visits("de", 1, 0) == 10)
        #expect(try visits("fr", 1, 0) == 20)
        #expect(try visits("de", 2, 0) == 30)
        #expect(try visits("", 1, 7) == 40)
        #expect(try visits("ab", 3, 0) == 50)
        #expect(try visits("de", 1, 1) == nil)
        #expect(try visits("d", 1, 0) == nil)
        let row = try #require(store.lookup(try OnlineKey([.string("fr"), .int64(1), .int32(0)], schema: schema)))
        #expect(row.key == [.string("fr"), .int64(1), .int32(0)])
        #expect(row.createdTimestamp == 0)  // the batch has no created column
        // Batch lookup from key columns, with a miss in the middle.
        let found = try store.lookup(keyColumns: [.string(["de", "xx", "ab"]), .int64([2, 1, 3]), .int32([0, 0, 0])])
        #expect(found.map { $0?.int32(0) } == [30, nil, 50])
        #expect(throws: OnlineStoreError.self) { try OnlineKey([.int64(1)], schema: schema) }
    }

    @Test func singleStringAndInt32KeysRoundTrip() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let stringSchema = try OnlineSchema(keys: [Field("item", .string)], values: [Field("price", .float64)])
        try OnlineStoreWriter(directory: dir.file("items"), schema: stringSchema).build(base: [RecordBatch([
            "item": .string(["apple", "", "🍐"]), "price": .float64([1.5, 0, 2.25]), "event_ts": .timestamp([1, 2, 3]),
        ])], tableVersion: 1)
        let items = try OnlineStore.open(directory: dir.file("items"))
        #expect(items.lookup("apple")?.float64(0) == 1.5)
        #expect(items.lookup("")?.float64(0) == 0)
        #expect(items.lookup("🍐")?.float64(0) == 2.25)
        #expect(items.lookup("pear") == nil)
        #expect(items.lookup(try OnlineKey([.string("apple")], schema: stringSchema))?.float64(0) == 1.5)

        let intSchema = try OnlineSchema(keys: [Field("shop", .int32)], values: [Field("open", .bool)])
        try OnlineStoreWriter(directory: dir.file("shops"), schema: intSchema).build(base: [RecordBatch([
            "shop": .int32([-1, 0, .max]), "open": .bool([true, false, true]), "event_ts": .timestamp([1, 2, 3]),
        ])], tableVersion: 1)
        let shops = try OnlineStore.open(directory: dir.file("shops"))
        #expect(shops.lookup(Int32(-1))?.bool(0) == true)
        #expect(shops.lookup(Int32(0))?.bool(0) == false)
        #expect(shops.lookup(Int32.max)?.bool(0) == true)
        #expect(shops.lookup(Int32(1)) == nil)
    }

    @Test func emptyBuildGivesAnEmptyStore() throws {
        let dir = try TemporaryDirectory(prefix: "online")
        let schema = try OnlineTestData.scoreSchema()
        try OnlineStoreWriter(directory: dir.path, schema: schema).build(base: [], tableVersion: 0)
        let store = try OnlineStore.open(directory: dir.path, verification: .full)
        #expect(store.lookup(Int64(0)) == nil)
        #expect(store.lookup([1, 2, 3]).allSatisfy { $0 == nil })
    }

    /// Many random rows against a dictionary: every key found with its values, absent keys not.
    @Test(arguments: [UInt64(1), 2, 3])
    func randomRowsMatchAReference(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let dir = try TemporaryDirectory(prefix: "online")
        let valueSchema = RandomData.schema(using: &rng, maxColumns: 6)
        let schema = try OnlineSchema(keys: [Field("id", .int64)], values: valueSchema.fields)
        let rows = 5000
        let values = RandomData.batch(schema: valueSchema, rows: rows, rng: &rng)
        // Keys with duplicates: the newest event wins, then the later row.
        let keys = (0 ..< rows).map { _ in Int64.random(in: -2000 ... 2000, using: &rng) }
        let events = (0 ..< rows).map { _ in Int64.random(in: 0 ... 50, using: &rng) }
        var expected: [Int64: Int] = [:]
        for r in 0 ..< rows {
            if let old = expected[keys[r]], events[old] > events[r] { continue }
            expected[keys[r]] = r
        }
        let batch = try RecordBatch(
            schema: Schema([Field("id", .int64)] + valueSchema.fields + [Field("event_ts", .timestamp)]),
            columns: [.int64(keys)] + values.columns + [.timestamp(events)])
        // Two batches, so rows come from more than one source.
        let half = rows / 2
        let split = [batch.slice(0 ..< half), batch.slice(half ..< rows)]
        let published = try OnlineStoreWriter(directory: dir.path, schema: schema).build(base: split, tableVersion: 1)
        #expect(published.rowCount == expected.count)
        let store = try OnlineStore.open(directory: dir.path, verification: .full)
        for key in Int64(-2100) ... 2100 {
            guard let r = expected[key] else {
                #expect(store.lookup(key) == nil)
                continue
            }
            let row = try #require(store.lookup(key))
            #expect(row.eventTimestamp == events[r])
            for c in valueSchema.fields.indices {
                #expect(Self.same(row.value(c), values.columns[c][r]), "seed \(seed) key \(key) column \(c)")
            }
        }
    }
}
