import Foundation
import GatewayMock
import Testing

/// What the router answers outside the happy path: unknown paths, other methods, HEAD and OPTIONS.
@Suite struct RoutingTests {
    @Test(arguments: [
        ("/api/v1/models", 404, #"{"error":{"code":404,"message":"Resource not found"}}"#),
        ("/api/v1/workspaces/", 404, #"{"error":{"code":404,"message":"Resource not found"}}"#),
        ("/v1/admin/users", 404, #"{"success":false,"data":{"message":"Not Found","errorCode":"AB08"}}"#),
        ("/elsewhere", 404, #"{"error":{"code":404,"message":"Not Found"}}"#),
    ])
    func unknownPathsGet404InTheShapeOfTheVendorOwningThePrefix(path: String, status: Int, body: String) async throws {
        try await withTestServer { mock throws in
            let response = try mock.request(path)
            #expect(response.status == status)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == body)
        }
    }

    @Test(arguments: [
        ("/api/v1/workspaces", #"{"error":{"code":405,"message":"Method Not Allowed"}}"#),
        ("/v1/admin/workspaces", #"{"success":false,"data":{"message":"Method Not Allowed","errorCode":"AB01"}}"#),
    ])
    func otherMethodsGet405WithAllow(path: String, body: String) async throws {
        try await withTestServer { mock throws in
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let response = try mock.request(path, method: method)
                #expect(response.status == 405)
                #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
                #expect(response.text == body)
            }
        }
    }

    @Test func headAnswersTheGetHeadersWithoutABody() async throws {
        try await withTestServer { mock throws in
            let key = ["Authorization": "Bearer \(DefaultKeys.openRouterManagement)"]
            let get = try mock.request("/api/v1/workspaces?limit=3", headers: key)
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
        }
    }

    @Test func optionsAnswers204WithAllow() async throws {
        try await withTestServer { mock throws in
            let response = try mock.request("/v1/admin/workspaces", method: "OPTIONS")
            #expect(response.status == 204)
            #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
            #expect(response.header("Content-Length") == nil, "RFC 9110 §8.6: no Content-Length on a 204")
        }
    }
}
