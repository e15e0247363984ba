import MockHTTP

/// What the `CORSPolicy` makes of one request: whether its `Origin` may read the answer, and whether it is
/// a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) to answer in the policy's name.
/// `GatewayRouter` works it out once per request, before routing, and `apply(to:)` adds the headers to
/// whatever answer the request got, errors and forced outcomes included.
enum CORSAccess {
    /// No `Origin`, a same-origin request that is not allowed as a cross-origin one, or an API the policy
    /// leaves alone: the response is not changed.
    case untouched
    /// An `Origin` the policy does not allow: only `Vary: Origin`, so that no cache hands this answer to
    /// an allowed origin or the other way round; without `Access-Control-Allow-Origin` the browser keeps
    /// the answer from the page.
    case refused(origin: String)
    /// An allowed origin's request: `Access-Control-Allow-Origin` (the origin), `Vary: Origin` and
    /// `Access-Control-Expose-Headers`.
    case allowed(origin: String)
    /// An allowed origin's preflight: answered by `Preflight.response(allowedMethods:)`, not by the routes.
    case preflight(Preflight)

    /// A preflight from an allowed origin: what it asks for.
    struct Preflight {
        let origin: String
        /// `Access-Control-Request-Method`.
        let method: String
        /// The names in `Access-Control-Request-Headers`; nil when they are not a list of header names.
        let headers: [String]?

        /// The 204 answer: `Allow` and `Access-Control-Allow-Methods` with `allowedMethods` (the path's
        /// methods; the requested one when no route has the path, so that the request itself goes through and
        /// the page reads its 404), the requested header names echoed, and `Access-Control-Max-Age`. No key
        /// is asked for: browsers never send one with a preflight.
        func response(allowedMethods: [String]) -> HTTPResponse {
            var response = HTTPResponse(status: .noContent)
            if !allowedMethods.isEmpty { response.setAllow(allowedMethods) }
            response.headers.add(name: "Access-Control-Allow-Origin", value: origin)
            response.headers.add(
                name: "Access-Control-Allow-Methods",
                value: allowedMethods.isEmpty ? method : allowedMethods.joined(separator: ", "))
            if let headers, !headers.isEmpty {
                response.headers.add(name: "Access-Control-Allow-Headers", value: headers.joined(separator: ", "))
            }
            response.headers.add(name: "Access-Control-Max-Age", value: "\(CORSAccess.maxAge)")
            response.headers.add(
                name: "Vary", value: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
            return response
        }
    }

    /// Seconds a browser may keep a preflight's answer: 600 is WebKit's cap (Chromium's is 7200, Firefox's
    /// 86 400), so every engine keeps it equally long.
    static let maxAge = 600

    /// The response headers a page may read besides the CORS-safelisted ones (`Content-Type`,
    /// `Content-Length`…): everything else the mock sends that tells a client something.
    static let exposedHeaders = "Retry-After, Allow, WWW-Authenticate, Date"

    /// The access `policy` gives `request`; `controlPlane` when the control plane owns its path.
    init(_ request: borrowing HTTPRequest, policy: CORSPolicy, controlPlane: Bool) {
        guard let origin = request.headers["Origin"] else {
            self = .untouched
            return
        }
        let allowed = controlPlane ? policy.allowsControlPlaneCall(from: origin) : policy.allowsVendorCall(from: origin)
        guard allowed else {
            let applies = controlPlane ? !policy.namedOrigins.isEmpty : policy.isEnabled
            self = applies && !request.comesFromItsOwnOrigin ? .refused(origin: origin) : .untouched
            return
        }
        if request.method == "OPTIONS", let method = request.headers["Access-Control-Request-Method"],
            !method.isEmpty, method.utf8.allSatisfy(\.isTokenCharacter)
        {
            self = .preflight(
                Preflight(
                    origin: origin, method: method,
                    headers: Self.tokenList(request.headers.values(for: "Access-Control-Request-Headers"))))
        } else {
            self = .allowed(origin: origin)
        }
    }

    /// Adds this access's headers to the answer a request got (a preflight's answer already has them), and
    /// for a refused origin says why in the access log.
    func apply(to outcome: GatewayRouter.Outcome) {
        switch self {
        case .untouched, .preflight:
            return
        case .refused(let origin):
            outcome.response.headers.add(name: "Vary", value: "Origin")
            if outcome.problem == nil {
                outcome.problem = "CORS: origin \(origin) is not allowed (--cors-origin names the allowed ones)"
            }
        case .allowed(let origin):
            outcome.response.headers.add(name: "Access-Control-Allow-Origin", value: origin)
            outcome.response.headers.add(name: "Vary", value: "Origin")
            outcome.response.headers.add(name: "Access-Control-Expose-Headers", value: Self.exposedHeaders)
        }
    }

    /// The header names of `Access-Control-Request-Headers`, as sent, when every field is a comma-separated
    /// list of tokens (RFC 9110 §5.6.1: spaces around commas and empty elements allowed); nil otherwise, and
    /// then nothing is echoed.
    static func tokenList(_ values: [String]) -> [String]? {
        var names: [String] = []
        for element in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let name = element.trimmingASCIIWhitespace()
            if name.isEmpty { continue }
            guard name.utf8.allSatisfy(\.isTokenCharacter) else { return nil }
            names.append(String(name))
        }
        return names
    }
}

extension HTTPRequest {
    /// Whether `Origin` is the mock's own origin, as a page served by the mock itself (a dashboard at
    /// `/__admin/ui`) sends it: the scheme the request came over (`https` over TLS) and the authority the
    /// client used (`authority`: `Host`, or an absolute-form target's), ASCII case-insensitively.
    var comesFromItsOwnOrigin: Bool {
        guard let origin = headers["Origin"], let authority, !authority.isEmpty else { return false }
        let scheme = receivedOverTLS ? "https://" : "http://"
        return origin.hasPrefix(scheme) && origin.dropFirst(scheme.count).equalsIgnoringASCIICase(authority)
    }
}
