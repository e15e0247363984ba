import Foundation
import GatewayMock
import TestSupport
import Testing

/// What delays and simulated faults do on the wire, which only a socket shows: the answer really comes
/// late and in order, a reset is a TCP reset, an empty response is a close without a byte. What the
/// responder answers and asks for (`delay`, `disposition`) is tested without sockets in
/// GatewayMockTests' `FaultRuleTests`.
@Suite struct FaultsOnTheWireTests {
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

    static func names(_ response: RawResponse) throws -> [String] {
        let body = try #require(try response.json() as? [String: Any])
        return (body["data"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }
}
