import MockHTTP

/// `GET /`: what this server is and how to try it, for people running it by hand: every vendor endpoint
/// with a ready curl command (using the keys currently in force) and every control-plane endpoint, all
/// read from the route tables.
enum IndexPage {
    /// The base URL of the commands when the request names no authority (an HTTP/1.0 client sending no
    /// `Host`): a placeholder, so that a pasted command fails clearly rather than ask another server.
    static let unknownAuthority = "<host:port>"

    /// - Parameters:
    ///   - authority: the `host[:port]` the client used (`HTTPRequest.authority`): the commands' URLs use
    ///     it as it is (IPv6 brackets kept) when it is valid (`URIAuthority`; the parser admits no other),
    ///     `unknownAuthority` otherwise.
    ///   - secure: whether the request came over TLS: `https` URLs then, else `http`.
    ///
    /// Every argument taken from data (the key header, the body, the URL) is single-quoted
    /// (`ShellQuoting`), so a pasted command runs curl with exactly these arguments and nothing else,
    /// whatever the authority or the keys hold.
    static func body(authority: String?, secure: Bool, keys: APIKeys, vendors: [any VendorEmulation]) -> JSONValue {
        let host = authority.flatMap { URIAuthority.isValid($0) ? $0 : nil } ?? unknownAuthority
        let base = "\(secure ? "https" : "http")://\(host)"
        var endpoints: [JSONValue] = []
        for vendor in vendors {
            for route in vendor.routes.routes {
                let path = route.pattern.description
                let method = route.method == "GET" ? "" : "-X \(route.method) "
                let example = route.example ?? RouteExample(path: nil)
                let body =
                    example.body.map { " -H 'Content-Type: application/json' -d \(ShellQuoting.quoted($0))" } ?? ""
                let target = "\(base)\(example.path ?? path)\(example.query)"
                let key = ShellQuoting.quoted(vendor.exampleKeyHeader(keys: keys))
                let curl = "curl \(method)-H \(key)\(body) \(ShellQuoting.quoted(target))"
                endpoints.append([
                    "vendor": .string(vendor.vendor.rawValue), "method": .string(route.method), "path": .string(path),
                    "curl": .string(curl),
                ])
            }
        }
        // Not listed: the index itself, and the dashboard's second address.
        let unlisted: Set = ["/", "/__admin/ui/"]
        let admin = ControlPlane.routes.endpoints.filter { !unlisted.contains($0.pattern.description) }.map {
            endpoint in
            JSONValue.string("\(endpoint.methods.joined(separator: "|")) \(endpoint.pattern)")
        }
        return [
            "name": "GatewayMock", "version": .string(GatewayMockVersion.current), "endpoints": .array(endpoints),
            "admin": .array(admin),
        ]
    }
}
