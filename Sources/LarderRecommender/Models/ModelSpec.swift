import Foundation

/// A model kind with its parameters: what to fit. Encodes as JSON
/// `{"kind": "als", "parameters": {...}}` (missing parameters take their defaults), which is
/// what an artifact's header and a registry manifest hold.
///
/// ```swift
/// let spec = ModelSpec.segmented(.init(feature: "user_stats:region", inner: .als(.init(factors: 32))))
/// let model = try spec.fit(data)
/// ```
public indirect enum ModelSpec: Sendable, Hashable, Codable {
    case popularity(PopularityParameters)
    case itemKNN(ItemKNNParameters)
    case als(ALSParameters)
    case content(ContentParameters)
    case ensemble(EnsembleParameters)
    case segmented(SegmentParameters)

    /// The default parameters of `kind`.
    public static func defaults(_ kind: ModelKind) -> ModelSpec {
        switch kind {
        case .popularity: .popularity(.init())
        case .itemKNN: .itemKNN(.init())
        case .als: .als(.init())
        case .content: .content(.init())
        case .ensemble: .ensemble(.init())
        case .segmented: .segmented(.init())
        }
    }

    public var kind: ModelKind {
        switch self {
        case .popularity: .popularity
        case .itemKNN: .itemKNN
        case .als: .als
        case .content: .content
        case .ensemble: .ensemble
        case .segmented: .segmented
        }
    }

    /// Checks the parameters.
    /// - Throws: `.invalidInput` naming the first bad parameter.
    public func validate() throws {
        switch self {
        case .popularity(let p): try p.validate()
        case .itemKNN(let p): try p.validate()
        case .als(let p): try p.validate()
        case .content(let p): try p.validate()
        case .ensemble(let p): try p.validate()
        case .segmented(let p): try p.validate()
        }
    }

    /// Fits the model on `data`: on every row before `stage`'s cut-off (T2 for `.test`, the
    /// default; T1 for `.validation`), with the features as of it. An ensemble also fits its
    /// members before T1 and learns its weights on [T1, T2), so it needs the `.test` stage.
    /// - Throws: `.invalidInput` for bad parameters, `.unknownFeature` for a feature the data
    ///   lacks, `.emptyWindow` when there is nothing to learn from.
    public func fit(_ data: TrainingData, stage: TrainingData.Stage = .test) throws -> any RecommenderModel {
        try validate()
        switch self {
        case .ensemble(let p): return try EnsembleModel.fit(data, parameters: p, stage: stage)
        case .segmented(let p): return try SegmentedModel.fit(data, parameters: p, stage: stage)
        default: return try fit(data.window(stage))
        }
    }

    /// Fits a single model (not an ensemble or segmented model) on `window`.
    /// - Throws: as ``fit(_:stage:)``; `.invalidInput` for an ensemble or segmented spec.
    public func fit(_ window: TrainingWindow) throws -> any RecommenderModel {
        try validate()
        guard window.positiveCount > 0 else {
            throw RecommenderError(.emptyWindow, "no positive interaction before \(TimeSplit.format(window.cutoff)) to fit a \(kind) model on")
        }
        switch self {
        case .popularity(let p): return PopularityModel(window, parameters: p)
        case .itemKNN(let p): return ItemKNNModel(window, parameters: p)
        case .als(let p): return ALSModel(window, parameters: p)
        case .content(let p): return try ContentModel(window, parameters: p)
        case .ensemble, .segmented:
            throw RecommenderError(.invalidInput, "a \(kind) model is fitted from training data, not from one window")
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, parameters }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .kind)
        guard let kind = ModelKind(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown model kind '\(name)'")
        }
        let present = c.contains(.parameters)
        func params<P: Decodable>(_ type: P.Type, _ fallback: P) throws -> P {
            present ? try c.decode(P.self, forKey: .parameters) : fallback
        }
        switch kind {
        case .popularity: self = .popularity(try params(PopularityParameters.self, .init()))
        case .itemKNN: self = .itemKNN(try params(ItemKNNParameters.self, .init()))
        case .als: self = .als(try params(ALSParameters.self, .init()))
        case .content: self = .content(try params(ContentParameters.self, .init()))
        case .ensemble: self = .ensemble(try params(EnsembleParameters.self, .init()))
        case .segmented: self = .segmented(try params(SegmentParameters.self, .init()))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind.rawValue, forKey: .kind)
        switch self {
        case .popularity(let p): try c.encode(p, forKey: .parameters)
        case .itemKNN(let p): try c.encode(p, forKey: .parameters)
        case .als(let p): try c.encode(p, forKey: .parameters)
        case .content(let p): try c.encode(p, forKey: .parameters)
        case .ensemble(let p): try c.encode(p, forKey: .parameters)
        case .segmented(let p): try c.encode(p, forKey: .parameters)
        }
    }
}
