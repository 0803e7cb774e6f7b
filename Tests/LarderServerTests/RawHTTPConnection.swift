import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to a test server, speaking HTTP/1.1 by hand: several requests in one
/// write (pipelining), chunked bodies, `Connection: close`, and the answers read back in the
/// order they arrive. Reads block a Dispatch thread, never one of Swift concurrency's pool
/// (the server under test needs those, and a full test run keeps them busy), with a receive
/// timeout so a missing answer fails the test instead of hanging it. One test uses a
/// connection at a time, from one task.
final class RawHTTPConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One answer: status, headers (names lowercased), body.
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    private let fd: Int32
    private var received: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect to port \(port): errno \(errno)")
        }
    }

    deinit { close(fd) }

    /// A request's text: method, path, headers, and a body with its `Content-Length`.
    static func request(_ method: String, _ path: String, body: String? = nil, headers: [String] = []) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for header in headers { text += header + "\r\n" }
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body } else { text += "\r\n" }
        return text
    }

    /// Sends `text` as it is (one or several requests).
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads the next answer (its body by `Content-Length`).
    func answer() async throws -> Answer {
        try await Self.offPool { try self.blockingAnswer() }
    }

    /// Whether the server closed the connection (reads until end of stream or the timeout).
    func isClosedByServer() async throws -> Bool {
        try await Self.offPool { self.blockingIsClosed() }
    }

    /// Runs blocking socket work on a Dispatch thread and waits for it without holding a
    /// thread of the cooperative pool.
    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    private func blockingAnswer() throws -> Answer {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find(separator, in: received)
            if headEnd == nil { try receive() }
        }
        guard let headEnd else { throw Failure(description: "no head") }
        let lines = String(decoding: received[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        let bodyStart = headEnd + separator.count
        while received.count < bodyStart + length { try receive() }
        let body = String(decoding: received[bodyStart ..< bodyStart + length], as: UTF8.self)
        received.removeFirst(bodyStart + length)
        return Answer(status: status, headers: headers, body: body)
    }

    private func blockingIsClosed() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return false }
        }
    }

    private func receive() throws {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: n == 0 ? "the server closed the connection" : "recv: errno \(errno) (timeout?)") }
        received.append(contentsOf: buffer[..<n])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0 ... haystack.count - needle.count where haystack[i ..< i + needle.count].elementsEqual(needle) { return i }
        return nil
    }
}
