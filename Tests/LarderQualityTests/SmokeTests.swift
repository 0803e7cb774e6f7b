import LarderColumnar
import Testing
@testable import LarderQuality

@Suite struct SmokeTests {
    @Test func betweenCountsUnexpectedAndMissing() throws {
        let b = try Q.batch(["x": Q.doubles([1, nil, 2, .nan, 5])])
        let r = try Q.run("expect_column_values_to_be_between", ["column": "x", "min_value": 1.5], b)
        #expect(!r.success)
        #expect(r.result.elementCount == 5)
        #expect(r.result.missingCount == 2)
        #expect(r.result.unexpectedCount == 1)
        #expect(r.result.partialUnexpectedList == [.double(1)])
        print(r.json.jsonText())
    }
}
