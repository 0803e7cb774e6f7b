import Testing
@testable import LarderQuality

@Suite struct LarderQualityModuleTests {
    @Test func moduleLinks() {
        #expect(String(describing: LarderQuality.self) == "LarderQuality")
    }
}
