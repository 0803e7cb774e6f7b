import Foundation
import Hummingbird
import HummingbirdTesting
import Larder
import LarderColumnar
import LarderRecommender
import Testing
@testable import LarderServer

/// `POST /feedback`: the bandit counts each request once, events land in the feedback view
/// (point-in-time readable), bookings are left out of the next recommendations, bad bodies are
/// refused whole, and the bandit's state survives a restart.
@Suite struct FeedbackRouteTests {
    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test func eachRequestCountsOnceAndEveryEventIsKeptOffline() async throws {
        let world = try RecommendTestWorld(production: .popularity, staging: [.itemKNN])
        let server = world.server()
        let app = Application(router: server.router())
        let t0 = MarketplaceGenerator.endMicros + 86_400_000_000
        @Sendable func iso(_ seconds: Int64) -> String { Timestamp.iso8601(micros: t0 + seconds * 1_000_000) }
        let item = try await app.test(.router) { client -> Int64 in
            let served = try await client.call(.get, "/recommend?user_id=3&k=5")
            let rid = try #require(served.requestID, "\(served.text)")
            let arm = try #require(served.arm)
            let item = try #require(served.items.first)
            func post(_ event: String, _ second: Int64) async throws -> TestAnswer {
                try await client.call(.post, "/feedback", #"{"user_id": 3, "item_id": \#(item), "event": "\#(event)", "request_id": "\#(rid)", "ts": "\#(iso(second))"}"#)
            }
            func stats() async throws -> [String: Any] {
                try #require(try await client.call(.get, "/recommend/arms").armStatistics[arm])
            }
            #expect(Self.number(try await stats()["trials"]) == 0)
            #expect(Self.number(try await stats()["chosen"]) == 1)

            let impression = try await post("impression", 0)
            #expect(impression.status == .ok, "\(impression.text)")
            #expect(impression.json?["accepted"] as? Int == 1 && impression.json?["bandit_updates"] as? Int == 1)
            var s = try await stats()
            #expect(Self.number(s["trials"]) == 1 && Self.number(s["reward_sum"]) == 0 && Self.number(s["open_impressions"]) == 1)

            let repeated = try await post("impression", 0)
            #expect(repeated.json?["accepted"] as? Int == 1 && repeated.json?["bandit_updates"] as? Int == 0)
            let ignored = try #require((repeated.json?["ignored_by_bandit"] as? [[String: Any]])?.first)
            #expect((ignored["reason"] as? String)?.contains("already counted its impression") == true)
            #expect(Self.number(try await stats()["trials"]) == 1)

            #expect(try await post("click", 1).json?["bandit_updates"] as? Int == 1)
            s = try await stats()
            #expect(Self.number(s["trials"]) == 1 && Self.number(s["reward_sum"]) == 1 && Self.number(s["open_impressions"]) == 0)
            #expect(Self.number(s["alpha"]) == 2 && Self.number(s["beta"]) == 1)
            let booking = try await post("booking", 2)
            #expect(booking.json?["bandit_updates"] as? Int == 0, "one conversion per request: \(booking.text)")

            // By model and version, without a request id: the router's own semantics.
            let other = arm == "ranker@1" ? 2 : 1
            let byVersion = try await client.call(.post, "/feedback", #"{"events": [{"user_id": 4, "item_id": \#(item), "event": "impression", "model": "ranker", "version": \#(other), "ts": "\#(iso(0))"}]}"#)
            #expect(byVersion.json?["bandit_updates"] as? Int == 1, "\(byVersion.text)")
            #expect(Self.number(try #require(try await client.call(.get, "/recommend/arms").armStatistics["ranker@\(other)"])["trials"]) == 1)
            return item
        }
        #expect(server.recommender.feedbackLog.pendingCount == 5)
        #expect(try world.db.catalog().featureView(named: "recommendation_feedback") == nil, "created on the first flush")
        try server.flushRecommendations()
        #expect(server.recommender.feedbackLog.pendingCount == 0)

        let view = try world.db.featureView("recommendation_feedback")
        #expect(view.online == false && view.entities == ["user", "item"])
        let rows = try world.feedbackRows()
        #expect(rows.rowCount == 5)
        let events = rows.column(named: "event")?.values.compactMap { if case .string(let s) = $0 { s } else { nil } }
        #expect(events?.sorted() == ["booking", "click", "impression", "impression", "impression"])
        let labels = rows.column(named: "label")?.values ?? []
        #expect(labels.filter { $0 == .int64(1) }.count == 1, "a booking is a positive")
        #expect(Set(rows.column(named: "model")?.values ?? []) == [.string("ranker")])

        // Point in time: the latest event of (user 3, item) as of a moment between click and booking.
        let spine = try RecordBatch(["user_id": .int64([3, 3]), "item_id": .int64([item, item]),
                                     "event_ts": .timestamp([t0 + 1_500_000, t0 + 3_000_000])])
        let joined = try world.db.historicalFeatures(spine: spine, features: .references([try #require(FeatureReference("recommendation_feedback:event"))]))
        #expect(joined.batch.column(named: "recommendation_feedback__event")?.values == [.string("click"), .string("booking")])
    }

    @Test func aBookingIsLeftOutOfTheNextRecommendationsAndAfterARestart() async throws {
        let world = try RecommendTestWorld(production: .popularity)
        let user: Int64 = 7
        let first = world.server()
        let (top, excludedBefore) = try await Application(router: first.router()).test(.router) { client -> (Int64, Int) in
            let answer = try await client.call(.get, "/recommend?user_id=\(user)")
            let top = try #require(answer.items.first)
            let excludedBefore = try #require(answer.json?["booked_excluded"] as? Int)
            let booked = try await client.call(.post, "/feedback", #"{"user_id": \#(user), "item_id": \#(top), "event": "booking", "request_id": "\#(answer.requestID ?? "")"}"#)
            #expect(booked.status == .ok, "\(booked.text)")
            let next = try await client.call(.get, "/recommend?user_id=\(user)")
            #expect(!next.items.contains(top) && next.items.count == 10)
            #expect(next.json?["booked_excluded"] as? Int == excludedBefore + 1)
            return (top, excludedBefore)
        }
        try first.flushRecommendations()
        // A new server reads the booking back from the feedback view.
        try await Application(router: world.server().router()).test(.router) { client in
            let answer = try await client.call(.get, "/recommend?user_id=\(user)")
            #expect(!answer.items.contains(top), "\(answer.text)")
            #expect(answer.json?["booked_excluded"] as? Int == excludedBefore + 1)
        }
    }

    @Test func aUserWhoBookedTheWholeCatalogueGetsAnEmptyList() async throws {
        let world = try RecommendTestWorld(production: .popularity)
        let catalogue = try world.model(.popularity).itemIDs
        let events = catalogue.map { #"{"user_id": 12, "item_id": \#($0), "event": "booking", "version": 1}"# }
        try await Application(router: world.server().router()).test(.router) { client in
            let posted = try await client.call(.post, "/feedback", #"{"events": [\#(events.joined(separator: ","))]}"#)
            #expect(posted.json?["accepted"] as? Int == catalogue.count, "\(posted.text)")
            let answer = try await client.call(.get, "/recommend?user_id=12&k=5")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.items.isEmpty && answer.fallback == false)
            #expect((answer.json?["booked_excluded"] as? Int ?? 0) >= catalogue.count)
        }
    }

    @Test func badBodiesAreRefusedWholeNamingTheField() async throws {
        let world = try RecommendTestWorld(production: .popularity, staging: [.popularity])
        let server = world.server { $0.maxEntities = 3 }
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            let rid = try #require(try await client.call(.get, "/recommend?user_id=1").requestID)
            let ok = #"{"user_id": 1, "item_id": 5, "event": "click", "version": 1}"#
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                ("{not json", .badRequest, "bad_request", "malformed JSON"),
                ("[1]", .badRequest, "bad_request", "must be a JSON object"),
                ("{}", .badRequest, "bad_request", "user_id is required"),
                (#"{"user_id": "x", "item_id": 5, "event": "click", "version": 1}"#, .badRequest, "bad_request", "user_id: 'x' is not an integer id"),
                (#"{"user_id": 1.5, "item_id": 5, "event": "click", "version": 1}"#, .badRequest, "bad_request", "user_id must be an integer id"),
                (#"{"user_id": 1, "event": "click", "version": 1}"#, .badRequest, "bad_request", "item_id is required"),
                (#"{"user_id": 1, "item_id": 5, "version": 1}"#, .badRequest, "bad_request", "event is required"),
                (#"{"user_id": 1, "item_id": 5, "event": "like", "version": 1}"#, .badRequest, "bad_request", "unknown event 'like'"),
                (#"{"user_id": 1, "item_id": 5, "event": 3, "version": 1}"#, .badRequest, "bad_request", "event must be a string"),
                (#"{"user_id": 1, "item_id": 5, "event": "click"}"#, .badRequest, "bad_request", "version is required"),
                (#"{"user_id": 1, "item_id": 5, "event": "click", "version": 0}"#, .badRequest, "bad_request", "version must be a version number"),
                (#"{"user_id": 1, "item_id": 5, "event": "click", "request_id": "abc"}"#, .badRequest, "bad_request", "'abc' is not a request id"),
                (#"{"user_id": 1, "item_id": 5, "event": "click", "request_id": "\#(rid)", "version": 9}"#, .badRequest, "bad_request", "differs from the version of request_id"),
                (#"{"user_id": 2, "item_id": 5, "event": "click", "request_id": "\#(rid)"}"#, .badRequest, "bad_request", "served user 1, not 2"),
                (#"{"user_id": 1, "item_id": 5, "event": "click", "version": 1, "colour": "red"}"#, .badRequest, "bad_request", "unknown field 'colour'"),
                (#"{"user_id": 1, "item_id": 5, "event": "click", "version": 1, "ts": "yesterday"}"#, .badRequest, "bad_request", "ts: 'yesterday' is not an ISO 8601 time"),
                (#"{"events": []}"#, .badRequest, "bad_request", "'events' is empty"),
                (#"{"events": [\#(ok)], "extra": 1}"#, .badRequest, "bad_request", "unknown field 'extra' beside 'events'"),
                (#"{"events": [\#(ok), {"user_id": 1, "item_id": "z", "event": "click", "version": 1}]}"#, .badRequest, "bad_request", "events[1].item_id"),
                (#"{"events": [\#(ok), \#(ok), \#(ok), \#(ok)]}"#, .contentTooLarge, "too_many_events", "the limit is 3"),
                (#"{"user_id": 1, "item_id": 5, "event": "click", "version": 99}"#, .notFound, "unknown_version", "no version 99"),
                (#"{"user_id": 1, "item_id": 5, "event": "click", "model": "nope", "version": 1}"#, .notFound, "unknown_model", "'nope'"),
            ]
            for (body, status, code, needle) in cases {
                let answer = try await client.call(.post, "/feedback", body)
                #expect(answer.status == status, "\(body.prefix(90)): \(answer.text)")
                #expect(answer.error?.code == code, "\(body.prefix(90)): \(answer.text)")
                #expect(answer.error?.message.contains(needle) == true, "\(body.prefix(90)): \(answer.text) should contain \(needle)")
            }
            // Nothing of the refused bodies reached the bandit or the log.
            let arms = try await client.call(.get, "/recommend/arms").armStatistics
            #expect(arms.values.allSatisfy { Self.number($0["trials"]) == 0 }, "\(arms)")
            #expect(server.recommender.feedbackLog.pendingCount == 0)
            #expect(try await client.call(.post, "/feedback", ok).status == .ok)
            #expect(server.recommender.feedbackLog.pendingCount == 1)
        }
    }

    @Test func feedbackForARetiredArmIsKeptOfflineOnly() async throws {
        let world = try RecommendTestWorld(production: .popularity, staging: [.itemKNN])
        let server = world.server()
        try await Application(router: server.router()).test(.router) { client in
            #expect(try await client.call(.get, "/recommend/arms").armStatistics.count == 2)
            try world.registry.transition("ranker", version: 2, to: .archived)
            server.recommender.refresh()
            let answer = try await client.call(.post, "/feedback", #"{"user_id": 1, "item_id": 5, "event": "click", "version": 2}"#)
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.json?["accepted"] as? Int == 1 && answer.json?["bandit_updates"] as? Int == 0)
            let reason = (answer.json?["ignored_by_bandit"] as? [[String: Any]])?.first?["reason"] as? String
            #expect(reason?.contains("ranker@2 is not serving") == true, "\(answer.text)")
        }
        try server.flushRecommendations()
        #expect(try world.feedbackRows().column(named: "arm")?.values == [.string("ranker@2")])
    }

    @Test func aFeedbackViewOfOtherColumnsKeepsTheEventsBuffered() async throws {
        let world = try RecommendTestWorld(production: .popularity)
        var catalog = try world.db.catalog()
        catalog.featureViews.append(FeatureView(name: "recommendation_feedback", entities: ["user"], timestampField: "event_ts", online: false,
                                                schema: [FeatureField(name: "user_id", type: .int64), FeatureField(name: "event_ts", type: .timestamp),
                                                         FeatureField(name: "note", type: .string)]))
        try world.db.apply(catalog)
        let server = world.server()
        try await Application(router: server.router()).test(.router) { client in
            let answer = try await client.call(.post, "/feedback", #"{"user_id": 1, "item_id": 5, "event": "click", "version": 1}"#)
            #expect(answer.status == .ok, "\(answer.text)")
        }
        #expect(throws: DatabaseError.self) { try server.flushRecommendations() }
        #expect(server.recommender.feedbackLog.pendingCount == 1, "a failed commit keeps its events for the next flush")
        #expect(try world.feedbackRows().rowCount == 0)
        do {
            try server.flushRecommendations()
            Issue.record("the second flush should fail the same way")
        } catch let error as DatabaseError {
            #expect(error.message.contains("item_id (int64)") && error.message.contains("--feedback-view"), "\(error)")
        }
        #expect(server.recommender.feedbackLog.pendingCount == 1)
    }

    @Test func theBanditSurvivesARestart() async throws {
        let world = try RecommendTestWorld(production: .popularity, staging: [.itemKNN])
        let first = world.server()
        let fields = ["chosen", "trials", "reward_sum", "open_impressions", "alpha", "beta"]
        @Sendable func numbers(_ arms: [String: [String: Any]]) -> [String: [String: Double]] {
            arms.mapValues { stats in Dictionary(uniqueKeysWithValues: fields.compactMap { f in Self.number(stats[f]).map { (f, $0) } }) }
        }
        let before = try await Application(router: first.router()).test(.router) { client -> [String: [String: Double]] in
            for user in 1 ... 12 {
                let answer = try await client.call(.get, "/recommend?user_id=\(user)")
                let rid = try #require(answer.requestID)
                let item = try #require(answer.items.first)
                _ = try await client.call(.post, "/feedback", #"{"user_id": \#(user), "item_id": \#(item), "event": "impression", "request_id": "\#(rid)"}"#)
                if user % 3 == 0 {
                    _ = try await client.call(.post, "/feedback", #"{"user_id": \#(user), "item_id": \#(item), "event": "click", "request_id": "\#(rid)"}"#)
                }
            }
            return numbers(try await client.call(.get, "/recommend/arms").armStatistics)
        }
        #expect(before.values.reduce(0) { $0 + ($1["trials"] ?? 0) } == 12)
        #expect(before.values.reduce(0) { $0 + ($1["reward_sum"] ?? 0) } == 4)
        #expect(before.values.reduce(0) { $0 + ($1["chosen"] ?? 0) } == 12)
        try first.flushRecommendations()
        #expect(FileManager.default.fileExists(atPath: try world.registry.banditSnapshotPath("ranker")))

        let second = world.server()
        try await Application(router: second.router()).test(.router) { client in
            let after = numbers(try await client.call(.get, "/recommend/arms").armStatistics)
            #expect(after == before)
            #expect(after.values.allSatisfy { $0.count == fields.count })
        }
    }

    @Test func aCleanShutdownFlushesFeedbackAndTheBandit() async throws {
        let world = try RecommendTestWorld(production: .popularity)
        let server = world.server()
        try await server.application().test(.live) { client in
            let answer = try await client.call(.get, "/recommend?user_id=9")
            #expect(answer.status == .ok, "\(answer.text)")
            let rid = try #require(answer.requestID)
            let posted = try await client.call(.post, "/feedback", #"{"events": [{"user_id": 9, "item_id": \#(answer.items.first ?? 0), "event": "impression", "request_id": "\#(rid)"}, {"user_id": 9, "item_id": \#(answer.items.first ?? 0), "event": "click", "request_id": "\#(rid)"}]}"#)
            #expect(posted.json?["accepted"] as? Int == 2, "\(posted.text)")
        }
        // The graceful shutdown committed the buffered events and saved the router.
        #expect(try world.feedbackRows().rowCount == 2)
        let snapshot = try BanditSnapshot.read(from: try world.registry.banditSnapshotPath("ranker"))
        #expect(snapshot.arms.map(\.arm.name) == ["ranker@1"])
        #expect(snapshot.arms.first?.trials == 1 && snapshot.arms.first?.rewardSum == 1 && snapshot.arms.first?.chosen == 1)
    }
}
