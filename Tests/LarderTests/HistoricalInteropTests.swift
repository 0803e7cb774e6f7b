import Foundation
import Larder
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// Larder's point-in-time join against DuckDB's ASOF LEFT JOIN (scripts/interop/asof_duckdb.py)
/// on the tiny marketplace: the ranker_v1 service over the interactions spine, row for row.
@Suite struct HistoricalInteropTests {
    struct Spec: Encodable {
        struct View: Encodable {
            var name: String
            var path: String
            var keys: [String]
            var timestamp: String
            var created: String?
            var ttl_us: Int64?
            var features: [String]
        }
        var spine: String
        var spine_timestamp: String
        var out: String
        var views: [View]
    }

    struct DuckSummary: Decodable {
        var rows: Int
        var matched: [String: Int]
        var exact_duplicates: [String: Int]
    }

    @Test("ranker_v1 over the tiny marketplace equals DuckDB's ASOF JOIN row for row",
          .enabled(if: Interop.shouldRun, Comment(rawValue: Interop.skipMessage)))
    func rankerMatchesDuckDB() throws {
        try Interop.requireAvailable()
        let dir = try TemporaryDirectory(prefix: "larder-pit-interop")
        let market = try MarketplaceGenerator(scale: .tiny, seed: 42).write(to: dir.file("market"))
        let db = try FeatureDatabase.create(at: dir.file("db"))
        let catalog = try Definitions.load(path: market.definitionsPath)
        try db.apply(catalog)
        let service = try #require(catalog.featureService(named: "ranker_v1"))

        // The service's features grouped by view, in order of first mention: what Larder outputs.
        var views: [Spec.View] = []
        for reference in service.features {
            let view = try #require(catalog.featureView(named: reference.view))
            let keys = try db.keys(of: view, in: catalog)
            let features = reference.feature.map { [$0] } ?? view.featureNames(keys: keys)
            if let i = views.firstIndex(where: { $0.name == view.name }) {
                views[i].features += features
            } else {
                let path = try #require(market.file(named: "\(view.name).parquet")).path
                try db.ingest(files: [path], into: view.name)
                views.append(.init(name: view.name, path: path, keys: keys, timestamp: view.timestampField,
                                   created: view.createdTimestampColumn, ttl_us: view.ttl, features: features))
            }
        }
        #expect(views.map(\.name) == ["user_stats", "item_stats", "user_item"])
        #expect(views.allSatisfy { $0.ttl_us != nil && $0.created != nil })

        let spine = try #require(market.file(named: "interactions.parquet")).path
        let larderPath = dir.file("larder.parquet"), duckPath = dir.file("duckdb.parquet")
        let summary = try db.writeHistoricalFeatures(spineFile: spine, features: .service("ranker_v1"), to: larderPath)
        let spec = Spec(spine: spine, spine_timestamp: "event_ts", out: duckPath, views: views)
        let specPath = dir.file("spec.json")
        try JSONEncoder().encode(spec).write(to: URL(fileURLWithPath: specPath))
        let output = try Interop.run(script: "asof_duckdb.py", arguments: [specPath])
        let duck = try JSONDecoder().decode(DuckSummary.self, from: output.stdout)

        // Exact (keys, event, created) duplicates would only be told apart by file order, which
        // both sides use; the generator makes none, and the comparison relies on that being known.
        #expect(duck.exact_duplicates.values.allSatisfy { $0 == 0 }, "\(duck.exact_duplicates)")
        #expect(summary.views.map(\.features) == views.map(\.features))
        #expect(summary.rows == MarketplaceGenerator.Scale.tiny.sizes.interactions && duck.rows == summary.rows)
        for lineage in summary.views {
            #expect(lineage.matched == duck.matched[lineage.view], "\(lineage.view): Larder \(lineage.matched), DuckDB \(String(describing: duck.matched[lineage.view]))")
            #expect(lineage.matched > summary.rows / 10, "\(lineage.view) matched only \(lineage.matched)")
            #expect(lineage.matched < summary.rows || lineage.view == "user_stats", "\(lineage.view): every row matched, the ttl never bit")
        }
        #expect(summary.leakage.checked == summary.views.map(\.matched).reduce(0, +) && summary.leakage.violations == 0)

        // Both files are read by pyarrow, so the comparison is of the joins, not of readers.
        // (Larder's own reader refuses DuckDB 1.5.6's file: its dictionary indices end in a
        // bit-packed run padded past the last value by more than one group of 8.)
        let ours = try Interop.readParquet(larderPath, engine: .pyarrow)
        let theirs = try Interop.readParquet(duckPath, engine: .pyarrow)
        #expect(CanonicalTable(try ParquetFile(path: larderPath).read()) == ours, "Larder reads its own output as pyarrow does")
        #expect(ours.columns.map(\.name) == ["user_id", "item_id", "event_ts", "label", "price_paid"]
            + views.flatMap { v in v.features.map { "\(v.name)__\($0)" } })
        #expect(ours == theirs, "\(ours.differences(from: theirs).joined(separator: "\n"))")
        // Not vacuous: the features hold values, and some rows keep nulls from the ttl.
        for column in ours.columns.dropFirst(5) {
            let nulls = column.values.filter(\.isNull).count
            #expect(nulls > 0 && nulls < column.values.count, "\(column.name): \(nulls) nulls of \(column.values.count)")
        }
    }
}
