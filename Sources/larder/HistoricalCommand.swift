import ArgumentParser
import Foundation
import Larder
import LarderColumnar

/// `larder historical`: a point-in-time training set from a spine file.
struct HistoricalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "historical",
        abstract: "Build a point-in-time training set: the features each spine row could have seen at its time.",
        discussion: """
        The spine (Parquet) holds entity keys, an event time per row and any label columns. For \
        every spine row and view, the feature row with the same keys and the latest event time at \
        or before the spine time (within the view's ttl) is joined; ties go to the later created \
        time, then the later commit. Output columns are the spine's, then view__feature.
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "The spine: a Parquet file of entity keys, event times and labels.") var spine: String
    @Option(help: "Comma-separated features: view:feature or view (all its features).") var features: String?
    @Option(help: "A feature service whose features to join.") var service: String?
    @Option(help: "The output Parquet file.") var out: String
    @Option(name: .customLong("as-of"), parsing: .singleValue,
            help: "Read a view at a version or time: VIEW=VERSION or VIEW=ISO-8601-TIME (repeatable).")
    var asOf: [String] = []
    @Flag(help: "Count a feature row only if it was created at or before the spine time.") var availableAt = false
    @Option(help: "The spine's event-time column (default: event_timestamp, event_ts or the only timestamp column).")
    var spineTimestamp: String?
    @Flag(help: "Name output columns by feature alone, not view__feature.") var plainNames = false
    @Flag(help: "Also output each view's matched event time (view__<timestamp field>).") var featureTimestamps = false
    @Flag(help: "Print the summary (rows, matched per view, lineage, leakage check, timings) as JSON.") var json = false

    func validate() throws {
        if (features == nil) == (service == nil) { throw ValidationError("give --features or --service (one of them)") }
        for item in asOf where Self.parseAsOf(item) == nil {
            throw ValidationError("--as-of \(item): expected VIEW=VERSION or VIEW=TIME (ISO 8601)")
        }
    }

    static func parseAsOf(_ text: String) -> (String, FeatureDatabase.VersionSelector)? {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        let view = String(text[..<eq]), value = String(text[text.index(after: eq)...])
        guard !view.isEmpty else { return nil }
        if let v = Int64(value), v >= 0 { return (view, .version(v)) }
        if let t = Timestamp.parseISO8601(value) { return (view, .asOf(t)) }
        return nil
    }

    func run() throws {
        let selection: FeatureSelection = try service.map { .service($0) } ?? FeatureSelection.parse(features ?? "")
        var options = HistoricalOptions()
        for item in asOf { if let (view, selector) = Self.parseAsOf(item) { options.asOf[view] = selector } }
        options.availableAt = availableAt
        options.spineTimestampColumn = spineTimestamp
        options.fullFeatureNames = !plainNames
        options.includeFeatureTimestamps = featureTimestamps
        let summary = try database.open().writeHistoricalFeatures(spineFile: spine, features: selection, to: out, options: options)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        print("wrote \(summary.rows) rows to \(out) in \(String(format: "%.2f", summary.seconds["total"] ?? 0)) s")
        for v in summary.views {
            let share = summary.rows == 0 ? 0 : 100 * Double(v.matched) / Double(summary.rows)
            print("  \(v.view) v\(v.version) (\(v.selectedBy)): \(v.matched) matched (\(String(format: "%.1f", share))%), \(v.features.count) features")
        }
        print("  leakage check: \(summary.leakage.checked) matches checked, \(summary.leakage.violations) violations")
    }
}
