import Foundation
import Hummingbird
import HummingbirdTesting
import Larder
import LarderColumnar
import LarderRecommender
import Testing
@testable import LarderServer

/// `GET /recommend` on the tiny marketplace: booked items left out, the model version named,
/// the popularity fallback for unknown users, and every way the request or the registry can be
/// wrong (in process, through Hummingbird's router test client).
@Suite struct RecommendRouteTests {
    @Test func leavesOutWhatTheUserBookedAndNamesTheVersion() async throws {
        let world = try RecommendTestWorld(production: .popularity)
        let booked = try world.bookings()
        let popularity = try world.model(.popularity)
        // A user whose bookings include some of the plain top 10: leaving them out changes the list.
        let user = try #require(booked.keys.sorted().first { user in
            !popularity.recommend(user: user, k: 10).items.allSatisfy { !(booked[user] ?? []).contains($0.item) }
        }, "no user booked a top-10 class")
        let userBooked = booked[user] ?? []
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let answer = try await client.call(.get, "/recommend?user_id=\(user)&k=10")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.headers[.contentType] == "application/json")
            #expect(answer.items.count == 10)
            #expect(userBooked.isDisjoint(with: answer.items), "booked items recommended: \(userBooked.intersection(answer.items))")
            #expect(answer.items == popularity.recommend(user: user, k: 10, excluding: userBooked).items.map(\.item))
            #expect(answer.scores == answer.scores.sorted(by: >))
            #expect(answer.json?["model"] as? String == "ranker")
            #expect(answer.json?["version"] as? Int == 1)
            #expect(answer.arm == "ranker@1")
            #expect(answer.json?["stage"] as? String == "production")
            #expect(answer.fallback == false)
            #expect(answer.json?["fallback_reason"] is NSNull)
            #expect(answer.json?["booked_excluded"] as? Int == userBooked.count)
            #expect(answer.requestID?.hasPrefix("ranker@1:") == true)
            // The user's online features, as trained with (lineage user features of online views).
            let features = try #require(answer.json?["features"] as? [String: Any])
            #expect(features.keys.sorted() == ["user_stats__fav_category", "user_stats__is_member", "user_stats__region"])
            // Two requests get two request ids.
            let again = try await client.call(.get, "/recommend?user_id=\(user)&k=3")
            #expect(again.items == Array(answer.items.prefix(3)))
            #expect(again.requestID != answer.requestID)
        }
    }

    @Test func unknownUserGetsPopularItemsWithTheFallbackFlag() async throws {
        let world = try RecommendTestWorld(production: .als)
        // A user with online features but no history (pushed after training).
        let region = try #require(MarketplaceGenerator.regions.first)
        try world.pushUserStats(user: 777_777, region: region)
        let als = try world.model(.als)
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let unknown = try await client.call(.get, "/recommend?user_id=999999&k=5")
            #expect(unknown.status == .ok, "\(unknown.text)")
            #expect(unknown.fallback == true)
            let reason = try #require(unknown.json?["fallback_reason"] as? String)
            #expect(reason.contains("unknown user 999999") && reason.contains("ranker@1"), "\(reason)")
            #expect(unknown.items.count == 5)
            #expect(unknown.items == als.recommend(user: 999_999, k: 5).items.map(\.item), "the model's own popularity fallback")
            let fresh = try await client.call(.get, "/recommend?user_id=777777&k=5")
            #expect(fresh.fallback == true)
            #expect((fresh.json?["fallback_reason"] as? String)?.contains("has online features") == true, "\(fresh.text)")
            #expect((fresh.json?["features"] as? [String: Any])?["user_stats__region"] as? String == region)
            // A user ALS knows: no fallback.
            let known = try #require(try world.bookings().keys.sorted().first { als.knows(user: $0) })
            let answer = try await client.call(.get, "/recommend?user_id=\(known)")
            #expect(answer.fallback == false && answer.items.count == 10, "\(answer.text)")
        }
    }

    @Test func aSegmentedModelRoutesByTheUsersOnlineSegment() async throws {
        let world = try RecommendTestWorld(production: .segmented)
        let model = try #require(try world.model(.segmented) as? SegmentedModel)
        let user: Int64 = 5
        let trained = model.segment(of: user)
        let moved = try #require(model.segments.first { $0 != trained }, "segments: \(model.segments)")
        let booked = try world.bookings()[user] ?? []
        let server = world.server()
        try await Application(router: server.router()).test(.router) { client in
            // The marketplace's rows are months old (outside user_stats' 30-day ttl): the
            // segment of the training cut-off answers.
            let before = try await client.call(.get, "/recommend?user_id=\(user)")
            #expect(before.status == .ok, "\(before.text)")
            #expect(before.json?["segment"] as? String == trained)
            #expect((before.json?["features"] as? [String: Any])?["user_stats__region"] is NSNull)
            // The user moves: the online value routes the request to the other region's model.
            try world.pushUserStats(user: user, region: moved)
            server.recommender.refresh()
            let after = try await client.call(.get, "/recommend?user_id=\(user)")
            #expect(after.json?["segment"] as? String == moved, "\(after.text)")
            #expect(after.items == model.recommend(user: user, segment: moved, k: 10, excluding: booked).items.map(\.item))
            #expect(after.items != before.items)
        }
    }

    @Test func noProductionVersionIsAConflictUntilOneIsPromoted() async throws {
        let world = try RecommendTestWorld(production: nil)
        let v = try world.register(.popularity)
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let answer = try await client.call(.get, "/recommend?user_id=1")
            #expect(answer.status == .conflict)
            #expect(answer.error?.code == "no_production_version")
            #expect(answer.error?.message.contains("'ranker'") == true, "\(answer.text)")
            try world.registry.transition("ranker", version: v, to: .production)
            let served = try await client.call(.get, "/recommend?user_id=1")
            #expect(served.status == .ok && served.arm == "ranker@\(v)", "\(served.text)")
        }
    }

    @Test func unknownModelIsNotFound() async throws {
        let world = try RecommendTestWorld(production: .popularity)
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let answer = try await client.call(.get, "/recommend?user_id=1&model=nope")
            #expect(answer.status == .notFound)
            #expect(answer.error?.code == "unknown_model")
            #expect(answer.error?.message.contains("'nope'") == true && answer.error?.message.contains("ranker") == true, "\(answer.text)")
            let arms = try await client.call(.get, "/recommend/arms?model=nope")
            #expect(arms.status == .notFound && arms.error?.code == "unknown_model")
            let invalid = try await client.call(.get, "/recommend?user_id=1&model=..%2Fetc")
            #expect(invalid.status == .badRequest && invalid.error?.message.contains("../etc") == true, "\(invalid.text)")
        }
        // No default model: the request must name one.
        let bare = Application(router: world.server { $0.recommend.model = nil }.router())
        try await bare.test(.router) { client in
            let answer = try await client.call(.get, "/recommend?user_id=1")
            #expect(answer.status == .badRequest && answer.error?.message.contains("--recommender") == true)
            #expect(try await client.call(.get, "/recommend?user_id=1&model=ranker").status == .ok)
        }
    }

    @Test func badQueriesAreBadRequestsNamingTheParameter() async throws {
        let world = try RecommendTestWorld(production: .popularity)
        let app = Application(router: world.server { $0.recommend.maxK = 30 }.router())
        try await app.test(.router) { client in
            let cases: [(String, String)] = [
                ("/recommend", "user_id is required"),
                ("/recommend?user_id=", "user_id is required"),
                ("/recommend?user_id=abc", "user_id 'abc'"),
                ("/recommend?user_id=1.5", "user_id '1.5'"),
                ("/recommend?user_id=99999999999999999999", "is not an integer"),
                ("/recommend?user_id=1&k=0", "k = 0 is out of range"),
                ("/recommend?user_id=1&k=-3", "k = -3 is out of range"),
                ("/recommend?user_id=1&k=31", "1 to 30"),
                ("/recommend?user_id=1&k=ten", "k 'ten'"),
                ("/recommend?user_id=1&kk=3", "unknown query parameter 'kk'"),
                ("/recommend?user_id=1&user_id=2", "'user_id' is given 2 times"),
                ("/recommend?user_id=1&model=", "model is empty"),
                ("/recommend?user_id=1&model=r%C3%A9sum%C3%A9", "invalid model name 'résumé'"),
                ("/recommend/arms?user_id=1", "unknown query parameter 'user_id'"),
            ]
            for (uri, message) in cases {
                let answer = try await client.call(.get, uri)
                #expect(answer.status == .badRequest, "\(uri): \(answer.text)")
                #expect(answer.error?.code == "bad_request")
                #expect(answer.error?.message.contains(message) == true, "\(uri): \(answer.text)")
            }
            #expect(try await client.call(.get, "/recommend?user_id=1&k=30").items.count == 30)
            let method = try await client.call(.post, "/recommend?user_id=1")
            #expect(method.status.code >= 400 && method.status.code < 500 && method.error != nil, "\(method.status) \(method.text)")
        }
    }

    @Test func aPromotionMovesTheArms() async throws {
        let world = try RecommendTestWorld(production: .popularity, staging: [.itemKNN])
        let server = world.server()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            let before = try await client.call(.get, "/recommend/arms")
            #expect(before.status == .ok, "\(before.text)")
            #expect(before.json?["policy"] as? String == "thompson_sampling")
            #expect(before.armStatistics.keys.sorted() == ["ranker@1", "ranker@2"])
            #expect(before.armStatistics["ranker@1"]?["stage"] as? String == "production")
            #expect(before.armStatistics["ranker@2"]?["stage"] as? String == "staging")
            // A third version in staging, then version 2 to production (1 is archived).
            try world.registry.transition("ranker", version: try world.register(.als), to: .staging)
            try world.registry.transition("ranker", version: 2, to: .production)
            server.recommender.refresh()
            let after = try await client.call(.get, "/recommend/arms")
            #expect(after.armStatistics.keys.sorted() == ["ranker@2", "ranker@3"], "\(after.text)")
            #expect(after.armStatistics["ranker@2"]?["stage"] as? String == "production")
            for _ in 0 ..< 20 {
                let answer = try await client.call(.get, "/recommend?user_id=5")
                #expect(["ranker@2", "ranker@3"].contains(answer.arm ?? ""), "\(answer.text)")
            }
            // No production version left: the model stops being served.
            try world.registry.transition("ranker", version: 2, to: .archived)
            server.recommender.refresh()
            #expect(try await client.call(.get, "/recommend?user_id=5").status == .conflict)
        }
    }
}
