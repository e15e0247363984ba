import Glibc

/// Where and how the HTTP server listens.
public struct HTTPServerConfiguration: Sendable {
    /// A numeric IPv4/IPv6 literal or `localhost`. Default `127.0.0.1`.
    public var host: String
    /// 0 lets the kernel pick a free port; the server reports the one it got.
    public var port: UInt16
    public var parserLimits: HTTPRequestParser.Limits
    public var timeouts: Timeouts
    /// Connections served at once; past it, new connections get a 503 and are closed at once.
    public var maxConnections: Int
    /// Event loops (threads serving connections); one per processor by default.
    public var eventLoops: Int
    #if TLS
        /// Serve HTTPS with this context instead of plain HTTP.
        public var tls: TLSContext?
    #endif

    /// How long the server waits for a client before giving up on it.
    public struct Timeouts: Sendable {
        /// From a request's first byte (or the connection's opening) to its last: then 408 and close.
        public var request: Duration = .seconds(10)
        /// An idle keep-alive connection is closed after this (from the moment its last response is written;
        /// the check runs every 100 ms, so the close comes up to 100 ms later). Announced on every response
        /// that keeps the connection open as `Keep-Alive: timeout=` `announcedIdleSeconds`.
        public var idle: Duration = .seconds(60)
        /// A client that reads nothing of a pending response for this long is dropped.
        public var write: Duration = .seconds(30)
        /// After the final response, how long the connection keeps reading (and dropping) what the client
        /// still sends, so that the response is not destroyed by a TCP reset.
        public var linger: Duration = .seconds(2)

        public init() {}

        /// The idle timeout in whole seconds, rounded down: the `N` of `Keep-Alive: timeout=N`. Rounded down so
        /// that a client trusting it never counts on more than the server gives; an idle timeout under one
        /// second announces 0, which tells a client not to reuse the connection after a pause (undici keeps a
        /// pooled connection for the hint less a margin of 1 or 2 s, depending on its release, and not at all
        /// when nothing is left).
        public var announcedIdleSeconds: Int { max(0, Int(idle.components.seconds)) }
    }

    public init(
        host: String = "127.0.0.1", port: UInt16 = 8080, parserLimits: HTTPRequestParser.Limits = .init(),
        timeouts: Timeouts = .init(), maxConnections: Int = defaultMaxConnections(),
        eventLoops: Int = onlineProcessorCount()
    ) {
        self.host = host
        self.port = port
        self.parserLimits = parserLimits
        self.timeouts = timeouts
        self.maxConnections = maxConnections
        self.eventLoops = eventLoops
    }

    /// 1024, or the process's descriptor limit less a margin of 64 when that is lower.
    public static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return max(1, min(1024, Int(clamping: limit.rlim_cur) - 64))
    }
}
