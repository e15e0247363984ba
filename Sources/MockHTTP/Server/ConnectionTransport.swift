import Glibc
import Logging

/// The byte stream under an `HTTPConnection`: a plain TCP socket (`StreamSocket`) or TLS over one
/// (`TLSTransport`). The connection is generic over it, so every read and write is a direct call rather
/// than a branch or an existential call, and a test can drive a connection through a scripted transport
/// with no socket at all.
///
/// The contract is `StreamSocket`'s non-blocking one: a read or a write moves some bytes, would block, or
/// finds the connection gone (`StreamSocket.Progress`). A transport is used only on its connection's
/// event-loop thread. It is a class, held in a constant: no exclusivity check per read or write.
protocol ConnectionTransport: AnyObject {
    /// The descriptor the event loop watches for readiness.
    var descriptor: Int32 { get }

    /// True when `handshake()` must complete before anything is read as HTTP (TLS).
    var needsHandshake: Bool { get }

    /// Drives the transport's opening handshake one step, on each readiness it asks for.
    func handshake() -> TransportHandshake

    /// Bytes into `buffer` (not empty).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> StreamSocket.Progress

    /// Writes from the gathered buffers; after `.wouldBlock`, call again with the same unsent bytes (or more).
    func write(vectors: UnsafeBufferPointer<iovec>) -> StreamSocket.Progress

    /// After a write ended in `.wouldBlock`: true when the transport must read before it can write again
    /// (TLS, rarely), so the connection waits for input rather than for room to write.
    var writeWaitsForInput: Bool { get }

    /// Input already inside the transport that no readiness will announce (decrypted TLS records).
    var hasBufferedInput: Bool { get }

    /// Called before each flush that has bytes to write: a connection that has written before turns
    /// Nagle's algorithm off (see `StreamSocket.sendImmediately()`).
    func prepareToWrite()

    /// Stops sending (FIN, after TLS's close_notify) while still reading: the start of a lingering close.
    func shutdownWrite()

    /// Closes the connection, with a TCP reset when `reset` is true. Returns why the session ended, when
    /// the transport knows more than the connection does (TLS), for the log.
    func close(reset: Bool) -> String?
}

/// What one step of a transport's handshake achieved.
enum TransportHandshake: Equatable {
    /// The handshake is complete; what it agreed on, for the log.
    case done(Logger.Metadata)
    /// Call `handshake()` again when the socket is readable.
    case wantsRead
    /// Call `handshake()` again when the socket is writable.
    case wantsWrite
    /// The handshake failed (`reason` for the log). With `answer`, the client spoke something the
    /// server can still answer in the clear (plain HTTP to the TLS port): the transport now reads and
    /// writes without TLS, and the connection sends that answer before closing. Without, it closes.
    case failed(reason: String, answer: HTTPServerError?)
}

/// A plain TCP connection is a transport as it is: no handshake, nothing buffered inside.
extension StreamSocket: ConnectionTransport {
    var needsHandshake: Bool { false }

    func handshake() -> TransportHandshake { .done([:]) }

    var writeWaitsForInput: Bool { false }

    var hasBufferedInput: Bool { false }

    func close(reset: Bool) -> String? {
        if reset { resetOnClose() }
        close()
        return nil
    }
}
