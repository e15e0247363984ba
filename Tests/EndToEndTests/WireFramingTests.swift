import Foundation
import GatewayMock
import TestSupport
import Testing

/// What only the socket shows of a vendor answer: the connection's `Content-Length`, and the framing of
/// answers without a body (HEAD, 204). What the responder answers is tested without sockets in
/// GatewayMockTests' `RoutingTests`.
@Suite struct WireFramingTests {
    @Test func headSendsTheContentLengthOfGetWithoutABodyAndA204HasNone() async throws {
        try await withTestServer { mock throws in
            let key = ["Authorization": "Bearer \(DefaultKeys.openRouterManagement)"]
            let get = try mock.request("/api/v1/workspaces?limit=3", headers: key)
            #expect(get.header("Content-Length") == "\(get.body.count)")
            #expect(!get.body.isEmpty)
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "HEAD /api/v1/workspaces?limit=3 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\n\r\n"
                    + "GET /api/v1/workspaces?limit=3 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\n\r\n"
            )
            let head = try client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "\(get.body.count)")
            #expect(head.body.isEmpty)
            // The next response on the same connection starts right after the head: no body bytes were sent.
            #expect(try client.readResponse().body == get.body)

            let options = try mock.request("/v1/admin/workspaces", method: "OPTIONS")
            #expect(options.status == 204)
            #expect(options.header("Allow") == "GET, HEAD, POST, OPTIONS")
            #expect(options.header("Content-Length") == nil, "RFC 9110 §8.6: no Content-Length on a 204")
        }
    }
}
