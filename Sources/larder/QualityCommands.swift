import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderQuality

/// `larder validate VIEW`: runs a view's expectation suite over one version.
///
/// Exit code 1 when an expectation fails (after printing the report), so a scheduler's task
/// fails with it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Validate a feature view against its expectation suite.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Option(help: "Validate this version (default: the latest).") var version: Int64?
    @Option(help: "Use this suite instead of the view's own.") var suite: String?
    @Option(name: .customLong("result-format"), help: "BOOLEAN_ONLY, BASIC, SUMMARY or COMPLETE.") var resultFormat = "SUMMARY"
    @Option(help: "Also write an HTML report (expectations and a histogram per column) to this file.") var html: String?
    @Flag(help: "Print the result as Great Expectations JSON.") var json = false

    func run() throws {
        guard let format = ResultFormat(rawValue: resultFormat.uppercased()) else {
            throw ValidationError("--result-format must be one of \(ResultFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let db = try database.open()
        let selector: FeatureDatabase.VersionSelector = version.map { .version($0) } ?? .latest
        let report = try db.validate(view: view, at: selector, suite: suite, options: ValidationOptions(resultFormat: format))
        if let html {
            let profile = try db.profile(view: view, at: .version(report.version)).profile
            try QualityText.validationPage(report, profile: profile).write(to: URL(fileURLWithPath: html))
        }
        if json {
            print(report.result.jsonText(pretty: true))
        } else {
            print(QualityText.summary(report))
        }
        if !report.result.success { throw ExitCode(1) }
    }
}

/// `larder profile VIEW`: per-column statistics and a suggested suite.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Profile a feature view's columns and suggest an expectation suite.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Option(help: "Profile this version (default: the latest).") var version: Int64?
    @Option(help: "Write a suggested Great Expectations suite (JSON) to this file.") var out: String?
    @Option(help: "Also write an HTML page with a histogram per column to this file.") var html: String?
    @Flag(help: "Print the profile as JSON.") var json = false

    func run() throws {
        let db = try database.open()
        let (version, profile) = try db.profile(view: view, at: self.version.map { .version($0) } ?? .latest)
        if let out {
            let suite = Profiler.suggestSuite(from: profile, name: "\(view)_suggested")
            try Data(suite.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        }
        if let html {
            let page = HTMLReport(title: "Profile of \(view)", view: view, version: version, generatedAt: Date(),
                                  expectations: [], profile: profile)
            try page.write(to: URL(fileURLWithPath: html))
        }
        if json {
            print(String(decoding: try QualityText.jsonEncoder.encode(profile), as: UTF8.self))
        } else {
            print(QualityText.profileTable(profile, view: view, version: version))
            if let out { print("suggested suite written to \(out)") }
        }
    }
}

/// `larder drift VIEW --from V --to V`: PSI, Jensen-Shannon and L-infinity per column.
///
/// Exit code 1 when any column drifts beyond its threshold.
struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift", abstract: "Measure how a feature view's distributions moved between versions.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The feature view.") var view: String
    @Option(help: "The reference version.") var from: Int64?
    @Option(help: "The current version (default: the latest).") var to: Int64?
    @Option(help: "A training-set Parquet file to use as the reference instead of a version (its view__feature or plain columns).")
    var training: String?
    @Option(help: "Columns to compare (comma-separated; default: every feature column).") var columns: String?
    @Option(help: "PSI threshold.") var psi: Double = 0.2
    @Option(name: .customLong("js"), help: "Jensen-Shannon distance threshold.") var jensenShannon: Double = 0.1
    @Option(name: .customLong("linf"), help: "L-infinity threshold for categorical columns.") var lInfinity: Double = 0.1
    @Option(help: "Also write an HTML report to this file.") var html: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (from == nil) != (training == nil) else {
            throw ValidationError("give exactly one reference: --from VERSION or --training FILE")
        }
    }

    func run() throws {
        let db = try database.open()
        var options = DriftOptions(thresholds: DriftThresholds(psi: psi, jensenShannon: jensenShannon, lInfinity: lInfinity))
        options.columns = columns.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let current: FeatureDatabase.VersionSelector = to.map { .version($0) } ?? .latest
        let report: DriftReport
        let caption: String
        if let training {
            report = try db.drift(view: view, trainingSet: training, to: current, options: options)
            caption = "training set \(training) → \(to.map { "version \($0)" } ?? "latest")"
        } else {
            report = try db.drift(view: view, from: .version(from ?? 0), to: current, options: options)
            caption = "version \(from ?? 0) → \(to.map { "version \($0)" } ?? "latest")"
        }
        if let html {
            let page = HTMLReport(title: "Drift of \(view)", view: view, generatedAt: Date(), expectations: [],
                                  drift: report, driftCaption: caption)
            try page.write(to: URL(fileURLWithPath: html))
        }
        if json {
            print(String(decoding: try QualityText.jsonEncoder.encode(report), as: UTF8.self))
        } else {
            print(QualityText.driftTable(report, view: view, caption: caption))
        }
        if report.drifted { throw ExitCode(1) }
    }
}
