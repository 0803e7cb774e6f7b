import Foundation
import Testing
@testable import LarderRecommender

@Suite struct TrainerTests {
    @Test func trainReportsTestMetricsTimingsAndTheArtifact() throws {
        let data = try MarketplaceFixture.tiny().data
        let spec = ModelSpec.als(HandMade.als)
        let result = try Trainer.train(spec, on: data, k: 10)
        let report = result.report
        #expect(report.model == spec && report.split == data.split && report.lineage == data.lineage)
        #expect(report.metrics == Evaluator.evaluate(result.model, on: data.evaluationSet(.test), k: 10))
        #expect(report.metrics.k == 10 && report.metrics.users == data.evaluationSet(.test).users.count)
        #expect(report.artifactBytes == result.artifact.count && result.artifact == result.model.encode())
        let window = data.window(.test)
        #expect(report.users == window.userCount && report.items == window.itemCount && report.positives == window.positiveCount)
        #expect(["fit", "evaluate", "encode"].allSatisfy { (report.seconds[$0] ?? -1) >= 0 })
        #expect(report.registeredVersion == nil)
        // The JSON the CLI prints decodes to the same report.
        let json = try report.json()
        #expect(try JSONDecoder().decode(TrainingReport.self, from: json) == report)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["model", "metrics", "seconds", "split", "lineage", "artifactBytes"]))
    }
}
