import Glibc

/// A blocking TCP client connection with send and receive timeouts, for small tools such as
/// `gateway-mock healthcheck`. It owns its descriptor and closes it once.
public final class ClientSocket {
    private let descriptor: Int32

    /// Connects to `address`; every later send or receive gives up after `timeout`.
    public init(connectingTo address: SocketAddress, timeout: Duration) throws(SocketError) {
        // A local until connected: a failed init must not leave `deinit` a descriptor to close twice.
        let descriptor = try systemCall("socket") { socket(address.family, Int32(SOCK_STREAM.rawValue), 0) }
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        for option in [SO_SNDTIMEO, SO_RCVTIMEO] {
            _ = setsockopt(descriptor, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        do {
            _ = try address.withSockAddr { pointer, length throws(SocketError) in
                try systemCall("connect(\(address))") { connect(descriptor, pointer, length) }
            }
        } catch {
            _ = closeDescriptor(descriptor)
            throw error
        }
        self.descriptor = descriptor
    }

    deinit { _ = closeDescriptor(descriptor) }

    public func send(_ bytes: [UInt8]) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            let sent = try systemCall("send") {
                bytes[offset...].withUnsafeBytes {
                    Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
            }
            offset += sent
        }
    }

    /// Everything the peer sends until it closes the connection.
    public func receiveAll(limit: Int = 1 << 20) throws(SocketError) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while received.count < limit {
            let count = try systemCall("recv") {
                chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            }
            if count == 0 { break }
            received += chunk[..<count]
        }
        return received
    }
}
