import Foundation
import Larder
import LarderColumnar
import LarderQuality

/// Plain-text and HTML renderings of quality results for the `larder` commands.
enum QualityText {
    static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// "validate user_stats v3 suite user_stats_checks: FAILED 10/12 ..." and one line per expectation.
    static func summary(_ report: QualityReport) -> String {
        let s = report.result.statistics
        let verdict = report.result.success ? "passed" : "FAILED"
        var head = "\(report.view) version \(report.version), suite \(report.suite): \(verdict)"
        head += " \(s.successfulExpectations)/\(s.evaluatedExpectations) expectations over \(report.rows) rows"
        head += String(format: " (read %.2f s, validated %.2f s)", report.readSeconds, report.validateSeconds)
        if report.reusedRows > 0 { head += "; metrics of \(report.reusedRows) rows reused from their commits" }
        var lines = [head]
        for r in report.result.results {
            lines.append("  " + (r.success ? "ok    " : "FAIL  ") + describe(r))
        }
        return lines.joined(separator: "\n")
    }

    /// One expectation's outcome: its type and columns, then counts or the observed value.
    static func describe(_ r: ExpectationResult) -> String {
        let columns = r.expectation.columns
        var text = r.expectation.type + (columns.isEmpty ? "" : "(" + columns.joined(separator: ", ") + ")")
        if let n = r.result.unexpectedCount {
            text += ": \(n) unexpected"
            if let p = r.result.unexpectedPercent { text += String(format: " (%.4g%%)", p) }
            if !r.success, let sample = r.result.partialUnexpectedList, !sample.isEmpty {
                text += ", e.g. " + sample.prefix(3).map { $0.jsonText() }.joined(separator: ", ")
            }
        } else if let observed = r.result.observedValue {
            text += ": observed " + observed.jsonText()
        }
        if let e = r.exceptionInfo { text += " (error: \(e))" }
        return text
    }

    /// The HTML page of a validation: expectations, then a histogram per column.
    static func validationPage(_ report: QualityReport, profile: TableProfile?) -> HTMLReport {
        let rows = report.result.results.map { r in
            ReportExpectationRow(
                type: r.expectation.type, kwargs: QualityJSON.object(r.expectation.kwargs).jsonText(), success: r.success,
                observed: r.result.observedValue.map { $0.jsonText() }, unexpectedCount: r.result.unexpectedCount,
                unexpectedPercent: r.result.unexpectedPercent,
                partialUnexpected: (r.result.partialUnexpectedList ?? []).map { $0.jsonText() },
                column: r.expectation.columns.first, exception: r.exceptionInfo)
        }
        return HTMLReport(title: "Validation of \(report.view)", view: report.view, version: report.version,
                          suiteName: report.suite, generatedAt: Date(), expectations: rows, profile: profile)
    }

    /// A column table: type, nulls, distinct, min, mean, max.
    static func profileTable(_ profile: TableProfile, view: String, version: Int64) -> String {
        var lines = ["\(view) version \(version): \(profile.rowCount) rows"]
        lines.append(["column".padding(toLength: 20, withPad: " ", startingAt: 0), "type".padding(toLength: 16, withPad: " ", startingAt: 0),
                      "nulls".padding(toLength: 10, withPad: " ", startingAt: 0), "distinct".padding(toLength: 12, withPad: " ", startingAt: 0),
                      "min / mean / max"].joined(separator: " "))
        for c in profile.columns {
            var range = ""
            if let n = c.numeric {
                range = "\(n.min) / " + String(format: "%.4g", n.mean) + " / \(n.max)"
            } else if let top = c.topValues {
                range = "top: " + String(describing: top).prefix(60)
            }
            let distinct = c.distinct.map { ($0.isExact ? "" : "~") + "\($0.count)" } ?? "-"
            lines.append([c.name.padding(toLength: 20, withPad: " ", startingAt: 0), c.type.padding(toLength: 16, withPad: " ", startingAt: 0),
                          "\(c.nullCount)".padding(toLength: 10, withPad: " ", startingAt: 0), distinct.padding(toLength: 12, withPad: " ", startingAt: 0),
                          range].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// One line per column: PSI, JS, L-infinity and the verdict.
    static func driftTable(_ report: DriftReport, view: String, caption: String) -> String {
        var lines = ["drift of \(view), \(caption): \(report.referenceRowCount) → \(report.currentRowCount) rows; "
            + (report.drifted ? "DRIFTED: " + report.driftedColumns.joined(separator: ", ") : "no drift beyond the thresholds")]
        func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }
        for c in report.columns {
            lines.append("  " + (c.drifted ? "DRIFT " : "ok    ") + c.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                + " psi=\(f(c.psi)) js=\(f(c.jensenShannon)) linf=\(f(c.lInfinity))" + (c.message.map { " (\($0))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
