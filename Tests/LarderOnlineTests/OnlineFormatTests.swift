import Testing
@testable import LarderOnline

@Suite struct OnlineFormatTests {
    @Test func formatVersionIsOne() {
        #expect(LarderOnline.formatVersion == 1)
    }
}
