import Foundation

/// A model of models: one inner model per value of a user feature (a segment, e.g. each
/// region), each fitted on its segment's users alone, and a global model fitted on everyone.
/// A user is routed by their segment as of the cut-off; users without one, of a segment too
/// small to have a model (fewer than ``SegmentParameters/minimumPositives`` bookings), or
/// unknown altogether go to the global model (which falls back to popularity for users it
/// does not know). Results name the segment that answered.
///
/// Artifact payload: segment names ([String]), the global model's artifact, then per segment
/// its artifact (nested), then the user ids and each user's segment index ([Int32]; -1: none).
public struct SegmentedModel: RecommenderModel {
    public let parameters: SegmentParameters
    /// The segments that have a model of their own, ascending.
    public let segments: [String]
    let models: [any RecommenderModel]
    let global: any RecommenderModel
    let users: IDIndex
    let userSegment: [Int32]

    public var kind: ModelKind { .segmented }
    public var spec: ModelSpec { .segmented(parameters) }
    public var itemIDs: [Int64] { global.itemIDs }

    init(parameters: SegmentParameters, segments: [String], models: [any RecommenderModel], global: any RecommenderModel,
         users: IDIndex, userSegment: [Int32]) {
        self.parameters = parameters
        self.segments = segments
        self.models = models
        self.global = global
        self.users = users
        self.userSegment = userSegment
    }

    /// Fits the global model and one model per segment with enough bookings.
    /// - Throws: `.unknownFeature` when the data lacks the segment feature; the inner fits' errors.
    static func fit(_ data: TrainingData, parameters p: SegmentParameters, stage: TrainingData.Stage) throws -> SegmentedModel {
        let table = data.features(stage).users
        guard let column = table.column(p.feature) else {
            throw RecommenderError(.unknownFeature, "the segment feature '\(p.feature)' is not among the user features (\(table.columns.keys.sorted().joined(separator: ", ")))")
        }
        let names = (0 ..< table.ids.count).map { column.text(at: $0) }
        var members: [String: Set<Int64>] = [:]
        for (k, name) in names.enumerated() { if let name { members[name, default: []].insert(table.ids[k]) } }
        let cut = data.log.firstRow(atOrAfter: data.cutoff(stage))
        var segments: [String] = [], models: [any RecommenderModel] = []
        for name in members.keys.sorted() {
            let users = members[name] ?? []
            let positives = (0 ..< cut).reduce(0) { $0 + (data.log.positives[$1] && users.contains(data.log.userIDs[$1]) ? 1 : 0) }
            guard positives >= p.minimumPositives else { continue }
            segments.append(name)
            models.append(try p.inner.fit(try data.restricted(toUsers: users), stage: stage))
        }
        let global = try (p.global ?? p.inner).fit(data, stage: stage)
        let index = IDIndex(ids: table.ids)
        let position = Dictionary(uniqueKeysWithValues: segments.enumerated().map { ($0.element, Int32($0.offset)) })
        return SegmentedModel(parameters: p, segments: segments, models: models, global: global, users: index,
                              userSegment: names.map { $0.flatMap { position[$0] } ?? -1 })
    }

    /// The segment `user` belongs to (as of the cut-off), if it has a model.
    public func segment(of user: Int64) -> String? {
        guard let u = users.index(of: user), userSegment[u] >= 0 else { return nil }
        return segments[Int(userSegment[u])]
    }

    /// The model answering for `segment` (nil: the global model).
    private func route(_ segment: String?) -> (model: any RecommenderModel, segment: String?) {
        guard let segment, let k = segments.firstIndex(of: segment) else { return (global, nil) }
        return (models[k], segment)
    }

    public func knows(user: Int64) -> Bool { route(segment(of: user)).model.knows(user: user) }

    public func score(user: Int64, candidates: [Int64]) -> CandidateScores {
        score(user: user, segment: segment(of: user), candidates: candidates)
    }

    public func recommend(user: Int64, k: Int, excluding: Set<Int64>) -> Recommendations {
        recommend(user: user, segment: segment(of: user), k: k, excluding: excluding)
    }

    /// Scores with the model of `segment` (e.g. the user's current region from the online
    /// store); an unknown or nil segment uses the global model.
    public func score(user: Int64, segment: String?, candidates: [Int64]) -> CandidateScores {
        let (model, answered) = route(segment)
        var out = model.score(user: user, candidates: candidates)
        out.segment = answered
        return out
    }

    /// Recommends with the model of `segment`; an unknown or nil segment uses the global model.
    public func recommend(user: Int64, segment: String?, k: Int, excluding: Set<Int64> = []) -> Recommendations {
        let (model, answered) = route(segment)
        var out = model.recommend(user: user, k: k, excluding: excluding)
        out.segment = answered
        return out
    }

    public func encode() -> Data {
        var w = ArtifactWriter(kind: kind, spec: spec)
        w.write(segments)
        w.write(artifact: global.encode())
        for m in models { w.write(artifact: m.encode()) }
        w.write(users.ids)
        w.write(userSegment)
        return w.finish()
    }

    static func decode(_ r: inout ArtifactReader) throws -> SegmentedModel {
        guard case .segmented(let parameters) = r.spec else { throw RecommenderError(.corruptArtifact, "a segmented artifact with \(r.spec.kind) parameters") }
        let segments = try r.strings()
        try r.check(Set(segments).count == segments.count, "repeated segment names")
        let global = try ModelArtifact.decode(try r.artifact())
        var models: [any RecommenderModel] = []
        for _ in segments { models.append(try ModelArtifact.decode(try r.artifact())) }
        try r.check(([global] + models).allSatisfy { $0.kind != .segmented }, "a segmented model nested in a segmented model")
        let users = try r.index()
        let userSegment = try r.int32s()
        try r.check(userSegment.count == users.count && userSegment.allSatisfy { $0 >= -1 && Int($0) < segments.count },
                    "user segments do not fit \(users.count) users and \(segments.count) segments")
        return SegmentedModel(parameters: parameters, segments: segments, models: models, global: global, users: users, userSegment: userSegment)
    }
}
