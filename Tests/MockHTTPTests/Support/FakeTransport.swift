import Glibc

@testable import MockHTTP

/// A transport with no socket: reads return what the test has the client send, writes are recorded as
/// the client would receive them, and the test decides when the client stops reading, half-closes or
/// resets. Used on one thread only (the test's), like a real transport on its loop's.
final class FakeTransport: ConnectionTransport {
    let descriptor: Int32 = 7
    var needsHandshake = false
    /// What successive `handshake()` calls return; the last one repeats.
    var handshakeSteps: [TransportHandshake] = []
    /// Bytes the client sent that the server has not read yet.
    var incoming: [UInt8] = []
    /// The client closed its sending side: once `incoming` is read, reads find the end of the input.
    var inputClosed = false
    /// The client reset the connection: reads and writes find it gone.
    var peerReset = false
    /// Bytes the client's side takes before a write would block; nil: everything.
    var writeCapacity: Int?
    /// The transport must read before it writes again after a `.wouldBlock` (TLS's rare case).
    var writeWaitsForInput = false
    /// Everything written, in order.
    private(set) var written: [UInt8] = []
    /// Calls to `write(vectors:)` that wrote something.
    private(set) var writeCalls = 0
    private(set) var handshakeCalls = 0
    /// `prepareToWrite()` calls: flushes with bytes to write.
    private(set) var preparedWrites = 0
    private(set) var didShutdownWrite = false
    /// Set on close: whether it reset the connection.
    private(set) var closedWithReset: Bool?

    var hasBufferedInput: Bool { false }

    /// What epoll would report: something to read, or the end of the input.
    var isReadable: Bool { !incoming.isEmpty || inputClosed || peerReset }

    func handshake() -> TransportHandshake {
        handshakeCalls += 1
        return handshakeSteps.count > 1 ? handshakeSteps.removeFirst() : handshakeSteps.first ?? .wantsRead
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> StreamSocket.Progress {
        if peerReset { return .closed }
        guard !incoming.isEmpty else { return inputClosed ? .closed : .wouldBlock }
        let count = min(buffer.count, incoming.count)
        buffer.copyBytes(from: incoming[..<count])
        incoming.removeFirst(count)
        return .bytes(count)
    }

    func write(vectors: UnsafeBufferPointer<iovec>) -> StreamSocket.Progress {
        if peerReset { return .closed }
        var allowed = writeCapacity ?? .max
        guard allowed > 0 else { return .wouldBlock }
        var count = 0
        for vector in vectors where allowed > 0 {
            let take = min(vector.iov_len, allowed)
            written += UnsafeRawBufferPointer(start: vector.iov_base, count: take)
            count += take
            allowed -= take
        }
        if writeCapacity != nil { writeCapacity = allowed }
        writeCalls += 1
        return .bytes(count)
    }

    func prepareToWrite() {
        preparedWrites += 1
    }

    func shutdownWrite() {
        didShutdownWrite = true
    }

    func close(reset: Bool) -> String? {
        precondition(closedWithReset == nil, "closed twice")
        closedWithReset = reset
        return nil
    }
}
