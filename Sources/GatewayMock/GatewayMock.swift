import Logging
import MockHTTP

/// A running GatewayMock: both vendors' endpoints served from a seed store on a local port, with the
/// control plane (faults, seed replacement, journal, namespaces) available over HTTP and from Swift.
///
/// ```swift
/// let mock = try GatewayMock.start(.init(port: 0))
/// defer { mock.stop() }
/// // OpenRouter: "\(mock.baseURL)/api/v1", Portkey: "\(mock.baseURL)/v1"
/// ```
/// Every control method takes an optional `namespace` (the `X-Mock-Namespace` of the requests it should
/// affect); nil is the default namespace.
public final class GatewayMock: Sendable {
    /// What to serve and where.
    public struct Configuration: Sendable {
        /// A numeric IPv4/IPv6 literal or `localhost`.
        public var host: String
        /// 0 picks a free port.
        public var port: UInt16
        public var seed: SeedStore.Source
        /// Management keys accepted besides those of the seed's `keys.json`.
        public var extraOpenRouterKeys: [String]
        /// Admin keys accepted besides those of the seed's `keys.json`.
        public var extraPortkeyKeys: [String]
        /// Serve the control plane under `/__admin/` and the index at `/`.
        public var adminEnabled: Bool
        /// Requests each namespace's journal keeps.
        public var journalSize: Int
        /// The byte budget of all namespaces' journals together (`JournalEntry.cost`); past it the oldest
        /// entries, of whichever namespace, are dropped. 0 keeps no journal.
        public var journalBytes: Int
        /// Namespaces that may exist besides the default one.
        public var maxNamespaces: Int
        /// Workspaces the API may create per namespace (seeds and replacements are not counted).
        public var maxCreatedWorkspaces: Int
        /// One `info` log line per request.
        public var accessLog: Bool
        public var parserLimits: HTTPRequestParser.Limits
        /// Request, idle, write and linger timeouts of client connections.
        public var timeouts: HTTPServerConfiguration.Timeouts
        /// Connections served at once; past it, new ones get a 503 and are closed.
        public var maxConnections: Int
        /// Event-loop threads serving connections; one per processor by default.
        public var threads: Int
        #if TLS
            /// Serve HTTPS: from PEM files, or with a self-signed certificate made at start-up.
            public var tls: TLSConfiguration?
        #endif

        public init(
            host: String = "127.0.0.1", port: UInt16 = 0, seed: SeedStore.Source = .embedded,
            extraOpenRouterKeys: [String] = [], extraPortkeyKeys: [String] = [], adminEnabled: Bool = true,
            journalSize: Int = 1000, journalBytes: Int = MockState.defaultJournalBytes, maxNamespaces: Int = 256,
            maxCreatedWorkspaces: Int = 10_000,
            accessLog: Bool = true,
            parserLimits: HTTPRequestParser.Limits = .init(), timeouts: HTTPServerConfiguration.Timeouts = .init(),
            maxConnections: Int = HTTPServerConfiguration.defaultMaxConnections(), threads: Int = onlineProcessorCount()
        ) {
            self.host = host
            self.port = port
            self.seed = seed
            self.extraOpenRouterKeys = extraOpenRouterKeys
            self.extraPortkeyKeys = extraPortkeyKeys
            self.adminEnabled = adminEnabled
            self.journalSize = journalSize
            self.journalBytes = journalBytes
            self.maxNamespaces = maxNamespaces
            self.maxCreatedWorkspaces = maxCreatedWorkspaces
            self.accessLog = accessLog
            self.parserLimits = parserLimits
            self.timeouts = timeouts
            self.maxConnections = maxConnections
            self.threads = threads
        }
    }

    /// The namespaces and the store loaded at start-up.
    public let state: MockState
    /// The bound port (the real one when started with port 0).
    public let port: UInt16
    /// `http://host:port` (`https://` with TLS), without a trailing slash.
    public let baseURL: String
    /// With TLS, the served certificate (chain) in PEM: what clients should trust. Nil without TLS.
    public let certificatePEM: String?
    private let server: HTTPServer

    private init(state: MockState, server: HTTPServer, address: SocketAddress, certificatePEM: String?) {
        self.state = state
        self.server = server
        self.port = address.port
        self.certificatePEM = certificatePEM
        self.baseURL = "\(certificatePEM == nil ? "http" : "https")://\(address.urlHost):\(address.port)"
    }

    /// Loads and validates the seed, then binds and listens. Throws `SeedError` for bad seed data
    /// (nothing is served), `SocketError` when the address cannot be bound, and (with TLS) `TLSError`
    /// for an unusable certificate or key.
    public static func start(
        _ configuration: Configuration = Configuration(), logger: Logger = Logger(label: "gateway-mock")
    ) throws -> GatewayMock {
        var store = try SeedStore.load(from: configuration.seed)
        store.keys.openRouterManagement += configuration.extraOpenRouterKeys
        store.keys.portkeyAdmin += configuration.extraPortkeyKeys
        let state = MockState(
            store: store, journalCapacity: configuration.journalSize, journalBytes: configuration.journalBytes,
            maxNamespaces: configuration.maxNamespaces, maxCreatedWorkspaces: configuration.maxCreatedWorkspaces)
        let router = GatewayRouter(
            state: state, adminEnabled: configuration.adminEnabled, accessLog: configuration.accessLog, logger: logger)
        var serverConfiguration = HTTPServerConfiguration(
            host: configuration.host, port: configuration.port, parserLimits: configuration.parserLimits,
            timeouts: configuration.timeouts, maxConnections: configuration.maxConnections,
            eventLoops: configuration.threads)
        var certificatePEM: String?
        #if TLS
            if let tls = configuration.tls {
                let context = try TLSContext(configuration: tls)
                serverConfiguration.tls = context
                certificatePEM = context.certificatePEM
            }
        #endif
        let server = HTTPServer(configuration: serverConfiguration, responder: router, logger: logger)
        try server.start()
        guard let address = server.address else { throw SocketError(call: "getsockname", code: 0) }
        return GatewayMock(state: state, server: server, address: address, certificatePEM: certificatePEM)
    }

    /// Stops accepting, lets in-flight responses finish (up to `gracePeriod`), and closes every connection.
    public func stop(gracePeriod: Duration = .seconds(5)) {
        server.stop(gracePeriod: gracePeriod)
    }
}

// MARK: - Control from Swift (the same operations as /__admin/)

extension GatewayMock {
    /// Adds a fault rule; returns it with its id. Throws `FaultRule.Invalid` for an unusable rule.
    @discardableResult
    public func addFault(_ rule: FaultRule, namespace: String? = nil) throws -> FaultRule {
        try state.namespace(namespace).addFault(rule.validated())
    }

    public func faults(namespace: String? = nil) throws -> [FaultRule] {
        try state.namespace(namespace).faults
    }

    /// Removes one rule; false when there was none with that id.
    @discardableResult
    public func removeFault(id: Int, namespace: String? = nil) throws -> Bool {
        try state.namespace(namespace).removeFault(id: id)
    }

    public func removeAllFaults(namespace: String? = nil) throws {
        try state.namespace(namespace).removeAllFaults()
    }

    /// Replaces a vendor's workspaces with a JSON array, validated like the seed files; on a `SeedError`
    /// nothing changes. OpenRouter members and budgets of workspaces that are gone are dropped.
    public func replaceWorkspaces(_ vendor: Vendor, json: String, namespace: String? = nil) throws {
        let catalog = try WorkspaceCatalog(
            json: Array(json.utf8), vendor: vendor, file: "\(vendor.rawValue) workspaces")
        try state.namespace(namespace).write { store in
            switch vendor {
            case .openrouter: _ = store.openRouter.replaceWorkspaces(catalog)
            case .portkey: _ = store.portkey.replaceWorkspaces(catalog)
            }
        }
    }

    public func replaceKeys(_ keys: APIKeys, namespace: String? = nil) throws {
        try state.namespace(namespace).write { $0.keys = keys }
    }

    /// The store a namespace is serving now.
    public func store(namespace: String? = nil) throws -> SeedStore {
        try state.namespace(namespace).store
    }

    /// Journaled vendor requests, oldest first; `limit` keeps the newest.
    public func requests(vendor: Vendor? = nil, limit: Int? = nil, namespace: String? = nil) throws -> [JournalEntry] {
        try state.namespace(namespace).journal(matching: JournalFilter(vendor: vendor), limit: limit)
    }

    public func clearRequests(namespace: String? = nil) throws {
        try state.namespace(namespace).clearJournal()
    }

    /// Restores the store loaded at start-up and clears fault rules and journal; `"*"` resets every
    /// namespace and drops all but the default one.
    public func reset(namespace: String? = nil) throws {
        if namespace == "*" {
            state.resetAll()
        } else {
            try state.namespace(namespace).reset(to: state.loadedStore)
        }
    }
}
