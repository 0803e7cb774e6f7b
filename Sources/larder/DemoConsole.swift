import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The console side of `larder demo`: numbered step headers, the time of each step, a progress
/// bar on long steps when stdout is a terminal, and number formatting.
final class DemoConsole {
    /// Steps announced so far, with their wall-clock seconds once finished.
    private(set) var steps: [(title: String, seconds: Double)] = []
    private let stepCount: Int
    private let started = DispatchTime.now().uptimeNanoseconds
    /// Progress bars draw only on a terminal; piped output (tests, logs) stays plain lines.
    let interactive = isatty(STDOUT_FILENO) != 0

    init(stepCount: Int) {
        self.stepCount = stepCount
    }

    /// Runs one step under a numbered header and records its time.
    func step<T>(_ title: String, _ body: () throws -> T) rethrows -> T {
        let number = steps.count + 1
        steps.append((title, 0))
        print("\n[\(number)/\(stepCount)] \(title)")
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        steps[number - 1].seconds = seconds
        print("  " + String(format: "(%.2f s)", seconds))
        return value
    }

    /// Seconds since the console was made (the demo's total time).
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    /// A progress bar for a long piece of work (silent unless stdout is a terminal).
    func progress(_ label: String) -> DemoProgressBar {
        DemoProgressBar(label: label, enabled: interactive)
    }

    // MARK: Formatting

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func grouped(_ n: Int64) -> String { grouped(Int(n)) }

    /// Bytes as "12.3 MB" (10^6).
    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

    /// Microseconds as "0.42 ms" or "1.3 s".
    static func latency(micros: Double) -> String {
        micros >= 1_000_000 ? String(format: "%.2f s", micros / 1e6) : String(format: "%.2f ms", micros / 1000)
    }

    /// `text` padded with spaces to `width` characters (never cut).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` right-aligned in `width` characters (never cut).
    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// A table with a header row and a rule under it; the first column left-aligned, the others
    /// right-aligned unless `leftAligned` says otherwise.
    static func table(_ header: [String], _ rows: [[String]], indent: String = "  ", leftAligned: Set<Int> = [0]) -> [String] {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell in
                leftAligned.contains(i) ? pad(cell, widths[i]) : padLeft(cell, widths[i])
            }
            var text = indent + padded.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return [line(header), indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)
    }

    /// The p-th percentile (0...100) of `sorted` values, nearest rank; 0 when empty.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// A one-line progress bar redrawn in place with `\r`; callable from any thread.
final class DemoProgressBar: Sendable {
    private let label: String
    private let enabled: Bool
    private let lastDrawn = Mutex<Int>(-1)

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    /// Draws `fraction` (clamped to 0...1) with a note such as the file being written.
    func update(_ fraction: Double, note: String = "") {
        guard enabled else { return }
        let clamped = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let percent = Int(clamped * 100)
        let key = percent * 1000 + note.hashValue % 1000
        guard lastDrawn.withLock({ last in
            defer { last = key }
            return last != key
        }) else { return }
        let width = 30
        let filled = Int(clamped * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = "\r\u{1B}[K  \(label) [\(bar)] \(DemoConsole.padLeft("\(percent)", 3))% \(note)"
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Erases the bar so the next printed line starts clean.
    func finish() {
        guard enabled else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
    }
}
