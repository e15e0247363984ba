import Dispatch

/// A connection as its event loop and the server hold it: one case per transport, so that reaching it
/// is a switch on a tag, not a dynamic call (the connection itself is generic over its transport).
/// Without the TLS trait the `tls` case cannot be made (`TLSTransport` has no values).
enum ServedConnection: Sendable {
    case plain(HTTPConnection<StreamSocket, EventLoop>)
    case tls(HTTPConnection<TLSTransport, EventLoop>)

    var descriptor: Int32 {
        switch self {
        case .plain(let connection): connection.descriptor
        case .tls(let connection): connection.descriptor
        }
    }

    /// Registers the connection with its loop and starts serving it; on that loop's thread.
    func start(on loop: EventLoop) {
        switch self {
        case .plain(let connection): connection.start { () throws(SocketError) in try loop.register(self) }
        case .tls(let connection): connection.start { () throws(SocketError) in try loop.register(self) }
        }
    }

    func handleEvents(readable: Bool, writable: Bool, hangup: Bool) {
        switch self {
        case .plain(let connection): connection.handleEvents(readable: readable, writable: writable, hangup: hangup)
        case .tls(let connection): connection.handleEvents(readable: readable, writable: writable, hangup: hangup)
        }
    }

    func checkDeadline(now: DispatchTime) {
        switch self {
        case .plain(let connection): connection.checkDeadline(now: now)
        case .tls(let connection): connection.checkDeadline(now: now)
        }
    }

    /// `HTTPConnection.shutDown()` on the connection's loop; from any thread.
    func beginShutdown() {
        switch self {
        case .plain(let connection): connection.loop.execute { connection.shutDown() }
        case .tls(let connection): connection.loop.execute { connection.shutDown() }
        }
    }

    /// `HTTPConnection.abort()` on the connection's loop; from any thread.
    func abort() {
        switch self {
        case .plain(let connection): connection.loop.execute { connection.abort() }
        case .tls(let connection): connection.loop.execute { connection.abort() }
        }
    }
}
