import ArgumentParser
import Foundation
import Larder

/// `larder demo`: the whole product on a generated marketplace, one numbered step at a time —
/// generate, define (with expectation suites), ingest through the quality gate, a batch
/// rejected and one quarantined, time travel, a point-in-time training set, recommenders
/// trained, registered and promoted, the online store materialized and the feature server
/// asked for features and recommendations over HTTP — then a summary table.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on a generated marketplace, with timings and a summary.",
        discussion: """
        Everything is written under --dir: marketplace/ (the generated Parquet files), \
        definitions.yaml and suites/ (the definitions with their expectation suites), \
        features.larder/ (the database, with its models) and training.parquet. Those are \
        replaced on each run; nothing else in the directory is touched. The feature server \
        listens on 127.0.0.1 for a moment (--port 0: any free port).
        """
    )

    @Option(help: "Directory for the demo's files (created if missing).")
    var dir: String = "larder-demo"

    @Option(help: "Marketplace scale: tiny, small or medium.")
    var scale: String = "small"

    @Option(help: "Loopback port of the feature server (0: any free port).")
    var port: Int = 0

    func validate() throws {
        guard MarketplaceGenerator.Scale(rawValue: scale.lowercased()) != nil else {
            throw ValidationError("--scale \(scale): expected tiny, small or medium")
        }
        guard !dir.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--dir must not be empty")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--dir \(dir) is a file, not a directory")
        }
        guard (0 ... 65535).contains(port) else {
            throw ValidationError("--port \(port): expected 0...65535")
        }
    }

    func run() throws {
        guard let scale = MarketplaceGenerator.Scale(rawValue: scale.lowercased()) else {
            throw ValidationError("--scale \(self.scale): expected tiny, small or medium")
        }
        try DemoRun(directory: dir, scale: scale, port: port).run()
    }
}

/// A demo step that did not give the result the demo expects (a bug, not bad input).
struct DemoFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One run of the demo: the steps in order, each a method in a `Demo*.swift` file, sharing the
/// database and collecting the figures of the summary.
final class DemoRun {
    /// The registry name the demo's recommenders are registered under.
    static let modelName = "marketplace_recommender"
    /// The generator's seed: the same marketplace on every machine.
    static let seed: UInt64 = 42

    let directory: String
    let scale: MarketplaceGenerator.Scale
    let port: Int
    let console = DemoConsole(stepCount: 8)
    /// What the summary reports, filled in as the steps run.
    var facts = DemoFacts()

    init(directory: String, scale: MarketplaceGenerator.Scale, port: Int) {
        self.directory = directory
        self.scale = scale
        self.port = port
    }

    /// `name` inside the demo directory.
    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    func run() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let sizes = scale.sizes
        print("Larder demo: the \(scale.rawValue) marketplace (\(DemoConsole.grouped(sizes.users)) users, "
            + "\(DemoConsole.grouped(sizes.items)) classes, \(DemoConsole.grouped(sizes.interactions)) interactions) → \(directory)")

        let market = try console.step("Generate the marketplace") { try generate() }
        let db = try console.step("Create the database and apply definitions with expectation suites") { try define(market) }
        try console.step("Ingest every view through the quality gate") { try ingest(db, market) }
        let today = try console.step("The quality gate at work: a batch rejected, a batch quarantined") { try qualityGate(db, market) }
        try console.step("Time travel: the history of user_stats and a read of an old version") { try timeTravel(db, user: today.user) }
        try console.step("A point-in-time training set") { try trainingSet(db, market) }
        let models = try console.step("Train recommenders, register them, promote the better one") { try train(db) }
        try console.step("Materialize the online store, then ask the feature server over HTTP") {
            try serve(db, user: today.user, models: models)
        }
        printSummary()
    }
}

/// The figures the summary table reports.
struct DemoFacts {
    struct ViewRows {
        var view: String
        var rows: Int
        var version: Int64
    }

    struct ModelScore {
        var kind: String
        var version: Int
        var ndcg: Double
        var precision: Double
        var recall: Double
        var coverage: Double
        var fitSeconds: Double
    }

    var generatedRows = 0
    var generatedBytes = 0
    var views: [ViewRows] = []
    var ingestSeconds = 0.0
    /// The rejected batch: rows offered, rows that broke an expectation, expectations failed.
    var rejectedRows = 0
    var rejectedBadRows = 0
    var rejectedExpectations = 0
    /// The quarantined batch: rows offered, committed, and held in `<view>__quarantine`.
    var quarantineOffered = 0
    var quarantineCommitted = 0
    var quarantinedRows = 0
    var quarantineTableRows = 0
    var trainingRows = 0
    var trainingFeatures = 0
    var leakageChecked = 0
    var leakageViolations = 0
    var naiveLeaks = 0
    var models: [ModelScore] = []
    var productionVersion = 0
    var featureLatencies: [Double] = []
    var recommendLatencies: [Double] = []
    /// How recommendations were served: over HTTP (`GET /recommend`) or in-process.
    var recommendVia = ""
}
