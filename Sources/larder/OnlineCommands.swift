import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderServer

/// `larder materialize`: bring the online stores up to date with the tables.
struct MaterializeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "materialize",
        abstract: "Sync the online stores of online views from their tables (full, or incremental from the log).",
        discussion: """
        Without flags, rebuilds each online view's store from its latest table version: the \
        newest row per entity (event time, then created time, then the later commit). \
        --incremental replays only the commits since the version the store reflects (appends, \
        late rows, deletes); a store that cannot be followed is rebuilt. --rebuild replaces a \
        damaged store. A sync that is interrupted leaves the previous state readable.
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("view"), help: "A view to materialize (repeatable; default: every online view).")
    var views: [String] = []
    @Flag(help: "Replay the commits since the last sync instead of rebuilding.") var incremental = false
    @Option(help: "Full builds only: leave out rows whose event time is after TIME (ISO 8601).") var end: String?
    @Flag(help: "Rebuild the stores from the tables (also repairs a damaged store).") var rebuild = false
    @Flag(help: "Print what each view's sync did as JSON.") var json = false

    func validate() throws {
        if incremental && (end != nil || rebuild) { throw ValidationError("--incremental cannot be combined with --end or --rebuild") }
        if let end, Timestamp.parseISO8601(end) == nil { throw ValidationError("--end \(end): expected an ISO 8601 time") }
    }

    func run() throws {
        var options = MaterializeOptions(mode: incremental ? .incremental : .full,
                                         end: end.flatMap { Timestamp.parseISO8601($0) })
        options.views = views.isEmpty ? nil : views
        let result = try database.open().materialize(options)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        if result.views.isEmpty { print("no online views to materialize") }
        for v in result.views {
            let seconds = String(format: "%.2f", v.seconds)
            switch v.mode {
            case "none":
                print("\(v.view): up to date at version \(v.toVersion)")
            case "incremental":
                print("\(v.view): synced versions \((v.fromVersion ?? 0) + 1)...\(v.toVersion) (\(v.commits) commits): \(v.rowsRead) rows read, \(v.rowsWritten) written, \(v.tombstones) removed, \(v.keysRecomputed) entities recomputed, \(v.overlays) overlays\(v.folded ? " (folded)" : "") in \(seconds) s")
            default:
                let why = v.reason.map { " (\($0))" } ?? ""
                print("\(v.view): rebuilt at version \(v.toVersion)\(why): \(v.rowsRead) rows read, \(v.rowsWritten) entities in \(seconds) s")
            }
        }
    }
}

/// `larder get`: online features of a few entities.
struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Read features of entities from the online store.",
        discussion: """
        Each --entity names one entity by its key columns: --entity user_id=42, or \
        --entity user_id=42,item_id=abc for several keys (the union of the views' keys). \
        Each value has a status: PRESENT, NULL_VALUE, NOT_FOUND or OUTSIDE_MAX_AGE (older than \
        the view's ttl; the value is withheld).
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "Comma-separated features: view:feature or view (all its features).") var features: String?
    @Option(help: "A feature service whose features to read.") var service: String?
    @Option(name: .customLong("entity"), parsing: .singleValue, help: "KEY=VALUE[,KEY=VALUE] (repeatable).")
    var entities: [String] = []
    @Flag(help: "Print Feast's get-online-features response shape as JSON.") var json = false
    @Option(help: "Read as of this time (ISO 8601) for the ttl check, e.g. to look at historical data; default now.")
    var at: String?

    func validate() throws {
        if (features == nil) == (service == nil) { throw ValidationError("give --features or --service (one of them)") }
        if entities.isEmpty { throw ValidationError("give at least one --entity KEY=VALUE") }
        if let at, Timestamp.parseISO8601(at) == nil { throw ValidationError("--at must be an ISO 8601 time, e.g. 2026-06-30T00:00:00Z") }
    }

    func run() throws {
        let selection: FeatureSelection = try service.map { .service($0) } ?? FeatureSelection.parse(features ?? "")
        let reader = try database.open().onlineReader(features: selection)
        let keyTypes = reader.keyColumns
        var parsed: [[String: Value]] = []
        for text in entities {
            var entity: [String: Value] = [:]
            for pair in text.split(separator: ",") {
                guard let eq = pair.firstIndex(of: "=") else {
                    throw DatabaseError(.invalidInput, "--entity \(text): expected KEY=VALUE")
                }
                let name = String(pair[..<eq]), raw = String(pair[pair.index(after: eq)...])
                guard let type = keyTypes.first(where: { $0.name == name })?.type else {
                    throw DatabaseError(.unknownName, "--entity \(text): '\(name)' is not a key of the requested views (keys: \(keyTypes.map(\.name).joined(separator: ", ")))")
                }
                switch type {
                case .int64:
                    guard let v = Int64(raw) else { throw DatabaseError(.invalidInput, "--entity \(text): key '\(name)' is int64, not '\(raw)'") }
                    entity[name] = .int64(v)
                case .int32:
                    guard let v = Int32(raw) else { throw DatabaseError(.invalidInput, "--entity \(text): key '\(name)' is int32, not '\(raw)'") }
                    entity[name] = .int32(v)
                default:
                    entity[name] = .string(raw)
                }
            }
            parsed.append(entity)
        }
        let result = try reader.read(entities: parsed, at: at.flatMap(Timestamp.parseISO8601))
        if json {
            // The same bytes the feature server answers (LarderServer.FeastResponse).
            let keys = keyTypes.map { key in (name: key.name, values: parsed.map { $0[key.name] ?? .null }) }
            FileHandle.standardOutput.write(Data(FeastResponse.encode(result, keys: keys, fullFeatureNames: true) + [0x0A]))
            return
        }
        for (row, text) in entities.enumerated() {
            print(text)
            for feature in result.features {
                let time = feature.eventTimestamps[row].map { " @ " + Timestamp.iso8601(micros: $0) } ?? ""
                print("  \(feature.name) = \(feature.values[row]) (\(feature.statuses[row])\(time))")
            }
        }
    }
}

/// `larder verify-online`: online/offline skew check.
struct VerifyOnlineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-online",
        abstract: "Compare online values with the offline point-in-time answer for sampled entities (exit 1 on any mismatch).",
        discussion: """
        Samples entities of each online view's table and compares the online store's values and \
        event times with a point-in-time join at the same time (now, or the newest event time \
        when later). Every mismatch is listed.
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("view"), help: "A view to check (repeatable; default: every online view).")
    var views: [String] = []
    @Option(help: "Entities to sample per view.") var sample = 1000
    @Option(help: "The sampling seed.") var seed: UInt64 = 1
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        if sample < 1 { throw ValidationError("--sample must be at least 1") }
    }

    func run() throws {
        let report = try database.open().verifyOnline(views: views.isEmpty ? nil : views, sample: sample, seed: seed)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for v in report.views {
                let stale = v.onlineVersion < v.tableVersion ? " (the store reflects version \(v.onlineVersion); run `larder materialize --incremental`)" : ""
                print("\(v.view): \(v.entities) entities at table version \(v.tableVersion): \(v.mismatches.count) mismatches\(stale)")
                for m in v.mismatches { print("  \(m.entity) \(m.feature): online \(m.online), offline \(m.offline)") }
            }
        }
        if !report.passed { throw ExitCode(1) }
    }
}
