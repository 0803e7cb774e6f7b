import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Locates the built `larder-table-stress` executable (Tests/LarderTableStress), which
/// crash-safety and multi-process tests run as a child process.
public enum StressTool {
    /// The executable's name.
    public static let name = "larder-table-stress"

    /// The binary next to the running test bundle (`swift test` builds every product into the
    /// same folder); walks up from the runner as ``CommandLineTool/executable`` does.
    public static var executable: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent(name).path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent(name)
    }

    /// Whether the binary was found (a filtered build may have skipped it).
    public static var isBuilt: Bool {
        FileManager.default.isExecutableFile(atPath: executable.path)
    }
}

/// A running child process whose standard output the test reads line by line through a pipe,
/// so it can act (kill the child, say) at a moment the child's own output chooses.
///
/// Not thread-safe: one test drives it.
public final class ChildProcess {
    public let process: Process
    private let pipe = Pipe()
    private let errorFile: TemporaryDirectory
    private var buffer: [UInt8] = []
    private var reachedEnd = false

    /// Starts `executable` with `arguments`; its standard error goes to a file (see
    /// ``standardError``).
    public init(_ executable: URL, _ arguments: [String]) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = pipe
        errorFile = try TemporaryDirectory(prefix: "larder-child")
        _ = FileManager.default.createFile(atPath: errorFile.file("stderr"), contents: nil)
        process.standardError = try FileHandle(forWritingTo: errorFile.fileURL("stderr"))
        try process.run()
    }

    /// The next complete line of output (without its newline), waiting for the child to
    /// write it; nil once the child has exited and every complete line has been returned.
    ///
    /// Waiting does not depend on end of file (a pipe's write end may have leaked into other
    /// children): while nothing arrives, it checks every second whether the child still runs.
    public func nextLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if reachedEnd { return nil }
            let fd = pipe.fileHandleForReading.fileDescriptor
            var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 1000)
            if ready > 0 {
                if readAvailable(fd) == 0 { reachedEnd = true }
            } else if ready == 0 || (ready < 0 && errno != EINTR) {
                if !process.isRunning {
                    drain(fd)
                    reachedEnd = true
                }
            }
        }
    }

    /// Sends SIGKILL and waits for the child to die. Output it wrote before dying stays
    /// readable with ``nextLine()``.
    public func kill() {
        if process.isRunning {
            sendKill(process.processIdentifier)
        }
        process.waitUntilExit()
    }

    /// What the child wrote on standard error so far.
    public var standardError: String {
        (try? String(contentsOfFile: errorFile.file("stderr"), encoding: .utf8)) ?? ""
    }

    /// Reads once; returns the byte count (0 at end of file, -1 on error).
    private func readAvailable(_ fd: Int32) -> Int {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 { buffer.append(contentsOf: chunk[0 ..< n]) }
        return n
    }

    /// Reads whatever the (dead) child left in the pipe, without blocking.
    private func drain(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        while readAvailable(fd) > 0 {}
    }
}

/// `kill(pid, SIGKILL)` (the method named `kill` hides the C function inside the class).
private func sendKill(_ pid: Int32) {
    _ = kill(pid, SIGKILL)
}

#if os(Linux)
/// Counts entries created or moved into a few directories (inotify), so a test can act at a
/// moment another process's file-system activity chooses: "kill the writer right after its
/// second file appears".
public final class DirectoryWatcher {
    private let fd: Int32
    private var pending = 0

    /// Watches `directories` (which must exist) for created and moved-in entries.
    public init(_ directories: [String]) throws {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        for d in directories where inotify_add_watch(fd, d, UInt32(IN_CREATE | IN_MOVED_TO)) < 0 {
            let code = errno
            close(fd)
            throw POSIXError(.init(rawValue: code) ?? .EIO)
        }
    }

    deinit { close(fd) }

    /// Forgets the events seen so far.
    public func reset() {
        readEvents()
        pending = 0
    }

    /// Waits for the next event; false when `process` has exited first.
    public func waitForEvent(whileRunning process: Process) -> Bool {
        while pending == 0 {
            var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 1000)
            if ready > 0 {
                readEvents()
            } else if !process.isRunning {
                return false
            }
        }
        pending -= 1
        return true
    }

    /// Reads the queued events without blocking and adds them to ``pending``.
    private func readEvents() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        // struct inotify_event: wd, mask, cookie, len (4 bytes each), then `len` name bytes.
        let header = 16
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            var offset = 0
            while offset + header <= n {
                let nameLength = buffer.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)) }
                offset += header + nameLength
                pending += 1
            }
        }
    }
}
#endif
