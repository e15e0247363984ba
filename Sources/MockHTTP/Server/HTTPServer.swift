import Dispatch
import Glibc
import Logging
import Synchronization

/// A small HTTP/1.1 server on POSIX sockets and threads: one non-blocking listening socket, a few
/// `EventLoop`s (a thread blocking in `epoll_wait` each, one per core by default), and one
/// `HTTPConnection` per client. Every loop watches the listening socket; the one woken accepts and
/// keeps the connection, unless another loop serves fewer connections, which then gets it. It knows
/// nothing about what it serves: every request, and every error it answers itself (`HTTPServerError`),
/// goes to its `HTTPResponder`, which every loop calls from its own thread.
///
/// `@unchecked Sendable`: `listener`, `loops` and `address` are set once in `start()` before any loop
/// accepts, and only read afterwards; the rest is behind a lock.
public final class HTTPServer: @unchecked Sendable {
    let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let logger: Logger
    private let connectionsClosed = DispatchGroup()

    private var listener: ListeningSocket?
    private var loops: [EventLoop] = []
    private let state = Locked(State())

    private struct State {
        var connections: [UInt64: ServedConnection] = [:]
        var nextID: UInt64 = 0
        var refusedSinceLog = 0
        var lastRefusalLog: ContinuousClock.Instant?
        var stopping = false
    }

    /// The address actually bound, available once `start()` returned.
    public private(set) var address: SocketAddress?

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }

    /// Binds, listens and starts accepting. Returns once the socket is listening, so that a client may
    /// connect as soon as this returns.
    public func start() throws(SocketError) {
        ignoreSIGPIPE()
        let requested = try SocketAddress(host: configuration.host, port: configuration.port)
        let listener = try ListeningSocket(address: requested)
        self.address = try SocketAddress(host: requested.host, port: listener.boundPort)
        self.listener = listener
        for _ in 0..<max(1, configuration.eventLoops) {
            do {
                loops.append(try EventLoop())
            } catch {
                for loop in loops { loop.close() }
                loops = []
                listener.close()
                throw error
            }
        }
        for loop in loops {
            loop.execute { [self] in watchListener(on: loop) }
        }
    }

    /// Stops accepting, lets in-flight responses finish (up to `gracePeriod`), then closes everything.
    /// Idle connections close at once. Blocks until done; safe to call more than once, but not from a
    /// responder (it waits for every event loop, the caller's included). Once it returns, no connection
    /// is accepted: it waits, however long that takes, until every loop has stopped watching the
    /// listening socket, and only then closes it.
    public func stop(gracePeriod: Duration = .seconds(5)) {
        let (first, connections) = state.withLock { state in
            let first = !state.stopping
            state.stopping = true
            return (first, first ? Array(state.connections.values) : [])
        }
        if first {
            for loop in loops {
                loop.executeAndWait { [logger] in
                    do {
                        try loop.unwatchListener()
                    } catch {
                        logger.warning("could not stop watching the listening socket", metadata: ["error": "\(error)"])
                    }
                }
            }
            listener?.close()
        }
        for connection in connections { connection.beginShutdown() }
        if connectionsClosed.wait(timeout: .now() + gracePeriod.dispatchInterval) == .timedOut {
            let remaining = state.withLock { Array($0.connections.values) }
            logger.warning("closing \(remaining.count) connections still open after the grace period")
            for connection in remaining { connection.abort() }
            _ = connectionsClosed.wait(timeout: .now() + .seconds(1))
        }
        if first { for loop in loops { loop.close() } }
    }

    /// Makes `loop` accept connections; if epoll refuses, tries again in 100 ms (other loops accept meanwhile).
    private func watchListener(on loop: EventLoop) {
        guard let listener, !state.withLock({ $0.stopping }) else { return }
        do {
            try loop.watchListener(listener.descriptor) { [unowned self] in acceptPending(on: loop) }
        } catch {
            logger.error("cannot watch the listening socket; trying again in 100 ms", metadata: ["error": "\(error)"])
            loop.schedule(after: .milliseconds(100)) { [self] in watchListener(on: loop) }
        }
    }

    /// Accepts one waiting connection. The listening socket is level-triggered, so the next `epoll_wait`
    /// reports it again while more are waiting: accepting in a loop until `EAGAIN` would cost a system
    /// call per wake-up that accepts nothing, and take connections that an idle loop could have had. On
    /// `EMFILE`/`ENFILE` the loop stops watching the listening socket for 100 ms instead of spinning on a
    /// socket that stays readable.
    private func acceptPending(on loop: EventLoop) {
        let descriptor: Int32?
        do {
            descriptor = try listener?.acceptConnection()
        } catch {
            logger.error("accept failed; pausing accepts for 100 ms", metadata: ["error": "\(error)"])
            do {
                try loop.unwatchListener()
            } catch {
                logger.warning("could not stop watching the listening socket", metadata: ["error": "\(error)"])
            }
            loop.schedule(after: .milliseconds(100)) { [self] in watchListener(on: loop) }
            return
        }
        if let descriptor { open(descriptor, acceptedOn: loop) }
    }

    private func open(_ descriptor: Int32, acceptedOn loop: EventLoop) {
        let target = loopForNewConnection(acceptedOn: loop)
        let admission: Admission = state.withLock { state in
            if state.stopping { return .stopping }
            guard state.connections.count < configuration.maxConnections else { return .overLimit }
            state.nextID += 1
            let id = state.nextID
            let connection = makeConnection(descriptor, on: target) { [weak self] in self?.connectionClosed(id) }
            state.connections[id] = connection
            connectionsClosed.enter()
            return .accepted(connection)
        }
        let connection: ServedConnection
        switch admission {
        case .accepted(let accepted): connection = accepted
        case .overLimit: return refuse(descriptor, on: loop)
        case .stopping: return _ = closeDescriptor(descriptor)
        }
        target.connectionCount.add(1, ordering: .relaxed)
        if target === loop {
            connection.start(on: target)
        } else {
            target.execute { connection.start(on: target) }
        }
    }

    /// A connection over TLS when the server speaks HTTPS, over the plain socket otherwise.
    private func makeConnection(
        _ descriptor: Int32, on loop: EventLoop, onClose: @escaping @Sendable () -> Void
    ) -> ServedConnection {
        let parser = HTTPRequestParser(limits: configuration.parserLimits)
        if let transport = TLSTransport(descriptor: descriptor, context: tlsContext) {
            return .tls(
                HTTPConnection(
                    transport: transport, loop: loop, responder: responder, parser: parser,
                    timeouts: configuration.timeouts, logger: logger, onClose: onClose))
        }
        return .plain(
            HTTPConnection(
                transport: StreamSocket(descriptor: descriptor), loop: loop, responder: responder, parser: parser,
                timeouts: configuration.timeouts, logger: logger, onClose: onClose))
    }

    private enum Admission {
        case accepted(ServedConnection)
        case overLimit
        /// Accepted just as the server stops: closed without an answer.
        case stopping
    }

    /// The accepting loop, unless another serves fewer connections: keep-alive clients that all connect
    /// at once still spread over every loop, while a connection per request stays where it was accepted.
    private func loopForNewConnection(acceptedOn loop: EventLoop) -> EventLoop {
        var best = loop
        var fewest = loop.connectionCount.load(ordering: .relaxed)
        for other in loops where other !== loop {
            let count = other.connectionCount.load(ordering: .relaxed)
            if count < fewest {
                best = other
                fewest = count
            }
        }
        return best
    }

    /// Over `maxConnections`: the responder's answer to `.tooManyConnections` (a 503, with `Retry-After: 1`
    /// unless it set one), written once without waiting, and an immediate close, so that the client learns
    /// why and the backlog does not fill up. Logged at most once a second.
    private func refuse(_ descriptor: Int32, on loop: EventLoop) {
        let socket = StreamSocket(descriptor: descriptor)
        var response = responder.respond(to: HTTPServerError(code: .tooManyConnections))
        if !response.headers.contains("Retry-After") { response.headers.add(name: "Retry-After", value: "1") }
        response.serialized(date: loop.date(), connection: .close).withUnsafeBytes { _ = socket.write($0) }
        socket.close()
        let now = ContinuousClock.now
        let shouldLog = state.withLock { state in
            state.refusedSinceLog += 1
            if let last = state.lastRefusalLog, now - last < .seconds(1) { return 0 }
            state.lastRefusalLog = now
            defer { state.refusedSinceLog = 0 }
            return state.refusedSinceLog
        }
        if shouldLog > 0 {
            logger.warning(
                "connection limit reached, refusing new connections",
                metadata: ["limit": "\(configuration.maxConnections)", "refused": "\(shouldLog)"])
        }
    }

    private var tlsContext: TLSContextReference {
        #if TLS
            configuration.tls
        #else
            nil
        #endif
    }

    private func connectionClosed(_ id: UInt64) {
        _ = state.withLock { $0.connections.removeValue(forKey: id) }
        connectionsClosed.leave()
    }
}

/// A write to a closed socket must never kill the process: ignore SIGPIPE process-wide (writes also use
/// `MSG_NOSIGNAL`).
func ignoreSIGPIPE() {
    signal(SIGPIPE, SIG_IGN)
}
