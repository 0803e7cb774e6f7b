import Foundation
import Larder
import Testing
@testable import LarderRecommender

@Suite struct SegmentedModelTests {
    static let spec = ModelSpec.segmented(.init(feature: "user_stats:region", inner: .als(HandMade.als), minimumPositives: 10))

    @Test func usersAreRoutedToTheirRegionsModel() throws {
        let data = try MarketplaceFixture.tiny().data
        let model = try #require(try Self.spec.fit(data) as? SegmentedModel)
        let regions = try #require(data.testFeatures.users.column("user_stats:region"))
        #expect(!model.segments.isEmpty && Set(model.segments).isSubset(of: Set(MarketplaceGenerator.regions)))
        var routed = 0
        for (k, user) in data.testFeatures.users.ids.enumerated() {
            guard let region = regions.text(at: k), model.segments.contains(region) else { continue }
            #expect(model.segment(of: user) == region)
            #expect(model.recommend(user: user, k: 5).segment == region)
            #expect(model.score(user: user, candidates: [model.itemIDs[0]]).segment == region)
            routed += 1
        }
        #expect(routed > 0)
    }

    @Test func segmentModelsKnowOnlyTheirOwnUsers() throws {
        let data = try MarketplaceFixture.tiny().data
        let model = try #require(try Self.spec.fit(data) as? SegmentedModel)
        let set = data.evaluationSet(.test)
        let users = set.users.filter { set.knownUsers.contains($0) }
        let known = try #require(users.first { model.segment(of: $0) != nil })
        let home = try #require(model.segment(of: known))
        let other = try #require(model.segments.first { $0 != home })
        #expect(!model.recommend(user: known, segment: home, k: 5).usedFallback)
        // Another region's model never saw this user: its answer is the popularity fallback.
        let elsewhere = model.recommend(user: known, segment: other, k: 5)
        #expect(elsewhere.segment == other && elsewhere.usedFallback)
        // An unknown segment goes to the global model, which knows everyone with a booking.
        let global = model.recommend(user: known, segment: "atlantis", k: 5)
        #expect(global.segment == nil && !global.usedFallback)
    }

    @Test func unknownUsersGoToTheGlobalModelsFallback() throws {
        let model = try Self.spec.fit(try MarketplaceFixture.tiny().data)
        let top = model.recommend(user: 10_000_000, k: 5)
        #expect(top.segment == nil && top.usedFallback && top.items.count == 5)
        #expect(!model.knows(user: 10_000_000))
    }

    @Test func smallSegmentsHaveNoModelOfTheirOwn() throws {
        let data = try MarketplaceFixture.tiny().data
        let all = try #require(try Self.spec.fit(data) as? SegmentedModel)
        let none = try #require(try ModelSpec.segmented(.init(inner: .popularity(.init()), minimumPositives: 1_000_000)).fit(data) as? SegmentedModel)
        #expect(!all.segments.isEmpty && none.segments.isEmpty)
        #expect(throws: RecommenderError.self) { try ModelSpec.segmented(.init(feature: "user_stats:shoe_size")).fit(data) }
    }
}
