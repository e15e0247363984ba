import MockHTTP
import TestSupport
import Testing

/// What the router answers outside the happy path: unknown paths, other methods, HEAD and OPTIONS.
@Suite struct RoutingTests {
    @Test(arguments: [
        ("/api/v1/models", 404, #"{"error":{"code":404,"message":"Resource not found"}}"#),
        ("/api/v1/workspaces/", 404, #"{"error":{"code":404,"message":"Resource not found"}}"#),
        ("/v1/admin/organisations", 404, #"{"success":false,"data":{"message":"Not Found","errorCode":"AB08"}}"#),
        ("/elsewhere", 404, #"{"error":{"code":404,"message":"Not Found"}}"#),
    ])
    func unknownPathsGet404InTheShapeOfTheVendorOwningThePrefix(path: String, status: Int, body: String) throws {
        let response = try TestRouter().request(path)
        #expect(response.code == status)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == body)
    }

    @Test(arguments: [
        (
            "/api/v1/workspaces", ["PUT", "DELETE", "PATCH"], "GET, HEAD, POST, OPTIONS",
            #"{"error":{"code":405,"message":"Method Not Allowed"}}"#
        ),
        (
            "/api/v1/workspaces/production/members/add", ["GET", "PUT", "DELETE"], "POST, OPTIONS",
            #"{"error":{"code":405,"message":"Method Not Allowed"}}"#
        ),
        (
            "/v1/admin/workspaces", ["PUT", "DELETE", "PATCH"], "GET, HEAD, POST, OPTIONS",
            #"{"success":false,"data":{"message":"Method Not Allowed","errorCode":"AB01"}}"#
        ),
    ])
    func otherMethodsGet405WithAllow(path: String, methods: [String], allow: String, body: String) throws {
        let router = try TestRouter()
        for method in methods {
            let response = router.request(path, method: method)
            #expect(response.code == 405)
            #expect(response.headerLines == ["Content-Type: application/json", "Allow: \(allow)"])
            #expect(response.text == body)
        }
    }

    /// The responder answers HEAD as GET; leaving out the body is the connection's part (end-to-end:
    /// `WireFramingTests`).
    @Test func headGetsTheStatusAndHeadersOfGet() throws {
        let router = try TestRouter()
        let key = [("Authorization", "Bearer \(DefaultKeys.openRouterManagement)")]
        let get = router.request("/api/v1/workspaces?limit=3", headers: key)
        let head = router.request("/api/v1/workspaces?limit=3", method: "HEAD", headers: key)
        #expect(head.code == 200)
        #expect(head.headerLines == get.headerLines)
        #expect(head.disposition == .send)
    }

    @Test(arguments: [
        ("/api/v1/workspaces", "GET, HEAD, POST, OPTIONS"),
        ("/api/v1/workspaces/production", "GET, HEAD, PATCH, DELETE, OPTIONS"),
        ("/api/v1/workspaces/production/budgets/daily", "GET, HEAD, PUT, DELETE, OPTIONS"),
        ("/v1/admin/workspaces", "GET, HEAD, POST, OPTIONS"),
        ("/v1/admin/workspaces/ws-production-ab8e18/users/u", "GET, HEAD, PUT, DELETE, OPTIONS"),
    ])
    func optionsAnswers204WithAllow(path: String, allow: String) throws {
        let response = try TestRouter().request(path, method: "OPTIONS")
        #expect(response.code == 204)
        #expect(response.headerLines == ["Allow: \(allow)"])
        #expect(response.bytes.isEmpty)
    }

    /// Paths are split on `/`, then each segment percent-decoded: an encoded unreserved character routes
    /// like the plain one (the same bytes); an encoded slash stays inside its segment (404).
    @Test(arguments: [
        ("/api/v1/%77orkspaces", "/api/v1/workspaces"), ("/%61pi/v1/workspaces", "/api/v1/workspaces"),
        ("/v1/admin/%77orkspaces", "/v1/admin/workspaces"), ("/api/v1%2Fworkspaces", nil),
        ("/api/v1/workspaces%2F", nil),
    ])
    func encodedCharactersRouteAsTheyDecode(path: String, plain: String?) throws {
        let router = try TestRouter()
        let keys = [
            ("Authorization", "Bearer \(DefaultKeys.openRouterManagement)"),
            ("x-portkey-api-key", DefaultKeys.portkeyAdmin),
        ]
        let response = router.request(path, headers: keys)
        #expect(response.code == (plain == nil ? 404 : 200))
        if let plain { #expect(response.bytes == router.request(plain, headers: keys).bytes) }
    }

    /// `/` is the control plane's, so another method there gets 405 with `Allow` like every other table path.
    @Test func otherMethodsOnTheIndexGet405WithAllow() throws {
        let response = try TestRouter().request("/", method: "POST")
        #expect(response.code == 405)
        #expect(response.headerLines == ["Content-Type: application/json", "Allow: GET, HEAD"])
        #expect(response.text == #"{"error":{"code":405,"message":"use GET or HEAD here"}}"#)
    }
}
