/// Where and how the HTTP server listens.
public struct HTTPServerConfiguration: Sendable {
    /// A numeric IPv4/IPv6 literal or `localhost`. Default `127.0.0.1`.
    public var host: String
    /// 0 lets the kernel pick a free port; the server reports the one it got.
    public var port: UInt16
    public var parserLimits: HTTPRequestParser.Limits
    /// How long a closing connection keeps reading (and dropping) what the client still sends after the
    /// final response, so that the response is not lost to a TCP reset.
    public var lingerTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: UInt16 = 8080,
        parserLimits: HTTPRequestParser.Limits = .init(), lingerTimeout: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.parserLimits = parserLimits
        self.lingerTimeout = lingerTimeout
    }
}
