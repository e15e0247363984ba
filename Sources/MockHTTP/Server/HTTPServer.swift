import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server on POSIX sockets and Dispatch: one non-blocking listening socket watched by a
/// Dispatch read source, a few `EventLoop`s (epoll served on a serial queue each, one per core by
/// default), and one `HTTPConnection` per client, on a loop chosen round-robin. It knows nothing about
/// what it serves; every request goes to its `HTTPResponder`.
///
/// `@unchecked Sendable`: the listener and accept source are set once in `start()` before any other
/// thread sees the server, and touched afterwards only on `acceptQueue`; the rest is behind `Mutex`.
public final class HTTPServer: @unchecked Sendable {
    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let logger: Logger
    private let acceptQueue = DispatchQueue(label: "gateway-mock.accept")
    private let connectionsClosed = DispatchGroup()
    private let listenerClosed = DispatchSemaphore(value: 0)
    /// Created and resumed only in `start()`: Dispatch traps on releasing a source that was never resumed.
    private var timerReservation: (any DispatchSourceTimer)?

    private var listener: ListeningSocket?
    private var acceptSource: (any DispatchSourceRead)?
    private var loops: [EventLoop] = []
    /// The loop the next connection goes to (touched only on `acceptQueue`).
    private var nextLoop = 0
    private let state = Mutex(State())

    private struct State {
        var connections: [UInt64: HTTPConnection] = [:]
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
        loops = try (0..<max(1, configuration.eventLoops)).map { (index) throws(SocketError) in
            try EventLoop(label: "gateway-mock.loop.\(index)")
        }
        self.listener = listener
        self.address = try SocketAddress(host: requested.host, port: listener.boundPort)
        let source = DispatchSource.makeReadSource(fileDescriptor: listener.descriptor, queue: acceptQueue)
        source.setEventHandler { [unowned self] in acceptPending() }
        source.setCancelHandler { [self] in
            self.listener?.close()
            listenerClosed.signal()
        }
        acceptSource = source
        source.resume()
        // Dispatch opens the timerfd behind its timers when the first one is armed. Arm one now, so that
        // a connection's first timer never needs a descriptor when they have run out (EMFILE).
        let reservation = DispatchSource.makeTimerSource(queue: acceptQueue)
        reservation.schedule(deadline: .now() + .seconds(86_400 * 365))
        reservation.resume()
        timerReservation = reservation
    }

    /// Stops accepting, lets in-flight responses finish (up to `gracePeriod`), then closes everything.
    /// Blocks until done; safe to call more than once.
    public func stop(gracePeriod: Duration = .seconds(5)) {
        let (first, connections) = state.withLock { state in
            let first = !state.stopping
            state.stopping = true
            return (first, first ? Array(state.connections.values) : [])
        }
        if first {
            acceptQueue.sync { acceptSource?.cancel() }
            // The cancel handler closes the listening socket: once stop returns, no connection is accepted.
            _ = listenerClosed.wait(timeout: .now() + .seconds(5))
            timerReservation?.cancel()
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

    /// Accepts what is waiting, in one batch. On `EMFILE`/`ENFILE` it pauses accepting briefly instead of
    /// spinning on a listening socket that stays readable.
    private func acceptPending() {
        for _ in 0..<128 {
            let descriptor: Int32?
            do {
                descriptor = try listener?.acceptConnection()
            } catch {
                logger.error("accept failed; pausing accepts for 100 ms", metadata: ["error": "\(error)"])
                acceptSource?.suspend()
                acceptQueue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in acceptSource?.resume() }
                return
            }
            guard let descriptor else { return }
            open(descriptor)
        }
    }

    private func open(_ descriptor: Int32) {
        let id: UInt64? = state.withLock { state in
            guard state.connections.count < configuration.maxConnections else { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return refuse(descriptor) }
        connectionsClosed.enter()
        let loop = loops[nextLoop]
        nextLoop = (nextLoop + 1) % loops.count
        let connection = HTTPConnection(
            descriptor: descriptor, loop: loop, responder: responder,
            parser: HTTPRequestParser(limits: configuration.parserLimits),
            timeouts: configuration.timeouts, logger: logger, tlsContext: tlsContext
        ) { [weak self] in self?.connectionClosed(id) }
        let accepted = state.withLock { state in
            guard !state.stopping else { return false }
            state.connections[id] = connection
            return true
        }
        connection.start()
        if !accepted { connection.beginShutdown() }
    }

    /// Over `maxConnections`: a best-effort 503 and an immediate close, so that the client learns why and
    /// the backlog does not fill up. Logged at most once a second.
    private func refuse(_ descriptor: Int32) {
        let socket = StreamSocket(descriptor: descriptor)
        var response = HTTPResponse.json(
            .serviceUnavailable,
            Array(#"{"error":{"code":503,"message":"Service Unavailable: too many connections"}}"#.utf8))
        response.headers.add(name: "Retry-After", value: "1")
        response.serialized(date: HTTPDate.now(), keepAlive: false).withUnsafeBytes { _ = socket.write($0) }
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
public func ignoreSIGPIPE() {
    signal(SIGPIPE, SIG_IGN)
}
