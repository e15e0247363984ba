import Foundation
import GatewayMock
import MockHTTP
import TestSupport
import Testing

/// HTTP/1.1 connection behaviour over real sockets: persistence, close, HTTP/1.0, pipelining,
/// protocol errors, and the framing headers on every response.
@Suite(.onOwnThread) struct HTTPConnectionTests {
    static let key = "Authorization: Bearer \(DefaultKeys.openRouterManagement)\r\n"

    static func get(_ target: String, extra: String = "") -> String {
        "GET \(target) HTTP/1.1\r\nHost: localhost\r\n\(key)\(extra)\r\n"
    }

    @Test func everyResponseCarriesDateContentLengthAndContentType() async throws {
        try await withTestServer { mock throws in
            for response in [try mock.openRouter(), try mock.openRouter(key: nil), try mock.request("/nope")] {
                let date = try #require(response.header("Date"))
                #expect(
                    date.range(
                        of: #"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"#,
                        options: .regularExpression) != nil)
                #expect(response.header("Content-Length") == "\(response.body.count)")
                #expect(response.header("Content-Type") == "application/json")
            }
        }
    }

    @Test func connectionStaysOpenForSeveralRequests() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            for limit in 1...3 {
                try client.send(Self.get("/api/v1/workspaces?limit=\(limit)"))
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.header("Connection") == nil)
                let body = try #require(try response.json() as? [String: Any])
                #expect((body["data"] as? [Any])?.count == limit)
            }
        }
    }

    @Test func connectionCloseIsHonouredAndAnnounced() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(Self.get("/api/v1/workspaces?limit=1", extra: "Connection: close\r\n"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(try client.serverClosed())
        }
    }

    @Test func http10ClosesByDefaultAndKeepsAliveWhenAsked() async throws {
        try await withTestServer { mock throws in
            let plain = try RawHTTPClient(port: mock.port)
            try plain.send("GET /api/v1/workspaces?limit=1 HTTP/1.0\r\n\(Self.key)\r\n")
            let first = try plain.readResponse()
            #expect(first.status == 200)
            #expect(first.header("Connection") == "close")
            #expect(try plain.serverClosed())

            let persistent = try RawHTTPClient(port: mock.port)
            for _ in 0..<2 {
                try persistent.send(
                    "GET /api/v1/workspaces?limit=1 HTTP/1.0\r\nConnection: keep-alive\r\n\(Self.key)\r\n")
                let response = try persistent.readResponse()
                #expect(response.status == 200)
                #expect(response.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            let limits = [3, 1, 2, 5, 4]
            try client.send(limits.map { Self.get("/api/v1/workspaces?limit=\($0)") }.joined())
            for limit in limits {
                let body = try #require(try client.readResponse().json() as? [String: Any])
                #expect((body["data"] as? [Any])?.count == limit)
            }
        }
    }

    @Test func requestSentOneBytePerWriteIsAnswered() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            for byte in Self.get("/api/v1/workspaces?limit=2").utf8 {
                try client.send([byte])
            }
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func halfClosedClientStillGetsItsAnswers() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(Self.get("/api/v1/workspaces?limit=1") + Self.get("/api/v1/workspaces?limit=2"))
            client.shutdownWrite()
            #expect(try client.readResponse().status == 200)
            #expect(try client.readResponse().status == 200)
            #expect(try client.serverClosed())
        }
    }

    @Test func malformedRequestGets400WithConnectionCloseAndServerKeepsServing() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send("GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Type") == "application/json")
            #expect(
                response.text
                    == #"{"error":{"code":400,"message":"Bad Request: malformed header field: a header name is empty or has a character not allowed in a token"}}"#
            )
            #expect(try client.serverClosed())
            #expect(try mock.openRouter().status == 200)
        }
    }

    @Test func oversizedRequestLineGets414() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "GET /api/v1/workspaces?x=\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 414)
            #expect(response.header("Connection") == "close")
        }
    }

    @Test func requestBodyIsReadAndDiscarded() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\n\(Self.key)Content-Length: 5\r\n\r\nhello"
                    + Self.get("/api/v1/workspaces?limit=2"))
            #expect(try client.readResponse().status == 200)
            let second = try #require(try client.readResponse().json() as? [String: Any])
            #expect((second["data"] as? [Any])?.count == 2)
        }
    }

    /// On 127.0.0.2, which no other test binds, so that no parallel test can have reused the port.
    @Test func stoppedServerRefusesConnections() async throws {
        let mock = try GatewayMock.start(.init(host: "127.0.0.2", accessLog: false, threads: 1), logger: quietLogger)
        let port = mock.port
        _ = try RawHTTPClient(port: port, host: "127.0.0.2")  // connects while serving
        mock.stop()
        // A process that a parallel test is spawning at that moment may hold a copy of the listening
        // descriptor until its exec closes it (close-on-exec): the kernel can then still complete a
        // connection, but nothing ever answers it. So: nothing answers, and connecting is refused soon.
        var refused = false
        for _ in 0..<100 where !refused {
            do {
                let client = try RawHTTPClient(port: port, host: "127.0.0.2", timeoutSeconds: 1)
                try? client.send(Self.get("/api/v1/workspaces?limit=1"))
                #expect((try? client.readResponse()) == nil, "a stopped server answered")
                usleep(10_000)
            } catch {
                refused = true
            }
        }
        #expect(refused)
    }

    @Test func stopFinishesAnIdleKeepAliveConnectionPromptly() async throws {
        let mock = try GatewayMock.start(.init(threads: 1), logger: quietLogger)
        let client = try RawHTTPClient(port: mock.port)
        try client.send(Self.get("/api/v1/workspaces?limit=1"))
        #expect(try client.readResponse().status == 200)
        let started = Date()
        mock.stop(gracePeriod: .seconds(60))
        // Generous bound: an idle connection is closed at once, never waited on for the grace period.
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(try client.serverClosed())
    }

    /// MockHTTP on its own, with a responder that leaves the errors the server answers itself to the
    /// default: plain text, nothing of any application's error format.
    @Test func serverErrorsGetPlainTextFromAResponderThatDoesNotAnswerThem() async throws {
        struct Hello: HTTPResponder {
            func respond(to request: HTTPRequest) -> HTTPResponse {
                HTTPResponse(status: .ok, body: Array("hello\n".utf8))
            }
        }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, maxConnections: 1, eventLoops: 1), responder: Hello(),
            logger: quietLogger)
        try server.start()
        defer { server.stop() }
        let port = try #require(server.address?.port)
        let only = try RawHTTPClient(port: port)
        try only.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try only.readResponse().text == "hello\n")

        let refused = try RawHTTPClient(port: port).readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.text == "Service Unavailable: too many connections\n")

        try only.send("NOT HTTP\r\n\r\n")
        let malformed = try only.readResponse()
        #expect(malformed.status == 400)
        #expect(malformed.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(malformed.header("Connection") == "close")
        #expect(malformed.text.hasPrefix("Bad Request: malformed request line: "))
        #expect(malformed.text.hasSuffix("\n"))
        #expect(try only.serverClosed())
    }

    @Test func baseURLNamesTheBoundPort() async throws {
        try await withTestServer { mock throws in
            #expect(mock.port != 0)
            #expect(mock.baseURL == "http://127.0.0.1:\(mock.port)")
        }
    }

    @Test func servesOnIPv6Loopback() async throws {
        try await withTestServer(.init(host: "::1")) { mock throws in
            #expect(mock.baseURL == "http://[::1]:\(mock.port)")
            let client = try RawHTTPClient(port: mock.port, host: "::1")
            try client.send(Self.get("/api/v1/workspaces?limit=1"))
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func hundredPipelinedRequestsInOneWriteAreAllAnsweredInOrder() async throws {
        try await withTestServer(.init(accessLog: false)) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send((0..<100).map { Self.get("/api/v1/workspaces?offset=\($0)&limit=1") }.joined())
            let seed = try SeedFiles.openRouter
            for index in 0..<100 {
                let body = try #require(try client.readResponse().json() as? [String: Any])
                #expect((body["data"] as? [[String: Any]])?.first?["id"] as? String == seed[index]["id"] as? String)
            }
        }
    }

    @Test func clientResettingMidResponseLeavesTheServerServing() async throws {
        try await withTestServer(.init(accessLog: false)) { mock throws in
            for _ in 0..<20 {
                let client = try RawHTTPClient(port: mock.port, receiveBufferBytes: 4096)
                try client.send(String(repeating: Self.get("/api/v1/workspaces?limit=100"), count: 50))
                client.resetConnection()
            }
            #expect(try mock.openRouter().status == 200)
        }
    }
}
