import Testing

@testable import MockHTTP

/// The connection's three timeouts on a hand-moved clock (the defaults: 10 s per request, 60 s idle, 30 s
/// of write stall): when each starts, what extends it and what does not, and what the client sees.
@Suite struct ConnectionTimeoutTests {
    typealias Harness = ConnectionHarness

    static let requestTimeout =
        "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nDate: \(Harness.date)\r\n"
        + "Content-Length: 83\r\nConnection: close\r\n\r\n"
        + "Request Timeout: request timeout: the request was not complete within 10.0 seconds\n"

    @Test func anUnfinishedRequestGets408AfterTheRequestTimeoutThenLingers() {
        let harness = Harness()
        harness.send("GET /a HTTP/1.1\r\nHost: x\r\nAuthori")
        harness.loop.advance(by: .milliseconds(9999))
        #expect(harness.takeOutput() == "")
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.takeOutput() == Self.requestTimeout)
        #expect(harness.state == .lingering)
    }

    @Test func aSilentNewConnectionGets408() {
        let harness = Harness()
        harness.loop.advance(by: .seconds(10))
        #expect(harness.takeOutput() == Self.requestTimeout)
    }

    /// The first request's time runs from the connection's opening; a byte a second does not extend it.
    @Test func tricklingBytesDoesNotExtendTheRequestDeadline() {
        let harness = Harness()
        for byte in "GET /api/v1/workspac".utf8.prefix(10) {
            harness.send(String(decoding: [byte], as: UTF8.self))
            harness.loop.advance(by: .milliseconds(999))
        }
        #expect(harness.takeOutput() == "")
        harness.loop.advance(by: .milliseconds(10))
        #expect(harness.takeOutput() == Self.requestTimeout)
    }

    /// A request's time starts with its first byte: a second request begun 9 s into the connection has
    /// its own 10 s.
    @Test func eachRequestHasItsOwnTimeFromItsFirstByte() {
        let harness = Harness()
        harness.loop.advance(by: .seconds(9))
        harness.send(Harness.get("/a"))
        harness.send("GET /b HTTP/1.1\r\n")
        harness.loop.advance(by: .milliseconds(9999))
        #expect(harness.takeOutput() == Harness.ok("/a"))
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.takeOutput() == Self.requestTimeout)
    }

    @Test func anIdleKeepAliveConnectionClosesAfterTheIdleTimeoutWithoutAByte() {
        let harness = Harness()
        harness.send(Harness.get("/a"))
        #expect(harness.takeOutput() == Harness.ok("/a"))
        harness.loop.advance(by: .milliseconds(59_999))
        #expect(!harness.isClosed)
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.isClosed)
        #expect(harness.takeOutput() == "")
        #expect(!harness.transport.didShutdownWrite)
    }

    @Test func eachAnswerRenewsTheIdleTimeout() {
        let harness = Harness()
        for _ in 0..<3 {
            harness.send(Harness.get("/a"))
            harness.loop.advance(by: .seconds(40))
        }
        #expect(!harness.isClosed)
        #expect(harness.takeOutput() == String(repeating: Harness.ok("/a"), count: 3))
    }

    /// A client that stops reading: the write timeout runs from the last write that moved bytes.
    @Test func theWriteTimeoutRunsFromTheLastProgress() {
        let harness = Harness()
        harness.transport.writeCapacity = 0
        harness.send(Harness.get("/bytes/1000"))
        harness.loop.advance(by: .seconds(29))
        harness.clientReads(100)
        harness.loop.advance(by: .milliseconds(29_999))
        #expect(!harness.isClosed)
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.isClosed)
        #expect(harness.takeOutput().utf8.count == 100)
    }

    /// More requests from a client that reads nothing wake the server, which can write nothing more: that
    /// does not push the write deadline back.
    @Test func requestsFromAClientThatReadsNothingDoNotExtendTheWriteDeadline() {
        let harness = Harness()
        harness.transport.writeCapacity = 0
        harness.send(Harness.get("/bytes/1000"))
        for _ in 0..<29 {
            harness.loop.advance(by: .seconds(1))
            harness.send(Harness.get("/a"))
        }
        harness.loop.advance(by: .seconds(1))
        #expect(harness.isClosed)
    }

    /// The answer that closes the connection is held to the write timeout too: a client that asks for it
    /// and never reads is dropped 30 s later.
    @Test func theLastAnswerIsHeldToTheWriteTimeoutToo() {
        let harness = Harness()
        harness.transport.writeCapacity = 0
        harness.send(Harness.get("/bytes/1000", "Connection: close"))
        #expect(harness.state == .closingAfterFlush(.lingerIfInputBuffered))
        harness.loop.advance(by: .milliseconds(29_999))
        #expect(!harness.isClosed)
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.isClosed)
    }

    /// While a delayed answer is pending the connection waits for nothing from the client: no 408 for the
    /// request pipelined behind it, however long the delay.
    @Test func noTimeoutRunsDuringADelay() {
        let harness = Harness()
        harness.send(Harness.get("/delay/120000") + "GET /b HTTP/1.1\r\n")
        harness.loop.advance(by: .seconds(119))
        #expect(!harness.isClosed)
        #expect(harness.takeOutput() == "")
        harness.loop.advance(by: .seconds(1))
        #expect(harness.takeOutput() == Harness.ok("/delay/120000"))
        harness.loop.advance(by: .seconds(10))
        #expect(harness.takeOutput() == Self.requestTimeout)
    }
}
