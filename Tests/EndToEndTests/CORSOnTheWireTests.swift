import Foundation
import GatewayMock
import TestSupport
import Testing

/// A browser's cross-origin exchange as bytes on one connection: the preflight, then the request it allowed;
/// and a cross-site change to the control plane refused. The cases are tested in GatewayMockTests'
/// `CORSTests` and `CrossSiteProtectionTests`.
@Suite struct CORSOnTheWireTests {
    @Test func preflightThenRequestOnOneConnectionAndACrossSiteResetRefused() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "OPTIONS /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                    + "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: authorization\r\n\r\n"
                    + "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                    + "Authorization: Bearer \(DefaultKeys.openRouterManagement)\r\n\r\n")
            let preflight = try client.readResponse()
            #expect(preflight.statusLine == "HTTP/1.1 204 No Content")
            #expect(preflight.header("Access-Control-Allow-Origin") == "http://localhost:5173")
            #expect(preflight.header("Access-Control-Allow-Methods") == "GET, HEAD, POST, OPTIONS")
            #expect(preflight.header("Access-Control-Allow-Headers") == "authorization")
            #expect(preflight.header("Access-Control-Max-Age") == "600")
            #expect(
                preflight.header("Vary") == "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
            #expect(preflight.header("Content-Length") == nil)
            #expect(preflight.body.isEmpty)

            let get = try client.readResponse()
            #expect(get.status == 200)
            #expect(get.header("Access-Control-Allow-Origin") == "http://localhost:5173")
            #expect(get.header("Vary") == "Origin")
            #expect(get.header("Access-Control-Expose-Headers") == "Retry-After, Allow, WWW-Authenticate, Date")
            #expect(get.text.hasSuffix(#"],"total_count":120}"#))

            let reset = try mock.request("/__admin/reset", method: "POST", headers: ["Origin": "https://evil.example"])
            #expect(reset.status == 403)
            #expect(
                reset.text.hasPrefix(
                    #"{"error":{"code":403,"message":"cross-site POST refused (Origin https://evil.example)"#))
        }
    }
}
