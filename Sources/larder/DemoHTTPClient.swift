import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 client over one keep-alive loopback connection, for the demo's
/// server step: it sends a request, reads the status, headers and body (Content-Length or
/// chunked), and times the round trip. Only what talking to Larder's own server needs.
final class DemoHTTPClient {
    struct Response {
        var status: Int
        var body: Data
        /// Round-trip time in microseconds, from the first byte sent to the last byte read.
        var micros: Double
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let fd: Int32
    private let port: Int
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`.
    /// - Throws: ``DemoFailure`` naming the port when the connection fails.
    init(port: Int) throws {
        self.port = port
        #if canImport(Glibc)
        let socketType = Int32(SOCK_STREAM.rawValue)
        #else
        let socketType = SOCK_STREAM
        #endif
        fd = socket(AF_INET, socketType, 0)
        guard fd >= 0 else { throw DemoFailure("cannot open a socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // On failure deinit closes the socket.
        guard status == 0 else { throw DemoFailure("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// `GET path`.
    func get(_ path: String) throws -> Response { try exchange("GET", path, body: nil) }

    /// `POST path` with a JSON body.
    func post(_ path: String, json: String) throws -> Response { try exchange("POST", path, body: Data(json.utf8)) }

    private func exchange(_ method: String, _ path: String, body: Data?) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: keep-alive\r\nAccept: application/json\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        var request = Array(head.utf8)
        if let body { request += body }
        let start = DispatchTime.now().uptimeNanoseconds
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        try request.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var sent = 0
            while sent < raw.count {
                let n = send(fd, base + sent, raw.count - sent, flags)
                guard n > 0 else { throw DemoFailure("sending \(method) \(path) failed: errno \(errno)") }
                sent += n
            }
        }
        let (status, headers) = try readHead(for: path)
        let payload: [UInt8]
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            payload = try readChunked(for: path)
        } else {
            payload = try readExactly(Int(headers["content-length"] ?? "0") ?? 0, for: path)
        }
        let micros = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
        return Response(status: status, body: Data(payload), micros: micros)
    }

    /// Reads up to the blank line; returns the status code and the headers (lower-cased names).
    private func readHead(for path: String) throws -> (Int, [String: String]) {
        var found = Self.find([13, 10, 13, 10], in: buffer)
        while found == nil {
            try fill(for: path)
            found = Self.find([13, 10, 13, 10], in: buffer)
        }
        let end = found ?? 0
        let text = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = text.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw DemoFailure("\(path): not an HTTP response: \(text.prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    private func readExactly(_ count: Int, for path: String) throws -> [UInt8] {
        while buffer.count < count { try fill(for: path) }
        defer { buffer.removeFirst(count) }
        return Array(buffer[..<count])
    }

    private func readChunked(for path: String) throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            while Self.find([13, 10], in: buffer) == nil { try fill(for: path) }
            guard let lineEnd = Self.find([13, 10], in: buffer) else { continue }
            let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw DemoFailure("\(path): bad chunk size '\(sizeText)'")
            }
            buffer.removeFirst(lineEnd + 2)
            if size == 0 {
                // The trailer ends with an empty line.
                while Self.find([13, 10], in: buffer) == nil { try fill(for: path) }
                if let trailerEnd = Self.find([13, 10], in: buffer) { buffer.removeFirst(trailerEnd + 2) }
                return out
            }
            out += try readExactly(size, for: path)
            _ = try readExactly(2, for: path)
        }
    }

    private func fill(for path: String) throws {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else {
            throw DemoFailure(n == 0 ? "\(path): the server closed the connection" : "\(path): reading the response failed: errno \(errno)")
        }
        buffer += chunk[..<n]
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0 ... haystack.count - needle.count where haystack[i] == needle[0] {
            if Array(haystack[i ..< i + needle.count]) == needle { return i }
        }
        return nil
    }
}
