import CLinuxShims
import Glibc

/// A non-blocking TCP socket bound and listening on one address; it owns its descriptor and closes it once.
final class ListeningSocket {
    /// The descriptor, which every event loop watches for connections to accept. Valid until `close()`.
    let descriptor: Int32
    /// The port actually bound (the one the kernel chose when asked for port 0).
    let boundPort: UInt16
    private var isClosed = false

    init(address: SocketAddress, backlog: Int32 = 1024) throws(SocketError) {
        let streamType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = try systemCall("socket") { socket(address.family, streamType, 0) }
        do {
            var one: Int32 = 1
            try systemCall("setsockopt(SO_REUSEADDR)") {
                setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            if address.family == AF_INET6 {
                // Listen on IPv6 only, so that `::1` and `127.0.0.1` can be served by two processes side by side.
                try systemCall("setsockopt(IPV6_V6ONLY)") {
                    setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            _ = try address.withSockAddr { pointer, length throws(SocketError) in
                try systemCall("bind(\(address))") { bind(descriptor, pointer, length) }
            }
            try systemCall("listen") { listen(descriptor, backlog) }
            try setNonBlocking(descriptor)
            self.boundPort = try localPort(of: descriptor)
            self.descriptor = descriptor
        } catch {
            _ = closeDescriptor(descriptor)
            throw error
        }
    }

    /// Accepts one pending connection: its non-blocking descriptor, or nil when none is waiting.
    /// Failures that concern only the one connection (it was reset before we took it) are skipped.
    func acceptConnection() throws(SocketError) -> Int32? {
        while true {
            let accepted = clinux_accept_nonblocking(descriptor)
            if accepted >= 0 { return accepted }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return nil
            case let code: throw SocketError(call: "accept", code: code)
            }
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = closeDescriptor(descriptor)
    }

    deinit { close() }
}

func setNonBlocking(_ descriptor: Int32) throws(SocketError) {
    let flags = try systemCall("fcntl(F_GETFL)") { fcntl(descriptor, F_GETFL) }
    try systemCall("fcntl(F_SETFL)") { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
}

private func localPort(of descriptor: Int32) throws(SocketError) -> UInt16 {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(SocketError) in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SocketError) in
            try systemCall("getsockname") { getsockname(descriptor, address, &length) }
        }
    }
    if Int32(storage.ss_family) == AF_INET6 {
        return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(as: sockaddr_in6.self).sin6_port) }
    }
    return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(as: sockaddr_in.self).sin_port) }
}
