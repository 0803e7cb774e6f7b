import Foundation

/// The column statistics and drift sections.
extension HTMLReport {
    func renderProfile(_ profile: TableProfile, _ html: inout HTMLText) {
        html.raw("<section id=\"columns\">\n<h2>Columns</h2>\n<p class=\"muted\">")
        html.text("\(profile.rowCount) rows, \(profile.columns.count) columns")
        html.raw("</p>\n<div class=\"column-grid\">\n")
        for column in profile.columns {
            html.raw("<article class=\"column\" id=\"\(HTMLText.anchor(column.name))\">\n<h3>")
            html.text(column.name)
            html.raw(" <span class=\"type\">")
            html.text(column.type)
            html.raw("</span></h3>\n<table class=\"stats\"><tbody>\n")
            for (label, value) in Self.statistics(column) {
                html.raw("<tr><th>")
                html.text(label)
                html.raw("</th><td>")
                html.text(value)
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody></table>\n")
            if let numeric = column.numeric {
                html.raw("<figure>")
                html.raw(Self.histogramSVG(numeric.histogram, type: column.type, column: column.name))
                html.raw("<figcaption>")
                html.text(numeric.quantilesExact ? "Histogram" : "Histogram (approximate: from a quantile sketch)")
                html.raw("</figcaption></figure>\n")
            } else if let top = column.topValues {
                html.raw("<figure>")
                html.raw(Self.topValuesSVG(top, column: column.name))
                html.raw("<figcaption>")
                html.text(top.isExact ? "Most frequent values" : "Most frequent values (approximate counts)")
                html.raw("</figcaption></figure>\n")
            }
            html.raw("</article>\n")
        }
        html.raw("</div>\n</section>\n")
    }

    /// The (label, value) rows shown for a column.
    static func statistics(_ c: ColumnProfile) -> [(String, String)] {
        var rows: [(String, String)] = [("Rows", "\(c.rowCount)"),
                                        ("Nulls", "\(c.nullCount) (\(HTMLText.percent(c.nullFraction * 100)))")]
        if let distinct = c.distinct {
            rows.append(("Distinct", (distinct.isExact ? "" : "≈ ") + "\(distinct.count)"))
        }
        if c.nanCount > 0 { rows.append(("NaN", "\(c.nanCount)")) }
        if let n = c.numeric {
            rows.append(("Min", value(n.min.doubleValue, c.type)))
            rows.append(("Max", value(n.max.doubleValue, c.type)))
            rows.append(("Mean", value(n.mean, c.type)))
            rows.append(("Std dev", spread(n.standardDeviation, c.type)))
            for (label, p) in [("p1", 0.01), ("p25", 0.25), ("Median", 0.5), ("p75", 0.75), ("p99", 0.99)] {
                if let q = n.quantile(p) { rows.append((label, value(q, c.type))) }
            }
        }
        if let l = c.lengths {
            let unit = c.type == "binary" ? "bytes" : "characters"
            rows.append(("Length", "\(l.min) – \(l.max) \(unit), mean \(HTMLText.number((l.mean * 100).rounded() / 100))"))
            if l.emptyCount > 0 { rows.append(("Empty", "\(l.emptyCount)")) }
        }
        if let v = c.vector {
            rows.append(("Dimension", "\(v.dimension)"))
            if let norms = v.norms {
                rows.append(("L2 norm", "\(HTMLText.number(norms.min)) – \(HTMLText.number(norms.max)), mean \(HTMLText.number(norms.mean))"))
            }
            if v.zeroVectorCount > 0 { rows.append(("Zero vectors", "\(v.zeroVectorCount)")) }
            if v.nanVectorCount > 0 { rows.append(("Vectors with NaN", "\(v.nanVectorCount)")) }
        }
        return rows
    }

    /// A standard deviation: seconds for timestamps, days for dates.
    static func spread(_ x: Double, _ type: String) -> String {
        switch type {
        case "timestamp": duration(seconds: x / 1_000_000)
        case "date": HTMLText.number(x) + " days"
        default: HTMLText.number(x)
        }
    }

    /// A duration in the largest unit that keeps it at least 1 (seconds, hours or days).
    static func duration(seconds: Double) -> String {
        guard seconds.isFinite else { return HTMLText.number(seconds) }
        if abs(seconds) >= 86_400 { return String(format: "%.4g days", seconds / 86_400) }
        if abs(seconds) >= 3_600 { return String(format: "%.4g hours", seconds / 3_600) }
        return String(format: "%.4g s", seconds)
    }

    func renderDrift(_ drift: DriftReport, _ html: inout HTMLText) {
        html.raw("<section id=\"drift\">\n<h2>Drift</h2>\n")
        if let driftCaption {
            html.raw("<p class=\"muted\">")
            html.text(driftCaption)
            html.raw("</p>\n")
        }
        let verdict = drift.drifted ? "fail" : "pass"
        html.raw("<p class=\"verdict \(verdict)\">")
        html.text(drift.drifted ? "✗ Drift in \(drift.driftedColumns.count) of \(drift.columns.count) columns"
            : "✓ No column drifted")
        if drift.schemaChanged { html.text(" (the schema changed)") }
        html.raw("</p>\n<p class=\"muted\">")
        html.text("Reference \(drift.referenceRowCount) rows, current \(drift.currentRowCount) rows; numeric bins at the reference's \(drift.binCount)-quantiles, PSI epsilon \(HTMLText.number(drift.psiEpsilon)).")
        html.raw("</p>\n<table class=\"drift\">\n<thead><tr>")
        for heading in ["Status", "Column", "Kind", "PSI", "Jensen–Shannon", "L∞", "Null share (ref → cur)"] {
            html.raw("<th>")
            html.text(heading)
            html.raw("</th>")
        }
        html.raw("</tr></thead>\n<tbody>\n")
        for column in drift.columns {
            let cls = column.status != .compared ? "skipped" : column.drifted ? "fail" : "pass"
            html.raw("<tr class=\"drift-column \(cls)\"><td class=\"result \(cls)\">")
            switch column.status {
            case .compared: html.text(column.drifted ? "✗ drifted" : "✓ stable")
            default: html.text(column.status.rawValue.replacingOccurrences(of: "_", with: " "))
            }
            html.raw("</td><td>")
            html.text(column.name)
            if let message = column.message {
                html.raw("<div class=\"muted\">")
                html.text(message)
                html.raw("</div>")
            }
            html.raw("</td><td>")
            html.text(column.kind?.rawValue ?? "")
            html.raw("</td>")
            let t = column.thresholds
            for (measure, threshold) in [(column.psi, t?.psi), (column.jensenShannon, t?.jensenShannon), (column.lInfinity, t?.lInfinity)] {
                let over = measure.map { m in threshold.map { m > $0 } ?? false } ?? false
                html.raw("<td class=\"measure\(over ? " over" : "")\">")
                if let measure {
                    html.text(String(format: "%.4f", measure))
                    if let threshold, threshold.isFinite {
                        html.raw(" <span class=\"muted\">/ ")
                        html.text(HTMLText.number(threshold))
                        html.raw("</span>")
                    }
                }
                html.raw("</td>")
            }
            html.raw("<td>")
            if let r = column.referenceNullFraction, let c = column.currentNullFraction {
                html.text("\(HTMLText.percent(r * 100)) → \(HTMLText.percent(c * 100))")
            }
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody>\n</table>\n<div class=\"column-grid drift-grid\">\n")
        for column in drift.columns where column.status == .compared && !column.bins.isEmpty {
            html.raw("<figure class=\"drift-figure\">")
            html.raw(Self.driftSVG(column.bins, column: column.name))
            html.raw("<figcaption>")
            var caption = column.name
            if let count = column.categoryCount, count > column.bins.count {
                caption += " (the \(column.bins.count) categories that moved most, of \(count))"
            }
            html.text(caption)
            html.raw("</figcaption></figure>\n")
        }
        html.raw("</div>\n</section>\n")
    }

    /// The page's style sheet: system fonts, a readable table layout, pass/fail colours.
    static let css = """
    :root { color-scheme: light; --pass: #1a7f37; --fail: #cf222e; --muted: #57606a; --line: #d0d7de; --bar: #4f7cac; }
    * { box-sizing: border-box; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 1200px; padding: 24px; color: #1f2328; background: #fff; }
    header { border-bottom: 2px solid var(--line); margin-bottom: 16px; }
    h1 { font-size: 24px; margin: 0 0 8px; }
    h2 { font-size: 19px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
    h3 { font-size: 15px; margin: 0 0 6px; word-break: break-all; }
    dl.meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 12px; }
    dl.meta div { display: flex; gap: 6px; }
    dl.meta dt { color: var(--muted); }
    dl.meta dd { margin: 0; font-weight: 600; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
    thead th { background: #f6f8fa; font-weight: 600; }
    table.summary { width: auto; }
    table.summary th { font-weight: normal; color: var(--muted); }
    code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; word-break: break-all; }
    code.type { word-break: normal; }
    .verdict { font-size: 16px; font-weight: 600; }
    .verdict.pass, .result.pass { color: var(--pass); }
    .verdict.fail, .result.fail { color: var(--fail); }
    .result { white-space: nowrap; font-weight: 600; }
    tr.fail { background: #fff5f5; }
    .muted { color: var(--muted); }
    .exception { color: var(--fail); font-family: ui-monospace, monospace; }
    ul.values { margin: 0; padding-left: 16px; font: 12px ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
    .column-grid { margin-top: 16px; display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 16px; }
    .drift-grid { grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); }
    article.column, figure.drift-figure { border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 0; }
    .type { font-weight: normal; color: var(--muted); font-size: 12px; }
    table.stats th { font-weight: normal; color: var(--muted); width: 40%; padding: 2px 6px; }
    table.stats td { padding: 2px 6px; word-break: break-all; }
    figure { margin: 10px 0 0; }
    figcaption { color: var(--muted); font-size: 12px; }
    svg { max-width: 100%; height: auto; display: block; }
    svg .bar { fill: var(--bar); }
    svg .bar.other { fill: #a8b3bf; }
    svg .axis { stroke: #8c959f; stroke-width: 1; }
    svg text { font: 10px system-ui, "DejaVu Sans", sans-serif; fill: #1f2328; }
    svg .label { font-size: 11px; }
    svg .small { font-size: 9px; fill: var(--muted); }
    svg .reference { fill: #a8b3bf; }
    svg .current { fill: var(--bar); }
    td.measure.over { color: var(--fail); font-weight: 600; }
    tr.skipped { color: var(--muted); }
    footer { margin-top: 32px; color: var(--muted); font-size: 12px; }

    """
}
