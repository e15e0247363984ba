import Foundation
import GatewayMock
import MockHTTP
import TestSupport
import Testing

/// Timeouts and the connection limit over real sockets, with short configured timeouts: one test per
/// timeout, end to end through the loop's sweep and the kernel (what starts, extends or does not extend
/// each timeout is tested without sockets, on a hand-moved clock, in MockHTTPTests'
/// `ConnectionTimeoutTests`). Only lower bounds on time are asserted. Pauses use blocking `usleep`: these
/// tests block their thread on sockets anyway, threads of their own (`.onOwnThread`), not the cooperative
/// pool's.
@Suite(.onOwnThread) struct TimeoutAndLimitTests {
    static func configuration(
        request: Duration = .seconds(10), idle: Duration = .seconds(60), write: Duration = .seconds(30),
        maxConnections: Int = 1024
    ) -> GatewayMock.Configuration {
        var timeouts = HTTPServerConfiguration.Timeouts()
        timeouts.request = request
        timeouts.idle = idle
        timeouts.write = write
        return GatewayMock.Configuration(accessLog: false, timeouts: timeouts, maxConnections: maxConnections)
    }

    static let requestTimeoutBody =
        #"{"error":{"code":408,"message":"Request Timeout: request timeout: the request was not complete within 0.3 seconds"}}"#

    @Test func unfinishedRequestHeadGets408AndIsClosed() async throws {
        try await withTestServer(Self.configuration(request: .milliseconds(300))) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            let started = Date()
            try client.send("GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthori")
            let response = try client.readResponse()
            #expect(Date().timeIntervalSince(started) >= 0.3)
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(response.text == Self.requestTimeoutBody)
            #expect(try client.serverClosed())
        }
    }

    @Test func idleKeepAliveConnectionIsClosedWithoutAResponse() async throws {
        try await withTestServer(Self.configuration(idle: .milliseconds(300))) { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\n\r\n"
            )
            #expect(try client.readResponse().status == 200)
            let started = Date()
            let ending = client.readUntilConnectionEnds()
            #expect(Date().timeIntervalSince(started) >= 0.25)
            #expect(ending.errno == 0 && ending.bytes.isEmpty, "closed in order, without a byte")
        }
    }

    @Test func connectionsPastTheLimitGet503AndAreClosed() async throws {
        try await withTestServer(Self.configuration(maxConnections: 2)) { mock throws in
            let first = try RawHTTPClient(port: mock.port)
            let second = try RawHTTPClient(port: mock.port)
            try first.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
            try second.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            #expect(try second.readResponse().status == 200)

            let third = try RawHTTPClient(port: mock.port)
            let refused = try third.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Connection") == "close")
            #expect(refused.text == #"{"error":{"code":503,"message":"Service Unavailable: too many connections"}}"#)

            try first.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            #expect(try first.serverClosed())
            first.shutdownWrite()  // ends the server's lingering close at once
            // The freed slot is usable again (the close is seen by the server a moment later).
            var status = 0
            for _ in 0..<50 where status != 200 {
                let fourth = try RawHTTPClient(port: mock.port)
                try? fourth.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
                status = (try? fourth.readResponse().status) ?? 0
                if status != 200 { usleep(20_000) }
            }
            #expect(status == 200)
        }
    }

    @Test func clientThatStopsReadingIsDroppedAfterTheWriteTimeout() async throws {
        try await withTestServer(Self.configuration(write: .milliseconds(300))) { mock throws in
            let client = try RawHTTPClient(port: mock.port, receiveBufferBytes: 4096)
            let request =
                "GET /api/v1/workspaces?limit=100 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\n\r\n"
            // ~56 KB per response, 400 of them: far more than the socket buffers hold.
            try client.send(String(repeating: request, count: 400))
            usleep(1_500_000)
            let ending = client.readUntilConnectionEnds()
            let single = try mock.openRouter("?limit=100")
            #expect(ending.bytes.count < 400 * single.body.count, "the server gave up before writing everything")
        }
    }

    /// A `Content-Length` over the 1 MiB limit is refused from the head alone: the 413 comes instead of
    /// `100 Continue`, so the client never sends the body.
    @Test func expectContinueWithAContentLengthOverTheLimitGets413Instead() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "PUT /__admin/seed/openrouter/workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\nExpect: 100-continue\r\n\r\n"
            )
            let response = try client.readResponse()
            #expect(response.statusLine == "HTTP/1.1 413 Content Too Large")
            #expect(response.header("Connection") == "close")
            #expect(
                response.text
                    == #"{"error":{"code":413,"message":"Content Too Large: body too large: a body of 1048577 bytes exceeds 1048576"}}"#
            )
            #expect(try client.serverClosed())
        }
    }

    /// A chunked body's size is not known from the head: `100 Continue` comes first, the 413 once a chunk
    /// would take the body past the limit.
    @Test func expectContinueWithAChunkedBodyGets100ThenA413PastTheLimit() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "PUT /__admin/seed/openrouter/workspaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
            )
            #expect(try client.readResponse().statusLine == "HTTP/1.1 100 Continue")
            try client.send("100001\r\n")  // a chunk of 1 MiB + 1 byte: refused from its size line
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(
                response.text
                    == #"{"error":{"code":413,"message":"Content Too Large: body too large: the chunked body exceeds 1048576 bytes"}}"#
            )
        }
    }

    @Test func expectContinueGets100BeforeTheBody() async throws {
        try await withTestServer { mock throws in
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "PUT /__admin/seed/openrouter/workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
            )
            let interim = try client.readResponse()
            #expect(interim.statusLine == "HTTP/1.1 100 Continue")
            try client.send("[]")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(
                final.text
                    == #"{"vendor":"openrouter","collection":"workspaces","count":0,"dropped":{"members":263,"budgets":53}}"#
            )
        }
    }
}
