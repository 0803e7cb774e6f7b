import Foundation
import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Synchronization
import Testing

/// Readers in other processes while this one writes. The children are this test binary
/// itself, running only ``childReader()`` (enabled by an environment variable), so no extra
/// executable is needed.
@Suite struct OnlineMultiProcessTests {
    typealias Data = OnlineTestData

    static let directoryVariable = "LARDER_ONLINE_CHILD_DIR"
    static let finalVariable = "LARDER_ONLINE_CHILD_FINAL"
    static var isChild: Bool { ProcessInfo.processInfo.environment[directoryVariable] != nil }
    /// On Linux `swift test` runs the tests inside `<Package>PackageTests.xctest`, which takes
    /// the testing library's own arguments.
    static var testBinary: String? {
        guard let path = CommandLine.arguments.first, path.hasSuffix(".xctest") else { return nil }
        return path
    }

    /// A child reader: refreshes until it sees the final generation; every snapshot must be
    /// whole and scores must never go back.
    @Test(.enabled(if: isChild, "runs only as the child of twoProcessesReadWhileThisOneWrites"))
    func childReader() throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = try #require(environment[Self.directoryVariable])
        let final = try #require(environment[Self.finalVariable].flatMap { Int64($0) })
        var store = try OnlineStore.open(directory: directory)
        FileHandle.standardOutput.write(Foundation.Data("ready\n".utf8))
        var last: Int64 = -1
        var states = 0
        while last != final {
            try store.refresh()
            let score = try #require(OnlineConcurrencyTests.consistentScore(store), "torn snapshot at generation \(store.generation)")
            #expect(score >= last, "the score went back from \(last) to \(score)")
            if score != last { states += 1 }
            last = score
        }
        FileHandle.standardOutput.write(Foundation.Data("child saw \(states) states\n".utf8))
    }

    /// A child test process with a pipe on its output; `ready` is signalled when the child
    /// printed "ready", and the output is drained until it exits.
    final class Child: Sendable {
        let process: Process
        let ready = DispatchSemaphore(value: 0)
        let output = Mutex<String>("")
        let drained = DispatchSemaphore(value: 0)

        init(binary: String, directory: String, final: Int64) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--testing-library", "swift-testing", "--filter", "OnlineMultiProcessTests/childReader"]
            var environment = ProcessInfo.processInfo.environment
            environment[OnlineMultiProcessTests.directoryVariable] = directory
            environment[OnlineMultiProcessTests.finalVariable] = String(final)
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let handle = pipe.fileHandleForReading
            let thread = Thread { [self] in
                var signalled = false
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    let text = String(decoding: data, as: UTF8.self)
                    let all = output.withLock { $0 += text; return $0 }
                    if !signalled && all.contains("ready\n") {
                        signalled = true
                        ready.signal()
                    }
                }
                if !signalled { ready.signal() }
                drained.signal()
            }
            thread.start()
        }
    }

    @Test(.enabled(if: !isChild && testBinary != nil, "needs the xctest binary to run children"))
    func twoProcessesReadWhileThisOneWrites() throws {
        let binary = try #require(Self.testBinary)
        let dir = try TemporaryDirectory(prefix: "online")
        let writer = try OnlineStoreWriter(directory: dir.path, schema: Data.scoreSchema(), maxOverlays: 3)
        try writer.build(base: [OnlineConcurrencyTests.generation(0)], tableVersion: 0)
        let final: Int64 = 30
        let children = try (0 ..< 2).map { _ in try Child(binary: binary, directory: dir.path, final: final) }
        defer { for child in children where child.process.isRunning { child.process.terminate() } }
        for child in children {
            // A guard against a hung child, not a timing: the child answers in milliseconds.
            #expect(child.ready.wait(timeout: .now() + 300) == .success)
        }
        for i in 1 ... final {
            try writer.writeOverlay(upserts: [OnlineConcurrencyTests.generation(i)], tableVersion: i)
        }
        for child in children {
            child.process.waitUntilExit()
            child.drained.wait()
            let output = child.output.withLock { $0 }
            #expect(child.process.terminationStatus == 0, "child output:\n\(output)")
            #expect(output.contains("ready\n"))
            #expect(output.contains("child saw"), "child output:\n\(output)")
        }
    }
}
