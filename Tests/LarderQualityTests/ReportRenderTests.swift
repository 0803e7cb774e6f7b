import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderQuality

/// Debian's headless Chromium, found on `PATH` (or at `LARDER_CHROMIUM` when set, which then
/// must be executable), installed by `scripts/setup-apt.sh`.
enum Chromium {
    /// The browser's path, if one is installed.
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["LARDER_CHROMIUM"], !configured.isEmpty {
            return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil
        }
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for directory in directories {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// Run the render test when the browser is there, or when interop tests are required
    /// (then a missing browser fails it).
    static var shouldRun: Bool { path != nil || Interop.isRequired }

    static let skipMessage = "chromium not installed: run scripts/setup-apt.sh (Debian's chromium package); "
        + "set LARDER_INTEROP=1 to make its absence a failure"

    /// Runs the headless browser on `arguments` with a throwaway profile in `dir`.
    /// - Returns: Its standard output.
    /// - Throws: When it is missing, exits non-zero or runs longer than `timeout` seconds.
    static func run(_ arguments: [String], in dir: TemporaryDirectory, timeout: TimeInterval = 120) throws -> String {
        guard let path else {
            throw InteropError("LARDER_INTEROP=1 but chromium is not installed: run scripts/setup-apt.sh")
        }
        let profile = dir.file("chromium-profile-\(UUID().uuidString)")
        let outURL = dir.fileURL("chromium-\(UUID().uuidString).out")
        let errURL = dir.fileURL("chromium-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
              FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else { throw InteropError("cannot create chromium output files in \(dir.path)") }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--hide-scrollbars", "--user-data-dir=\(profile)"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let watchdog = ChromiumWatchdog(process)
        try process.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { watchdog.fire() }
        process.waitUntilExit()
        if watchdog.disarm() {
            throw InteropError("chromium ran longer than \(Int(timeout)) s: \(arguments)")
        }
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            throw InteropError("chromium exited with \(process.terminationStatus): \(stderr.suffix(2000))")
        }
        return stdout
    }

    /// The width and height in a PNG's IHDR chunk, or nil when `data` is not a PNG.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0 ..< 8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              bytes[12 ..< 16] == Array("IHDR".utf8)[...] else { return nil }
        func big(_ at: Int) -> Int { bytes[at ..< at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (big(16), big(20))
    }
}

/// Terminates the browser if it outlives its timeout.
private final class ChromiumWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private let process: Process
    private var armed = true
    private var fired = false

    init(_ process: Process) { self.process = process }

    func fire() {
        lock.lock()
        defer { lock.unlock() }
        guard armed, process.isRunning else { return }
        fired = true
        process.terminate()
    }

    /// Stops the watchdog; returns whether it had fired.
    func disarm() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        armed = false
        return fired
    }
}

/// The report in a real browser: Debian's headless Chromium loads it, its DOM holds the rows,
/// marks and charts, and no data turned into markup; a screenshot shows a drawn page.
@Suite struct ReportRenderTests {
    static func report() throws -> HTMLReport {
        let reference = try RecordBatch([
            "visits": .int64((0 ..< 400).map { Int64($0 % 40) }),
            "country": Column.string((0 ..< 400).map { ["DE", "FR", "JP", ReportTests.payload][$0 % 4] }),
        ])
        let current = try RecordBatch([
            "visits": .int64((0 ..< 400).map { Int64($0 % 40 + 25) }),
            "country": Column.string((0 ..< 400).map { ["DE", "DE", "JP", ReportTests.imagePayload][$0 % 4] }),
        ])
        let rows = [
            ReportExpectationRow(type: "expect_column_values_to_not_be_null", kwargs: "{\"column\": \"visits\"}",
                                 success: true, unexpectedCount: 0, unexpectedPercent: 0, column: "visits"),
            ReportExpectationRow(type: "expect_column_values_to_be_in_set",
                                 kwargs: "{\"column\": \"country\", \"value_set\": [\"DE\", \"FR\", \"JP\"]}",
                                 success: false, unexpectedCount: 100, unexpectedPercent: 25,
                                 partialUnexpected: [ReportTests.payload, ReportTests.imagePayload], column: "country"),
        ]
        return HTMLReport(title: "Render check", view: "user_stats", version: 7, suiteName: "checks",
                          expectations: rows, profile: try Profiler.profile([reference]),
                          drift: try Drift.compare(reference: [reference], current: [current]))
    }

    @Test(.enabled(if: Chromium.shouldRun, Comment(rawValue: Chromium.skipMessage)))
    func chromiumRendersTheReport() throws {
        let dir = try TemporaryDirectory(prefix: "larder-render")
        let page = dir.fileURL("report.html")
        try Self.report().write(to: page)

        let dom = try Chromium.run(["--dump-dom", page.absoluteString], in: dir)
        // The title is the report's: the image payload's onerror never ran.
        #expect(dom.contains("<title>Render check</title>"))
        #expect(count("<tr class=\"expectation pass\"", in: dom) == 1)
        #expect(count("<tr class=\"expectation fail\"", in: dom) == 1)
        #expect(dom.contains("✓ passed"))
        #expect(dom.contains("✗ failed"))
        #expect(dom.contains("✗ Validation failed"))
        // Charts: one histogram and one top-values chart, each with bars; drift charts.
        #expect(count("<svg class=\"histogram\"", in: dom) == 1)
        #expect(count("<svg class=\"histogram categorical\"", in: dom) == 1)
        #expect(count("<rect class=\"bar\"", in: dom) >= 20)
        #expect(count("<svg class=\"drift-chart\"", in: dom) == 2)
        // Data stayed text: no script or image element exists in the parsed document.
        #expect(!dom.lowercased().contains("<script"))
        #expect(!dom.lowercased().contains("<img"))
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

        let screenshot = dir.fileURL("report.png")
        _ = try Chromium.run(["--screenshot=\(screenshot.path)", "--window-size=1200,1600", page.absoluteString], in: dir)
        let png = try Data(contentsOf: screenshot)
        let size = try #require(Chromium.pngSize(png), "the screenshot is not a PNG")
        #expect(size.width == 1200)
        #expect(size.height == 1600)
        // A drawn page compresses far worse than a blank one of the same size.
        let blankPage = dir.fileURL("blank.html")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blankPage)
        let blankShot = dir.fileURL("blank.png")
        _ = try Chromium.run(["--screenshot=\(blankShot.path)", "--window-size=1200,1600", blankPage.absoluteString], in: dir)
        let blank = try Data(contentsOf: blankShot)
        #expect(png.count > 4 * blank.count, "report \(png.count) bytes, blank page \(blank.count) bytes")
    }

    func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }
}
