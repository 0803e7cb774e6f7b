import Foundation
import Testing
@testable import LarderRecommender

@Suite struct ArtifactTests {
    /// Specs small enough for debug builds, one per kind.
    static let specs: [ModelSpec] = [
        .popularity(.init()), .itemKNN(.init(neighbours: 20)), .als(HandMade.als), .content(.init()),
        .ensemble(.init(members: [.popularity(.init()), .itemKNN(.init(neighbours: 20)), .als(HandMade.als), .content(.init())],
                        candidatesPerMember: 10, maxUsers: 200, iterations: 8)),
        .segmented(.init(feature: "user_stats:region", inner: .als(HandMade.als), global: .popularity(.init()), minimumPositives: 20)),
    ]

    @Test(arguments: specs)
    func roundTripGivesEqualScoresAndBytes(spec: ModelSpec) throws {
        let data = try MarketplaceFixture.tiny().data
        let model = try spec.fit(data)
        let bytes = model.encode()
        let decoded = try ModelArtifact.decode(bytes)
        #expect(decoded.kind == spec.kind && decoded.spec == spec)
        #expect(decoded.itemIDs == model.itemIDs)
        #expect(decoded.encode() == bytes)
        let header = try ModelArtifact.header(bytes)
        #expect(header.kind == spec.kind && header.spec == spec && header.formatVersion == ModelArtifact.formatVersion)
        let set = data.evaluationSet(.test)
        for (u, user) in (set.users.prefix(40) + [987_654]).enumerated() {
            let excluded = Set(u < set.users.count ? set.excluded[u] : [])
            #expect(decoded.knows(user: user) == model.knows(user: user))
            #expect(decoded.score(user: user, candidates: model.itemIDs) == model.score(user: user, candidates: model.itemIDs))
            #expect(decoded.recommend(user: user, k: 10, excluding: excluded) == model.recommend(user: user, k: 10, excluding: excluded))
        }
    }

    @Test(arguments: specs)
    func fittingTwiceGivesTheSameArtifact(spec: ModelSpec) throws {
        let data = try MarketplaceFixture.tiny().data
        #expect(try spec.fit(data).encode() == spec.fit(data).encode())
    }

    @Test func damagedArtifactsAreRefused() throws {
        let bytes = try ModelSpec.als(HandMade.als).fit(try HandMade.blocks()).encode()
        func code(_ data: Data) -> RecommenderError.Code? {
            do { _ = try ModelArtifact.decode(data) } catch let e as RecommenderError { return e.code } catch { return nil }
            return nil
        }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        #expect(code(flipped) == .corruptArtifact)
        #expect(code(bytes.prefix(bytes.count - 3)) == .corruptArtifact)
        #expect(code(bytes.prefix(10)) == .corruptArtifact)
        #expect(code(Data()) == .corruptArtifact)
        #expect(code(Data("not a model at all, just some text".utf8)) == .corruptArtifact)
    }

    /// Rewrites the artifact's header field at `offset` and re-seals the digest, as a newer or
    /// foreign writer would.
    static func resealed(_ bytes: Data, _ edit: (inout [UInt8]) -> Void) -> Data {
        var body = Array(bytes.prefix(bytes.count - 8))
        edit(&body)
        var digest = Digest64()
        body.withUnsafeBytes { digest.add(bytes: $0) }
        withUnsafeBytes(of: digest.finalized.littleEndian) { body.append(contentsOf: $0) }
        return Data(body)
    }

    @Test func newerFormatsAndUnknownKindsAreNamed() throws {
        let bytes = try ModelSpec.popularity(.init()).fit(try HandMade.blocks()).encode()
        let newer = Self.resealed(bytes) { $0[8] = 2 }
        do {
            _ = try ModelArtifact.decode(newer)
            Issue.record("a newer format was accepted")
        } catch let e as RecommenderError {
            #expect(e.code == .unsupportedFormat && e.message.contains("version 2"))
        }
        // The kind string "popularity" is at offset 20 (magic 8, version 4, length 8).
        let foreign = Self.resealed(bytes) { body in
            for (k, b) in Array("xxxxxxxxxx".utf8).enumerated() { body[20 + k] = b }
        }
        do {
            _ = try ModelArtifact.decode(foreign)
            Issue.record("an unknown kind was accepted")
        } catch let e as RecommenderError {
            #expect(e.code == .unknownModel && e.message.contains("xxxxxxxxxx"))
        }
        // A payload that disagrees with itself: the scores array one short.
        let popularity = try #require(try ModelArtifact.decode(bytes) as? PopularityModel)
        var w = ArtifactWriter(kind: .popularity, spec: popularity.spec)
        w.write(popularity.itemIDs)
        w.write(Array(popularity.fallback.dropLast()))
        #expect(throws: RecommenderError.self) { try ModelArtifact.decode(w.finish()) }
    }

    @Test func specsSurviveJSONWithDefaultsForMissingParameters() throws {
        for spec in Self.specs {
            let json = try JSONEncoder().encode(spec)
            #expect(try JSONDecoder().decode(ModelSpec.self, from: json) == spec)
        }
        let sparse = try JSONDecoder().decode(ModelSpec.self, from: Data(#"{"kind": "als", "parameters": {"factors": 16}}"#.utf8))
        #expect(sparse == .als(ALSParameters(factors: 16)))
        let bare = try JSONDecoder().decode(ModelSpec.self, from: Data(#"{"kind": "content"}"#.utf8))
        #expect(bare == .content(.init()))
        let noFavourite = try JSONDecoder().decode(ModelSpec.self, from: Data(#"{"kind": "content", "parameters": {"favouriteFeature": null}}"#.utf8))
        #expect(noFavourite == .content(.init(favouriteFeature: nil)))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ModelSpec.self, from: Data(#"{"kind": "magic"}"#.utf8)) }
    }
}
