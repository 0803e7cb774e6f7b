import Foundation

/// Runs the built `larder` executable, for end-to-end command-line tests.
public enum CommandLineTool {
    /// The result of one run.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `larder` binary next to the running test bundle (`swift test` builds every product
    /// into the same folder).
    public static var executable: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // On Linux the runner is `<bin>/LarderPackageTests.xctest`; on macOS it is inside a bundle.
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("larder").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("larder")
    }

    /// Runs `larder` with `arguments` and waits for it.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = try TemporaryDirectory(prefix: "larder-cli")
        let stdoutURL = out.fileURL("stdout"), stderrURL = out.fileURL("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }
}
