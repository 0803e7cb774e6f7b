import LarderColumnar

extension RecommenderModel {
    /// The top-k lists of many users at once (batch scoring): one ``Recommendations`` per user,
    /// in the order of `users`, each leaving out `excluding[user]` (typically the items the user
    /// already booked). Users are scored in chunks on `threads` workers (nil: one per core); the
    /// lists are the ones ``recommend(user:k:excluding:)`` gives one user at a time.
    ///
    /// ```swift
    /// let booked = data.log.positiveItemsByUser()
    /// let lists = model.recommend(users: users, k: 20, excluding: booked)
    /// ```
    public func recommend(users: [Int64], k: Int, excluding: [Int64: Set<Int64>] = [:], threads: Int? = nil) -> [Recommendations] {
        let chunk = 256
        let starts = Array(stride(from: 0, to: users.count, by: chunk))
        // The transform does not throw, so neither does the map.
        let lists = (try? concurrentMap(starts, threads: threads) { start in
            (start ..< min(users.count, start + chunk)).map { u in
                recommend(user: users[u], k: k, excluding: excluding[users[u]] ?? [])
            }
        }) ?? []
        return lists.flatMap { $0 }
    }
}

extension InteractionLog {
    /// The items each user booked (the positive rows), by user: what batch scoring and serving
    /// leave out of a user's list.
    public func positiveItemsByUser() -> [Int64: Set<Int64>] {
        var booked: [Int64: Set<Int64>] = [:]
        for r in 0 ..< count where positives[r] { booked[userIDs[r], default: []].insert(itemIDs[r]) }
        return booked
    }
}
