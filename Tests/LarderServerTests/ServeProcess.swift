import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LarderTestSupport

/// A `larder serve` process on a loopback port the kernel chooses, for end-to-end tests: it
/// starts the built tool, reads the port from its first line ("listening on 127.0.0.1:PORT"),
/// sends HTTP requests, and stops it with SIGTERM.
final class ServeProcess {
    let process = Process()
    private let out = Pipe(), err = Pipe()
    /// The first line the server printed.
    private(set) var firstLine = ""
    private(set) var port = 0

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = CommandLineTool.executable
        process.arguments = ["serve"] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
        }
        firstLine = String(decoding: printed, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard let port = firstLine.split(separator: ":").last.flatMap({ Int($0) }) else {
            stop()
            throw StartFailure(description: "larder serve printed: \(firstLine)")
        }
        self.port = port
    }

    deinit { if process.isRunning { process.terminate() } }

    /// GET `path`, or POST `body` as JSON; returns the status and the body.
    func call(_ path: String, _ body: String? = nil, token: String? = nil) async throws -> (status: Int, body: Data) {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw StartFailure(description: "bad path \(path)") }
        var request = URLRequest(url: url)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Sends SIGTERM, waits for the exit, and returns the server's stderr (its logs).
    @discardableResult
    func stop() -> String {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Whether the process exited by itself with status 0 (a graceful stop).
    var exitedCleanly: Bool { process.terminationReason == .exit && process.terminationStatus == 0 }
}
