import Glibc

/// An IPv4 or IPv6 socket address built from a numeric host literal and a port.
///
/// Only literals are accepted (`127.0.0.1`, `::1`, `[::1]`, `0.0.0.0`, `::`) plus `localhost`, which
/// means `127.0.0.1`: a mock server should never depend on name resolution to start.
public struct SocketAddress: Sendable, CustomStringConvertible {
    /// The host as given, without brackets (e.g. `::1`).
    public let host: String
    /// The port in host byte order.
    public let port: UInt16
    /// The address family: `AF_INET` or `AF_INET6`.
    let family: Int32

    public init(host rawHost: String, port: UInt16) throws(SocketError) {
        var host = rawHost
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { host = "127.0.0.1" }
        var probe4 = in_addr()
        var probe6 = in6_addr()
        if inet_pton(AF_INET, host, &probe4) == 1 {
            family = AF_INET
        } else if inet_pton(AF_INET6, host, &probe6) == 1 {
            family = AF_INET6
        } else {
            throw SocketError(call: "inet_pton(\(rawHost))", code: EINVAL)
        }
        self.host = host
        self.port = port
    }

    /// The host as it appears in a URL: IPv6 literals in brackets.
    public var urlHost: String { family == AF_INET6 ? "[\(host)]" : host }

    public var description: String { "\(urlHost):\(port)" }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(SocketError) -> R) throws(SocketError) -> R
    {
        var storage = sockaddr_storage()
        let length: socklen_t
        if family == AF_INET {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            withUnsafeBytes(of: address) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            withUnsafeBytes(of: address) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        return try withUnsafePointer(to: &storage) { pointer throws(SocketError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SocketError) in
                try body(address, length)
            }
        }
    }
}
