import Foundation
import Larder
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// The tiny marketplace, generated once and read back for every test.
private struct TinyMarketplace: Sendable {
    let directory: TemporaryDirectory
    let summary: MarketplaceSummary
    let tables: [String: RecordBatch]

    static let shared: Result<TinyMarketplace, any Error> = Result { try TinyMarketplace() }

    static func get() throws -> TinyMarketplace { try shared.get() }

    private init() throws {
        directory = try TemporaryDirectory(prefix: "marketplace")
        summary = try MarketplaceGenerator(scale: .tiny, seed: 42).write(to: directory.path)
        var tables: [String: RecordBatch] = [:]
        for name in ["users", "items", "interactions", "user_stats", "item_stats", "user_item"] {
            tables[name] = try ParquetFile(path: directory.file(name + ".parquet")).read()
        }
        self.tables = tables
    }

    func table(_ name: String) throws -> RecordBatch { try #require(tables[name]) }
}

/// Typed column access for the checks.
private extension RecordBatch {
    func ints(_ name: String) throws -> [Int64] { try #require(column(named: name)?.int64Values, "\(name)") }
    func doubles(_ name: String) throws -> [Double] { try #require(column(named: name)?.float64Values, "\(name)") }
    func strings(_ name: String) throws -> [String?] {
        let strings = try #require(self.column(named: name), "\(name)")
        return strings.values.map { if case .string(let s) = $0 { s } else { nil } }
    }
    func nullFraction(_ name: String) throws -> Double {
        let values = try #require(self.column(named: name), "\(name)")
        return Double(values.nullCount) / Double(max(values.count, 1))
    }
}

private let day: Int64 = 86_400_000_000
private let featureTables: [(name: String, keys: [String])] = [
    ("user_stats", ["user_id"]), ("item_stats", ["item_id"]), ("user_item", ["user_id", "item_id"]),
]

private struct RowKey: Hashable {
    var keys: [Int64]
    var event: Int64
}

@Suite struct MarketplaceGeneratorTests {
    @Test func tinyRowCounts() throws {
        let m = try TinyMarketplace.get()
        let sizes = MarketplaceGenerator.Scale.tiny.sizes
        let expected = ["users": sizes.users, "items": sizes.items, "interactions": sizes.interactions,
                        "user_stats": sizes.userStats, "item_stats": sizes.itemStats, "user_item": sizes.userItem]
        for (name, rows) in expected {
            #expect(try m.table(name).rowCount == rows, "\(name)")
            #expect(m.summary.file(named: name + ".parquet")?.rowCount == rows, "\(name)")
            #expect((m.summary.file(named: name + ".parquet")?.sizeBytes ?? 0) > 0, "\(name)")
        }
        #expect(m.summary.files.count == 6)
        #expect(FileManager.default.fileExists(atPath: m.summary.definitionsPath))
    }

    @Test func mediumIsTenTimesSmall() {
        let small = MarketplaceGenerator.Scale.small.sizes, medium = MarketplaceGenerator.Scale.medium.sizes
        #expect(medium.interactions == 1_000_000 && medium.userStats == 10_000_000)
        #expect(medium.itemStats == 2_000_000 && medium.userItem == 500_000)
        #expect(small.interactions * 10 == medium.interactions && small.userStats * 10 == medium.userStats)
        #expect(small.itemStats * 10 == medium.itemStats && small.userItem * 10 == medium.userItem)
    }

    @Test func sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws {
        let m = try TinyMarketplace.get()
        let again = try TemporaryDirectory(prefix: "marketplace")
        try MarketplaceGenerator(scale: .tiny, seed: 42).write(to: again.path)
        for file in m.summary.files.map(\.name) + ["definitions.yaml"] {
            let a = try Data(contentsOf: m.directory.fileURL(file)), b = try Data(contentsOf: again.fileURL(file))
            #expect(a == b, "\(file) differs between two runs")
        }
        let other = try TemporaryDirectory(prefix: "marketplace")
        try MarketplaceGenerator(scale: .tiny, seed: 7).write(to: other.path)
        for file in ["interactions.parquet", "user_stats.parquet"] {
            #expect(try Data(contentsOf: m.directory.fileURL(file)) != Data(contentsOf: other.fileURL(file)))
        }
    }

    /// 1% of rows repeat a (key, event_ts) with a later created_ts and other values.
    @Test func duplicateKeyTimeRowsDifferInCreatedTimeAndValues() throws {
        let m = try TinyMarketplace.get()
        for (name, keys) in featureTables {
            let batch = try m.table(name)
            let keyColumns = try keys.map { try batch.ints($0) }
            let events = try batch.ints("event_ts"), created = try batch.ints("created_ts")
            var rowsByKey: [RowKey: [Int]] = [:]
            for r in 0 ..< batch.rowCount {
                rowsByKey[RowKey(keys: keyColumns.map { $0[r] }, event: events[r]), default: []].append(r)
            }
            let groups = rowsByKey.values.filter { $0.count > 1 }
            #expect(groups.count == batch.rowCount / 100, "\(name): \(groups.count) duplicated (key, event_ts)")
            for group in groups {
                #expect(group.count == 2)
                #expect(created[group[0]] != created[group[1]], "\(name): a duplicate pair has equal created_ts")
                let features = batch.schema.names.filter { !keys.contains($0) && $0 != "event_ts" && $0 != "created_ts" }
                let differs = features.contains { f in batch.column(named: f).map { $0[group[0]] != $0[group[1]] } ?? false }
                #expect(differs, "\(name): a duplicate pair has equal values")
            }
        }
    }

    @Test func lateRowsAndTimestampRanges() throws {
        let m = try TinyMarketplace.get()
        let start = MarketplaceGenerator.startMicros, end = MarketplaceGenerator.endMicros
        for (name, _) in featureTables {
            let batch = try m.table(name)
            let events = try batch.ints("event_ts"), created = try batch.ints("created_ts")
            var late = 0
            for r in 0 ..< batch.rowCount {
                #expect((start ..< end).contains(events[r]), "\(name) row \(r): event_ts outside the date range")
                #expect(created[r] >= events[r] && created[r] <= events[r] + 15 * day, "\(name) row \(r): created_ts")
                if created[r] - events[r] > day { late += 1 }
            }
            let rate = Double(late) / Double(batch.rowCount)
            #expect(rate > 0.003 && rate < 0.025, "\(name): \(late) late rows of \(batch.rowCount)")
        }
        let spine = try m.table("interactions").ints("event_ts")
        #expect(spine.allSatisfy { (start ..< end).contains($0) })
        #expect(zip(spine, spine.dropFirst()).allSatisfy { $0 <= $1 }, "the spine is in event-time order")
    }

    @Test func nullsInFeatureColumns() throws {
        let m = try TinyMarketplace.get()
        let userStats = try m.table("user_stats")
        for column in ["spend_30d", "fav_category", "embedding"] {
            let fraction = try userStats.nullFraction(column)
            #expect(fraction > 0.015 && fraction < 0.025, "user_stats.\(column): \(fraction)")
        }
        for column in ["user_id", "event_ts", "created_ts", "visits_7d", "is_member", "region"] {
            #expect(try userStats.nullFraction(column) == 0, "user_stats.\(column)")
        }
        let rating = try m.table("item_stats").nullFraction("rating")
        #expect(rating > 0.01 && rating < 0.03, "item_stats.rating: \(rating)")
        // last_rating: null until booked, then 2% unrated.
        let userItem = try m.table("user_item")
        let booked = try userItem.ints("times_booked")
        let lastRating = try #require(userItem.column(named: "last_rating"))
        let bookedRows = booked.indices.filter { booked[$0] > 0 }
        let unrated = bookedRows.filter { !lastRating.isValid($0) }.count
        #expect(booked.indices.allSatisfy { booked[$0] > 0 || !lastRating.isValid($0) })
        #expect(Double(unrated) / Double(bookedRows.count) < 0.05 && unrated > 0, "\(unrated) of \(bookedRows.count)")
        // The spine: price_paid is null exactly for impressions.
        let spine = try m.table("interactions")
        let labels = try spine.ints("label"), paid = try #require(spine.column(named: "price_paid"))
        #expect(labels.indices.allSatisfy { (labels[$0] == 1) == paid.isValid($0) })
    }

    /// A few users and items carry a large share of the rows.
    @Test func keysAreSkewed() throws {
        let m = try TinyMarketplace.get()
        func topShare(_ keys: [Int64], top: Int) -> Double {
            var counts: [Int64: Int] = [:]
            for k in keys { counts[k, default: 0] += 1 }
            return Double(counts.values.sorted(by: >).prefix(top).reduce(0, +)) / Double(keys.count)
        }
        let users = MarketplaceGenerator.Scale.tiny.sizes.users, items = MarketplaceGenerator.Scale.tiny.sizes.items
        let spine = try m.table("interactions")
        // The top 1% of users (2 of 200) would have 1% of the rows if keys were uniform.
        #expect(topShare(try spine.ints("user_id"), top: users / 100) > 0.03)
        #expect(topShare(try m.table("user_stats").ints("user_id"), top: users / 100) > 0.02)
        // The top 5% of items would have 5% of the bookings.
        let labels = try spine.ints("label"), itemIDs = try spine.ints("item_id")
        let bookedItems = labels.indices.filter { labels[$0] == 1 }.map { itemIDs[$0] }
        #expect(topShare(bookedItems, top: items / 20) > 0.12)
        #expect(topShare(try m.table("item_stats").ints("item_id"), top: items / 20) > 0.08)
    }

    /// Bookings follow the planted preferences: far more often in a preferred category and the
    /// home region than chance, and more than impressions.
    @Test func plantedPreferencesAreReal() throws {
        let m = try TinyMarketplace.get()
        let users = try m.table("users"), items = try m.table("items"), spine = try m.table("interactions")
        let userIDs = try users.ints("user_id"), preferred = try users.strings("preferred_categories")
        let userRegion = try users.strings("region"), userBand = try users.strings("price_band")
        let itemIDs = try items.ints("item_id"), category = try items.strings("category")
        let itemRegion = try items.strings("region"), itemBand = try items.strings("price_band")
        var userRow: [Int64: Int] = [:], itemRow: [Int64: Int] = [:]
        for (r, id) in userIDs.enumerated() { userRow[id] = r }
        for (r, id) in itemIDs.enumerated() { itemRow[id] = r }

        let labels = try spine.ints("label"), spineUsers = try spine.ints("user_id"), spineItems = try spine.ints("item_id")
        var bookings = 0, inPreferred = 0, inRegion = 0, inBand = 0, shown = 0, shownPreferred = 0, shownInBand = 0
        var chance = 0.0
        for r in 0 ..< spine.rowCount {
            let u = try #require(userRow[spineUsers[r]], "unknown user \(spineUsers[r])")
            let i = try #require(itemRow[spineItems[r]], "unknown item \(spineItems[r])")
            let prefs = (preferred[u] ?? "").split(separator: ",").map(String.init)
            let isPreferred = prefs.contains(category[i] ?? "")
            if labels[r] == 1 {
                bookings += 1
                if isPreferred { inPreferred += 1 }
                if userRegion[u] == itemRegion[i] { inRegion += 1 }
                if userBand[u] == itemBand[i] { inBand += 1 }
                chance += Double(prefs.count) / Double(MarketplaceGenerator.categories.count)
            } else {
                shown += 1
                if isPreferred { shownPreferred += 1 }
                if userBand[u] == itemBand[i] { shownInBand += 1 }
            }
        }
        let preferredRate = Double(inPreferred) / Double(bookings)
        #expect(preferredRate > 0.6, "bookings in a preferred category: \(preferredRate)")
        #expect(preferredRate > 2 * chance / Double(bookings), "chance would be \(chance / Double(bookings))")
        #expect(preferredRate > Double(shownPreferred) / Double(shown) + 0.2, "impressions: \(Double(shownPreferred) / Double(shown))")
        #expect(Double(inRegion) / Double(bookings) > 0.6, "bookings in the home region")
        let bandRate = Double(inBand) / Double(bookings), shownBandRate = Double(shownInBand) / Double(shown)
        #expect(bandRate > shownBandRate + 0.1, "bookings in the user's price band: \(bandRate), impressions: \(shownBandRate)")
        let bookingRate = Double(bookings) / Double(spine.rowCount)
        #expect(bookingRate > 0.3 && bookingRate < 0.4)
        #expect(Set(labels) == [0, 1])
    }

    /// Every key in the spine and the feature tables names a user or item that exists.
    @Test func keysReferToExistingUsersAndItems() throws {
        let m = try TinyMarketplace.get()
        let users = Set(try m.table("users").ints("user_id")), items = Set(try m.table("items").ints("item_id"))
        #expect(users.count == MarketplaceGenerator.Scale.tiny.sizes.users)
        #expect(items.count == MarketplaceGenerator.Scale.tiny.sizes.items)
        #expect(users.isDisjoint(with: items), "user and item ids do not overlap")
        for name in ["interactions", "user_stats", "user_item"] {
            #expect(try m.table(name).ints("user_id").allSatisfy(users.contains), "\(name).user_id")
        }
        for name in ["interactions", "item_stats", "user_item"] {
            #expect(try m.table(name).ints("item_id").allSatisfy(items.contains), "\(name).item_id")
        }
    }

    /// visits_7d of the winning row (greatest created_ts) of each (user, event_ts) is the
    /// number of bookings in (event_ts - 7d, event_ts]; fav_category is mostly preferred.
    @Test func userStatsFollowTheInteractions() throws {
        let m = try TinyMarketplace.get()
        let spine = try m.table("interactions")
        let labels = try spine.ints("label"), spineUsers = try spine.ints("user_id"), spineTimes = try spine.ints("event_ts")
        var bookingTimes: [Int64: [Int64]] = [:]
        for r in 0 ..< spine.rowCount where labels[r] == 1 { bookingTimes[spineUsers[r], default: []].append(spineTimes[r]) }

        let stats = try m.table("user_stats")
        let users = try stats.ints("user_id"), events = try stats.ints("event_ts"), created = try stats.ints("created_ts")
        let visits = try stats.ints("visits_7d"), favourite = try stats.strings("fav_category")
        var winner: [RowKey: Int] = [:]
        for r in 0 ..< stats.rowCount {
            let key = RowKey(keys: [users[r]], event: events[r])
            if let w = winner[key], created[w] >= created[r] { continue }
            winner[key] = r
        }
        var checked = 0
        for r in winner.values {
            let times = bookingTimes[users[r]] ?? []
            let expected = times.filter { $0 <= events[r] && $0 > events[r] - 7 * day }.count
            #expect(visits[r] == Int64(expected), "user \(users[r]) at \(events[r])")
            checked += 1
        }
        #expect(checked == stats.rowCount - stats.rowCount / 100)

        let preferred = try m.table("users").strings("preferred_categories")
        var favouriteRows = 0, favouritePreferred = 0
        for r in 0 ..< stats.rowCount {
            guard let f = favourite[r] else { continue }
            favouriteRows += 1
            if (preferred[Int(users[r]) - 1] ?? "").split(separator: ",").contains(Substring(f)) { favouritePreferred += 1 }
        }
        #expect(Double(favouritePreferred) / Double(favouriteRows) > 0.8)
    }

    /// The definitions file parses, equals the generator's catalog, and every view's schema is
    /// its Parquet file's schema.
    @Test func definitionsParseAndMatchTheFiles() throws {
        let m = try TinyMarketplace.get()
        let catalog = try Definitions.load(path: m.summary.definitionsPath)
        #expect(catalog == MarketplaceDefinitions.catalog)
        #expect(catalog.entities.map(\.name) == ["user", "item"])
        #expect(catalog.featureViews.map(\.name) == ["user_stats", "item_stats", "user_item", "interactions"])
        #expect(catalog.featureView(named: "user_stats")?.ttl == 30 * day)
        #expect(catalog.featureView(named: "item_stats")?.ttl == 7 * day)
        #expect(catalog.featureView(named: "user_item")?.ttl == 90 * day)
        #expect(catalog.featureService(named: "ranker_v1") != nil)
        let text = try String(contentsOfFile: m.summary.definitionsPath, encoding: .utf8)
        for ttl in ["ttl: 30d", "ttl: 7d", "ttl: 90d"] { #expect(text.contains(ttl)) }
        for view in catalog.featureViews {
            let keys = view.entities.flatMap { catalog.entity(named: $0)?.joinKeys ?? [] }
            let declared = try view.tableSchema(keys: keys).fields.map { Field($0.name, $0.type) }
            let file = try ParquetFile(path: m.directory.file(view.name + ".parquet"))
            #expect(file.schema.fields.map { Field($0.name, $0.type) } == declared, "\(view.name)")
        }
    }

    @Test func unwritableDirectoryThrows() throws {
        let dir = try TemporaryDirectory(prefix: "marketplace")
        let blocker = dir.file("a-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        #expect(throws: DatabaseError.self) {
            try MarketplaceGenerator(scale: .tiny).write(to: blocker + "/out")
        }
    }
}
