import Testing
@testable import LarderRecommender

@Suite struct LarderRecommenderModuleTests {
    @Test func moduleLinks() {
        #expect(String(describing: LarderRecommender.self) == "LarderRecommender")
    }
}
