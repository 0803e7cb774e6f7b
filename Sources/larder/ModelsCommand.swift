import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderRecommender

/// `larder models`: the model registry in the database (`<db>/models/`).
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "The model registry: list, show, promote and register model versions.",
        discussion: """
        Models live in the database directory, one folder per version with its artifacts and \
        manifest (docs/model-registry.md). Stages: none, staging, production, archived; promoting \
        a version to production archives the previous production version.
        """,
        subcommands: [ModelsListCommand.self, ModelsShowCommand.self, ModelsPromoteCommand.self, ModelsRegisterCommand.self]
    )
}

extension ModelStage: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

/// Opens the registry of the database at `--db`.
private func openRegistry(_ database: DatabaseOption) throws -> ModelRegistry {
    ModelRegistry(database: try database.open())
}

/// Prints an Encodable value as the registry's JSON.
private func printEncoded(_ value: some Encodable) throws {
    print(String(decoding: try ModelRegistry.jsonEncoder().encode(value), as: UTF8.self))
}

private func formatMetrics(_ metrics: [String: Double], limit: Int = 4) -> String {
    let shown = metrics.sorted { $0.key < $1.key }.prefix(limit).map { "\($0.key)=\(String(format: "%.4g", $0.value))" }
    return shown.joined(separator: " ") + (metrics.count > limit ? " …" : "")
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered models and their stages.")
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let models = try openRegistry(database).models()
        if json { return try printEncoded(models) }
        if models.isEmpty {
            print("no models registered")
            return
        }
        print(pad("model", 24) + pad("versions", 10) + pad("latest", 8) + pad("production", 12) + "staging")
        for m in models {
            print(pad(m.name, 24) + pad("\(m.versions.count)", 10) + pad(m.latest.map(String.init) ?? "-", 8)
                + pad(m.production.map(String.init) ?? "-", 12) + (m.staging.isEmpty ? "-" : m.staging.map(String.init).joined(separator: ",")))
        }
    }
}

struct ModelsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a model's versions, or one version's manifest, stage and history.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The model name.") var name: String
    @Argument(help: "A version (default: every version, briefly).") var version: Int?
    @Flag(help: "Print JSON.") var json = false

    private struct ModelDocument: Encodable {
        var name: String
        var versions: [ModelVersion]
        var history: [StageTransition]
    }

    func run() throws {
        let registry = try openRegistry(database)
        if let version {
            let v = try registry.version(name, version)
            if json { return try printEncoded(v) }
            printVersion(v)
            return
        }
        let versions = try registry.versions(name)
        let history = try registry.history(name)
        if json { return try printEncoded(ModelDocument(name: name, versions: versions, history: history)) }
        print(pad("version", 9) + pad("stage", 12) + pad("kind", 14) + pad("created", 29) + "metrics")
        for v in versions {
            print(pad("\(v.version)", 9) + pad(v.stage.rawValue, 12) + pad(v.kind, 14)
                + pad(Timestamp.iso8601(micros: v.manifest.createdAt), 29) + formatMetrics(v.metrics))
        }
        printHistory(history)
    }

    private func printVersion(_ v: ModelVersion) {
        let m = v.manifest
        print("\(v.reference)  kind \(m.kind)  stage \(v.stage)")
        print("created    \(Timestamp.iso8601(micros: m.createdAt))")
        print("code       larder \(m.code.larder)" + (m.code.gitCommit.map { "  commit \($0)" } ?? ""))
        print("directory  \(v.directory)")
        if !m.parameters.isEmpty {
            print("parameters")
            let compact = ModelRegistry.jsonEncoder()
            compact.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for (k, value) in m.parameters.sorted(by: { $0.key < $1.key }) {
                let text = (try? compact.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                print("  \(k) = \(text)")
            }
        }
        if !m.metrics.isEmpty {
            print("metrics")
            for (k, value) in m.metrics.sorted(by: { $0.key < $1.key }) { print("  \(k) = \(value)") }
        }
        print("artifacts")
        for a in m.artifacts { print("  \(a.file)  \(a.bytes) bytes  crc32 \(a.crc32)") }
        if let lineage = m.lineage {
            print("lineage    interactions \(lineage.interactionsView), \(lineage.rows) rows, split \(lineage.split)")
            for t in lineage.tables {
                print("  \(t.view) version \(t.version) committed \(Timestamp.iso8601(micros: t.committedAt)) (\(t.selectedBy))")
            }
            let features = lineage.userFeatures + lineage.itemFeatures
            if !features.isEmpty { print("  features \(features.joined(separator: ", "))") }
            print("  fingerprint \(lineage.fingerprint)")
        }
        printHistory(v.history)
    }

    private func printHistory(_ history: [StageTransition]) {
        guard !history.isEmpty else { return }
        print("history")
        for t in history {
            var line = "  \(Timestamp.iso8601(micros: t.time))  v\(t.version) \(t.from) -> \(t.to)"
            if let actor = t.actor { line += "  by \(actor)" }
            if let reason = t.reason { line += "  (\(reason))" }
            print(line)
        }
    }
}

struct ModelsPromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Move a model version to a stage (production archives the previous production version).")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The model name.") var name: String
    @Argument(help: "The version.") var version: Int
    @Option(help: "The stage: none, staging, production or archived.") var stage: ModelStage
    @Option(help: "Why (kept in the history).") var reason: String?
    @Option(help: "Who (kept in the history; default: $USER).") var actor: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let who = actor ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
        let logged = try openRegistry(database).transition(name, version: version, to: stage, reason: reason, actor: who)
        if json { return try printEncoded(logged) }
        if logged.isEmpty {
            print("\(name)@\(version) is already in \(stage)")
        }
        for t in logged { print("\(name)@\(t.version): \(t.from) -> \(t.to)") }
    }
}

struct ModelsRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a model version from artifact files (e.g. a model trained outside Larder).")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The model name.") var name: String
    @Option(help: "The model kind (how to load the artifacts).") var kind: String
    @Option(name: .customLong("artifact"), help: "An artifact file, stored under its file name or NAME=PATH (repeatable).")
    var artifacts: [String] = []
    @Option(help: "Training parameters as a JSON object.") var parameters: String?
    @Option(help: "Metrics as a JSON object of numbers.") var metrics: String?
    @Option(help: "A JSON file holding the training lineage.") var lineage: String?
    @Option(name: .customLong("git-commit"), help: "The git commit of the training code.") var gitCommit: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        var files: [String: Data] = [:]
        for spec in artifacts {
            let (fileName, path): (String, String)
            if let eq = spec.firstIndex(of: "=") {
                (fileName, path) = (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
            } else {
                (fileName, path) = (URL(fileURLWithPath: spec).lastPathComponent, spec)
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read the artifact file \(path)")
            }
            guard files[fileName] == nil else { throw ValidationError("two artifacts are named \(fileName)") }
            files[fileName] = data
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        func decodeOption<T: Decodable>(_ text: String?, _ option: String, as: T.Type) throws -> T? {
            guard let text else { return nil }
            do { return try decoder.decode(T.self, from: Data(text.utf8)) } catch {
                throw ValidationError("--\(option) must be a JSON object (\(option == "metrics" ? "of numbers" : "of values")): \(text)")
            }
        }
        let params = try decodeOption(parameters, "parameters", as: [String: ParameterValue].self) ?? [:]
        let scores = try decodeOption(metrics, "metrics", as: [String: Double].self) ?? [:]
        var trainingLineage: TrainingLineage?
        if let lineage {
            guard let data = FileManager.default.contents(atPath: lineage) else { throw ValidationError("cannot read the lineage file \(lineage)") }
            do { trainingLineage = try decoder.decode(TrainingLineage.self, from: data) } catch {
                throw ValidationError("the lineage file \(lineage) is not a training lineage: \(error)")
            }
        }
        var code = CodeVersion.current
        if let gitCommit { code.gitCommit = gitCommit }
        let v = try openRegistry(database).register(name: name, kind: kind, parameters: params, metrics: scores,
                                                    lineage: trainingLineage, artifacts: files, code: code)
        if json { return try printEncoded(v) }
        print("registered \(v.reference) (\(v.manifest.artifacts.count) artifacts) in \(v.directory)")
    }
}
