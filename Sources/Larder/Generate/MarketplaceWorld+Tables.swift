import LarderColumnar

/// The static attribute files: `users.parquet` and `items.parquet`, including the planted
/// preferences (ground truth for tests and evaluation; not part of any feature view).
extension MarketplaceWorld {
    static let usersSchema: Schema = staticSchema([
        Field("user_id", .int64, nullable: false), Field("region", .string, nullable: false),
        Field("preferred_categories", .string, nullable: false), Field("price_band", .string, nullable: false),
        Field("activity", .float64, nullable: false), Field("signup_ts", .timestamp, nullable: false),
        Field("member_since", .timestamp),
    ])

    static let itemsSchema: Schema = staticSchema([
        Field("item_id", .int64, nullable: false), Field("category", .string, nullable: false),
        Field("region", .string, nullable: false), Field("price", .float64, nullable: false),
        Field("price_band", .string, nullable: false), Field("popularity", .float64, nullable: false),
        Field("quality", .float64, nullable: false),
    ])

    private static func staticSchema(_ fields: [Field]) -> Schema {
        do { return try Schema(fields) } catch { preconditionFailure("static schema: \(error)") }
    }

    /// `users.parquet`: id, region, preferred categories (comma-separated, strongest first),
    /// price band, relative activity, signup time and membership start (null: never).
    func usersBatch() throws -> RecordBatch {
        var region = VocabularyColumnBuilder(Self.regions, capacity: userCount)
        var band = VocabularyColumnBuilder(Self.priceBands, capacity: userCount)
        var preferred = ColumnBuilder(type: .string, capacity: userCount)
        var memberValid = ValidityBuilder(capacity: userCount)
        var memberSince = [Int64](repeating: 0, count: userCount)
        for u in 0 ..< userCount {
            region.append(Int(userRegion[u]))
            band.append(Int(userBand[u]))
            let names = (0 ..< Int(userPreferredCount[u])).map { Self.categories[Int(userPreferred[u * 3 + $0])] }
            preferred.append(string: names.joined(separator: ","))
            let since = userMemberSince[u]
            memberValid.append(since != .max)
            if since != .max { memberSince[u] = since }
        }
        let total = userActivity.reduce(0, +)
        return try RecordBatch(schema: Self.usersSchema, columns: [
            .int64((0 ..< userCount).map { Int64($0) + 1 }), region.column(), preferred.finish(), band.column(),
            .float64(userActivity.map { SnapshotPlan.round($0 / total, places: 8) }), .timestamp(userSignup),
            .timestamp(memberSince, validity: memberValid.validity),
        ])
    }

    /// `items.parquet`: id, category, region, list price, price band, relative popularity and
    /// latent quality.
    func itemsBatch() throws -> RecordBatch {
        var category = VocabularyColumnBuilder(Self.categories, capacity: itemCount)
        var region = VocabularyColumnBuilder(Self.regions, capacity: itemCount)
        var band = VocabularyColumnBuilder(Self.priceBands, capacity: itemCount)
        for i in 0 ..< itemCount {
            category.append(Int(itemCategory[i]))
            region.append(Int(itemRegion[i]))
            band.append(Int(itemBand[i]))
        }
        let total = itemPopularity.reduce(0, +)
        return try RecordBatch(schema: Self.itemsSchema, columns: [
            .int64((0 ..< itemCount).map { Self.itemIDBase + Int64($0) + 1 }), category.column(), region.column(),
            .float64(itemPriceCents.map { Double($0) / 100 }), band.column(),
            .float64(itemPopularity.map { SnapshotPlan.round($0 / total, places: 8) }),
            .float64(itemQuality.map { SnapshotPlan.round($0, places: 4) }),
        ])
    }
}
