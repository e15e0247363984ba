import Dispatch
import Logging

/// One client connection: reads bytes as they come, parses requests, asks the responder, and writes
/// the answers back in order, with non-blocking I/O driven by its `EventLoop`.
///
/// `@unchecked Sendable`: all mutable state is touched only on the loop's thread; from other threads the
/// server only calls `beginShutdown()` and `abort()`, which hop onto it.
final class HTTPConnection: @unchecked Sendable {
    private let socket: StreamSocket
    private let loop: EventLoop
    private let responder: any HTTPResponder
    private let parser: HTTPRequestParser
    private let timeouts: HTTPServerConfiguration.Timeouts
    private let logger: Logger
    private let onClose: @Sendable () -> Void

    /// Write readiness is being watched: the socket refused part of the output.
    private var watchingWritable = false
    /// Input is not being watched: see `updateReading()`.
    private var readingPaused = false
    /// Something was written already (later writes turn Nagle's algorithm off first).
    private var hasWritten = false
    #if TLS
        /// The TLS session over the socket, when the server speaks HTTPS; all reads and writes go through it.
        private var tls: TLSStream?
        private let tlsContext: TLSContext?
        /// The TLS handshake is still under way: nothing is read as HTTP yet.
        private var handshaking = false
    #endif
    private var inbound: [UInt8] = []
    private var outbound = OutboundQueue()
    private var sentContinue = false
    /// Bytes of the pending request already searched for the end of its head without finding it.
    private var headScanned = 0

    private enum State {
        /// Reading and answering requests.
        case open
        /// The last response is queued; once it is written, the write side closes.
        case closingAfterFlush
        /// Write side closed; reading and dropping until the peer closes or the linger time runs out.
        case lingering
        case closed
    }
    private var state = State.open
    private var peerClosedInput = false
    private var draining = false
    /// A response with a delay is pending: nothing more is parsed or answered until it is delivered.
    private var awaitingDelayedResponse = false
    /// Answering stopped with requests possibly still buffered, because `maxQueuedOutput` bytes or more
    /// wait to be written; a writable event that brings the queue below it resumes.
    private var answeringPausedForOutput = false
    /// Queued output past which no further pipelined request is answered until the client has read some.
    private static let maxQueuedOutput = 64 * 1024

    /// What the connection waits for from the client, which decides how long it may take.
    private enum Wait {
        /// The rest of a request that has begun (or the first one): `requestTimeout`, then 408.
        case request
        /// A new request on an idle keep-alive connection: `idleTimeout`, then close.
        case idle
        /// The client to read a response that fills the socket buffer: `writeTimeout` without progress, then close.
        case write
        /// Nothing (a delayed response is pending, or the connection is closing).
        case nothing
    }
    private var wait = Wait.request
    /// When the current wait runs out; the event loop's sweep (every 100 ms) checks it.
    private var waitDeadline = DispatchTime.distantFuture
    /// Close at once after the last response instead of lingering: nothing suggests the client is still
    /// sending (set when a response ends the connection with no unread bytes, as nginx's heuristic does).
    private var closeWithoutLingering = false

    init(
        descriptor: Int32, loop: EventLoop, responder: any HTTPResponder, parser: HTTPRequestParser,
        timeouts: HTTPServerConfiguration.Timeouts, logger: Logger, tlsContext: TLSContextReference = nil,
        onClose: @escaping @Sendable () -> Void
    ) {
        self.socket = StreamSocket(descriptor: descriptor)
        self.loop = loop
        #if TLS
            self.tlsContext = tlsContext
        #endif
        self.responder = responder
        self.parser = parser
        self.timeouts = timeouts
        self.logger = logger
        self.onClose = onClose
    }

    /// Starts serving; call on the loop's thread.
    func start() {
        do {
            try loop.register(self, descriptor: socket.descriptor)
        } catch {
            logger.error("cannot watch the new connection, closing it", metadata: ["error": "\(error)"])
            return close()
        }
        expect(.request)
        #if TLS
            if let tlsContext { beginHandshake(tlsContext) }
        #endif
    }

    /// Server shutdown: an idle connection closes now; one with a response in flight closes once it is written.
    func beginShutdown() {
        loop.execute { [self] in
            guard state == .open else { return }
            draining = true
            if awaitingDelayedResponse { return }  // it goes out with `Connection: close`, then we close
            if outbound.isEmpty {
                close()
            } else {
                state = .closingAfterFlush
            }
        }
    }

    /// Closes at once, whatever is pending (server shutdown after the grace period).
    func abort() {
        loop.execute { [self] in close() }
    }

    /// Readiness reported by the event loop; `hangup`: the connection is gone in both directions (or failed).
    func handleEvents(readable: Bool, writable: Bool, hangup: Bool) {
        if hangup, readingPaused {
            // Reported whatever is watched: nothing more will be read, nothing written can arrive.
            return close()
        }
        #if TLS
            if handshaking {
                continueHandshake()
                return
            }
        #endif
        if writable, state != .closed {
            flush()
            if answeringPausedForOutput, state == .open, outbound.count < Self.maxQueuedOutput {
                answerBufferedRequests()
            }
        }
        if readable, state != .closed { self.readable() }
    }

    /// Reads through TLS when the connection has it, from the socket otherwise.
    private func receive(into buffer: UnsafeMutableRawBufferPointer) -> StreamSocket.Progress {
        #if TLS
            if let tls { return tls.read(into: buffer) }
        #endif
        return socket.read(into: buffer)
    }

    // MARK: - Reading

    private func readable() {
        var progress = StreamSocket.Progress.wouldBlock
        withUnsafeTemporaryAllocation(byteCount: 64 * 1024, alignment: 1) { scratch in
            repeat {
                progress = receive(into: scratch)
                guard case .bytes(let count) = progress else { break }
                if state == .open { inbound.append(contentsOf: scratch[..<count]) }
                // A read that did not fill the buffer has emptied the socket: stop here rather than pay for
                // a call that says so (epoll is level-triggered, so anything arriving later is reported).
                if count < scratch.count { break }
            } while inbound.count <= maxBufferedInput
        }
        if progress == .closed {
            peerClosedInput = true
        }
        switch state {
        case .open:
            answerBufferedRequests()
            #if TLS
                // Decrypted bytes left inside OpenSSL raise no readiness: come back for them.
                if let tls, state == .open, tls.hasBufferedInput {
                    loop.execute { [weak self] in self?.readable() }
                }
            #endif
        case .lingering where peerClosedInput:
            close()
        case .closingAfterFlush, .lingering, .closed:
            break
        }
        updateReading()
    }

    /// Stops watching for input once nothing more can come (the peer closed its side) or more unparsed
    /// input is buffered than `maxBufferedInput` (a client sending while a delayed response holds up
    /// everything after it), and watches again once there is room. A readable socket that is watched but
    /// not read would wake the loop again at once, for as long as the wait lasts (up to the longest delay).
    private func updateReading() {
        guard state != .closed else { return }
        let pause = peerClosedInput || inbound.count > maxBufferedInput
        guard pause != readingPaused else { return }
        readingPaused = pause
        watch()
    }

    /// Unparsed input kept before reading pauses: two request bodies at their size limit.
    private var maxBufferedInput: Int { parser.limits.maxBodyBytes * 2 }

    /// Once the client has half-closed and everything it sent is answered, nothing more can come: close.
    private func closeIfPeerIsDone() {
        guard peerClosedInput, state == .open, !awaitingDelayedResponse, !answeringPausedForOutput else { return }
        if outbound.isEmpty { close() } else { state = .closingAfterFlush }
    }

    /// Answers the buffered requests in order. It stops at a delayed response, when the connection is
    /// closing, and when `maxQueuedOutput` bytes or more are still queued after a flush; the next writable
    /// event resumes (`answeringPausedForOutput`). So a client that pipelines many requests and reads
    /// nothing costs what the socket buffers hold, not every answer computed and queued before the first
    /// write (which could take seconds on a loaded machine, and the write timeout, which starts when the
    /// socket refuses more, only started after that); and a client that resets the connection costs one
    /// answer, not all of them.
    private func answerBufferedRequests() {
        var consumedTotal = 0
        answeringPausedForOutput = false
        defer {
            if consumedTotal >= inbound.count {  // (closing may already have emptied it)
                inbound.removeAll(keepingCapacity: inbound.capacity <= 64 * 1024)
            } else if consumedTotal > 0 {
                inbound.removeFirst(consumedTotal)
            }
            if !answeringPausedForOutput { flush() }  // (when paused, the loop has just flushed)
            closeIfPeerIsDone()
            updateWait()
            updateReading()
        }
        while state == .open, !awaitingDelayedResponse, consumedTotal < inbound.count,
            headMayBeComplete(from: consumedTotal)
        {
            if outbound.count >= Self.maxQueuedOutput {
                flush()
                guard state == .open, outbound.count < Self.maxQueuedOutput else {
                    answeringPausedForOutput = state == .open
                    return
                }
            }
            let outcome: HTTPRequestParser.Outcome
            do {
                outcome = try inbound.withUnsafeBufferPointer { buffer throws(HTTPParseError) in
                    try parser.parse(UnsafeBufferPointer(rebasing: buffer[consumedTotal...]))
                }
            } catch {
                logger.info("protocol error, closing connection", metadata: ["error": "\(error)"])
                answer(HTTPServerError(code: .protocolError(error)))
                state = .closingAfterFlush
                return
            }
            switch outcome {
            case .complete(let parsed, let consumed):
                let request = withConnectionFacts(parsed)
                consumedTotal += consumed
                sentContinue = false
                headScanned = 0
                // The next request's time starts when it begins. A wait for the output is left as it is: it
                // runs from the last write that made progress, whatever else is answered meanwhile.
                if wait == .request { wait = .nothing }
                let response = responder.respond(to: request)
                if let delay = response.delay, delay > .zero {
                    awaitingDelayedResponse = true
                    loop.schedule(after: delay) { [self] in
                        awaitingDelayedResponse = false
                        guard state == .open else { return }
                        deliver(response, to: request)
                        answerBufferedRequests()
                    }
                    return
                }
                deliver(response, to: request)
            case .needMore(let expectsContinue):
                if expectsContinue, !sentContinue {
                    sentContinue = true
                    outbound.append("HTTP/1.1 100 Continue\r\n\r\n")
                }
                return
            }
        }
    }

    /// `request` with what only the connection knows: whether it came over TLS.
    private func withConnectionFacts(_ request: HTTPRequest) -> HTTPRequest {
        #if TLS
            var request = request
            request.receivedOverTLS = tls != nil
        #endif
        return request
    }

    private func deliver(_ response: HTTPResponse, to request: HTTPRequest) {
        switch response.disposition {
        case .send:
            let keepAlive = request.keepAlive && !response.closeConnection && !draining
            enqueue(
                response, connection: keepAlive ? .keepAlive(idleTimeout: timeouts.announcedIdleSeconds) : .close,
                minorVersion: request.minorVersion, includeBody: request.method != "HEAD")
            if !keepAlive {
                state = .closingAfterFlush
                closeWithoutLingering = true
            }
        case .closeWithoutResponse:
            state = .closingAfterFlush
            closeWithoutLingering = true
        case .resetConnection:
            flush()
            socket.resetOnClose()
            close()
        }
    }

    /// False when parsing the pending request (from `start`) again could only answer "need more": no blank
    /// line ending its head has arrived and it is within the size limits. This keeps a client that sends
    /// its head a byte at a time from making every byte re-parse everything before it.
    private func headMayBeComplete(from start: Int) -> Bool {
        let pending = inbound.count - start
        if pending > parser.limits.maxHeaderBytes { return true }  // the parser reports the limit
        var index = start + max(0, headScanned - 2)
        while index < inbound.count {
            if inbound[index] == .lf {
                if index + 1 < inbound.count, inbound[index + 1] == .lf { return true }
                if index + 2 < inbound.count, inbound[index + 1] == .cr, inbound[index + 2] == .lf { return true }
            }
            index += 1
        }
        headScanned = pending
        return false
    }

    private func enqueue(
        _ response: HTTPResponse, connection: HTTPResponse.Persistence, minorVersion: Int, includeBody: Bool
    ) {
        outbound.append(response.head(date: loop.date(), connection: connection, requestMinorVersion: minorVersion))
        if includeBody { outbound.append(response.body) }
    }

    /// Queues the responder's answer to an error of the server's own, with `Connection: close`; the
    /// connection closes once it is written.
    private func answer(_ error: HTTPServerError) {
        enqueue(responder.respond(to: error), connection: .close, minorVersion: 1, includeBody: true)
        state = .closingAfterFlush
    }

    // MARK: - Writing

    private func flush() {
        guard state != .closed else { return }
        if !outbound.isEmpty {
            if hasWritten { socket.sendImmediately() }
            hasWritten = true
        }
        let drained: (written: Int, ending: StreamSocket.Progress)
        #if TLS
            if let tls {
                drained = outbound.drain(using: tls.write(vectors:))
                // Rarely, TLS must read before it can write again: the next readable event flushes.
                if drained.ending == .wouldBlock, !tls.lastWouldBlockWantsWrite {
                    waitForOutput(afterWriting: drained.written)
                    return
                }
            } else {
                drained = outbound.drain(using: socket.write(vectors:))
            }
        #else
            drained = outbound.drain(using: socket.write(vectors:))
        #endif
        switch drained.ending {
        case .bytes:
            break
        case .wouldBlock:
            startWatchingWritable()
            waitForOutput(afterWriting: drained.written)
            return
        case .closed:
            close()
            return
        }
        if watchingWritable {
            stopWatchingWritable()
            updateWait()
        }
        if state == .closingAfterFlush { startLingering() }
    }

    /// The socket refused part of the output: the write timeout runs from the last write that moved bytes,
    /// or from now when the connection was not yet waiting for its output. A flush that wrote nothing (on
    /// more requests from a client that reads nothing, or a writable event that found the socket full
    /// again) leaves the deadline where it is; otherwise a client that sends a request now and then, and
    /// reads nothing, would never be dropped.
    private func waitForOutput(afterWriting written: Int) {
        if written > 0 || wait != .write { expect(.write) }
    }

    private func startWatchingWritable() {
        guard !watchingWritable else { return }
        watchingWritable = true
        watch()
    }

    private func stopWatchingWritable() {
        guard watchingWritable else { return }
        watchingWritable = false
        watch()
    }

    /// Tells the loop what to wait for (`readingPaused`, `watchingWritable`). If epoll refuses, the
    /// connection could wait forever for readiness it is not told about: it closes.
    private func watch() {
        guard state != .closed else { return }
        do {
            try loop.watch(socket.descriptor, readable: !readingPaused, writable: watchingWritable)
        } catch {
            logger.error("cannot change what the connection waits for, closing it", metadata: ["error": "\(error)"])
            close()
        }
    }

    // MARK: - Closing

    /// Sends FIN and keeps reading for a short while, so unread request bytes do not turn into a reset
    /// that destroys the response the client has not read yet (nginx's lingering close).
    private func startLingering() {
        if peerClosedInput || (closeWithoutLingering && inbound.isEmpty) {
            close()
            return
        }
        state = .lingering
        inbound = []  // nothing more is parsed: hand the buffer back now, not when the linger ends
        #if TLS
            tls?.shutdown()
        #endif
        socket.shutdownWrite()
        loop.schedule(after: timeouts.linger) { [weak self] in self?.close() }
    }

    private func close() {
        guard state != .closed else { return }
        state = .closed
        inbound = []
        outbound = OutboundQueue()
        #if TLS
            if let reason = tls?.closeReason { logger.debug("TLS session ended", metadata: ["reason": "\(reason)"]) }
            if !socket.resetsOnClose { tls?.shutdown() }
        #endif
        loop.deregister(socket.descriptor)
        socket.close()
        onClose()
    }

    // MARK: - TLS

    #if TLS
        private func beginHandshake(_ context: TLSContext) {
            do {
                tls = try TLSStream(context: context, descriptor: socket.descriptor)
            } catch {
                logger.error("cannot start a TLS session", metadata: ["error": "\(error)"])
                return close()
            }
            handshaking = true
            hasWritten = true  // the handshake writes first (and the session tickets may still be in flight)
            continueHandshake()
        }

        /// Drives the handshake on each readiness event; a client that fails it, speaks plain HTTP or stalls
        /// (the request timeout) is logged and closed without disturbing anyone else.
        private func continueHandshake() {
            guard let tls, state == .open else { return }
            switch tls.handshake() {
            case .done:
                handshaking = false
                stopWatchingWritable()
                logger.debug(
                    "TLS handshake done",
                    metadata: ["protocol": "\(tls.protocolVersion)", "alpn": "\(tls.negotiatedALPN ?? "-")"])
                readable()
            case .wantsRead:
                stopWatchingWritable()
            case .wantsWrite:
                startWatchingWritable()
            case .failed(let reason):
                logger.info("TLS handshake failed, closing", metadata: ["reason": "\(reason)"])
                handshaking = false
                if tls.receivedPlainHTTP {
                    // Answer without TLS, once, so that a curl pointed at the wrong scheme says why.
                    self.tls = nil
                    answer(HTTPServerError(code: .plainHTTPOnTLSPort))
                    flush()
                } else {
                    close()
                }
            }
        }
    #endif

    // MARK: - Timeouts

    /// Decides what the connection waits for now that a batch of requests is answered or written.
    private func updateWait() {
        guard state == .open else { return expect(.nothing) }
        if awaitingDelayedResponse {
            expect(.nothing)
        } else if !outbound.isEmpty {
            // Already waiting for the output: its deadline moves only with progress (`waitForOutput`).
            if wait != .write { expect(.write) }
        } else if !inbound.isEmpty {
            // A request has begun: its deadline runs from its first bytes and is not extended by more.
            if wait != .request { expect(.request) }
        } else {
            expect(.idle)
        }
    }

    private func expect(_ next: Wait) {
        wait = next
        let timeout: Duration? =
            switch next {
            case .request: timeouts.request
            case .idle: timeouts.idle
            case .write: timeouts.write
            case .nothing: nil
            }
        waitDeadline = timeout.map { .now() + $0.dispatchInterval } ?? .distantFuture
    }

    /// Called by the event loop's sweep: acts on a wait that has run out.
    func checkDeadline(now: DispatchTime) {
        guard state != .closed, now >= waitDeadline else { return }
        waitDeadline = .distantFuture
        #if TLS
            if handshaking {
                logger.info("TLS handshake not completed in time, closing")
                close()
                return
            }
        #endif
        switch wait {
        case .request where state == .open:
            logger.info("request not received in time, answering 408")
            let error = HTTPParseError(.requestTimeout, "the request was not complete within \(timeouts.request)")
            answer(HTTPServerError(code: .protocolError(error)))
            expect(.nothing)
            flush()
        case .idle, .write:
            logger.debug("closing connection", metadata: ["reason": "\(wait == .idle ? "idle" : "write") timeout"])
            close()
        case .request, .nothing:
            break
        }
    }
}

extension Duration {
    /// The duration as a Dispatch interval, to the nanosecond.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}

#if TLS
    /// The TLS context a connection serves with, when the server speaks HTTPS.
    typealias TLSContextReference = TLSContext?
#else
    /// Without the TLS trait a connection never has a TLS context.
    typealias TLSContextReference = Never?
#endif
