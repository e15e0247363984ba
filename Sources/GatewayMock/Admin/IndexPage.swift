import MockHTTP

/// `GET /`: what this server is and how to try it, for people running it by hand: every vendor endpoint
/// with a ready curl command (using the keys currently in force) and every control-plane endpoint, all
/// read from the route tables.
enum IndexPage {
    /// - Parameter host: the request's `Host`, used in the examples when it is a plain `host[:port]`
    ///   (letters, digits, `.`, `-`, `:` and IPv6 brackets), so that a pasted command cannot run anything
    ///   else; `localhost` otherwise.
    static func body(host: String?, keys: APIKeys, vendors: [any VendorEmulation]) -> JSONValue {
        let isPlain = { (byte: UInt8) in
            byte.isASCIIAlphanumeric || ".-:[]".utf8.contains(byte)
        }
        let base = "http://\(host.flatMap { !$0.isEmpty && $0.utf8.allSatisfy(isPlain) ? $0 : nil } ?? "localhost")"
        var endpoints: [JSONValue] = []
        for vendor in vendors {
            for route in vendor.routes.routes {
                let path = route.pattern.description
                let method = route.method == "GET" ? "" : "-X \(route.method) "
                let example = route.example ?? RouteExample(path: nil)
                let body = example.body.map { " -H 'Content-Type: application/json' -d '\($0)'" } ?? ""
                let target = "\(base)\(example.path ?? path)\(example.query)"
                let curl = "curl \(method)\(vendor.curlHeader(keys: keys))\(body) '\(target)'"
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
