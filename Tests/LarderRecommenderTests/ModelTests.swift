import Foundation
import Testing
@testable import LarderRecommender

@Suite struct ModelTests {
    @Test func popularityWeighsRecentBookingsByTheHalfLife() throws {
        // Item 1: five bookings on day 0; item 2: three on day 75; T2 = day 90.
        let rows: [(Int64, Double)] = [(1, 0), (1, 0.1), (1, 0.2), (1, 0.3), (1, 0.4), (2, 75), (2, 75.1), (2, 75.2)]
        let log = try InteractionLog(userIDs: rows.indices.map { Int64($0) }, itemIDs: rows.map(\.0),
                                     times: rows.map { HandMade.at(day: $0.1) }, positives: rows.map { _ in true })
        let data = try TrainingData(log: log, split: try HandMade.split())
        let recent = try ModelSpec.popularity(.init(halfLifeDays: 7)).fit(data)
        #expect(recent.recommend(user: 1, k: 2).items.map(\.item) == [2, 1])
        let allTime = try ModelSpec.popularity(.init(halfLifeDays: 0)).fit(data)
        #expect(allTime.recommend(user: 1, k: 2).items.map(\.item) == [1, 2])
        #expect(allTime.recommend(user: 1, k: 2).items.map(\.score) == [5, 3])
        // Popularity is the same for everyone and never a fallback.
        #expect(allTime.knows(user: 12345) && !allTime.recommend(user: 12345, k: 1).usedFallback)
    }

    @Test(arguments: [ModelSpec.itemKNN(.init(neighbours: 5, shrinkage: 0)), .als(HandMade.groupALS), .content(.init())])
    func learnedModelsRecommendTheUsersOwnGroup(spec: ModelSpec) throws {
        let data = try HandMade.blocks()
        let model = try spec.fit(data)
        for user in [Int64(3), 15] {
            let own = user <= 10 ? HandMade.groupA : HandMade.groupB
            let booked = HandMade.booked(data, user: user, before: data.split.testStart)
            let top = model.recommend(user: user, k: 1, excluding: booked)
            #expect(!top.usedFallback)
            #expect(top.items.count == 1 && own.contains(top.items[0].item), "\(spec.kind) for user \(user): \(top.items)")
        }
        // Popularity puts the all-time favourite 900 first instead.
        let popular = try ModelSpec.popularity(.init(halfLifeDays: 0)).fit(data)
        #expect(popular.recommend(user: 3, k: 1).items.first?.item == 900)
    }

    @Test(arguments: [ModelSpec.itemKNN(.init()), .als(HandMade.als), .content(.init()), .ensemble(.init(
        members: [.popularity(.init()), .als(HandMade.als)], userRegionFeature: nil, itemRegionFeature: nil,
        favouriteFeature: nil, categoryFeature: nil))])
    func unknownUsersGetThePopularityFallbackWithTheFlag(spec: ModelSpec) throws {
        let data = try HandMade.blocks()
        let model = try spec.fit(data)
        let stranger: Int64 = 424_242
        #expect(!model.knows(user: stranger))
        let top = model.recommend(user: stranger, k: 3)
        #expect(top.usedFallback)
        let popular = try ModelSpec.popularity(.init()).fit(data).recommend(user: stranger, k: 3)
        #expect(top.items.map(\.item) == popular.items.map(\.item))
        #expect(model.score(user: stranger, candidates: [900]).usedFallback)
        // A known user is answered by the model itself.
        #expect(model.knows(user: 3) && !model.recommend(user: 3, k: 3).usedFallback)
    }

    @Test func contentModelPlacesAColdUserByTheirFeatures() throws {
        // User 21 booked nothing but has the favourite category "yoga" and the region "north".
        let model = try ModelSpec.content(.init()).fit(try HandMade.blocks())
        #expect(model.knows(user: 21))
        let top = model.recommend(user: 21, k: 3)
        #expect(!top.usedFallback && top.items.allSatisfy { HandMade.groupA.contains($0.item) }, "\(top.items)")
    }

    @Test func contentModelCopesWithAllNullFeatures() throws {
        // Every category, region and price unknown: one "unknown" slot per signal, so the
        // ranking is left to the popularity prior and nothing is NaN.
        let blocks = try HandMade.blocks()
        let ids = blocks.testFeatures.items.ids
        let items = try FeatureTable(ids: ids, columns: [
            "item_stats__category": .categorical(codes: ids.map { _ in -1 }, vocabulary: []),
            "item_stats__region": .categorical(codes: ids.map { _ in -1 }, vocabulary: []),
            "item_stats__price": .numeric(ids.map { _ in .nan }),
        ])
        let users = try FeatureTable(ids: [1, 2], columns: [
            "user_stats__region": .categorical(codes: [-1, -1], vocabulary: ["north"]),
            "user_stats__fav_category": .categorical(codes: [-1, -1], vocabulary: ["yoga"]),
        ])
        let features = EntityFeatures(users: users, items: items)
        let data = try TrainingData(log: blocks.log, split: blocks.split, validationFeatures: features, testFeatures: features)
        let model = try ModelSpec.content(.init()).fit(data)
        let scores = model.score(user: 3, candidates: model.itemIDs).scores
        #expect(!scores.isEmpty && scores.allSatisfy(\.isFinite))
        #expect(model.knows(user: 3) && !model.recommend(user: 3, k: 5).usedFallback)
    }

    @Test func recommendHonoursExclusionsKAndUnknownCandidates() throws {
        let model = try ModelSpec.als(HandMade.als).fit(try HandMade.blocks())
        #expect(model.recommend(user: 3, k: 0).items.isEmpty)
        #expect(model.recommend(user: 3, k: -2).items.isEmpty)
        let everything = model.recommend(user: 3, k: 100)
        #expect(everything.items.count == model.itemIDs.count)
        #expect(everything.items.map(\.score) == everything.items.map(\.score).sorted(by: >))
        let excluded: Set<Int64> = [101, 102, 900, 777]
        let rest = model.recommend(user: 3, k: 100, excluding: excluded)
        #expect(rest.items.count == model.itemIDs.count - 3)
        #expect(rest.items.allSatisfy { !excluded.contains($0.item) })
        let scored = model.score(user: 3, candidates: [101, 555, 201])
        #expect(scored.scores.count == 3 && scored.scores[1] == -.infinity && scored.scores[0].isFinite)
        // Scores agree with the ranking.
        let byScore = model.score(user: 3, candidates: everything.items.map(\.item))
        #expect(byScore.scores == everything.items.map(\.score))
        #expect(model.score(user: 3, candidates: []).scores.isEmpty)
    }

    @Test func alsIsDeterministicForASeedAndChangesWithIt() throws {
        let data = try HandMade.blocks()
        let first = try ModelSpec.als(HandMade.als).fit(data).encode()
        let second = try ModelSpec.als(HandMade.als).fit(data).encode()
        #expect(first == second)
        var other = HandMade.als
        other.seed = 6
        #expect(try ModelSpec.als(other).fit(data).encode() != first)
    }

    @Test func alsSolvesTheNormalEquationsWithManyCGSteps() throws {
        // With enough CG steps a half-sweep solves its least-squares problem, so the item
        // factors (solved last, from the final user factors X) satisfy
        // (XᵀX + λI + Σ_u (c − 1) x xᵀ) y = Σ_u c x over the users u who booked the item.
        let data = try HandMade.blocks()
        var p = HandMade.als
        p.cgSteps = 40
        p.iterations = 3
        guard let model = try ModelSpec.als(p).fit(data) as? ALSModel else { Issue.record("not an ALSModel"); return }
        let f = p.factors
        let (users, counts) = ALSModel.bookings(data.window(.test))
        let byItem = counts.transposed(columnCount: model.itemIDs.count)
        func vector(_ factors: [Float], _ row: Int) -> [Double] { (0 ..< f).map { Double(factors[row * f + $0]) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        var worst = 0.0
        for i in 0 ..< model.itemIDs.count {
            let y = vector(model.itemFactors, i)
            var lhs = y.map { p.regularization * $0 }, rhs = [Double](repeating: 0, count: f)
            for u in 0 ..< users.count {
                let x = vector(model.userFactors, u)
                let xy = dot(x, y)
                for a in 0 ..< f { lhs[a] += x[a] * xy }
            }
            for k in byItem.range(i) {
                let x = vector(model.userFactors, Int(byItem.columns[k]))
                let c = 1 + p.alpha * Double(byItem.values[k])
                let xy = dot(x, y)
                for a in 0 ..< f {
                    lhs[a] += (c - 1) * x[a] * xy
                    rhs[a] += c * x[a]
                }
            }
            let scale = max(rhs.map(abs).max() ?? 0, 1e-3)
            let difference = zip(lhs, rhs).map { abs($0 - $1) }.max() ?? 0
            worst = max(worst, difference / scale)
        }
        #expect(worst < 1e-3, "largest relative residual of the items' normal equations: \(worst)")
    }

    @Test func badParametersAndKindsAreRefusedByName() throws {
        let data = try HandMade.blocks()
        let bad: [(ModelSpec, String)] = [
            (.als(.init(factors: 0)), "factors"), (.als(.init(regularization: -1)), "regularization"),
            (.als(.init(threads: 0)), "threads"), (.itemKNN(.init(neighbours: 0)), "neighbours"),
            (.popularity(.init(halfLifeDays: -1)), "halfLifeDays"), (.content(.init(priceBands: 0)), "priceBands"),
            (.ensemble(.init(members: [])), "member"), (.ensemble(.init(members: [.ensemble(.init())])), "single models"),
            (.segmented(.init(inner: .segmented(.init()))), "nest"),
        ]
        for (spec, word) in bad {
            do {
                _ = try spec.fit(data)
                Issue.record("\(spec.kind) with a bad parameter was accepted")
            } catch let e as RecommenderError {
                #expect(e.code == .invalidInput && e.message.contains(word), "\(e)")
            }
        }
        #expect(throws: RecommenderError.self) { try ModelKind(parsing: "deep-learning") }
        #expect(try ModelKind(parsing: "item-KNN") == .itemKNN)
        #expect(try ModelKind(parsing: "ALS") == .als)
    }

    @Test func missingFeaturesAndEmptyWindowsAreClearErrors() throws {
        let data = try HandMade.blocks()
        do {
            _ = try ModelSpec.content(.init(categoryFeature: "item_stats:genre")).fit(data)
            Issue.record("an unknown feature was accepted")
        } catch let e as RecommenderError {
            #expect(e.code == .unknownFeature && e.message.contains("item_stats:genre"))
        }
        #expect(throws: RecommenderError.self) { try ModelSpec.ensemble(.init()).fit(data, stage: .validation) }
        // Nothing booked before T2.
        let log = try InteractionLog(userIDs: [1, 2], itemIDs: [5, 6], times: [HandMade.at(day: 95), HandMade.at(day: 96)],
                                     positives: [true, true])
        let late = try TrainingData(log: log, split: try HandMade.split())
        do {
            _ = try ModelSpec.als(HandMade.als).fit(late)
            Issue.record("an empty window was accepted")
        } catch let e as RecommenderError {
            #expect(e.code == .emptyWindow)
        }
        #expect(throws: RecommenderError.self) { try TimeSplit(validationStart: 10, testStart: 5) }
        #expect(throws: RecommenderError.self) { try TimeSplit.quantiles(of: []) }
        #expect(throws: RecommenderError.self) { try InteractionLog(userIDs: [1], itemIDs: [], times: [1], positives: [true]) }
    }

    @Test func interactionLogSortsByTimeStably() throws {
        let log = try InteractionLog(userIDs: [1, 2, 3, 4], itemIDs: [10, 20, 30, 40], times: [5, 1, 5, 0], positives: [true, false, true, false])
        #expect(log.times == [0, 1, 5, 5])
        #expect(log.userIDs == [4, 2, 1, 3])
        #expect(log.positiveCount == 2)
        #expect(log.firstRow(atOrAfter: 5) == 2 && log.firstRow(atOrAfter: 6) == 4 && log.firstRow(atOrAfter: -1) == 0)
        let split = try TimeSplit.quantiles(of: Array(0 ..< 100), validation: 0.8, test: 0.9)
        #expect(split.validationStart == 80 && split.testStart == 90)
    }
}
