import MockHTTP

/// The routes of one API, and everything derived from them: which path exists (404 otherwise), which
/// methods it allows (405 with `Allow` otherwise), the answer to `OPTIONS`, `HEAD` served by the `GET`
/// handler wherever there is one (RFC 9110 §9.1), and the endpoint list of the index page. A route is
/// listed once, in its row; nothing else names it (Hummingbird's `EndpointResponders` derive `HEAD` and
/// 405 from its trie the same way).
///
/// Rows are matched in order; for the few dozen routes of an emulated admin API a linear scan over
/// pre-split patterns is as fast as a trie and simpler.
struct RouteTable<Context, Failure: Error>: Sendable {
    let routes: [Route<Context, Failure>]
    /// Whether `OPTIONS` is answered (204 with `Allow`) and listed in `Allow`.
    let answersOPTIONS: Bool

    init(_ routes: [Route<Context, Failure>], answersOPTIONS: Bool = true) {
        self.routes = routes
        self.answersOPTIONS = answersOPTIONS
    }

    /// What the table does with a request.
    enum Resolution {
        /// Call this route's handler with these parameters.
        case handler(Route<Context, Failure>, RouteParameters)
        /// `OPTIONS` on an existing path: 204 with `Allow`.
        case options(allowed: [String])
        /// The path exists, the method does not: 405 with `Allow`.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    func resolve(method: String, path: RequestPath) -> Resolution {
        let lookup = method == "HEAD" ? "GET" : method
        var pathExists = false
        for route in routes {
            guard let parameters = route.pattern.match(path) else { continue }
            if route.method == lookup { return .handler(route, parameters) }
            pathExists = true
        }
        guard pathExists else { return .notFound }
        let allowed = allowedMethods(path)
        return answersOPTIONS && method == "OPTIONS"
            ? .options(allowed: allowed) : .methodNotAllowed(allowed: allowed)
    }

    /// The methods the path allows, in table order, `HEAD` right after `GET`, and `OPTIONS` last when answered.
    func allowedMethods(_ path: RequestPath) -> [String] {
        var allowed: [String] = []
        for route in routes where route.pattern.match(path) != nil && !allowed.contains(route.method) {
            allowed.append(route.method)
            if route.method == "GET" { allowed.append("HEAD") }
        }
        if answersOPTIONS, !allowed.isEmpty { allowed.append("OPTIONS") }
        return allowed
    }

    /// Each path pattern once, in table order, with the methods of its rows: what the index page lists.
    var endpoints: [(pattern: PathPattern, methods: [String])] {
        var endpoints: [(pattern: PathPattern, methods: [String])] = []
        for route in routes {
            if let index = endpoints.firstIndex(where: { $0.pattern == route.pattern }) {
                endpoints[index].methods.append(route.method)
            } else {
                endpoints.append((route.pattern, [route.method]))
            }
        }
        return endpoints
    }
}

extension HTTPResponse {
    /// The 204 answer to `OPTIONS` on an existing path.
    static func options(allowed: [String]) -> HTTPResponse {
        var response = HTTPResponse(status: .noContent)
        response.setAllow(allowed)
        return response
    }

    /// `Allow: GET, HEAD, OPTIONS`, as `RouteTable.allowedMethods` lists them (on a 405 and an `OPTIONS`).
    mutating func setAllow(_ allowed: [String]) {
        headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
    }
}
