import Foundation
import Larder
import LarderQuality

/// Steps 1-3 of `larder demo`: generate the marketplace, create the database and apply the
/// definitions with their expectation suites, ingest every view through the quality gate.
extension DemoRun {
    /// The order views are ingested in (the spine last, as a daily job would).
    static let viewOrder = ["user_stats", "item_stats", "user_item", "interactions"]

    /// Step 1: the generated Parquet files.
    func generate() throws -> MarketplaceSummary {
        let out = path("marketplace")
        try? FileManager.default.removeItem(atPath: out)
        let bar = console.progress("generating")
        var done = 0
        let summary = try MarketplaceGenerator(scale: scale, seed: Self.seed).write(to: out) { name, fraction in
            if fraction >= 1 { done += 1 }
            bar.update((Double(done) + (fraction < 1 ? fraction : 0)) / 6, note: name)
        }
        bar.finish()
        facts.generatedRows = summary.files.reduce(0) { $0 + $1.rowCount }
        facts.generatedBytes = summary.files.reduce(0) { $0 + $1.sizeBytes }
        print("  \(summary.files.count) Parquet files (zstd), \(DemoConsole.grouped(facts.generatedRows)) rows, "
            + "\(DemoConsole.megabytes(facts.generatedBytes)) in \(out), plus definitions.yaml")
        let rows = summary.files.map { [$0.name, DemoConsole.grouped($0.rowCount), DemoConsole.megabytes($0.sizeBytes)] }
        for line in DemoConsole.table(["file", "rows", "size"], rows, indent: "    ") { print(line) }
        return summary
    }

    /// Step 2: a fresh database, the generated definitions plus two expectation suites — one
    /// inline (user_stats, quarantine), one a Great Expectations JSON file (interactions, reject).
    func define(_ market: MarketplaceSummary) throws -> FeatureDatabase {
        let dbPath = path("features.larder")
        try? FileManager.default.removeItem(atPath: dbPath)
        let suites = path("suites")
        try FileManager.default.createDirectory(atPath: suites, withIntermediateDirectories: true)
        let suiteFile = (suites as NSString).appendingPathComponent("interactions_checks.json")
        try Data(Self.interactionsSuiteJSON.utf8).write(to: URL(fileURLWithPath: suiteFile))

        var yaml = try String(contentsOfFile: market.definitionsPath, encoding: .utf8)
        yaml = try Self.attach(suite: "user_stats_checks", policy: .quarantine, to: "user_stats", in: yaml)
        yaml = try Self.attach(suite: "interactions_checks", policy: .reject, to: "interactions", in: yaml)
        yaml += Self.suitesYAML
        let definitions = path("definitions.yaml")
        try yaml.write(toFile: definitions, atomically: true, encoding: .utf8)

        let catalog = try Definitions.load(path: definitions)
        for (view, suite) in [("user_stats", "user_stats_checks"), ("interactions", "interactions_checks")]
        where catalog.featureView(named: view)?.expectationSuite != suite {
            throw DemoFailure("the definitions did not attach suite \(suite) to view \(view)")
        }
        let db = try FeatureDatabase.create(at: dbPath)
        let applied = try db.apply(catalog)
        print("  \(dbPath): applied \(applied.diff.allChanges.count) changes from \(definitions)")
        print("    \(catalog.entities.count) entities, \(catalog.featureViews.count) feature views (\(catalog.featureViews.map(\.name).joined(separator: ", "))), "
            + "\(catalog.featureServices.count) feature service (\(catalog.featureServices.map(\.name).joined(separator: ", ")))")
        for definition in catalog.expectationSuites {
            let suite = try db.expectationSuite(definition.name)
            guard let view = catalog.featureViews.first(where: { $0.expectationSuite == definition.name }) else { continue }
            let origin = definition.name == "interactions_checks" ? "Great Expectations JSON suites/interactions_checks.json" : "inline"
            print("    suite \(definition.name) (\(suite.expectations.count) expectations, \(origin)) → \(view.name), on_invalid: \(view.onInvalid?.rawValue ?? "reject")")
        }
        return db
    }

    /// Step 3: every generated file into its view, each one commit checked by the view's suite.
    func ingest(_ db: FeatureDatabase, _ market: MarketplaceSummary) throws {
        var rows: [[String]] = []
        for view in Self.viewOrder {
            let file = (market.directory as NSString).appendingPathComponent(MarketplaceDefinitions.fileName(view: view))
            let bar = console.progress("ingesting \(view)")
            var options = IngestOptions()
            options.progress = { p in
                bar.update(p.rowsTotal.map { Double(p.rowsDone) / Double(max($0, 1)) } ?? 0, note: p.phase)
            }
            let result = try db.ingest(files: [file], into: view, options: options)
            bar.finish()
            facts.ingestSeconds += result.seconds
            facts.views.append(.init(view: view, rows: result.rows, version: result.version ?? 0))
            let quality = result.quality.map { Self.verdict($0.result) } ?? "no suite"
            rows.append([view, DemoConsole.grouped(result.rows), "v\(result.version ?? 0)", String(format: "%.2f s", result.seconds),
                         DemoConsole.grouped(Int(Double(result.rows) / max(result.seconds, 1e-9))), quality])
        }
        for line in DemoConsole.table(["view", "rows", "version", "time", "rows/s", "quality gate"], rows, leftAligned: [0, 5]) {
            print(line)
        }
    }

    /// "passed 5/5" or "FAILED 3/5".
    static func verdict(_ result: ValidationResult) -> String {
        let s = result.statistics
        return (result.success ? "passed" : "FAILED") + " \(s.successfulExpectations)/\(s.evaluatedExpectations)"
    }

    /// `yaml` with `expectation_suite` and `on_invalid` added to the feature view `view`.
    static func attach(suite: String, policy: InvalidRowPolicy, to view: String, in yaml: String) throws -> String {
        let marker = "  - name: \(view)\n"
        guard let range = yaml.range(of: marker) else { throw DemoFailure("the generated definitions have no view \(view)") }
        return yaml.replacingCharacters(in: range, with: marker + "    expectation_suite: \(suite)\n    on_invalid: \(policy.rawValue)\n")
    }

    /// The suites section: user_stats' checks inline, the interactions' from a GE JSON file.
    static var suitesYAML: String {
        let regions = MarketplaceGenerator.regions.joined(separator: ", ")
        let categories = MarketplaceGenerator.categories.joined(separator: ", ")
        return """

        expectation_suites:
          - name: user_stats_checks
            expectations:
              - {type: expect_column_values_to_not_be_null, kwargs: {column: user_id}}
              - {type: expect_column_values_to_be_between, kwargs: {column: visits_7d, min_value: 0, max_value: 1000}}
              - {type: expect_column_values_to_be_between, kwargs: {column: spend_30d, min_value: 0, max_value: 100000}}
              - {type: expect_column_values_to_be_in_set, kwargs: {column: region, value_set: [\(regions)]}}
              - {type: expect_column_values_to_be_in_set, kwargs: {column: fav_category, value_set: [\(categories)]}}
          - name: interactions_checks
            file: suites/interactions_checks.json

        """
    }

    /// A Great Expectations 1.x suite, as GE writes it.
    static let interactionsSuiteJSON = """
    {
      "name": "interactions_checks",
      "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "user_id"}, "meta": {}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "item_id"}, "meta": {}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "label", "value_set": [0, 1]}, "meta": {}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "price_paid", "min_value": 0, "max_value": 500}, "meta": {}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}, "meta": {}}
      ],
      "suite_parameters": {},
      "meta": {"great_expectations_version": "1.24.1"},
      "notes": null
    }
    """
}
