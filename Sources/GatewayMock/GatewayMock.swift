import Logging
import MockHTTP

/// A running GatewayMock: both vendors' endpoints served from a seed store on a local port.
///
/// Start one per test suite (port 0 picks a free port) and point the SDK under test at `baseURL`:
/// ```swift
/// let mock = try GatewayMock.start(.init(port: 0))
/// defer { mock.stop() }
/// // OpenRouter: "\(mock.baseURL)/api/v1", Portkey: "\(mock.baseURL)/v1"
/// ```
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
        public var parserLimits: HTTPRequestParser.Limits

        public init(
            host: String = "127.0.0.1", port: UInt16 = 0, seed: SeedStore.Source = .embedded,
            extraOpenRouterKeys: [String] = [], extraPortkeyKeys: [String] = [],
            parserLimits: HTTPRequestParser.Limits = .init()
        ) {
            self.host = host
            self.port = port
            self.seed = seed
            self.extraOpenRouterKeys = extraOpenRouterKeys
            self.extraPortkeyKeys = extraPortkeyKeys
            self.parserLimits = parserLimits
        }
    }

    /// The store being served.
    public let store: SeedStore
    /// The bound port (the real one when started with port 0).
    public let port: UInt16
    /// `http://host:port`, without a trailing slash.
    public let baseURL: String
    private let server: HTTPServer

    private init(store: SeedStore, server: HTTPServer, address: SocketAddress) {
        self.store = store
        self.server = server
        self.port = address.port
        self.baseURL = "http://\(address.urlHost):\(address.port)"
    }

    /// Loads and validates the seed, then binds and listens. Throws `SeedError` for bad seed data
    /// (nothing is served) and `SocketError` when the address cannot be bound.
    public static func start(
        _ configuration: Configuration = Configuration(), logger: Logger = Logger(label: "gateway-mock")
    ) throws -> GatewayMock {
        var store = try SeedStore.load(from: configuration.seed)
        store.keys.openRouterManagement += configuration.extraOpenRouterKeys
        store.keys.portkeyAdmin += configuration.extraPortkeyKeys
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: configuration.host, port: configuration.port, parserLimits: configuration.parserLimits),
            responder: GatewayRouter(store: store, logger: logger), logger: logger)
        try server.start()
        guard let address = server.address else { throw SocketError(call: "getsockname", code: 0) }
        return GatewayMock(store: store, server: server, address: address)
    }

    /// Stops accepting, lets in-flight responses finish (up to `gracePeriod`), and closes every connection.
    public func stop(gracePeriod: Duration = .seconds(5)) {
        server.stop(gracePeriod: gracePeriod)
    }
}

extension GatewayMock {
    /// The product version, printed by `gateway-mock --version` and served by the control plane.
    public static let version = "0.1.0"
}
