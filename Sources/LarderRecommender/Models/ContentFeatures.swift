/// Reads typed feature columns for the content model and the ensemble, with errors that name
/// the feature.
extension TrainingWindow {
    /// The codes and vocabulary of categorical feature `reference` in `table`.
    /// - Throws: `.unknownFeature` when the training data lacks it, `.invalidInput` when it
    ///   is numeric.
    func categorical(_ reference: String, in table: FeatureTable, role: String) throws -> (codes: [Int32], vocabulary: [String]) {
        guard let column = table.column(reference) else {
            let known = (userFeatures.columns.keys.sorted() + itemFeatures.columns.keys.sorted()).joined(separator: ", ")
            throw RecommenderError(.unknownFeature, "the \(role) feature '\(reference)' is not in the training data (features: \(known.isEmpty ? "none" : known)); load it with TrainingDataOptions or set it to nil")
        }
        guard case .categorical(let codes, let vocabulary) = column else {
            throw RecommenderError(.invalidInput, "the \(role) feature '\(reference)' is numeric; it must be a string feature")
        }
        return (codes, vocabulary)
    }

    /// The values of numeric feature `reference` in `table`.
    func numeric(_ reference: String, in table: FeatureTable, role: String) throws -> [Double] {
        guard let column = table.column(reference) else {
            throw RecommenderError(.unknownFeature, "the \(role) feature '\(reference)' is not in the training data; load it with TrainingDataOptions or set it to nil")
        }
        guard case .numeric(let values) = column else {
            throw RecommenderError(.invalidInput, "the \(role) feature '\(reference)' is a string feature; it must be numeric")
        }
        return values
    }

    /// The event-time codes of `reference` for each positive, re-coded into `vocabulary`
    /// (-1 where null or when the events lack the feature).
    func eventCodes(_ reference: String, vocabulary: [String]) -> [Int32] {
        guard case .categorical(let codes, let eventVocabulary)? = eventFeatures.column(reference) else {
            return [Int32](repeating: -1, count: positiveCount)
        }
        let map = Self.recode(from: eventVocabulary, to: vocabulary)
        return codes.map { $0 < 0 ? -1 : map[Int($0)] }
    }

    /// For each code of `from`, the code of the same string in `to` (-1 when absent).
    static func recode(from: [String], to: [String]) -> [Int32] {
        var position: [String: Int32] = [:]
        for (k, s) in to.enumerated() { position[s] = Int32(k) }
        return from.map { position[$0] ?? -1 }
    }
}
