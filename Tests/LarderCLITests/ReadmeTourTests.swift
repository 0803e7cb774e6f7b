import Foundation
import LarderTestSupport
import Testing

/// The README's command-line tour runs as written (scripts/readme-tour.sh), so the README
/// cannot drift from what `larder` does.
@Suite struct ReadmeTourTests {
    @Test func everyTourCommandRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/readme-tour.sh").path
        let binary = CommandLineTool.executable.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, binary, root.appendingPathComponent("README.md").path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the README tour failed:\n\(stdout.suffix(3000))\n\(stderr.suffix(2000))")
        #expect(stdout.contains("readme-tour: every command ran"))
        #expect(stdout.contains("leakage check:") && stdout.contains("0 violations"))
        #expect(stdout.contains("PRESENT"), "the tour's `larder get` should find present values")
        #expect(stdout.contains(": 0 mismatches"))
    }
}
