import GatewayMock
import MockHTTP
import TestSupport
import Testing

/// `Keep-Alive: timeout=N` on the wire: on every response that leaves the connection open (HTTP/1.1, and
/// HTTP/1.0 with `Connection: keep-alive`), N the idle timeout in whole seconds rounded down; never on a
/// response that closes. The exact head bytes, with only `Date` taken from the response.
@Suite(.onOwnThread) struct KeepAliveHintTests {
    static func configuration(idle: Duration) -> GatewayMock.Configuration {
        var timeouts = HTTPServerConfiguration.Timeouts()
        timeouts.idle = idle
        return GatewayMock.Configuration(accessLog: false, timeouts: timeouts)
    }

    static let key = "Authorization: Bearer \(DefaultKeys.openRouterManagement)\r\n"
    /// `{"deleted":true}`: a short body whose length is known.
    static let deleteBudget = "DELETE /api/v1/workspaces/staging/budgets/daily"

    /// The head the server sends for the budget delete, with the connection fields `connection`.
    static func expectedHead(_ response: RawResponse, connection: String) -> String {
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: \(response.header("Date") ?? "?")\r\n"
            + "Content-Length: 16\r\n\(connection)\r\n"
    }

    @Test func persistentHTTP11ResponsesAnnounceTheIdleTimeoutRoundedDown() async throws {
        try await withTestServer(Self.configuration(idle: .milliseconds(2_900))) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            for _ in 0..<2 {
                try client.send("\(Self.deleteBudget) HTTP/1.1\r\nHost: x\r\n\(Self.key)\r\n")
                let response = try client.readResponse()
                #expect(response.head == Self.expectedHead(response, connection: "Keep-Alive: timeout=2\r\n"))
                #expect(response.text == #"{"deleted":true}"#)
            }
        }
    }

    @Test func http10KeptAliveSaysSoAndAnnouncesTheIdleTimeout() async throws {
        try await withTestServer(Self.configuration(idle: .seconds(60))) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send("\(Self.deleteBudget) HTTP/1.0\r\nConnection: keep-alive\r\n\(Self.key)\r\n")
            let response = try client.readResponse()
            #expect(
                response.head
                    == Self.expectedHead(response, connection: "Connection: keep-alive\r\nKeep-Alive: timeout=60\r\n"))
        }
    }

    @Test func aSubSecondIdleTimeoutIsAnnouncedAsZero() async throws {
        try await withTestServer(Self.configuration(idle: .milliseconds(500))) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send("\(Self.deleteBudget) HTTP/1.1\r\nHost: x\r\n\(Self.key)\r\n")
            let response = try client.readResponse()
            #expect(response.head == Self.expectedHead(response, connection: "Keep-Alive: timeout=0\r\n"))
        }
    }

    @Test func bodylessAnswersThatKeepTheConnectionAnnounceItToo() async throws {
        try await withTestServer(Self.configuration(idle: .seconds(5))) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send("OPTIONS /api/v1/workspaces HTTP/1.1\r\nHost: x\r\n\r\n")
            let options = try client.readResponse()
            #expect(
                options.head
                    == "HTTP/1.1 204 No Content\r\nAllow: GET, HEAD, POST, OPTIONS\r\nDate: \(options.header("Date") ?? "?")\r\n"
                    + "Keep-Alive: timeout=5\r\n\r\n")
            try client.send("HEAD /api/v1/workspaces/staging/budgets/daily HTTP/1.1\r\nHost: x\r\n\(Self.key)\r\n")
            let head = try client.readResponse(bodyless: true)
            #expect(head.header("Keep-Alive") == "timeout=5")
        }
    }

    /// `Connection: close` from the client, HTTP/1.0 without keep-alive, a protocol error: the response
    /// closes the connection and says so, with no `Keep-Alive`.
    @Test(arguments: [
        ("\(deleteBudget) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\(key)\r\n", 200),
        ("\(deleteBudget) HTTP/1.0\r\n\(key)\r\n", 200),
        ("GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400),
    ])
    func responsesThatCloseSayConnectionCloseAndNoKeepAlive(request: String, status: Int) async throws {
        try await withTestServer(Self.configuration(idle: .seconds(60))) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.status == status)
            #expect(response.head.hasSuffix("\r\nConnection: close\r\n\r\n"))
            #expect(!response.head.lowercased().contains("keep-alive"))
            #expect(try client.serverClosed())
        }
    }

    @Test func theRefusalPastTheConnectionLimitHasNoKeepAlive() async throws {
        var configuration = Self.configuration(idle: .seconds(60))
        configuration.maxConnections = 1
        try await withTestServer(configuration) { mock throws in
            let first = try RawHTTPClient(port: mock.port)
            try first.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse().header("Keep-Alive") == "timeout=60")
            let refused = try RawHTTPClient(port: mock.port).readResponse()
            #expect(refused.status == 503)
            #expect(refused.head.hasSuffix("\r\nConnection: close\r\n\r\n"))
            #expect(refused.header("Keep-Alive") == nil)
        }
    }
}
