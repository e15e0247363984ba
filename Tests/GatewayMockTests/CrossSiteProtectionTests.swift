import Foundation
import GatewayMock
import Logging
import MockHTTP
import TestSupport
import Testing

/// The control plane has no key: a state-changing request that a browser says comes from another site is
/// refused, and only origins named with `--cors-origin` may use it cross-origin.
@Suite struct CrossSiteProtectionTests {
    static let refusedFromEvil =
        #"{"error":{"code":403,"message":"cross-site POST refused (Origin https://evil.example): the control plane accepts changes only from its own origin and from origins named with --cors-origin; to allow this origin, start gateway-mock with --cors-origin https://evil.example"}}"#

    /// A fault rule in the default namespace, added the way a script does (no `Origin`), so that a reset
    /// that went through would show.
    static func routerWithAFault(cors: CORSPolicy = .allOrigins, accessLogger: Logger? = nil) throws -> TestRouter {
        let router = try TestRouter(cors: cors, accessLogger: accessLogger)
        #expect(router.admin("POST", "/__admin/faults", body: #"{"status":500}"#).code == 201)
        return router
    }

    static func faultCount(_ router: TestRouter) throws -> Int {
        try #require(try router.admin("GET", "/__admin/faults").json() as? [String: [Any]])["faults"]?.count ?? -1
    }

    @Test func crossSiteResetIsRefusedAndChangesNothing() throws {
        let lines = CapturingLogHandler.Lines()
        let router = try Self.routerWithAFault(
            accessLogger: Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) })
        let response = router.request("/__admin/reset", method: "POST", headers: [("Origin", "https://evil.example")])
        #expect(response.code == 403)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == Self.refusedFromEvil)
        let message = try #require(
            (try response.json() as? [String: [String: Any]])?["error"]?["message"] as? String)
        #expect(
            lines.all.last?.replacing(/\d+µs/, with: "…µs")
                == "info default POST /__admin/reset 403 …µs error=\(message)")
        #expect(try Self.faultCount(router) == 1)

        // Nor does it make a namespace, or touch another control-plane endpoint.
        let elsewhere = router.request(
            "/__admin/reset?namespace=made-by-a-page", method: "POST", headers: [("Origin", "https://evil.example")])
        #expect(elsewhere.code == 403)
        for (method, path) in [
            ("DELETE", "/__admin/faults"), ("PUT", "/__admin/seed/keys"), ("POST", "/__admin/faults"),
        ] {
            let refused = router.request(
                path, method: method, headers: [("Origin", "https://evil.example")], body: #"{"status":429}"#)
            #expect(refused.code == 403, "\(method) \(path)")
        }
        #expect(try Self.faultCount(router) == 1)
        let health = try #require(try router.admin("GET", "/__admin/health").json() as? [String: Any])
        #expect(health["namespaces"] as? Int == 1)
    }

    @Test func secFetchSiteCrossSiteOrSameSiteIsRefused() throws {
        let router = try Self.routerWithAFault()
        for site in ["cross-site", "same-site", "Cross-Site"] {
            let response = router.request("/__admin/reset", method: "POST", headers: [("Sec-Fetch-Site", site)])
            #expect(response.code == 403)
            #expect(
                response.text
                    == #"{"error":{"code":403,"message":"cross-site POST refused (Sec-Fetch-Site: "#
                    + site
                    + #"): the control plane accepts changes only from its own origin and from origins named with --cors-origin; to allow the page's origin, start gateway-mock with --cors-origin <its origin>"}}"#
            )
        }
        // A same-origin Origin does not outweigh Sec-Fetch-Site: cross-site.
        let contradictory = router.request(
            "/__admin/reset", method: "POST",
            headers: [("Origin", "http://localhost"), ("Sec-Fetch-Site", "cross-site")])
        #expect(contradictory.code == 403)
        #expect(try Self.faultCount(router) == 1)
    }

    @Test func originNullIsCrossSiteAndCannotBeAllowed() throws {
        let router = try Self.routerWithAFault(cors: try CORSPolicy(allowing: ["http://localhost:5173"]))
        let response = router.request("/__admin/faults", method: "DELETE", headers: [("Origin", "null")])
        #expect(response.code == 403)
        #expect(
            response.text
                == #"{"error":{"code":403,"message":"cross-site DELETE refused (Origin null): the control plane accepts changes only from its own origin and from origins named with --cors-origin; a page with Origin null (a file:// page, a sandboxed frame) cannot be allowed: serve it over http(s) and start gateway-mock with --cors-origin <its origin>"}}"#
        )
        #expect(try Self.faultCount(router) == 1)
    }

    @Test func sameOriginAndScriptsWithoutOriginMayChangeState() throws {
        let router = try Self.routerWithAFault()
        // The mock's own origin (a dashboard it serves): http(s):// + Host, the host case-insensitively.
        let sameOrigin = router.request(
            "/__admin/faults", method: "POST",
            headers: [
                ("Host", "127.0.0.1:8080"), ("Origin", "http://127.0.0.1:8080"), ("Sec-Fetch-Site", "same-origin"),
            ],
            body: #"{"status":429}"#)
        #expect(sameOrigin.code == 201)
        #expect(sameOrigin.headerLines == ["Content-Type: application/json"])
        let upperHost = router.request(
            "/__admin/faults/2", method: "DELETE",
            headers: [("Host", "LocalHost:8080"), ("Origin", "http://localhost:8080")])
        #expect(upperHost.code == 200)
        // The scheme is the one the request came over: https only over TLS.
        var overTLS = HTTPRequest.make(
            method: "POST", target: "/__admin/faults",
            headers: [("Host", "localhost:8443"), ("Origin", "https://localhost:8443")], body: #"{"status":429}"#)
        overTLS.receivedOverTLS = true
        #expect(router.respond(overTLS).code == 201)
        let httpsOriginOverPlainHTTP = router.request(
            "/__admin/faults", method: "POST",
            headers: [("Host", "localhost:8443"), ("Origin", "https://localhost:8443")], body: #"{"status":429}"#)
        #expect(httpsOriginOverPlainHTTP.code == 403)
        // curl, scripts and SDKs send neither Origin nor Sec-Fetch-Site.
        let script = router.admin("POST", "/__admin/reset")
        #expect(script.code == 200)
        #expect(try Self.faultCount(router) == 0)
        // A user who opens a control-plane URL in the browser's address bar sends Sec-Fetch-Site: none.
        let typed = router.request("/__admin/reset", method: "POST", headers: [("Sec-Fetch-Site", "none")])
        #expect(typed.code == 200)
    }

    @Test func readingIsNotRefusedButNoOtherOriginMayReadTheAnswer() throws {
        let router = try TestRouter()
        let read = router.request("/__admin/requests", headers: [("Origin", "https://evil.example")])
        #expect(read.code == 200)
        #expect(read.headerLines == ["Content-Type: application/json"])
        // Without --cors-origin no preflight is answered: OPTIONS stays a 405.
        let preflight = router.request(
            "/__admin/reset", method: "OPTIONS",
            headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
        #expect(preflight.code == 405)
        #expect(preflight.header("Access-Control-Allow-Origin") == nil)
    }

    @Test func anOriginNamedWithCORSOriginUsesTheControlPlaneWithCORSHeaders() throws {
        let router = try Self.routerWithAFault(cors: try CORSPolicy(allowing: ["http://localhost:5173"]))
        let named = [("Origin", "http://localhost:5173"), ("Sec-Fetch-Site", "same-site")]
        let preflight = router.request(
            "/__admin/faults", method: "OPTIONS",
            headers: named + [
                ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "x-mock-namespace"),
            ])
        #expect(preflight.code == 204)
        #expect(
            preflight.headerLines == [
                "Allow: GET, HEAD, POST, DELETE",
                "Access-Control-Allow-Origin: http://localhost:5173",
                "Access-Control-Allow-Methods: GET, HEAD, POST, DELETE",
                "Access-Control-Allow-Headers: x-mock-namespace",
                "Access-Control-Max-Age: 600",
                "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
            ])

        let reset = router.request("/__admin/reset", method: "POST", headers: named)
        #expect(reset.code == 200)
        #expect(
            reset.headerLines == [
                "Content-Type: application/json", "Access-Control-Allow-Origin: http://localhost:5173", "Vary: Origin",
                "Access-Control-Expose-Headers: Retry-After, Allow, WWW-Authenticate, Date",
            ])
        #expect(try Self.faultCount(router) == 0)

        // Another origin: refused, and its preflight is today's 405 (with Vary: the answer depends on Origin).
        let other = router.request("/__admin/reset", method: "POST", headers: [("Origin", "http://localhost:3000")])
        #expect(other.code == 403)
        #expect(other.headerLines == ["Content-Type: application/json", "Vary: Origin"])
        let otherPreflight = router.request(
            "/__admin/reset", method: "OPTIONS",
            headers: [("Origin", "http://localhost:3000"), ("Access-Control-Request-Method", "POST")])
        #expect(otherPreflight.code == 405)
        #expect(otherPreflight.header("Access-Control-Allow-Origin") == nil)
    }
}
