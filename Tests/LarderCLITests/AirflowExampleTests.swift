import Foundation
import LarderTestSupport
import Testing

/// The Airflow example's tasks (examples/airflow/larder_marketplace_dag.py) are idempotent jobs:
/// examples/airflow/check_dag.py runs each one twice with the real `larder` against a temporary
/// database, in the DAGs' order, and fails when a second run changes anything or a first run
/// does nothing. Airflow itself is not needed (the DAG module exposes its commands as a list).
@Suite struct AirflowExampleTests {
    @Test func everyDagCommandRunsTwiceWithoutChangingAnythingTheSecondTime() throws {
        let script = Interop.packageRoot.appendingPathComponent("examples/airflow/check_dag.py").path
        let run = try ScriptRun("/usr/bin/env", ["python3", script, CommandLineTool.executable.path])
        #expect(run.status == 0, "check_dag.py failed:\n\(run.stdout.suffix(4000))\n\(run.stderr.suffix(3000))")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // Every task of both DAGs ran: 5 daily tasks on two days, 6 weekly ones.
        let checked = lines.filter { $0.hasSuffix("second run none") }
        #expect(checked.count == 16, "\(lines.joined(separator: "\n"))")
        for task in ["apply", "ingest_user_stats", "ingest_item_stats", "ingest_user_item", "materialize"] {
            #expect(checked.filter { $0.contains("larder_marketplace_daily.\(task) (") }.count == 2, "daily task \(task)")
        }
        for view in ["user_stats", "item_stats", "user_item"] {
            #expect(checked.contains { $0.contains("larder_marketplace_maintenance.compact_\(view) (") })
            #expect(checked.contains { $0.contains("larder_marketplace_maintenance.vacuum_\(view) (") })
        }
        #expect(lines.contains("a day with no file: the ingest fails and changes nothing"))
        #expect(lines.last?.hasPrefix("check_dag: 32 runs of 11 commands") == true)
    }
}
