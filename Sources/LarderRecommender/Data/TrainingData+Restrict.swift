extension TrainingData {
    /// The same training data limited to the rows of `users` (and their user features); items
    /// and item features stay whole.
    public func restricted(toUsers users: Set<Int64>) throws -> TrainingData {
        let rows = log.userIDs.indices.filter { users.contains(log.userIDs[$0]) }
        let sub = try InteractionLog(userIDs: rows.map { log.userIDs[$0] }, itemIDs: rows.map { log.itemIDs[$0] },
                                     times: rows.map { log.times[$0] }, positives: rows.map { log.positives[$0] })
        func keep(_ table: FeatureTable) throws -> FeatureTable {
            let kept = table.ids.indices.filter { users.contains(table.ids[$0]) }
            return try FeatureTable(ids: kept.map { table.ids[$0] }, columns: table.rows(kept).columns)
        }
        return try TrainingData(log: sub, split: split, eventFeatures: eventFeatures.columns.isEmpty ? .empty : eventFeatures.rows(rows),
                                validationFeatures: EntityFeatures(users: try keep(validationFeatures.users), items: validationFeatures.items),
                                testFeatures: EntityFeatures(users: try keep(testFeatures.users), items: testFeatures.items),
                                lineage: lineage)
    }
}
