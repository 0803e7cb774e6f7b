import ArgumentParser
import Foundation
import Larder
import LarderColumnar
import LarderRecommender

/// A `larder recommend` failure on the user's input that no library error describes (exit 1).
struct RecommendFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Progress lines on stderr for the long steps (loading, fitting, scoring), so stdout stays
/// the result (JSON with `--json`).
struct RecommendProgress {
    var quiet: Bool
    private let start = ContinuousClock.now

    init(quiet: Bool) { self.quiet = quiet }

    func step(_ text: String) {
        guard !quiet else { return }
        FileHandleOutput.standardError("[\(String(format: "%6.1f", RecommendClock.seconds(since: start))) s] \(text)")
    }
}

/// Wall-clock timing of the recommend commands' phases.
enum RecommendClock {
    /// Seconds elapsed since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Runs `body` and returns its result with the seconds it took.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let value = try body()
        return (value, seconds(since: start))
    }
}

/// The options that say which interactions to train on and how to split them: a
/// ``TrainingDataOptions`` from the command line.
struct TrainingDataArguments: ParsableArguments {
    @Option(help: "The interactions view: one row per event with a user, an item, an event time and a label (> 0: a booking).")
    var interactions: String
    @Option(help: "Its user id column.") var userColumn = "user_id"
    @Option(help: "Its item id column.") var itemColumn = "item_id"
    @Option(help: "Its event-time column (default: the view's timestamp field).") var timeColumn: String?
    @Option(help: "Its label column.") var labelColumn = "label"
    @Option(help: "Comma-separated user features (view:feature of views keyed by the user column), joined point in time; '' for none (default: user_stats:region,user_stats:fav_category,user_stats:is_member).")
    var userFeatures: String?
    @Option(help: "Comma-separated item features (view:feature of views keyed by the item column); '' for none (default: item_stats:category,item_stats:region,item_stats:price,item_stats:popularity).")
    var itemFeatures: String?
    @Option(help: "T1, the start of the validation window (ISO 8601; with --test-start).") var validationStart: String?
    @Option(help: "T2, the start of the test window (ISO 8601; with --validation-start).") var testStart: String?
    @Option(help: "Without explicit times: T1 at this quantile of the event times.") var validationQuantile = 0.8
    @Option(help: "Without explicit times: T2 at this quantile of the event times.") var testQuantile = 0.9
    @Option(name: .customLong("as-of"), parsing: .singleValue, help: "Read a view at a version or time: VIEW=VERSION or VIEW=ISO-8601-TIME (repeatable).")
    var asOf: [String] = []
    @Flag(help: "Count a feature row only once it was ingested (created at or before the event).") var availableAt = false

    func validate() throws {
        if (validationStart == nil) != (testStart == nil) {
            throw ValidationError("give both --validation-start and --test-start, or neither (then the quantiles split the data)")
        }
        for (option, text) in [("--validation-start", validationStart), ("--test-start", testStart)] {
            if let text, Timestamp.parseISO8601(text) == nil { throw ValidationError("\(option) \(text): expected an ISO 8601 time") }
        }
        guard validationQuantile > 0, validationQuantile <= testQuantile, testQuantile < 1 else {
            throw ValidationError("the quantiles must satisfy 0 < --validation-quantile (\(validationQuantile)) <= --test-quantile (\(testQuantile)) < 1")
        }
        for item in asOf where HistoricalCommand.parseAsOf(item) == nil {
            throw ValidationError("--as-of \(item): expected VIEW=VERSION or VIEW=TIME (ISO 8601)")
        }
    }

    /// Whether the feature lists are the library's defaults (the marketplace's views).
    var defaultFeatures: Bool { userFeatures == nil && itemFeatures == nil }

    /// The options these arguments describe.
    func options(threads: Int?) throws -> TrainingDataOptions {
        var options = TrainingDataOptions()
        options.interactionsView = interactions
        options.userColumn = userColumn
        options.itemColumn = itemColumn
        options.timeColumn = timeColumn
        options.labelColumn = labelColumn
        if let userFeatures { options.userFeatures = Self.list(userFeatures) }
        if let itemFeatures { options.itemFeatures = Self.list(itemFeatures) }
        if let validationStart, let testStart, let t1 = Timestamp.parseISO8601(validationStart), let t2 = Timestamp.parseISO8601(testStart) {
            options.split = try TimeSplit(validationStart: t1, testStart: t2)
        }
        options.validationQuantile = validationQuantile
        options.testQuantile = testQuantile
        for item in asOf { if let (view, selector) = HistoricalCommand.parseAsOf(item) { options.asOf[view] = selector } }
        options.availableAt = availableAt
        options.threads = threads
        return options
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Builds a ``ModelSpec`` from `--model`, `--param KEY=VALUE` and `--segment`.
enum ModelSpecArguments {
    /// The model kinds `--model` takes (segmented models come from `--segment`).
    static let kinds: [ModelKind] = [.popularity, .itemKNN, .als, .content, .ensemble]

    /// The kind named `text`.
    /// - Throws: `ValidationError` naming `text` and the kinds.
    static func kind(_ text: String) throws -> ModelKind {
        let names = kinds.map(\.rawValue).joined(separator: ", ")
        guard let kind = try? ModelKind(parsing: text), kinds.contains(kind) else {
            throw ValidationError("--model \(text): unknown model kind (kinds: \(names); per-segment models: add --segment COLUMN)")
        }
        return kind
    }

    /// `KEY=VALUE` pairs as a JSON object: a value is read as JSON when it is JSON (numbers,
    /// true/false, null, arrays, objects, quoted strings), else as a plain string.
    /// - Throws: `ValidationError` for a pair without `=` or a key given twice.
    static func parameters(_ pairs: [String]) throws -> [String: ParameterValue] {
        var out: [String: ParameterValue] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--param \(pair): expected KEY=VALUE (e.g. factors=32)")
            }
            let key = String(pair[..<eq]).trimmingCharacters(in: .whitespaces)
            let text = String(pair[pair.index(after: eq)...])
            guard out[key] == nil else { throw ValidationError("--param \(key) is given twice") }
            // Wrapped in an array: a bare number or string is not a JSON document to every decoder.
            let parsed = try? JSONDecoder().decode([ParameterValue].self, from: Data("[\(text)]".utf8))
            out[key] = parsed.flatMap { $0.count == 1 ? $0[0] : nil } ?? .string(text)
        }
        return out
    }

    /// The spec of `kind` with `parameters` over its defaults, checked.
    /// - Throws: `RecommendFailure` naming an unknown parameter or a value of the wrong type;
    ///   ``RecommenderError`` `.invalidInput` naming a value out of range.
    static func spec(_ kind: ModelKind, parameters: [String: ParameterValue]) throws -> ModelSpec {
        let object: ParameterValue = .object(["kind": .string(kind.rawValue), "parameters": .object(parameters)])
        let spec: ModelSpec
        do {
            spec = try JSONDecoder().decode(ModelSpec.self, from: JSONEncoder().encode(object))
        } catch let error as DecodingError {
            throw RecommendFailure("--param: \(describe(error)) for a \(kind) model")
        }
        let known = try Set(parameterNames(.defaults(kind))).union(parameterNames(spec))
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw RecommendFailure("--param \(unknown): a \(kind) model has no parameter '\(unknown)' (parameters: \(known.sorted().joined(separator: ", ")))")
        }
        try spec.validate()
        return spec
    }

    /// The per-segment spec: `inner` fitted per value of the user feature `segment`
    /// (`view:feature`, or a feature name among `userFeatures`).
    /// - Returns: the spec and the user features the training data needs (with the segment's).
    static func segmented(_ inner: ModelSpec, segment: String, minimumPositives: Int,
                          userFeatures: [String]) throws -> (ModelSpec, [String]) {
        var features = userFeatures
        let reference: String
        if segment.contains(":") {
            reference = segment
            if !features.contains(reference) { features.append(reference) }
        } else if let match = userFeatures.first(where: { $0.split(separator: ":").last.map(String.init) == segment }) {
            reference = match
        } else {
            let listed = userFeatures.isEmpty ? "none" : userFeatures.joined(separator: ", ")
            throw RecommendFailure("--segment \(segment): not one of the user features (\(listed)); name it as view:feature, e.g. user_stats:\(segment)")
        }
        let spec = ModelSpec.segmented(SegmentParameters(feature: reference, inner: inner, minimumPositives: minimumPositives))
        try spec.validate()
        return (spec, features)
    }

    /// The parameter names `spec` encodes.
    private static func parameterNames(_ spec: ModelSpec) throws -> [String] {
        let parameters = try ParameterValue(encoding: spec).objectValue?["parameters"]?.objectValue ?? [:]
        return Array(parameters.keys)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { $0 != "parameters" }
            return keys.isEmpty ? "" : "'\(keys.joined(separator: "."))' "
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context))expects a value of type \(type)"
        case .valueNotFound(let type, let context): return "\(path(context))expects a value of type \(type), not null"
        case .keyNotFound(let key, let context): return "\(path(context))needs '\(key.stringValue)'"
        case .dataCorrupted(let context): return "\(path(context))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// Text for the summaries.
enum RecommendText {
    static func metrics(_ m: RankingMetrics) -> String {
        String(format: "precision@%d %.4f  recall@%d %.4f  ndcg@%d %.4f  map@%d %.4f  coverage %.4f",
               m.k, m.precision, m.k, m.recall, m.k, m.ndcg, m.k, m.map, m.coverage)
    }

    static func timings(_ seconds: [(String, Double)]) -> String {
        seconds.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: "  ")
    }

    /// A JSON object of `value` (an Encodable struct), to extend with more keys.
    static func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RecommendFailure("internal: \(type(of: value)) does not encode as a JSON object")
        }
        return object
    }

    /// Why the default features fail on a database without the marketplace's views.
    static let featureHint = "the default features are the generated marketplace's; choose others with --user-features and --item-features ('' for none)"
}
