import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A deliberately dumb blocking HTTP/1.1 client over a real TCP socket, so tests see exactly the bytes
/// the server sends (status line, every header, body), including after pipelining and on close.
final class RawHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// - Parameter receiveBufferBytes: a small value makes the server's writes block sooner.
    init(port: UInt16, host: String = "127.0.0.1", timeoutSeconds: Int = 5, receiveBufferBytes: Int32? = nil) throws {
        let isIPv6 = host.contains(":")
        // A local until connected: a failed init must not leave `deinit` a descriptor to close twice.
        let descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        if var size = receiveBufferBytes {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure(description: "connect to \(host):\(port): errno \(code)")
        }
        self.descriptor = descriptor
    }

    deinit { Glibc.close(descriptor) }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += sent
        }
    }

    /// Sends `chunk` again and again without ever blocking, for `seconds`, and returns how many bytes the
    /// kernel accepted: against a server that stops reading, only the socket buffers fill.
    func flood(with chunk: [UInt8], forSeconds seconds: Double) -> Int {
        var accepted = 0
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let sent = chunk.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if sent > 0 {
                accepted += sent
            } else {
                usleep(1_000)
            }
        }
        return accepted
    }

    /// Makes the socket's close send a TCP reset (`SO_LINGER` 0) and closes our side at once.
    func resetConnection() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Closes our sending side (FIN) while still reading.
    func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one response. `bodyless` for answers to HEAD (Content-Length describes a body that is not sent).
    func readResponse(bodyless: Bool = false) throws -> RawResponse {
        let headEnd = try readUntil { buffer in
            buffer.indices.dropLast(3).first {
                buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10
            }
            .map { $0 + 4 }
        }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var response = try RawResponse(head: head)
        buffer.removeFirst(headEnd)
        let length = bodyless ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        _ = try readUntil { $0.count >= length ? length : nil }
        response.body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return response
    }

    /// The next `count` bytes, whatever they are (a streamed body's chunks).
    func readBytes(_ count: Int) throws -> [UInt8] {
        _ = try readUntil { $0.count >= count ? count : nil }
        defer { buffer.removeFirst(count) }
        return Array(buffer[..<count])
    }

    /// The next chunk of a chunked body (RFC 9112 §7.1): its data, empty for the last chunk (whose
    /// trailer section, empty here, is read too).
    func readChunk() throws -> [UInt8] {
        let sizeLineEnd = try readUntil { buffer in
            buffer.indices.dropLast().first { buffer[$0] == 13 && buffer[$0 + 1] == 10 }.map { $0 + 2 }
        }
        let sizeLine = String(decoding: buffer[..<(sizeLineEnd - 2)], as: UTF8.self)
        guard let size = Int(sizeLine, radix: 16) else { throw Failure(description: "bad chunk size line \(sizeLine)") }
        buffer.removeFirst(sizeLineEnd)
        let data = try readBytes(size)
        guard try readBytes(2) == [13, 10] else { throw Failure(description: "chunk data not followed by CRLF") }
        return data
    }

    /// Everything until the server closes; throws if it does not close within the timeout.
    func readToEnd() throws -> [UInt8] {
        while true {
            let count = try readMore()
            if count == 0 { break }
        }
        defer { buffer.removeAll() }
        return buffer
    }

    /// True when the server has closed the connection (reads end-of-stream) with nothing more to read.
    func serverClosed() throws -> Bool {
        try readMore() == 0 && buffer.isEmpty
    }

    /// Reads until the connection ends and returns how: 0 for an orderly close, or the `errno` of the
    /// failed read (`ECONNRESET` for a reset). Bytes received on the way are returned too.
    func readUntilConnectionEnds() -> (errno: Int32, bytes: [UInt8]) {
        while true {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 { return (errno, buffer) }
            if count == 0 { return (0, buffer) }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private func readUntil(_ complete: ([UInt8]) -> Int?) throws -> Int {
        while true {
            if let end = complete(buffer) { return end }
            if try readMore() == 0 {
                throw Failure(
                    description:
                        "connection closed after \(buffer.count) bytes: \(String(decoding: buffer, as: UTF8.self))")
            }
        }
    }

    private func readMore() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw Failure(description: "recv: errno \(errno) (timeout?)") }
        buffer.append(contentsOf: chunk[..<count])
        return count
    }
}

/// One response as it came over the wire.
struct RawResponse {
    var status: Int
    var statusLine: String
    /// Header fields in order, as sent.
    var headers: [(name: String, value: String)]
    var body: [UInt8] = []

    init(head: String) throws {
        let lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard let first = lines.first, first.hasPrefix("HTTP/1.1 "), let code = Int(first.dropFirst(9).prefix(3)) else {
            throw RawHTTPClient.Failure(description: "not an HTTP/1.1 status line: \(head)")
        }
        statusLine = first
        status = code
        headers = lines.dropFirst().map { line in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body decoded as JSON (Foundation's parser: independent of the server's own JSON code).
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }
}
