import Foundation
import GatewayMock
import Logging
import MockHTTP
import TestSupport
import Testing

/// CORS on the vendor endpoints: preflights answered without a key, `Access-Control-Allow-Origin` on every
/// answer to a request with `Origin` (errors and forced outcomes too), `--cors-origin` and `--no-cors`.
@Suite struct CORSTests {
    static let page = "http://localhost:5173"
    static let exposed = "Access-Control-Expose-Headers: Retry-After, Allow, WWW-Authenticate, Date"
    static let preflightVary = "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

    /// A preflight from `origin`: `OPTIONS` with `Access-Control-Request-Method` and, when given,
    /// `Access-Control-Request-Headers` (no key, as a browser sends it).
    static func preflight(
        _ router: TestRouter, _ target: String, method: String, headers: String? = nil, origin: String = page
    ) -> HTTPResponse {
        let requested = headers.map { [("Access-Control-Request-Headers", $0)] } ?? []
        return router.request(
            target, method: "OPTIONS",
            headers: [("Origin", origin), ("Access-Control-Request-Method", method)] + requested)
    }

    // MARK: - Preflights

    @Test func openRouterPreflightNeedsNoKeyAndEchoesTheOriginAndTheRequestedHeaders() throws {
        let router = try TestRouter()
        let response = Self.preflight(router, "/api/v1/workspaces", method: "GET", headers: "authorization")
        #expect(response.code == 204)
        #expect(
            response.headerLines == [
                "Allow: GET, HEAD, POST, OPTIONS",
                "Access-Control-Allow-Origin: http://localhost:5173",
                "Access-Control-Allow-Methods: GET, HEAD, POST, OPTIONS",
                "Access-Control-Allow-Headers: authorization",
                "Access-Control-Max-Age: 600",
                Self.preflightVary,
            ])
        #expect(response.bytes.isEmpty)
        // Journaled like any OPTIONS: no route, its status.
        let journal = router.admin("GET", "/__admin/requests")
        let entry = try #require((try journal.json() as? [String: [[String: Any]]])?["requests"]?.last)
        #expect(entry["method"] as? String == "OPTIONS")
        #expect(entry["route"] is NSNull)
        #expect(entry["status"] as? Int == 204)
    }

    @Test func portkeyPreflightListsThePathsMethodsAndEchoesEveryRequestedHeader() throws {
        let router = try TestRouter()
        let response = router.request(
            "/v1/admin/workspaces/ws-production-ab8e18/users/u1", method: "OPTIONS",
            headers: [
                ("Origin", "https://notebook.example"), ("Access-Control-Request-Method", "DELETE"),
                ("Access-Control-Request-Headers", "content-type,x-portkey-api-key"),
                ("Access-Control-Request-Headers", " , X-Mock-Namespace "),
            ])
        #expect(response.code == 204)
        #expect(
            response.headerLines == [
                "Allow: GET, HEAD, PUT, DELETE, OPTIONS",
                "Access-Control-Allow-Origin: https://notebook.example",
                "Access-Control-Allow-Methods: GET, HEAD, PUT, DELETE, OPTIONS",
                "Access-Control-Allow-Headers: content-type, x-portkey-api-key, X-Mock-Namespace",
                "Access-Control-Max-Age: 600",
                Self.preflightVary,
            ])
    }

    @Test func requestedHeadersThatAreNotATokenListAreNotEchoed() throws {
        let router = try TestRouter()
        for requested in ["authorization, x header", "a:b", "authorization;x", "\u{e9}"] {
            let response = Self.preflight(router, "/api/v1/workspaces", method: "GET", headers: requested)
            #expect(response.code == 204)
            #expect(response.header("Access-Control-Allow-Headers") == nil, "\(requested)")
            #expect(response.header("Access-Control-Allow-Origin") == Self.page)
        }
        let none = Self.preflight(router, "/api/v1/workspaces", method: "GET", headers: " , ")
        #expect(none.header("Access-Control-Allow-Headers") == nil)
    }

    /// A preflight must get a 2xx or the browser fails the request before sending it, and the page never
    /// reads the 404: so a path no route has gets the requested method allowed, and the request its 404.
    @Test func preflightToAPathNoRouteHasLetsThePageReadThe404() throws {
        let router = try TestRouter()
        let preflight = Self.preflight(router, "/api/v1/workspace", method: "GET", headers: "authorization")
        #expect(preflight.code == 204)
        #expect(
            preflight.headerLines == [
                "Access-Control-Allow-Origin: http://localhost:5173",
                "Access-Control-Allow-Methods: GET",
                "Access-Control-Allow-Headers: authorization",
                "Access-Control-Max-Age: 600",
                Self.preflightVary,
            ])
        let outside = Self.preflight(router, "/openrouter/api/v1/workspaces", method: "DELETE")
        #expect(outside.code == 204)
        #expect(outside.header("Access-Control-Allow-Methods") == "DELETE")

        let request = router.request(
            "/api/v1/workspace", headers: [("Origin", Self.page), ("Authorization", "Bearer sk-or-v1-mock-management")])
        #expect(request.code == 404)
        #expect(request.text == #"{"error":{"code":404,"message":"Resource not found"}}"#)
        #expect(request.header("Access-Control-Allow-Origin") == Self.page)
    }

    @Test func plainOptionsWithoutCORSHeadersKeepsTodaysAnswer() throws {
        let router = try TestRouter()
        let options = router.request("/api/v1/workspaces", method: "OPTIONS")
        #expect(options.code == 204)
        #expect(options.headerLines == ["Allow: GET, HEAD, POST, OPTIONS"])
        #expect(router.request("/api/v1/nope", method: "OPTIONS").code == 404)
        // Origin without Access-Control-Request-Method is not a preflight: today's answer, readable.
        let withOrigin = router.request("/api/v1/workspaces", method: "OPTIONS", headers: [("Origin", Self.page)])
        #expect(
            withOrigin.headerLines == [
                "Allow: GET, HEAD, POST, OPTIONS", "Access-Control-Allow-Origin: http://localhost:5173", "Vary: Origin",
                Self.exposed,
            ])
    }

    // MARK: - Every answer to a request with Origin

    @Test func everyAnswerToARequestWithOriginCarriesTheCORSHeaders() throws {
        let router = try TestRouter()
        let origin = [("Origin", Self.page)]
        let management = [("Authorization", "Bearer \(DefaultKeys.openRouterManagement)")]
        let cases: [(String, HTTPResponse, Int)] = [
            ("200", router.openRouter("?limit=1", headers: origin), 200),
            ("401", router.openRouter(key: nil, headers: origin), 401),
            ("403", router.openRouter(key: DefaultKeys.openRouterInference, headers: origin), 403),
            ("404 workspace", router.request("/api/v1/workspaces/nope", headers: management + origin), 404),
            ("404 path", router.request("/api/v1/nope", headers: origin), 404),
            ("404 outside", router.request("/nope", headers: origin), 404),
            ("405", router.openRouter(headers: origin, method: "PUT"), 405),
            ("429 forced", router.openRouter(headers: origin + [("Prefer", "code=429")]), 429),
            ("Portkey 401", router.portkey(key: nil, headers: origin), 401),
            ("Portkey 400", router.portkey("?page_size=0", headers: origin), 400),
        ]
        for (name, response, status) in cases {
            #expect(response.code == status, "\(name)")
            let cors = response.headerLines.filter { !$0.hasPrefix("Content-Type") && !$0.hasPrefix("Allow:") }
            #expect(
                cors.suffix(3) == ["Access-Control-Allow-Origin: http://localhost:5173", "Vary: Origin", Self.exposed],
                "\(name): \(response.headerLines)")
        }
        let methodNotAllowed = router.openRouter(headers: origin, method: "PUT")
        #expect(methodNotAllowed.header("Allow") == "GET, HEAD, POST, OPTIONS")
    }

    @Test func faultRulesAnswersCarryTheCORSHeadersToo() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults", body: #"{"status":500,"times":1}"#)
        _ = router.admin("POST", "/__admin/faults", body: #"{"fault":"malformed_json","times":1}"#)
        for status in [500, 200] {
            let response = router.openRouter(headers: [("Origin", Self.page)])
            #expect(response.code == status)
            #expect(response.header("Access-Control-Allow-Origin") == Self.page)
            #expect(response.header("Vary") == "Origin")
        }
    }

    @Test func withoutOriginEveryAnswerIsWhatItWasWithoutCORS() throws {
        let router = try TestRouter()
        let without = try TestRouter(cors: .disabled)
        let requests: [HTTPRequest] = [
            .make(
                target: "/api/v1/workspaces?limit=2", headers: [("Authorization", "Bearer sk-or-v1-mock-management")]),
            .make(target: "/api/v1/workspaces"),
            .make(method: "PUT", target: "/v1/admin/workspaces"),
            .make(method: "OPTIONS", target: "/api/v1/workspaces"),
            .make(method: "OPTIONS", target: "/api/v1/workspaces", headers: [("Access-Control-Request-Method", "GET")]),
            .make(target: "/v1/nope"),
            .make(target: "/__admin/health"),
            .make(method: "POST", target: "/__admin/reset"),
        ]
        for request in requests {
            let response = router.respond(request)
            let expected = without.respond(request)
            #expect(response.code == expected.code, "\(request.method) \(request.target)")
            #expect(response.headerLines == expected.headerLines, "\(request.method) \(request.target)")
            #expect(response.bytes == expected.bytes, "\(request.method) \(request.target)")
        }
    }

    // MARK: - --no-cors and --cors-origin

    @Test func noCORSAddsNothingAndLeavesPreflightsTheirOPTIONSAnswer() throws {
        let router = try TestRouter(cors: .disabled)
        let get = router.openRouter("?limit=1", headers: [("Origin", Self.page)])
        #expect(get.code == 200)
        #expect(get.headerLines == ["Content-Type: application/json"])
        let preflight = Self.preflight(router, "/api/v1/workspaces", method: "GET", headers: "authorization")
        #expect(preflight.code == 204)
        #expect(preflight.headerLines == ["Allow: GET, HEAD, POST, OPTIONS"])
        #expect(Self.preflight(router, "/api/v1/nope", method: "GET").code == 404)
    }

    @Test func aListOfOriginsAllowsOnlyThoseAndLogsTheOthers() throws {
        let lines = CapturingLogHandler.Lines()
        let router = try TestRouter(
            cors: try CORSPolicy(allowing: ["http://localhost:5173", "https://app.example"]),
            accessLogger: Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) })
        let allowed = router.openRouter("?limit=1", headers: [("Origin", "https://app.example")])
        #expect(
            allowed.headerLines == [
                "Content-Type: application/json", "Access-Control-Allow-Origin: https://app.example", "Vary: Origin",
                Self.exposed,
            ])

        let other = router.openRouter("?limit=1", headers: [("Origin", "http://localhost:3000")])
        #expect(other.code == 200)
        #expect(other.headerLines == ["Content-Type: application/json", "Vary: Origin"])
        // Its preflight gets the answer to a plain OPTIONS (and Vary): the browser then stops the request.
        let preflight = Self.preflight(
            router, "/api/v1/workspaces", method: "GET", headers: "authorization", origin: "http://localhost:3000")
        #expect(preflight.code == 204)
        #expect(preflight.headerLines == ["Allow: GET, HEAD, POST, OPTIONS", "Vary: Origin"])
        #expect(
            lines.all.last?.replacing(/\d+µs/, with: "…µs")
                == "info default OPTIONS /api/v1/workspaces 204 …µs "
                + "error=CORS: origin http://localhost:3000 is not allowed (--cors-origin names the allowed ones)")
        // Origins compare exactly, as browsers serialize them.
        for near in ["http://localhost:5173/", "http://LOCALHOST:5173", "http://localhost:5174", "null"] {
            #expect(router.openRouter(headers: [("Origin", near)]).header("Access-Control-Allow-Origin") == nil)
        }
    }

    // MARK: - Origins named in the policy

    @Test(arguments: [
        "http://localhost:5173", "https://app.example", "http://127.0.0.1:3000", "http://[::1]:8080",
        "https://xn--bcher-kva.example", "chrome-extension://abcdefghijklmnop", "http://a_b.local:65535",
    ])
    func aSerializedOriginIsAccepted(origin: String) throws {
        _ = try CORSPolicy(allowing: [origin])
    }

    @Test(arguments: [
        ("*", "every origin may call the vendor endpoints unless origins are named; name each one"),
        (
            "null",
            "Origin null is what every file:// page and sandboxed frame sends, so it cannot be allowed; serve the page over http(s)"
        ),
        ("localhost:5173", "write it as scheme://host[:port], e.g. http://localhost:5173"),
        ("http://localhost:5173/", "an origin has no path, query or fragment: http://localhost:5173"),
        ("http://localhost:5173?x", "an origin has no path, query or fragment: http://localhost:5173"),
        ("HTTP://Localhost:5173", "browsers send it in lowercase: http://localhost:5173"),
        ("http://localhost:80", "browsers leave out the scheme's default port: http://localhost"),
        ("https://app.example:443", "browsers leave out the scheme's default port: https://app.example"),
        ("http://localhost:0", "the port must be a number from 1 to 65535"),
        ("http://localhost:", "the port must be a number from 1 to 65535"),
        ("http://localhost:+80", "the port must be a number from 1 to 65535"),
        ("http://localhost:05173", "browsers write the port without leading zeros"),
        ("http://user@localhost", "an origin has no user name or password"),
        ("http://", "the host must be letters, digits, '.', '-' or '_' (an IDN in its xn-- form)"),
        ("http://b\u{fc}cher.example", "the host must be letters, digits, '.', '-' or '_' (an IDN in its xn-- form)"),
        ("http://[::1", "the IPv6 address lacks its ']'"),
        ("http://[::1]x", "only :port may follow the host"),
        ("1http://x", "the scheme must be letters, digits, '+', '-' or '.', starting with a letter"),
    ])
    func anythingElseIsRefusedSayingWhatToWrite(origin: String, reason: String) throws {
        let error = #expect(throws: CORSPolicy.InvalidOrigin.self) {
            try CORSPolicy(allowing: ["http://localhost:5173", origin])
        }
        #expect(error?.origin == origin)
        #expect(error?.reason == reason)
    }
}
