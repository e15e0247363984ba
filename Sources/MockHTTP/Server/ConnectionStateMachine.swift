import Dispatch

/// The life of one HTTP/1.1 connection as a value: where it is (`State`), what it waits for from the
/// client and until when (`Wait`, `deadline`), and what the connection must do next. It does no I/O and
/// reads no clock: `HTTPConnection` reports each event (bytes read, the peer half-closing, output
/// flushed or refused, a response ready, a delayed response due, a deadline reached, shutdown) with the
/// facts it needs, and performs the `Action` it gets back. (swift-nio's `HTTPServerPipelineHandler` is the
/// model: a connection state that takes events and returns what to do.)
///
/// The legal states, and the events that move between them:
///
///     handshaking ──done──► open ──not keep-alive / protocol error / 408 / shutdown──► closingAfterFlush
///         │                  │                                                               │ written
///         │                  │                                             (nothing unread)  ▼
///         └── failed ────────┴── peer gone / timeout / reset ───────────────► closed ◄── lingering
///
/// Requests are answered one at a time, in order (`Responding`): a delayed response holds everything
/// pipelined behind it, and so do a streamed response until it ends and a full output queue until the
/// client reads.
struct ConnectionStateMachine {
    /// Where the connection is in its life.
    enum State: Equatable {
        /// The transport's handshake (TLS) is under way: nothing is read as HTTP yet. `wantsWrite`: it
        /// waits for room to write rather than for input.
        case handshaking(wantsWrite: Bool)
        /// Reading requests and answering them in order.
        case open(Responding)
        /// The last response is queued; once it is written, the write side closes.
        case closingAfterFlush(Ending)
        /// Write side closed; reading and dropping until the peer closes or the linger time runs out.
        case lingering
        case closed
    }

    /// What an open connection does about the requests it has buffered.
    enum Responding: Equatable {
        /// Answers them, in order.
        case ready
        /// Stopped because `maxQueuedOutput` bytes or more wait to be written; room to write resumes it.
        case pausedForOutput
        /// A response waits for its delay, then goes out as `Delivery` says; nothing after it is answered.
        case awaitingDelayedResponse(Delivery)
        /// A streamed body is being sent (`HTTPResponseStream`); nothing after it is answered until it
        /// ends. `keepAlive`: its end is chunked and the connection goes on; else it closes the connection.
        case streaming(keepAlive: Bool)
    }

    /// How a connection that closes after its last response ends once that response is written.
    enum Ending: Equatable {
        /// With a lingering close: an error answer or a shutdown, while the client may still be sending.
        case linger
        /// At once when no unread input is buffered, else with a lingering close: the client asked to
        /// close, or the responder did, and nothing suggests the client is still sending (nginx's heuristic).
        case lingerIfInputBuffered
    }

    /// What the connection does with a response once any delay is over.
    enum Delivery: Equatable {
        /// Write it; the head says whether the connection stays open (`keepAlive`, which shutdown clears).
        case send(keepAlive: Bool)
        /// Write its head and start its stream; `keepAlive` as for `send` (false for a close-delimited body).
        case stream(keepAlive: Bool)
        /// Write nothing and close in order (FIN): the client sees an empty response.
        case closeWithoutResponse
        /// Write nothing more and reset the connection (TCP RST).
        case reset
    }

    /// What the connection waits for from the client, which decides how long it may take.
    enum Wait: Equatable {
        /// The rest of a request that has begun (or the first one, or the handshake): `timeouts.request`
        /// from its start, then 408 (a handshake just closes).
        case request
        /// A new request on an idle keep-alive connection: `timeouts.idle`, then close.
        case idle
        /// The client to read the output that fills the socket buffer: `timeouts.write` from the last
        /// write that moved bytes, then close.
        case output
        /// Nothing: a delayed or streamed response is under way, or the connection is ending.
        case nothing
    }

    /// Why a connection closes, for the log.
    enum CloseReason: Equatable {
        /// Its work is done: the last response was written (and any lingering ended), or the peer closed
        /// its side once everything it sent was answered.
        case finished
        /// The peer closed or reset the connection, or it failed.
        case peerGone
        case idleTimeout
        case writeTimeout
        /// The handshake did not complete within the request timeout.
        case handshakeTimeout
        case handshakeFailed
        /// The server is stopping (or the grace period ended).
        case shutdown
        /// The responder asked for a reset.
        case reset
        /// The event loop refused to watch the connection.
        case unwatchable
        /// A streamed response's client fell `HTTPResponseStream.maxQueuedBytes` behind.
        case streamOverflow
    }

    /// What the connection is to do now.
    enum Action: Equatable {
        case none
        /// Read what the transport has (after the handshake).
        case read
        /// Parse and answer the buffered requests.
        case answer
        /// Queue the response just made, its head saying whether the connection stays open.
        case send(keepAlive: Bool)
        /// Queue the response's head and hand its producer a stream.
        case startStream(keepAlive: Bool)
        /// Queue the stream's end (the last chunk, when chunked), tell its producer why it ended, and go on
        /// with what is buffered (or close, as the state now says).
        case endStream(HTTPResponseStream.Termination)
        /// Queue `100 Continue`: the request being received waits for it before sending its body.
        case sendContinue
        /// Queue the responder's answer to `error`, with `Connection: close`.
        case answerError(HTTPServerError)
        /// Deliver the response after `delay` (`delayedResponseDue()`).
        case schedule(delay: Duration)
        /// Tell the loop what to watch.
        case watch(readable: Bool, writable: Bool)
        /// Shut down the write side, drop what is read, and end the linger after `linger` (`lingerEnded()`).
        case shutdownWrite(linger: Duration)
        /// Write what is queued if the socket takes it, then close with a TCP reset.
        case reset
        case close(CloseReason)
    }

    /// Queued output past which no further pipelined request is answered until the client has read some.
    static let maxQueuedOutput = 64 * 1024

    private(set) var state: State
    private(set) var wait = Wait.request
    /// When the current wait runs out; the loop's sweep reports `deadlineReached(now:)` after it.
    private(set) var deadline: DispatchTime
    /// The peer closed its sending side: nothing more will be read.
    private(set) var peerClosedInput = false
    /// The server is stopping: a delayed response still to come closes the connection (a stream ends at once).
    private var stopping = false
    /// `100 Continue` was sent for the request being received.
    private var sentContinue = false
    private var output = Output.flowing
    /// What the loop was last told to watch.
    private var watched = (readable: true, writable: false)
    private let timeouts: HTTPServerConfiguration.Timeouts
    /// Unparsed input past which reading pauses.
    let maxBufferedInput: Int

    /// Whether the transport has taken everything written so far.
    private enum Output: Equatable {
        case flowing
        /// It refused part: wait for room to write.
        case blockedUntilWritable
        /// It refused part and must read first (TLS): wait for input.
        case blockedUntilReadable
    }

    /// A connection just accepted: the first request (or the handshake) is due `timeouts.request` from `now`.
    init(timeouts: HTTPServerConfiguration.Timeouts, maxBufferedInput: Int, handshake: Bool, now: DispatchTime) {
        self.timeouts = timeouts
        self.maxBufferedInput = maxBufferedInput
        state = handshake ? .handshaking(wantsWrite: false) : .open(.ready)
        deadline = now + timeouts.request.dispatchInterval
    }

    // MARK: - Queries

    var isClosed: Bool { state == .closed }

    /// Read bytes are kept for parsing (else dropped, as a closing connection does).
    var keepsInput: Bool {
        if case .open = state { return true }
        return false
    }

    /// The next buffered request may be parsed and answered.
    var mayAnswer: Bool { state == .open(.ready) }

    var isPausedForOutput: Bool { state == .open(.pausedForOutput) }

    var isAwaitingDelayedResponse: Bool {
        if case .open(.awaitingDelayedResponse) = state { return true }
        return false
    }

    var isStreaming: Bool {
        if case .open(.streaming) = state { return true }
        return false
    }

    /// The output waits for input (TLS): a readable event flushes.
    var outputWaitsForInput: Bool { output == .blockedUntilReadable }

    // MARK: - Handshake

    mutating func handshakeProgressed(_ progress: TransportHandshake) -> Action {
        guard case .handshaking = state else { return .none }
        switch progress {
        case .done:
            state = .open(.ready)
            return .read
        case .wantsRead:
            state = .handshaking(wantsWrite: false)
            return .none
        case .wantsWrite:
            state = .handshaking(wantsWrite: true)
            return .none
        case .failed(_, let answer?):
            state = .closingAfterFlush(.linger)
            return .answerError(answer)
        case .failed(_, nil):
            return .close(.handshakeFailed)
        }
    }

    // MARK: - Input

    /// A read is done (bytes kept if `keepsInput`); `peerClosed`: it found the end of the input.
    mutating func inputRead(peerClosed: Bool) -> Action {
        if peerClosed { peerClosedInput = true }
        switch state {
        case .open(.streaming): return peerClosedInput ? .close(.peerGone) : .none
        case .open: return .answer
        case .lingering where peerClosedInput: return .close(.finished)
        case .handshaking, .closingAfterFlush, .lingering, .closed: return .none
        }
    }

    /// The loop reported a hang-up (or an error): the connection is gone in both directions. While input
    /// is watched the reads find out; otherwise nothing more will be read, and nothing written can arrive.
    func hungUp() -> Action {
        watched.readable || isClosed ? .none : .close(.peerGone)
    }

    // MARK: - Answering

    /// The answering loop starts: a pause for output ends (the loop checks the queue again).
    mutating func answeringStarted() {
        if state == .open(.pausedForOutput) { state = .open(.ready) }
    }

    /// `maxQueuedOutput` bytes or more are still queued after a flush: stop answering until the client reads.
    mutating func outputBackedUp() {
        if state == .open(.ready) { state = .open(.pausedForOutput) }
    }

    /// The request being received asks for `100 Continue` before it sends its body: once per request.
    mutating func continueExpected() -> Action {
        if sentContinue { return .none }
        sentContinue = true
        return .sendContinue
    }

    /// A whole request arrived. The next request's time starts when it begins; a wait for the output is
    /// left as it is: it runs from the last write that made progress, whatever else is answered meanwhile.
    mutating func requestReceived() {
        sentContinue = false
        if wait == .request { stopWaiting() }
    }

    /// The buffered bytes are not a request (or break a limit): answer the error, then close.
    mutating func protocolError(_ error: HTTPParseError) -> Action {
        state = .closingAfterFlush(.linger)
        return .answerError(HTTPServerError(code: .protocolError(error)))
    }

    /// The responder answered the request just received: deliver it now, or after `delay`.
    mutating func responseReady(_ delivery: Delivery, delay: Duration?) -> Action {
        guard state == .open(.ready) else { return .none }
        if let delay, delay > .zero {
            state = .open(.awaitingDelayedResponse(delivery))
            return .schedule(delay: delay)
        }
        return deliver(delivery)
    }

    /// A delayed response's time has come (its connection may have closed meanwhile: then `.none`).
    mutating func delayedResponseDue() -> Action {
        guard case .open(.awaitingDelayedResponse(let delivery)) = state else { return .none }
        state = .open(.ready)
        return deliver(delivery)
    }

    private mutating func deliver(_ delivery: Delivery) -> Action {
        switch delivery {
        case .send(let keepAlive):
            let keepAlive = keepAlive && !stopping
            if !keepAlive { state = .closingAfterFlush(.lingerIfInputBuffered) }
            return .send(keepAlive: keepAlive)
        case .stream(let keepAlive):
            let keepAlive = keepAlive && !stopping
            state = .open(.streaming(keepAlive: keepAlive))
            return .startStream(keepAlive: keepAlive)
        case .closeWithoutResponse:
            state = .closingAfterFlush(.lingerIfInputBuffered)
            return .none
        case .reset:
            return .reset
        }
    }

    // MARK: - Streams

    /// The stream's producer has it: a server already stopping ends it at once.
    mutating func streamStarted() -> Action {
        stopping ? endStream(.serverStopping) : .none
    }

    /// The producer called `finish()`.
    mutating func streamFinished() -> Action {
        endStream(.finished)
    }

    /// A `send` would have taken the stream's queue past its bound: the client is too slow, or gone.
    func streamOverflowed() -> Action {
        isStreaming ? .close(.streamOverflow) : .none
    }

    private mutating func endStream(_ termination: HTTPResponseStream.Termination) -> Action {
        guard case .open(.streaming(let keepAlive)) = state else { return .none }
        state = keepAlive && !stopping ? .open(.ready) : .closingAfterFlush(.lingerIfInputBuffered)
        return .endStream(termination)
    }

    /// The answering loop is done (and has flushed): a client that half-closed and has everything it
    /// asked for is done too; otherwise the wait is set for what comes next.
    mutating func answeringEnded(inputBuffered: Int, outputQueued: Int, now: @autoclosure () -> DispatchTime)
        -> Action
    {
        if peerClosedInput, state == .open(.ready) {
            if outputQueued == 0 { return .close(.finished) }
            state = .closingAfterFlush(.linger)
        }
        updateWait(inputBuffered: inputBuffered, outputQueued: outputQueued, progressed: false, now: now())
        return .none
    }

    // MARK: - Output

    /// A flush ended: everything written (`.bytes`), the transport refused the rest (`.wouldBlock`, after
    /// `written` bytes; `waitsForInput` says which readiness to wait for), or the connection is gone.
    mutating func outputFlushed(
        written: Int, ending: StreamSocket.Progress, waitsForInput: Bool, inputBuffered: Int,
        now: @autoclosure () -> DispatchTime
    ) -> Action {
        switch ending {
        case .closed:
            return .close(.peerGone)
        case .wouldBlock:
            output = waitsForInput ? .blockedUntilReadable : .blockedUntilWritable
            updateWait(inputBuffered: inputBuffered, outputQueued: 1, progressed: written > 0, now: now())
            return .none
        case .bytes:
            let wasBlocked = output != .flowing
            output = .flowing
            switch state {
            case .closingAfterFlush(let ending):
                if peerClosedInput || (ending == .lingerIfInputBuffered && inputBuffered == 0) {
                    return .close(.finished)
                }
                state = .lingering
                stopWaiting()
                return .shutdownWrite(linger: timeouts.linger)
            case .open where wasBlocked:
                updateWait(inputBuffered: inputBuffered, outputQueued: 0, progressed: false, now: now())
                return .none
            case .handshaking, .open, .lingering, .closed:
                return .none
            }
        }
    }

    /// After a flush on a writable event: answering paused for output resumes once the queue is below
    /// `maxQueuedOutput`.
    func outputRoom(queued: Int) -> Action {
        isPausedForOutput && queued < Self.maxQueuedOutput ? .answer : .none
    }

    /// The linger time ran out.
    func lingerEnded() -> Action {
        state == .lingering ? .close(.finished) : .none
    }

    // MARK: - Time and shutdown

    /// The loop's sweep: acts on a wait that has run out.
    mutating func deadlineReached(now: DispatchTime) -> Action {
        guard !isClosed, now >= deadline else { return .none }
        deadline = .distantFuture
        if case .handshaking = state { return .close(.handshakeTimeout) }
        switch wait {
        case .request where state == .open(.ready):
            state = .closingAfterFlush(.linger)
            stopWaiting()
            let error = HTTPParseError(.requestTimeout, "the request was not complete within \(timeouts.request)")
            return .answerError(HTTPServerError(code: .protocolError(error)))
        case .idle:
            return .close(.idleTimeout)
        case .output:
            return .close(.writeTimeout)
        case .request, .nothing:
            return .none
        }
    }

    /// Server shutdown: an idle connection closes now; one with a response in flight closes once it is
    /// written; a delayed response still goes out, with `Connection: close`; a stream ends at once.
    mutating func shutdown(outputQueued: Bool) -> Action {
        stopping = true
        switch state {
        case .handshaking:
            return .close(.shutdown)
        case .open(.ready), .open(.pausedForOutput):
            if !outputQueued { return .close(.shutdown) }
            state = .closingAfterFlush(.linger)
            return .none
        case .open(.streaming):
            return endStream(.serverStopping)
        case .open(.awaitingDelayedResponse), .closingAfterFlush, .lingering, .closed:
            return .none
        }
    }

    /// The connection closes (whatever asked for it): true the first time.
    mutating func close() -> Bool {
        guard !isClosed else { return false }
        state = .closed
        stopWaiting()
        return true
    }

    // MARK: - Interest

    /// What the loop should watch now, when that differs from what it was last told: input unless the
    /// peer closed its side or more than `maxBufferedInput` unparsed bytes wait (a client sending while a
    /// delayed response holds everything after it: a readable socket that is watched but not read would
    /// wake the loop again at once); room to write while the output is blocked on it (or the handshake is).
    mutating func interestUpdate(inputBuffered: Int) -> Action {
        let readable: Bool
        let writable: Bool
        switch state {
        case .closed:
            return .none
        case .handshaking(let wantsWrite):
            readable = true
            writable = wantsWrite
        case .open, .closingAfterFlush, .lingering:
            readable = !peerClosedInput && inputBuffered <= maxBufferedInput
            writable = output == .blockedUntilWritable
        }
        guard readable != watched.readable || writable != watched.writable else { return .none }
        watched = (readable, writable)
        return .watch(readable: readable, writable: writable)
    }

    // MARK: - Waits

    /// Sets the wait for what the connection now expects. A request's deadline runs from its first bytes
    /// and is not extended by more; the output's runs from the last write that moved bytes (or from when
    /// the output first blocked), so a client that sends a request now and then and reads nothing is
    /// still dropped; the idle deadline runs from the last answer.
    private mutating func updateWait(inputBuffered: Int, outputQueued: Int, progressed: Bool, now: DispatchTime) {
        let next: Wait
        switch state {
        case .open(.ready), .open(.pausedForOutput):
            next = outputQueued > 0 ? .output : inputBuffered > 0 ? .request : .idle
        case .closingAfterFlush:
            next = outputQueued > 0 ? .output : .nothing
        case .open(.awaitingDelayedResponse), .open(.streaming), .lingering, .closed:
            next = .nothing
        case .handshaking:
            return  // its deadline runs from the connection's start
        }
        if next != wait || next == .idle || (next == .output && progressed) { expect(next, now: now) }
    }

    private mutating func expect(_ next: Wait, now: DispatchTime) {
        let timeout: Duration
        switch next {
        case .request: timeout = timeouts.request
        case .idle: timeout = timeouts.idle
        case .output: timeout = timeouts.write
        case .nothing: return stopWaiting()
        }
        wait = next
        deadline = now + timeout.dispatchInterval
    }

    private mutating func stopWaiting() {
        wait = .nothing
        deadline = .distantFuture
    }
}

extension Duration {
    /// The duration as a Dispatch interval, to the nanosecond.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
