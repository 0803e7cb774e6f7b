import Foundation
import LarderColumnar

/// Inline SVG charts: fixed-bin histograms, top-value bars and paired drift bars. Sizes are
/// in SVG user units; text is escaped like the rest of the page.
extension HTMLReport {
    /// A vertical-bar histogram of equal-width bins, with the range under it and the tallest
    /// count beside it. Each bar carries a tooltip (`<title>`) with its range and count.
    static func histogramSVG(_ histogram: NumericHistogram, type: String, column: String) -> String {
        let width = 360.0, height = 150.0
        let left = 44.0, right = 8.0, top = 10.0, bottom = 30.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let counts = histogram.counts
        let tallest = max(counts.max() ?? 0, 1)
        let barWidth = plotWidth / Double(max(counts.count, 1))
        var svg = HTMLText()
        svg.raw("<svg class=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"")
        svg.text("Histogram of \(column)")
        svg.raw("\">\n")
        svg.raw("<line class=\"axis\" x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\"/>\n")
        for (i, count) in counts.enumerated() {
            let h = plotHeight * Double(count) / Double(tallest)
            let x = left + Double(i) * barWidth
            let low = i < histogram.edges.count ? histogram.edges[i] : .nan
            let high = i + 1 < histogram.edges.count ? histogram.edges[i + 1] : low
            svg.raw("<rect class=\"bar\" x=\(attr(x + 0.5)) y=\(attr(top + plotHeight - h)) width=\(attr(max(barWidth - 1, 0.5))) height=\(attr(h))><title>")
            svg.text("\(value(low, type)) – \(value(high, type)): \(count)")
            svg.raw("</title></rect>\n")
        }
        let first = histogram.edges.first ?? 0, last = histogram.edges.last ?? 0
        svg.raw("<text class=\"tick\" x=\(attr(left)) y=\(attr(height - 12)) text-anchor=\"start\">")
        svg.text(HTMLText.shortened(value(first, type), 24))
        svg.raw("</text>\n<text class=\"tick\" x=\(attr(width - right)) y=\(attr(height - 12)) text-anchor=\"end\">")
        svg.text(HTMLText.shortened(value(last, type), 24))
        svg.raw("</text>\n<text class=\"tick\" x=\(attr(left - 4)) y=\(attr(top + 8)) text-anchor=\"end\">")
        svg.text("\(tallest)")
        svg.raw("</text>\n<text class=\"tick\" x=\(attr(left - 4)) y=\(attr(top + plotHeight)) text-anchor=\"end\">0</text>\n</svg>")
        return svg.output
    }

    /// Horizontal bars for the most frequent values (and "other"), labelled and counted.
    static func topValuesSVG(_ top: TopValues, column: String) -> String {
        var rows = top.values.map { (HTMLText.shortened($0.value, 22), $0.count, false) }
        if top.otherCount > 0 { rows.append(("(other values)", top.otherCount, true)) }
        let rowHeight = 18.0, labelWidth = 140.0, width = 360.0
        let height = rowHeight * Double(max(rows.count, 1)) + 4
        let barSpace = width - labelWidth - 60
        let tallest = max(rows.map(\.1).max() ?? 0, 1)
        var svg = HTMLText()
        svg.raw("<svg class=\"histogram categorical\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"")
        svg.text("Most frequent values of \(column)")
        svg.raw("\">\n")
        for (i, (label, count, isOther)) in rows.enumerated() {
            let y = 2 + Double(i) * rowHeight
            let w = barSpace * Double(count) / Double(tallest)
            svg.raw("<text class=\"label\" x=\(attr(labelWidth - 6)) y=\(attr(y + 12)) text-anchor=\"end\">")
            svg.text(label.isEmpty ? "(empty)" : label)
            svg.raw("</text>\n<rect class=\"bar\(isOther ? " other" : "")\" x=\(attr(labelWidth)) y=\(attr(y + 2)) width=\(attr(max(w, 0.5))) height=\(attr(rowHeight - 5))><title>")
            svg.text("\(label): \(count)")
            svg.raw("</title></rect>\n<text class=\"tick\" x=\(attr(labelWidth + w + 4)) y=\(attr(y + 12))>")
            svg.text("\(count)")
            svg.raw("</text>\n")
        }
        svg.raw("</svg>")
        return svg.output
    }

    /// Paired horizontal bars per bin or category: the reference's share above the current
    /// data's, so a shift shows as bars of different lengths.
    static func driftSVG(_ bins: [DriftBin], column: String) -> String {
        // Room for the longest label (about 6.3 units per character at 11 px), within limits.
        let labels = bins.map { HTMLText.shortened($0.label.isEmpty ? "(empty)" : $0.label, 48) }
        let longest = Double(labels.map(\.count).max() ?? 0)
        let rowHeight = 24.0, labelWidth = min(max(longest * 6.3 + 10, 80), 320), width = labelWidth + 280
        let height = rowHeight * Double(max(bins.count, 1)) + 22
        let barSpace = width - labelWidth - 56
        let tallest = max(bins.map { max($0.referenceFraction, $0.currentFraction) }.max() ?? 0, 1e-12)
        var svg = HTMLText()
        svg.raw("<svg class=\"drift-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"")
        svg.text("Distribution of \(column): reference and current")
        svg.raw("\">\n<rect class=\"reference\" x=\(attr(labelWidth)) y=\"4\" width=\"10\" height=\"8\"/><text class=\"tick\" x=\(attr(labelWidth + 14)) y=\"12\">reference</text>\n")
        svg.raw("<rect class=\"current\" x=\(attr(labelWidth + 90)) y=\"4\" width=\"10\" height=\"8\"/><text class=\"tick\" x=\(attr(labelWidth + 104)) y=\"12\">current</text>\n")
        for (i, bin) in bins.enumerated() {
            let y = 20 + Double(i) * rowHeight
            svg.raw("<text class=\"label\" x=\(attr(labelWidth - 6)) y=\(attr(y + 14)) text-anchor=\"end\">")
            svg.text(labels[i])
            svg.raw("</text>\n")
            for (k, (cls, share)) in [("reference", bin.referenceFraction), ("current", bin.currentFraction)].enumerated() {
                let w = barSpace * share / tallest
                let by = y + 3 + Double(k) * 9
                svg.raw("<rect class=\"\(cls)\" x=\(attr(labelWidth)) y=\(attr(by)) width=\(attr(max(w, 0.5))) height=\"8\"><title>")
                svg.text("\(bin.label) (\(cls)): \(HTMLText.percent(share * 100))")
                svg.raw("</title></rect>\n<text class=\"tick small\" x=\(attr(labelWidth + w + 4)) y=\(attr(by + 7))>")
                svg.text(HTMLText.percent(share * 100))
                svg.raw("</text>\n")
            }
        }
        svg.raw("</svg>")
        return svg.output
    }

    /// A quoted SVG attribute value with two decimals.
    static func attr(_ x: Double) -> String {
        "\"" + String(format: "%.2f", x.isFinite ? x : 0) + "\""
    }

    /// A histogram edge as text: timestamps and dates in ISO 8601, other numbers compactly.
    static func value(_ x: Double, _ type: String) -> String {
        guard x.isFinite else { return HTMLText.number(x) }
        switch type {
        case "timestamp" where abs(x) < 9e15: return Timestamp.iso8601(micros: Int64(x))
        case "date" where abs(x) < 2e9: return Timestamp.isoDate(days: Int32(x))
        default: return HTMLText.number(x)
        }
    }
}
