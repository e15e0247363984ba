import Dispatch
import Glibc
import Logging

/// One client connection: reads bytes as they come, parses requests, asks the responder, and writes the
/// answers back in order, with non-blocking I/O driven by its loop.
///
/// It holds the buffers and does the I/O; every decision about the connection's life (when to answer,
/// pause, wait, linger or close, and how long the client may take) is `ConnectionStateMachine`'s, which
/// it tells each event and whose actions it performs. It is generic over its transport (plain TCP or
/// TLS) and its loop, so that a test can drive it with a scripted transport and a hand-moved clock.
///
/// `@unchecked Sendable`: all mutable state is touched only on the loop's thread; the server reaches it
/// from other threads only by posting work to that loop (`ServedConnection.beginShutdown()`, `abort()`).
final class HTTPConnection<Transport: ConnectionTransport, Loop: ConnectionLoop>: @unchecked Sendable {
    private let transport: Transport
    let loop: Loop
    private let responder: any HTTPResponder
    private let parser: HTTPRequestParser
    private let logger: Logger
    private let onClose: @Sendable () -> Void
    /// The idle timeout in whole seconds, as `Keep-Alive: timeout=` announces it.
    private let announcedIdleSeconds: Int

    // The state below that every request touches is not checked for exclusive access at run time: it is
    // touched only on the loop's thread, and nothing called while it is being read or changed (the
    // machine's methods, the parser, the transport's reads and writes) calls back into the connection, so
    // no two accesses can overlap. The checks cost about 60 instructions each, 17 per request (callgrind).
    @exclusivity(unchecked) private var machine: ConnectionStateMachine
    @exclusivity(unchecked) private var inbound: [UInt8] = []
    @exclusivity(unchecked) private var outbound = OutboundQueue()
    /// Bytes of the pending request already searched for the end of its head without finding it.
    @exclusivity(unchecked) private var headScanned = 0
    /// The streamed response being sent, and whether its body is chunked (else close-delimited).
    private var stream: (body: HTTPResponseStream, chunked: Bool)?

    init(
        transport: Transport, loop: Loop, responder: any HTTPResponder, parser: HTTPRequestParser,
        timeouts: HTTPServerConfiguration.Timeouts, logger: Logger, onClose: @escaping @Sendable () -> Void
    ) {
        self.transport = transport
        self.loop = loop
        self.responder = responder
        self.parser = parser
        self.logger = logger
        self.onClose = onClose
        announcedIdleSeconds = timeouts.announcedIdleSeconds
        machine = ConnectionStateMachine(
            timeouts: timeouts, maxBufferedInput: parser.limits.maxBodyBytes * 2,
            handshake: transport.needsHandshake, now: loop.now)
    }

    var descriptor: Int32 { transport.descriptor }

    /// The connection's state, for tests.
    var state: ConnectionStateMachine.State { machine.state }

    /// Starts serving once `register` has made the loop deliver the connection's readiness; on the
    /// loop's thread.
    func start(registering register: () throws(SocketError) -> Void) {
        do {
            try register()
        } catch {
            logger.error("cannot watch the new connection, closing it", metadata: ["error": "\(error)"])
            return close(.unwatchable)
        }
        if case .handshaking = machine.state { continueHandshake() }
    }

    /// Server shutdown: an idle connection closes now; one with a response in flight closes once it is
    /// written; a delayed response still goes out, with `Connection: close`. On the loop's thread.
    func shutDown() {
        perform(machine.shutdown(outputQueued: !outbound.isEmpty))
        updateInterest()
    }

    /// Closes at once, whatever is pending (server shutdown after the grace period). On the loop's thread.
    func abort() {
        close(.shutdown)
    }

    /// Readiness reported by the event loop; `hangup`: the connection is gone in both directions (or failed).
    func handleEvents(readable: Bool, writable: Bool, hangup: Bool) {
        if hangup { perform(machine.hungUp()) }
        switch machine.state {
        case .closed:
            return
        case .handshaking:
            return continueHandshake()
        case .open, .closingAfterFlush, .lingering:
            break
        }
        if writable || (readable && machine.outputWaitsForInput) {
            flush()
            perform(machine.outputRoom(queued: outbound.count))
        }
        if readable, !machine.isClosed { read() }
        updateInterest()
    }

    /// Called by the loop's sweep: acts on a wait that has run out.
    func checkDeadline(now: DispatchTime) {
        guard now >= machine.deadline else { return }
        let action = machine.deadlineReached(now: now)
        guard case .answerError = action else { return perform(action) }
        logger.info("request not received in time, answering 408")
        perform(action)
        flush()
        updateInterest()
    }

    // MARK: - Reading

    private func read() {
        var progress = StreamSocket.Progress.wouldBlock
        let keep = machine.keepsInput
        let maxBufferedInput = machine.maxBufferedInput
        let scratch = loop.readBuffer
        repeat {
            progress = transport.read(into: scratch)
            guard case .bytes(let count) = progress else { break }
            if keep { inbound.append(contentsOf: scratch[..<count]) }
            // A read that did not fill the buffer has emptied the socket: stop here rather than pay for a
            // call that says so (epoll is level-triggered, so anything arriving later is reported).
            if count < scratch.count { break }
        } while inbound.count <= maxBufferedInput
        perform(machine.inputRead(peerClosed: progress == .closed))
        // Decrypted bytes left inside the transport raise no readiness: come back for them (after the
        // loop has served the other connections that are ready).
        if machine.keepsInput, transport.hasBufferedInput {
            loop.schedule(after: .zero) { [weak self] in self?.readAgain() }
        }
    }

    private func readAgain() {
        guard !machine.isClosed else { return }
        read()
        updateInterest()
    }

    // MARK: - Answering

    /// Answers the buffered requests in order. It stops at a delayed response, when the connection is
    /// closing, and when `maxQueuedOutput` bytes or more are still queued after a flush; the next writable
    /// event resumes. So a client that pipelines many requests and reads nothing costs what the socket
    /// buffers hold, not every answer computed and queued before the first write (which could take seconds
    /// on a loaded machine, and the write timeout, which starts when the socket refuses more, only started
    /// after that); and a client that resets the connection costs one answer, not all of them.
    private func answerBufferedRequests() {
        var consumedTotal = 0
        machine.answeringStarted()
        answering: while machine.mayAnswer, consumedTotal < inbound.count, headMayBeComplete(from: consumedTotal) {
            if outbound.count >= ConnectionStateMachine.maxQueuedOutput {
                flush()
                guard machine.mayAnswer, outbound.count < ConnectionStateMachine.maxQueuedOutput else {
                    machine.outputBackedUp()
                    break
                }
            }
            let outcome: HTTPRequestParser.Outcome
            do {
                outcome = try inbound.withUnsafeBufferPointer { buffer throws(HTTPParseError) in
                    try parser.parse(UnsafeBufferPointer(rebasing: buffer[consumedTotal...]))
                }
            } catch {
                logger.info("protocol error, closing connection", metadata: ["error": "\(error)"])
                perform(machine.protocolError(error))
                break
            }
            switch consume outcome {  // (moved out, not copied: a copy retains each string and array)
            case .complete(let parsed, let consumed):
                let request = withConnectionFacts(parsed)
                consumedTotal += consumed
                headScanned = 0
                machine.requestReceived()
                let response = responder.respond(to: request)
                let delivery = Self.delivery(of: response, to: request)
                deliver(response, to: request, as: machine.responseReady(delivery, delay: response.delay))
            case .needMore(let expectsContinue):
                if expectsContinue { perform(machine.continueExpected()) }
                break answering
            }
        }
        if consumedTotal >= inbound.count {  // (closing may already have emptied it)
            inbound.removeAll(keepingCapacity: inbound.capacity <= 64 * 1024)
        } else if consumedTotal > 0 {
            inbound.removeFirst(consumedTotal)
        }
        if machine.isClosed { return }
        if !machine.isPausedForOutput { flush() }  // (when paused, the loop has just flushed)
        perform(
            machine.answeringEnded(inputBuffered: inbound.count, outputQueued: outbound.count, now: loop.now))
    }

    /// How the machine is to deliver `response`.
    private static func delivery(of response: HTTPResponse, to request: HTTPRequest)
        -> ConnectionStateMachine.Delivery
    {
        switch response.disposition {
        case .send:
            if response.streamsBody, request.method != "HEAD" {
                // An HTTP/1.0 client learns where the body ends from the close.
                .stream(keepAlive: request.keepAlive && !response.closeConnection && request.minorVersion >= 1)
            } else {
                .send(keepAlive: request.keepAlive && !response.closeConnection)
            }
        case .closeWithoutResponse: .closeWithoutResponse
        case .resetConnection: .reset
        }
    }

    /// `request` with what only the connection knows: whether it came over TLS (the one transport with a
    /// handshake).
    private func withConnectionFacts(_ request: HTTPRequest) -> HTTPRequest {
        guard transport.needsHandshake else { return request }
        var request = request
        request.receivedOverTLS = true
        return request
    }

    /// Performs what the machine made of a response: queue it, or hold it for its delay (then deliver it
    /// and go on with what is buffered behind it).
    private func deliver(_ response: HTTPResponse, to request: HTTPRequest, as action: ConnectionStateMachine.Action) {
        switch action {
        case .send(let keepAlive):
            enqueue(
                response, connection: persistence(keepAlive), minorVersion: request.minorVersion,
                includeBody: request.method != "HEAD")
        case .startStream(let keepAlive):
            enqueue(
                response, connection: persistence(keepAlive), minorVersion: request.minorVersion, includeBody: false)
            startStream(response, chunked: request.minorVersion >= 1)
        case .schedule(let delay):
            loop.schedule(after: delay) { [self] in
                guard machine.isAwaitingDelayedResponse else { return }
                deliver(response, to: request, as: machine.delayedResponseDue())
                answerBufferedRequests()
                updateInterest()
            }
        default:
            perform(action)
        }
    }

    /// False when parsing the pending request (from `start`) again could only answer "need more": no blank
    /// line ending its head has arrived and it is within the size limits. This keeps a client that sends
    /// its head a byte at a time from making every byte re-parse everything before it.
    private func headMayBeComplete(from start: Int) -> Bool {
        let pending = inbound.count - start
        if pending > parser.limits.maxHeaderBytes { return true }  // the parser reports the limit
        // From LF to LF (`memchr`'s scan: every request's head passes here before the parser reads it).
        let found = inbound.withUnsafeBufferPointer { bytes in
            var index = start + max(0, headScanned - 2)
            while index < bytes.count, let lf = memchr(bytes.baseAddress! + index, Int32(UInt8.lf), bytes.count - index)
            {
                index = bytes.baseAddress!.distance(to: lf.assumingMemoryBound(to: UInt8.self))
                if index + 1 < bytes.count, bytes[index + 1] == .lf { return true }
                if index + 2 < bytes.count, bytes[index + 1] == .cr, bytes[index + 2] == .lf { return true }
                index += 1
            }
            return false
        }
        if !found { headScanned = pending }
        return found
    }

    /// What a response's head says about the connection: kept open, with the idle timeout announced
    /// (`Keep-Alive: timeout=N`), or closed.
    private func persistence(_ keepAlive: Bool) -> HTTPResponse.Persistence {
        keepAlive ? .keepAlive(idleTimeout: announcedIdleSeconds) : .close
    }

    private func enqueue(
        _ response: HTTPResponse, connection: HTTPResponse.Persistence, minorVersion: Int, includeBody: Bool
    ) {
        let inputs = ResponseHeadCache.Inputs(
            response, date: loop.date(), connection: connection, minorVersion: minorVersion)
        outbound.append(loop.headCache.head(of: response, inputs))
        if includeBody { outbound.append(response.body) }
    }

    // MARK: - Streamed responses

    /// Hands the response's producer a stream whose bytes come to this connection on its loop.
    private func startStream(_ response: HTTPResponse, chunked: Bool) {
        let loop = loop
        let body = HTTPResponseStream(
            connection: .init(
                post: { task in loop.execute(task) },
                wake: { [weak self] in self?.writeStream() }))
        stream = (body, chunked)
        response.stream?(body)
        perform(machine.streamStarted())
    }

    /// On the loop, when the producer has sent or finished: queues what it sent (one chunk per `send`)
    /// and writes it, or ends the stream.
    private func writeStream() {
        guard let stream, machine.isStreaming else { return }
        let taken = stream.body.take()
        if taken.overflowed {
            logger.info(
                "closing a client that fell behind a streamed response",
                metadata: ["queued": "over \(HTTPResponseStream.maxQueuedBytes) bytes"])
            return perform(machine.streamOverflowed())
        }
        for chunk in taken.chunks where !chunk.isEmpty {
            if stream.chunked {
                var size: [UInt8] = []
                size.appendHexadecimal(chunk.count)
                size += HTTPResponseStream.crlf
                outbound.append(size)
                outbound.append(chunk)
                outbound.append(HTTPResponseStream.crlf)
            } else {
                outbound.append(chunk)
            }
        }
        if taken.finish {
            perform(machine.streamFinished())
        } else {
            flush()
        }
        updateInterest()
    }

    /// Ends the stream: its last chunk when chunked, the producer told why; then the connection goes on
    /// (or closes) as the machine's state says.
    private func endStream(_ termination: HTTPResponseStream.Termination) {
        guard let ended = stream else { return }
        stream = nil
        if ended.chunked { outbound.append(HTTPResponseStream.lastChunk) }
        ended.body.end(termination)
        if machine.mayAnswer { answerBufferedRequests() } else { flush() }
    }

    // MARK: - Writing

    private func flush() {
        guard !machine.isClosed else { return }
        if !outbound.isEmpty { transport.prepareToWrite() }
        let drained = outbound.drain(using: transport.write(vectors:))
        if let stream { stream.body.connectionQueued(outbound.count) }
        perform(
            machine.outputFlushed(
                written: drained.written, ending: drained.ending, waitsForInput: transport.writeWaitsForInput,
                inputBuffered: inbound.count, now: loop.now))
    }

    // MARK: - Performing the machine's actions

    private func perform(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .read:
            read()
        case .answer:
            answerBufferedRequests()
        case .sendContinue:
            outbound.append("HTTP/1.1 100 Continue\r\n\r\n")
        case .answerError(let error):
            // The connection closes after it: the head says so whatever the request asked.
            enqueue(responder.respond(to: error), connection: .close, minorVersion: 1, includeBody: true)
        case .watch(let readable, let writable):
            do {
                try loop.watch(transport.descriptor, readable: readable, writable: writable)
            } catch {
                // The connection could wait forever for readiness it is not told about.
                logger.error("cannot change what the connection waits for, closing it", metadata: ["error": "\(error)"])
                close(.unwatchable)
            }
        case .shutdownWrite(let linger):
            // Sends FIN and keeps reading for a short while, so unread request bytes do not turn into a reset
            // that destroys the response the client has not read yet (nginx's lingering close).
            inbound = []  // nothing more is parsed: hand the buffer back now, not when the linger ends
            transport.shutdownWrite()
            loop.schedule(after: linger) { [weak self] in
                guard let self else { return }
                perform(machine.lingerEnded())
            }
        case .reset:
            _ = outbound.drain(using: transport.write(vectors:))
            close(.reset)
        case .close(let reason):
            close(reason)
        case .endStream(let termination):
            endStream(termination)
        case .send, .startStream, .schedule:
            assertionFailure("\(action) is performed where the response is at hand")
        }
    }

    /// Updates what the loop watches; at the end of every event.
    private func updateInterest() {
        perform(machine.interestUpdate(inputBuffered: inbound.count))
    }

    // MARK: - Handshake

    /// Drives the handshake on each readiness event; a client that fails it, speaks plain HTTP or stalls
    /// (the request timeout) is logged and closed without disturbing anyone else.
    private func continueHandshake() {
        let progress = transport.handshake()
        switch progress {
        case .done(let metadata): logger.debug("TLS handshake done", metadata: metadata)
        case .failed(let reason, _): logger.info("TLS handshake failed, closing", metadata: ["reason": "\(reason)"])
        case .wantsRead, .wantsWrite: break
        }
        let action = machine.handshakeProgressed(progress)
        perform(action)
        if case .answerError = action { flush() }
        updateInterest()
    }

    // MARK: - Closing

    private func close(_ reason: ConnectionStateMachine.CloseReason) {
        guard machine.close() else { return }
        switch reason {
        case .idleTimeout: logger.debug("closing connection", metadata: ["reason": "idle timeout"])
        case .writeTimeout: logger.debug("closing connection", metadata: ["reason": "write timeout"])
        case .handshakeTimeout: logger.info("TLS handshake not completed in time, closing")
        case .finished, .peerGone, .handshakeFailed, .shutdown, .reset, .unwatchable, .streamOverflow: break
        }
        inbound = []
        outbound = OutboundQueue()
        if let ended = stream {
            stream = nil
            let termination: HTTPResponseStream.Termination =
                switch reason {
                case .shutdown: .serverStopping
                case .streamOverflow: .overflow
                default: .clientGone
                }
            ended.body.end(termination)
        }
        loop.deregister(transport.descriptor)
        if let ended = transport.close(reset: reason == .reset) {
            logger.debug("TLS session ended", metadata: ["reason": "\(ended)"])
        }
        onClose()
    }
}
