import Foundation
import GatewayMock
import Testing

/// Fault rules (`/__admin/faults`) and per-request `Prefer: delay=`/`fault=`.
@Suite struct FaultRuleTests {
    @Test func timesTwoRuleFailsExactlyTwoRequestsThenNormalAnswersResume() async throws {
        try await withTestServer { mock throws in
            let created = try mock.admin(
                "POST", "/__admin/faults", body: #"{"vendor":"openrouter","status":500,"times":2}"#)
            #expect(created.status == 201)
            #expect(
                created.text == #"{"id":1,"vendor":"openrouter","status":500,"times":2,"delay_ms":null,"fault":null}"#)
            #expect(try mock.portkey().status == 200, "another vendor's requests are not matched")
            let first = try mock.openRouter()
            #expect(first.status == 500)
            #expect(first.text == #"{"error":{"code":500,"message":"Internal Server Error"}}"#)
            #expect(try mock.admin("GET", "/__admin/faults").text.contains(#""times":1"#))
            #expect(try mock.openRouter().status == 500)
            #expect(try mock.openRouter().status == 200)
            #expect(try mock.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
        }
    }

    @Test func rulesApplyOnlyAfterAuthenticationAndFirstAddedFirst() async throws {
        try await withTestServer { mock throws in
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"vendor":"any","status":429,"times":1}"#)
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"status":500,"times":1}"#)
            #expect(try mock.portkey(key: nil).status == 401, "an unauthenticated request does not use a rule")
            let limited = try mock.portkey()
            #expect(limited.status == 429)
            #expect(
                limited.text
                    == #"{"success":false,"data":{"message":"Too many requests, please try again later","errorCode":"AB06"}}"#
            )
            #expect(try mock.openRouter().status == 500)
            #expect(try mock.openRouter().status == 200)
        }
    }

    @Test func rulesCanBeListedAndDeletedByIDOrAll() async throws {
        try await withTestServer { mock throws in
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"status":500}"#)
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"fault":"empty_response","vendor":"portkey"}"#)
            let listed = try #require(try mock.admin("GET", "/__admin/faults").json() as? [String: [[String: Any]]])
            #expect(listed["faults"]?.map { $0["id"] as? Int } == [1, 2])
            #expect(try mock.admin("DELETE", "/__admin/faults/1").text == #"{"deleted":1}"#)
            #expect(try mock.admin("DELETE", "/__admin/faults/1").status == 404)
            #expect(try mock.openRouter().status == 200)
            #expect(try mock.admin("DELETE", "/__admin/faults").status == 200)
            #expect(try mock.portkey().status == 200)
        }
    }

    @Test(arguments: [
        (#"{"status":418}"#, "status must be one of 400, 401, 403, 429, 500"),
        (#"{"vendor":"azure","status":500}"#, #"vendor must be \"openrouter\", \"portkey\" or \"any\""#),
        (#"{"times":0,"status":500}"#, "times must be 1 or more (leave it out for no limit)"),
        (#"{"vendor":"any"}"#, "a fault rule needs at least one of status, fault or delay_ms"),
        (#"{"fault":"explode"}"#, "fault must be one of connection_reset, empty_response, malformed_json"),
        (
            #"{"status":500,"fault":"empty_response"}"#,
            "status and fault cannot be combined: a fault replaces the response"
        ),
        (#"{"status":500,"time":2}"#, #"unknown field \"time\" (expected vendor, status, times, delay_ms, fault)"#),
        (#"{"delay_ms":-5}"#, "delay_ms must be from 0 to 600000"),
        (#"[]"#, "a fault rule must be a JSON object, got an array"),
    ])
    func invalidRulesAreRefusedWith400(body: String, message: String) async throws {
        try await withTestServer { mock throws in
            let response = try mock.admin("POST", "/__admin/faults", body: body)
            #expect(response.status == 400)
            #expect(response.text == #"{"error":{"code":400,"message":"\#(message)"}}"#)
        }
    }

    @Test func delayAnswersLateButCorrectly() async throws {
        try await withTestServer { mock throws in
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"vendor":"portkey","delay_ms":300,"times":1}"#)
            let started = Date()
            let response = try mock.portkey("?page_size=1")
            #expect(Date().timeIntervalSince(started) >= 0.3)
            #expect(response.status == 200)
            #expect(try Self.names(response) == ["Production"])

            let preferStarted = Date()
            #expect(try mock.openRouter(headers: ["Prefer": "delay=200"]).status == 200)
            #expect(Date().timeIntervalSince(preferStarted) >= 0.2)
        }
    }

    @Test func delayedResponseKeepsPipelinedOrder() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            let key = "Authorization: Bearer \(DefaultKeys.openRouterManagement)\r\n"
            try client.send(
                "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\n\(key)Prefer: delay=150\r\n\r\n"
                    + "GET /api/v1/workspaces?limit=2 HTTP/1.1\r\nHost: x\r\n\(key)\r\n")
            let first = try #require(try client.readResponse().json() as? [String: Any])
            let second = try #require(try client.readResponse().json() as? [String: Any])
            #expect((first["data"] as? [Any])?.count == 1)
            #expect((second["data"] as? [Any])?.count == 2)
        }
    }

    /// A client that half-closes after its request (shutdown(SHUT_WR), as some scripts do) still gets the
    /// delayed answer, then the server closes.
    @Test func aHalfClosedClientStillGetsItsDelayedResponse() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            let started = Date()
            try client.send(
                "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\nPrefer: delay=300\r\n\r\n"
            )
            client.shutdownWrite()
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(Date().timeIntervalSince(started) >= 0.3)
            #expect(client.readUntilConnectionEnds().bytes.isEmpty)
        }
    }

    /// While a delayed response holds up a connection, what the client sends after it is buffered only up
    /// to a bound (two maximum bodies); then the server stops reading, and the client's sends stall.
    @Test func aClientSendingDuringADelayIsNotBufferedWithoutBound() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\nPrefer: delay=2000\r\n\r\n"
            )
            let accepted = client.flood(with: Array(repeating: UInt8(ascii: "x"), count: 64 * 1024), forSeconds: 1)
            // 2 MiB buffered by the server plus what the two sockets' buffers hold; unbounded, a second of
            // loopback carries gigabytes.
            #expect(accepted < 24 * 1024 * 1024, "\(accepted) bytes accepted")
            #expect(try mock.openRouter().status == 200)  // everyone else is served meanwhile
        }
    }

    @Test func connectionResetIsSeenAsAReset() async throws {
        try await withTestServer { mock throws in
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"fault":"connection_reset","times":1}"#)
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\n\r\n"
            )
            let ending = client.readUntilConnectionEnds()
            #expect(ending.errno == ECONNRESET)
            #expect(ending.bytes.isEmpty)
            #expect(try mock.openRouter().status == 200)
        }
    }

    @Test func emptyResponseClosesWithoutAByte() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "GET /v1/admin/workspaces HTTP/1.1\r\nHost: x\r\nx-portkey-api-key: pk-mock-admin\r\nPrefer: fault=empty_response\r\n\r\n"
            )
            let ending = client.readUntilConnectionEnds()
            #expect(ending.errno == 0)
            #expect(ending.bytes.isEmpty)
        }
    }

    @Test func malformedJSONIsA200WithTruncatedBody() async throws {
        try await withTestServer { mock throws in
            let full = try mock.openRouter("?limit=3")
            let broken = try mock.openRouter("?limit=3", headers: ["Prefer": "fault=malformed_json"])
            #expect(broken.status == 200)
            #expect(broken.header("Content-Length") == "\(full.body.count / 2)")
            #expect(broken.body == Array(full.body.prefix(full.body.count / 2)))
            #expect(throws: (any Error).self) { try broken.json() }
        }
    }

    @Test(arguments: [
        ("delay=abc", "delay must be a number of milliseconds from 0 to 600000"),
        ("fault=boom", "fault must be one of connection_reset, empty_response, malformed_json"),
    ])
    func invalidPreferValuesGet400(prefer: String, reason: String) async throws {
        try await withTestServer { mock throws in
            let response = try mock.openRouter(headers: ["Prefer": prefer])
            #expect(response.status == 400)
            #expect(
                response.text
                    == #"{"error":{"code":400,"message":"Invalid request parameters","metadata":{"parameter":"Prefer","value":"\#(prefer)","reason":"\#(reason)"}}}"#
            )
        }
    }

    static func names(_ response: RawResponse) throws -> [String] {
        let body = try #require(try response.json() as? [String: Any])
        return (body["data"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }
}
