import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderQuality

/// The HTML report's text: structure, escaping, self-containment.
@Suite struct ReportTests {
    static let payload = "<script>alert(1)</script>"
    static let imagePayload = "<img src=x onerror=\"document.title='pwned'\">"

    /// A report whose every user-supplied text carries markup.
    static func hostileReport() throws -> HTMLReport {
        let batch = try RecordBatch([
            "amount": .float64([1, 2, 2, 3, 50]),
            imagePayload: Column.string([payload, payload, "ok", "a & b", "it's \"quoted\"\u{0}"]),
        ])
        let changed = try RecordBatch([
            "amount": .float64([10, 20, 20, 30, 500]),
            imagePayload: Column.string([payload, "ok", "ok", "ok", "new <b>bold</b>"]),
        ])
        let rows = [
            ReportExpectationRow(type: "expect_column_values_to_be_in_set",
                                 kwargs: "{\"column\": \"\(imagePayload)\", \"value_set\": [\"ok\"]}",
                                 success: false, unexpectedCount: 4, unexpectedPercent: 80,
                                 partialUnexpected: [payload, "a & b"], column: imagePayload),
            ReportExpectationRow(type: "expect_column_mean_to_be_between", kwargs: "{\"column\": \"amount\"}",
                                 success: true, observed: "11.6 <i>", column: "amount"),
            ReportExpectationRow(type: "expect_column_to_exist", kwargs: "{}", success: false,
                                 exception: "boom </td></tr></table>" + payload),
        ]
        return HTMLReport(title: "Report for " + payload, view: imagePayload, version: 3, suiteName: "s&s",
                          generatedAt: Date(timeIntervalSince1970: 1_700_000_000), expectations: rows,
                          profile: try Profiler.profile([batch]),
                          drift: try Drift.compare(reference: [batch], current: [changed]),
                          driftCaption: "v1 → v2 " + payload)
    }

    @Test func userTextIsEscaped() throws {
        let html = try Self.hostileReport().render()
        // No markup from the data survives: the only tags are the report's own.
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<img"))
        #expect(!html.contains("<b>bold"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("</td></tr></table><"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;"))
        #expect(html.contains("a &amp; b"))
        #expect(html.contains("s&amp;s"))
        // NUL shows as its control picture.
        #expect(!html.contains("\u{0}"))
    }

    @Test func escapeMapsEverySpecialCharacter() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("tab\tnew\nline\u{1}\u{7F}") == "tab\tnew\nline\u{2401}\u{2421}")
        #expect(HTMLText.escape("漢字 👩‍👩‍👧‍👦 é") == "漢字 👩‍👩‍👧‍👦 é")
        #expect(HTMLText.escape("") == "")
    }

    @Test func pageIsSelfContained() throws {
        let html = try Self.hostileReport().render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("<style>"))
        // Nothing to fetch: the only URL is the SVG namespace.
        #expect(!html.contains("https:"))
        let urls = html.components(separatedBy: "http:").dropFirst().map { String($0.prefix(24)) }
        #expect(!urls.isEmpty)
        #expect(urls.allSatisfy { $0.hasPrefix("//www.w3.org/2000/svg\"") }, "\(urls)")
        #expect(!html.contains("<link"))
    }

    @Test func expectationRowsAndSummary() throws {
        let report = try Self.hostileReport()
        let html = report.render()
        #expect(occurrences(of: "<tr class=\"expectation fail\"", in: html) == 2)
        #expect(occurrences(of: "<tr class=\"expectation pass\"", in: html) == 1)
        #expect(html.contains("<tr class=\"evaluated\"><th>Evaluated expectations</th><td>3</td></tr>"))
        #expect(html.contains("<tr class=\"failed\"><th>Failed expectations</th><td>2</td></tr>"))
        #expect(html.contains("<tr class=\"percent\"><th>Success percent</th><td>33.33%</td></tr>"))
        #expect(html.contains("✗ Validation failed"))
        #expect(html.contains("4 <span class=\"muted\">(80%)</span>"))
        #expect(html.contains("2023-11-14T22:13:20Z"))
        #expect(!report.success)
        // Rows link to their column's section.
        #expect(html.contains("href=\"#\(HTMLText.anchor("amount"))\""))
        #expect(html.contains("id=\"\(HTMLText.anchor("amount"))\""))
    }

    @Test func oneHistogramPerColumnAndADriftSection() throws {
        let html = try Self.hostileReport().render()
        #expect(occurrences(of: "<svg class=\"histogram\"", in: html) == 1)             // amount
        #expect(occurrences(of: "<svg class=\"histogram categorical\"", in: html) == 1) // the string column
        #expect(occurrences(of: "<rect class=\"bar\"", in: html) >= 20 + 3)
        #expect(html.contains("<section id=\"drift\">"))
        #expect(occurrences(of: "<svg class=\"drift-chart\"", in: html) == 2)
        #expect(html.contains("✗ drifted"))
    }

    @Test func emptyReportHasOnlyAHeader() throws {
        let html = HTMLReport(title: "nothing").render()
        #expect(html.contains("<h1>nothing</h1>"))
        #expect(!html.contains("id=\"summary\""))
        #expect(!html.contains("<svg"))
        // A suite with no expectations still gets a summary that says so.
        let none = HTMLReport(title: "t", suiteName: "empty suite").render()
        #expect(none.contains("No expectations evaluated"))
        // Columns without values get statistics but no chart.
        let schema = try Schema([Field("x", .float64)])
        let profiled = HTMLReport(title: "t", profile: try Profiler.profile([], schema: schema)).render()
        #expect(profiled.contains("id=\"\(HTMLText.anchor("x"))\""))
        #expect(!profiled.contains("<svg"))
    }

    @Test func anchorsAreDistinctAndValid() {
        let names = ["a b", "a_b", "a-b", "é", "e\u{301}", "\"", ""]
        let anchors = names.map(HTMLText.anchor)
        #expect(Set(anchors).count == names.count)
        for anchor in anchors {
            #expect(anchor.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        }
    }

    @Test func writesTheFile() throws {
        let dir = try TemporaryDirectory(prefix: "larder-report")
        let url = dir.fileURL("report.html")
        let report = try Self.hostileReport()
        try report.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == report.render())
    }

    func occurrences(of needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }
}
