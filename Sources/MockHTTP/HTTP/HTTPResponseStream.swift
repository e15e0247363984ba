/// The sending side of a response body produced over time (`HTTPResponse.stream`): bytes pushed from any
/// thread, written by the connection on its own event loop, as they come.
///
/// On the wire the body is chunked (RFC 9112 §7.1) for an HTTP/1.1 request: each `send` is one chunk and
/// `finish()` writes the last chunk (`0\r\n\r\n`), after which the connection goes on with the requests
/// pipelined behind it. An HTTP/1.0 request gets the body close-delimited: the head says
/// `Connection: close`, and `finish()` closes the connection once everything is written.
///
/// While a stream is open the connection answers nothing else (pipelined requests wait, as behind a delayed
/// response), and neither the idle nor the write timeout applies: instead, the bytes waiting to be written
/// are bounded. Every stream ends exactly once, and `onTermination` learns why:
/// - `.finished`: the producer called `finish()`;
/// - `.clientGone`: the client closed or reset the connection (or closed its sending side: taken as gone,
///   as Go's net/http does), or a write failed;
/// - `.overflow`: a `send` would have taken the bytes waiting to be written past `maxQueuedBytes` (a client
///   that reads too slowly, or not at all): the connection is closed and the reason logged (see `send`);
/// - `.serverStopping`: the server is stopping: the stream is ended at once, with its last chunk, and the
///   connection closes once that is written (shutdown never waits for a stream to finish).
///
/// A stream can also be made without a connection (`init(sink:)`), so that a responder's tests can read
/// what its streamed responses send.
public final class HTTPResponseStream: Sendable {
    /// Why a stream ended.
    public enum Termination: Sendable, Equatable {
        /// The producer called `finish()`.
        case finished
        /// The client closed or reset the connection, closed its sending side, or a write to it failed.
        case clientGone
        /// A `send` would have let more than `maxQueuedBytes` wait to be written: the client was closed.
        case overflow
        /// The server is stopping: the stream was ended with its last chunk.
        case serverStopping
    }

    /// What a stream made with `init(sink:)` hands its sink.
    package enum Event: Sendable, Equatable {
        /// The bytes of one `send`.
        case bytes([UInt8])
        /// The stream ended: `finish()` (`.finished`) or `terminate(_:)`.
        case end(Termination)
    }

    /// The most bytes that may wait to be written: those sent and not yet taken by the connection's loop,
    /// plus the connection's output not yet written (chunk framing included). 64 KiB.
    public static let maxQueuedBytes = 64 * 1024

    /// What ends a chunk's size line and its data.
    static let crlf: [UInt8] = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    /// The last chunk of a chunked body, with no trailer.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    private let state = Locked(State())
    private let consumer: Consumer

    private enum Consumer: Sendable {
        case connection(ConnectionEnd)
        case sink(@Sendable (Event) -> Void)
    }

    private struct State {
        /// Sent and not yet taken by the connection.
        var pending: [[UInt8]] = []
        var pendingBytes = 0
        /// The connection's output not yet written, as it last said (plus what it has taken since).
        var connectionQueued = 0
        /// `finish()` was called; the connection has not taken it yet.
        var finishRequested = false
        /// Set once the stream can take nothing more; `send` then returns false.
        var ended: Termination?
        var onTermination: (@Sendable (Termination) -> Void)?
        /// `onTermination` has been called (or there was none when the stream ended).
        var terminationDelivered = false
        /// A task to hand the connection what is pending is posted and has not run yet.
        var wakePosted = false
    }

    /// What the connection hands a stream: how to reach it on its loop.
    ///
    /// `@unchecked Sendable`: `wake` is not `Sendable` (it holds the connection, whose state belongs to its
    /// loop), and it is only ever called on that loop, from a task `post` runs there.
    struct ConnectionEnd: @unchecked Sendable {
        /// Runs a task on the connection's loop; false once the loop has stopped.
        let post: @Sendable (@escaping @Sendable () -> Void) -> Bool
        /// On the loop: take what is pending (`take()`) and write it.
        let wake: () -> Void
    }

    init(connection: ConnectionEnd) {
        consumer = .connection(connection)
    }

    /// A stream with no connection: each `send` hands its bytes to `sink`, `finish()` and `terminate(_:)`
    /// hand it `.end`. `sink` is called on the thread that sends, under the stream's lock (so in order):
    /// it must not call back into the stream. Nothing is queued, so such a stream never overflows.
    package init(sink: @escaping @Sendable (Event) -> Void) {
        consumer = .sink(sink)
    }

    /// Called once when the stream ends, with the reason: on the connection's loop thread (for a stream
    /// without a connection, on the thread that ended it). It must not block. Set it before the stream
    /// can end (in the producer, before the first `send`); set after the end, it is called at once, on
    /// the setter's thread.
    public var onTermination: (@Sendable (Termination) -> Void)? {
        get { state.withLock { $0.onTermination } }
        set {
            let endedAlready: Termination? = state.withLock { state in
                guard state.terminationDelivered, let ended = state.ended else {
                    state.onTermination = newValue
                    return nil
                }
                return ended
            }
            if let endedAlready { newValue?(endedAlready) }
        }
    }

    /// Queues `bytes` (one chunk) to be written on the connection's loop; callable from any thread.
    /// Returns false, writing nothing, once the stream has ended (or `finish()` was called), and when
    /// bytes already wait to be written and these would take them past `maxQueuedBytes`: the stream then
    /// ends with `.overflow`. (So a send larger than the bound goes through only when nothing waits: what
    /// a stream holds is at most the bound or one send, whichever is larger.) Empty `bytes` write nothing.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        switch consumer {
        case .sink(let sink):
            return state.withLock { state in
                guard state.ended == nil, !state.finishRequested else { return false }
                if !bytes.isEmpty { sink(.bytes(bytes)) }
                return true
            }
        case .connection(let connection):
            let (accepted, wake) = state.withLock { state in
                guard state.ended == nil, !state.finishRequested else { return (false, false) }
                let queued = state.pendingBytes + state.connectionQueued
                if queued > 0, queued + bytes.count > Self.maxQueuedBytes {
                    state.ended = .overflow
                    return (false, Self.postWake(&state))
                }
                guard !bytes.isEmpty else { return (true, false) }
                state.pending.append(bytes)
                state.pendingBytes += bytes.count
                return (true, Self.postWake(&state))
            }
            if wake { post(connection) }
            return accepted
        }
    }

    /// `send` of the text's UTF-8 bytes.
    @discardableResult
    public func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Ends the stream after what was sent before: on its loop, the connection queues the last chunk (for
    /// HTTP/1.0 it closes once everything is written) and `onTermination` gets `.finished`. Callable from
    /// any thread; later calls, and calls after the stream ended, do nothing.
    public func finish() {
        switch consumer {
        case .sink:
            end(.finished)
        case .connection(let connection):
            let wake = state.withLock { state in
                guard state.ended == nil, !state.finishRequested else { return false }
                state.finishRequested = true
                return Self.postWake(&state)
            }
            if wake { post(connection) }
        }
    }

    /// Ends a stream without a connection as a connection would (say `.clientGone`, as if the client left):
    /// `send` returns false from now on, and `onTermination` is called with `reason`.
    package func terminate(_ reason: Termination) {
        end(reason)
    }

    private static func postWake(_ state: inout State) -> Bool {
        defer { state.wakePosted = true }
        return !state.wakePosted
    }

    private func post(_ connection: ConnectionEnd) {
        let posted = connection.post { [self] in
            state.withLock { $0.wakePosted = false }
            connection.wake()
        }
        if !posted { end(.serverStopping) }  // the loop has stopped: so has the connection
    }

    // MARK: - The connection's side (on its loop)

    /// What the connection is to write now: the pending chunks (moved to its count of unwritten output),
    /// whether `finish()` was called, and whether a `send` overflowed.
    func take() -> (chunks: [[UInt8]], finish: Bool, overflowed: Bool) {
        state.withLock { state in
            defer {
                state.connectionQueued += state.pendingBytes
                state.pending = []
                state.pendingBytes = 0
            }
            return (state.pending, state.finishRequested, state.ended == .overflow)
        }
    }

    /// The connection's output not yet written, after a flush.
    func connectionQueued(_ count: Int) {
        state.withLock { $0.connectionQueued = count }
    }

    /// Ends the stream (once): `send` returns false from now on; `onTermination` is called with `reason`
    /// (`.overflow` if a `send` overflowed first), and a sink gets `.end`.
    func end(_ reason: Termination) {
        let ending = state.withLock { state -> (handler: (@Sendable (Termination) -> Void)?, reason: Termination)? in
            guard !state.terminationDelivered else { return nil }
            let reason = state.ended ?? reason
            state.ended = reason
            state.terminationDelivered = true
            if case .sink(let sink) = consumer { sink(.end(reason)) }
            defer { state.onTermination = nil }
            return (state.onTermination, reason)
        }
        if let ending { ending.handler?(ending.reason) }
    }
}
