import LarderColumnar

extension EnsembleModel {
    /// Fits the members before T1, the blend on [T1, T2), and the members again before T2.
    /// - Throws: `.invalidInput` for the validation stage; `.emptyWindow` when the training or
    ///   validation window has no bookings; the members' errors.
    static func fit(_ data: TrainingData, parameters p: EnsembleParameters, stage: TrainingData.Stage) throws -> EnsembleModel {
        guard stage == .test else {
            throw RecommenderError(.invalidInput, "an ensemble learns its weights on the validation window, so it is fitted for the test stage only")
        }
        let early = data.window(.validation)
        let validation = data.evaluationSet(.validation)
        guard !validation.users.isEmpty else {
            throw RecommenderError(.emptyWindow, "no new bookings in the validation window (\(data.split)) to learn the ensemble's weights from")
        }
        let earlyMembers = try fitMembers(p.members, early)
        let earlyMatch = try MatchFeatures(early, parameters: p)
        let (x, y, width) = rows(members: earlyMembers, match: earlyMatch, set: validation, parameters: p)
        guard y.contains(true) else {
            throw RecommenderError(.emptyWindow, "no member put a validation booking among its top \(p.candidatesPerMember); the ensemble has nothing to learn from")
        }
        let (means, scales) = standardization(x, width: width)
        var z = x
        for r in 0 ..< y.count { for j in 0 ..< width { z[r * width + j] = (x[r * width + j] - means[j]) / scales[j] } }
        let regression = LogisticRegression.fit(x: z, y: y, width: width, l2: p.l2, iterations: p.iterations)

        let late = data.window(.test)
        return EnsembleModel(parameters: p, members: try fitMembers(p.members, late), match: try MatchFeatures(late, parameters: p),
                             means: means, scales: scales, regression: regression)
    }

    private static func fitMembers(_ specs: [ModelSpec], _ window: TrainingWindow) throws -> [any CatalogueModel] {
        try specs.map { spec in
            guard let model = try spec.fit(window) as? any CatalogueModel else {
                throw RecommenderError(.invalidInput, "an ensemble member of kind \(spec.kind) cannot be blended")
            }
            return model
        }
    }

    /// The blend's training rows: per sampled validation user, the candidate pool's features
    /// and whether each candidate was booked.
    private static func rows(members: [any CatalogueModel], match: MatchFeatures, set: EvaluationSet,
                             parameters p: EnsembleParameters) -> (x: [Double], y: [Bool], width: Int) {
        let width = members.count + match.names.count
        let n = set.users.count
        let sample = n <= p.maxUsers ? Array(0 ..< n) : (0 ..< p.maxUsers).map { $0 * n / p.maxUsers }
        let catalogue = members[0].catalogue
        let chunk = 128
        let parts = (try? concurrentMap(Array(stride(from: 0, to: sample.count, by: chunk))) { first -> ([Double], [Bool]) in
            var x: [Double] = [], y: [Bool] = [], row: [Double] = []
            for s in sample[first ..< min(sample.count, first + chunk)] {
                let user = set.users[s]
                let scored = members.map { $0.scoresOrFallback(user: user) }
                guard personalizes(members, scored) else { continue }
                let raw = scored.map(\.scores)
                let excluded = Set(set.excluded[s].compactMap { catalogue.index(of: $0) })
                let relevant = Set(set.relevant[s].compactMap { catalogue.index(of: $0) })
                let pool = pool(raw: raw, excluded: excluded, perMember: p.candidatesPerMember)
                guard pool.contains(where: relevant.contains) else { continue }
                let member = raw.map(standardized)
                let u = match.users.index(of: user)
                for i in pool {
                    features(member, match: match, user: u, item: i, into: &row)
                    x.append(contentsOf: row)
                    y.append(relevant.contains(i))
                }
            }
            return (x, y)
        }) ?? []
        return (parts.flatMap(\.0), parts.flatMap(\.1), width)
    }

    /// Per feature, the mean and standard deviation over the rows (1 when constant).
    private static func standardization(_ x: [Double], width: Int) -> (means: [Double], scales: [Double]) {
        let n = Double(max(1, x.count / max(1, width)))
        var means = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        for (k, v) in x.enumerated() {
            means[k % width] += v
            squares[k % width] += v * v
        }
        var scales = [Double](repeating: 1, count: width)
        for j in 0 ..< width {
            means[j] /= n
            let sd = max(squares[j] / n - means[j] * means[j], 0).squareRoot()
            scales[j] = sd > 1e-12 ? sd : 1
        }
        return (means, scales)
    }
}
