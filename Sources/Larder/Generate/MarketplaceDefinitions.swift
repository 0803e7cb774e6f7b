import LarderColumnar

/// The entities, feature views and feature service of the synthetic marketplace, and the
/// `definitions.yaml` text that declares them. The Parquet files are written with exactly the
/// views' table schemas, so ingesting them needs no conversion.
public enum MarketplaceDefinitions {
    static let day: Int64 = 86_400_000_000

    /// `user` (join key `user_id`) and `item` (`item_id`).
    public static let entities: [Entity] = [
        Entity(name: "user", joinKeys: ["user_id"], description: "A member who books classes."),
        Entity(name: "item", joinKeys: ["item_id"], description: "A fitness class offered on the marketplace."),
    ]

    /// Per-user snapshots: bookings in the last 7 days, spend in the last 30, favourite
    /// category, membership, a 16-dimensional taste embedding and the home region.
    public static let userStats = FeatureView(
        name: "user_stats", entities: ["user"], timestampField: "event_ts", createdTimestampColumn: "created_ts",
        ttl: 30 * day, online: true,
        schema: [
            FeatureField(name: "user_id", type: .int64), FeatureField(name: "event_ts", type: .timestamp),
            FeatureField(name: "created_ts", type: .timestamp), FeatureField(name: "visits_7d", type: .int64),
            FeatureField(name: "spend_30d", type: .float64), FeatureField(name: "fav_category", type: .string),
            FeatureField(name: "is_member", type: .bool),
            FeatureField(name: "embedding", type: .floatVector(dimension: MarketplaceWorld.embeddingDimension)),
            FeatureField(name: "region", type: .string),
        ], description: "Per-user activity snapshots.")

    /// Per-class snapshots: bookings in the last 7 days, average rating, current price,
    /// category, region and a popularity index (30-day bookings relative to the average class).
    public static let itemStats = FeatureView(
        name: "item_stats", entities: ["item"], timestampField: "event_ts", createdTimestampColumn: "created_ts",
        ttl: 7 * day, online: true,
        schema: [
            FeatureField(name: "item_id", type: .int64), FeatureField(name: "event_ts", type: .timestamp),
            FeatureField(name: "created_ts", type: .timestamp), FeatureField(name: "bookings_7d", type: .int64),
            FeatureField(name: "rating", type: .float32), FeatureField(name: "price", type: .float64),
            FeatureField(name: "category", type: .string), FeatureField(name: "region", type: .string),
            FeatureField(name: "popularity", type: .float64),
        ], description: "Per-class booking, rating and price snapshots.")

    /// Per (user, class) pair: how often the user booked and saw it, and their last rating.
    public static let userItem = FeatureView(
        name: "user_item", entities: ["user", "item"], timestampField: "event_ts", createdTimestampColumn: "created_ts",
        ttl: 90 * day, online: true,
        schema: [
            FeatureField(name: "user_id", type: .int64), FeatureField(name: "item_id", type: .int64),
            FeatureField(name: "event_ts", type: .timestamp), FeatureField(name: "created_ts", type: .timestamp),
            FeatureField(name: "times_booked", type: .int64), FeatureField(name: "times_viewed", type: .int64),
            FeatureField(name: "last_rating", type: .float32),
        ], description: "Per user and class: bookings, views and the last rating.")

    /// The spine: every class shown to a user; `label` 1 = booked, 0 = shown and not booked;
    /// `price_paid` is null for impressions.
    public static let interactions = FeatureView(
        name: "interactions", entities: ["user", "item"], timestampField: "event_ts", online: false,
        schema: [
            FeatureField(name: "user_id", type: .int64), FeatureField(name: "item_id", type: .int64),
            FeatureField(name: "event_ts", type: .timestamp), FeatureField(name: "label", type: .int64),
            FeatureField(name: "price_paid", type: .float64),
        ], description: "Classes shown to users; label 1 = booked, 0 = shown and not booked.")

    /// Every view, in the definitions file's order.
    public static let featureViews: [FeatureView] = [userStats, itemStats, userItem, interactions]

    /// The ranker's features.
    public static let rankerV1 = FeatureService(name: "ranker_v1", features: [
        "user_stats:visits_7d", "user_stats:spend_30d", "user_stats:fav_category", "user_stats:is_member",
        "user_stats:region", "item_stats", "user_item:times_booked", "user_item:times_viewed", "user_item:last_rating",
    ].compactMap { FeatureReference($0) }, description: "Features of the booking ranker.")

    /// Everything above as a catalog.
    public static var catalog: Catalog {
        Catalog(entities: entities, featureViews: featureViews, featureServices: [rankerV1])
    }

    /// The data file of each view, relative to the generated directory.
    public static func fileName(view: String) -> String { view + ".parquet" }

    /// The table schema (what the Parquet file holds) of `view`.
    public static func tableSchema(_ view: FeatureView) throws -> Schema {
        let keys = view.entities.flatMap { name in entities.first { $0.name == name }?.joinKeys ?? [] }
        return try view.tableSchema(keys: keys)
    }

    /// The definitions file, in the format `larder apply` reads.
    public static func yaml(scale: MarketplaceGenerator.Scale, seed: UInt64) -> String {
        var out = """
        # Larder definitions for the synthetic fitness-class marketplace
        # written by `larder generate marketplace --scale \(scale.rawValue) --seed \(seed)`.
        # Data files (next to this file): \(featureViews.map { fileName(view: $0.name) }.joined(separator: ", ")).
        # users.parquet and items.parquet hold the static attributes and the planted preferences.

        entities:

        """
        for entity in entities {
            out += "  - name: \(entity.name)\n"
            out += "    join_keys: [\(entity.joinKeys.joined(separator: ", "))]\n"
            if let description = entity.description { out += "    description: \(quoted(description))\n" }
        }
        out += "\nfeature_views:\n"
        for view in featureViews {
            out += "  - name: \(view.name)\n"
            out += "    entities: [\(view.entities.joined(separator: ", "))]\n"
            out += "    timestamp_field: \(view.timestampField)\n"
            if let created = view.createdTimestampColumn { out += "    created_timestamp_column: \(created)\n" }
            if let ttl = view.ttl {
                // Whole days read best as days ("7d", not "1w").
                out += "    ttl: \(ttl % day == 0 ? "\(ttl / day)d" : DurationText.format(microseconds: ttl))\n"
            }
            out += "    online: \(view.online)\n"
            if let description = view.description { out += "    description: \(quoted(description))\n" }
            out += "    schema:\n"
            for field in view.schema {
                switch field.type {
                case .floatVector(let dimension):
                    out += "      - {name: \(field.name), dtype: \"\(field.type.name)\", dim: \(dimension)}\n"
                default:
                    out += "      - {name: \(field.name), dtype: \(field.type.name)}\n"
                }
            }
        }
        out += "\nfeature_services:\n"
        for service in [rankerV1] {
            out += "  - name: \(service.name)\n"
            out += "    features: [\(service.features.map { quoted($0.description) }.joined(separator: ", "))]\n"
            if let description = service.description { out += "    description: \(quoted(description))\n" }
        }
        return out
    }

    /// `text` as a double-quoted YAML scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
