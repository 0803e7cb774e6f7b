import Foundation
import LarderColumnar
import LarderParquet
import LarderQuality
import LarderTestSupport
import Testing

/// Great Expectations 1.x itself accepts the suggested suite (every name and kwarg) and finds
/// that the data it was suggested from passes every expectation: the GE fixture files are read
/// with `LarderParquet`, profiled, and the suggestion is run through `ge_validate.py` (GE on
/// pandas, live).
@Suite struct ProfileSuggestInteropTests {
    static let files = ["events.parquet", "all_null.parquet"]

    @Test(.enabled(if: GreatExpectations.shouldRun, Comment(rawValue: GreatExpectations.skipMessage)),
          arguments: files)
    func greatExpectationsAcceptsTheSuggestedSuite(_ file: String) throws {
        try GreatExpectations.requireAvailable()
        let path = GreatExpectations.fixturesDirectory.appendingPathComponent(file).path
        let batch = try ParquetFile(path: path).read()
        let text = Profiler.suggestSuite(from: try Profiler.profile([batch]), name: "suggested_\(file)")
        let dir = try TemporaryDirectory(prefix: "larder-suggest")
        let suitePath = dir.file("suite.json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: suitePath))

        let ge = try GreatExpectations.validate(files: [path], suite: suitePath)
        #expect(ge.rows == batch.rowCount)
        #expect(ge.results.count == (try ExpectationSuite(json: text)).expectations.count)
        #expect(ge.results.count > batch.schema.count / 2, "too few suggestions to mean much")
        for result in ge.results {
            #expect(result.exception == nil, "\(file) \(result.label): GE raised \(result.exception ?? "")")
            #expect(result.success, "\(file) \(result.label): GE finds the profiled data fails it (observed \(String(describing: result.observedValue)), unexpected \(result.unexpectedCount ?? -1))")
        }
        #expect(ge.success)
    }
}
