import Foundation

/// The end of `larder demo`: a table of what happened and one of where the time went.
extension DemoRun {
    func printSummary() {
        let f = facts
        let g = DemoConsole.grouped as (Int) -> String
        print("\nSummary")
        var rows: [[String]] = []
        for (i, view) in f.views.enumerated() {
            rows.append([i == 0 ? "rows" : "", "\(view.view): \(g(view.rows)) at version \(view.version)"])
        }
        rows.append(["generated", "\(g(f.generatedRows)) rows in Parquet, \(DemoConsole.megabytes(f.generatedBytes))"])
        rows.append(["rejected", "1 batch of \(g(f.rejectedRows)) rows (\(f.rejectedBadRows) bad rows, \(f.rejectedExpectations) expectations failed), nothing committed"])
        rows.append(["quarantined", "\(f.quarantinedRows) of \(g(f.quarantineOffered)) rows (in user_stats__quarantine: \(f.quarantineTableRows)); \(g(f.quarantineCommitted)) committed"])
        rows.append(["training set", "\(g(f.trainingRows)) rows × \(f.trainingFeatures) features; leakage violations \(f.leakageViolations) of \(g(f.leakageChecked)) checked "
            + "(a naive join would leak into \(g(f.naiveLeaks)) rows)"])
        for m in f.models {
            let stage = m.version == f.productionVersion ? "production" : "registered"
            rows.append(["model", "\(m.kind) v\(m.version): NDCG@10 \(String(format: "%.4f", m.ndcg)), precision@10 \(String(format: "%.4f", m.precision)), "
                + "recall@10 \(String(format: "%.4f", m.recall)), fit \(String(format: "%.2f", m.fitSeconds)) s → \(stage)"])
        }
        let features = f.featureLatencies, recommend = f.recommendLatencies
        rows.append(["online features", "HTTP POST /get-online-features, \(features.count) calls: p50 \(DemoConsole.latency(micros: DemoConsole.percentile(features, 50))), "
            + "p99 \(DemoConsole.latency(micros: DemoConsole.percentile(features, 99)))"])
        rows.append(["recommendations", "\(f.recommendVia), \(recommend.count) calls: p50 \(DemoConsole.latency(micros: DemoConsole.percentile(recommend, 50))), "
            + "p99 \(DemoConsole.latency(micros: DemoConsole.percentile(recommend, 99)))"])
        for line in DemoConsole.table(["", "result"], rows, leftAligned: [0, 1]) { print(line) }

        print("")
        var times = console.steps.enumerated().map { i, step in ["\(i + 1)", step.title, String(format: "%.2f s", step.seconds)] }
        times.append(["", "total", String(format: "%.2f s", console.elapsed)])
        for line in DemoConsole.table(["step", "what", "time"], times, leftAligned: [1]) { print(line) }
        print("\nLook around: larder history --db \(path("features.larder")) user_stats; larder models list --db \(path("features.larder")); "
            + "larder serve --db \(path("features.larder")) --recommender \(Self.modelName)")
    }
}
