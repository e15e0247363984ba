import Testing

@testable import MockHTTP

/// How a connection ends, without a socket: the client half-closing, `Connection: close` with and without
/// unread bytes (the lingering close), protocol errors, simulated faults, a hang-up, and server shutdown
/// (idle, with output in flight, during a delay).
@Suite struct ConnectionClosingTests {
    typealias Harness = ConnectionHarness

    @Test func aHalfClosedClientGetsEveryAnswerThenTheConnectionCloses() {
        let harness = Harness()
        harness.transport.incoming = Array((Harness.get("/a") + Harness.get("/b")).utf8)
        harness.closeInput()
        #expect(harness.takeOutput() == Harness.ok("/a") + Harness.ok("/b"))
        #expect(harness.isClosed)
        #expect(harness.transport.closedWithReset == false)
        #expect(!harness.transport.didShutdownWrite, "nothing more can come: no lingering")
    }

    @Test func aHalfCloseDuringADelayStillGetsTheAnswer() {
        let harness = Harness()
        harness.send(Harness.get("/delay/200"))
        harness.closeInput()
        #expect(!harness.isClosed)
        #expect(!harness.loop.watching.readable, "nothing more to read")
        harness.loop.advance(by: .milliseconds(200))
        #expect(harness.takeOutput() == Harness.ok("/delay/200"))
        #expect(harness.isClosed)
    }

    @Test func connectionCloseWithNothingUnreadClosesAtOnce() {
        let harness = Harness()
        harness.send(Harness.get("/a", "Connection: close"))
        #expect(harness.takeOutput() == Harness.ok("/a", closing: true))
        #expect(harness.isClosed)
        #expect(!harness.transport.didShutdownWrite)
    }

    /// Bytes after the request that closes the connection: the server sends FIN and reads (and drops)
    /// until the client closes or the linger time (2 s) ends, so those bytes cannot turn into a reset that
    /// would destroy the answer.
    @Test func connectionCloseWithUnreadBytesLingersUntilTheLingerTimeEnds() {
        let harness = Harness()
        harness.send(Harness.get("/close") + Harness.get("/b"))
        #expect(harness.takeOutput() == Harness.ok("/close", closing: true))
        #expect(harness.transport.didShutdownWrite)
        #expect(harness.state == .lingering)
        harness.send(Harness.get("/c"))
        #expect(harness.takeOutput() == "", "nothing more is answered")
        harness.loop.advance(by: .milliseconds(1999))
        #expect(!harness.isClosed)
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.isClosed)
        #expect(harness.transport.closedWithReset == false)
    }

    @Test func aLingeringConnectionClosesWhenTheClientCloses() {
        let harness = Harness()
        harness.send(Harness.get("/close") + Harness.get("/b"))
        #expect(harness.state == .lingering)
        harness.closeInput()
        #expect(harness.isClosed)
    }

    @Test func aMalformedRequestGets400WithConnectionCloseThenLingers() {
        let harness = Harness()
        harness.send(Harness.get("/a") + "NOT HTTP\r\n\r\n")
        let body = "Bad Request: malformed request line: expected METHOD SP TARGET SP HTTP-VERSION\n"
        #expect(
            harness.takeOutput()
                == Harness.ok("/a")
                + "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nDate: \(Harness.date)\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        #expect(harness.state == .lingering)
    }

    @Test func aResetIsSentAfterTheAnswersBeforeIt() {
        let harness = Harness()
        harness.send(Harness.get("/a") + Harness.get("/reset") + Harness.get("/c"))
        #expect(harness.takeOutput() == Harness.ok("/a"))
        #expect(harness.isClosed)
        #expect(harness.transport.closedWithReset == true)
        #expect(harness.responder.answered.load(ordering: .relaxed) == 2)
    }

    @Test func aCloseWithoutResponseWritesNothing() {
        let harness = Harness()
        harness.send(Harness.get("/drop"))
        #expect(harness.takeOutput() == "")
        #expect(harness.isClosed)
        #expect(harness.transport.closedWithReset == false)
    }

    @Test func aClientThatResetsIsClosedAtTheNextWrite() {
        let harness = Harness()
        harness.transport.writeCapacity = 0
        harness.send(Harness.get("/bytes/100"))
        harness.transport.peerReset = true
        harness.clientReads()
        #expect(harness.isClosed)
    }

    /// A hang-up while input is not watched (reading paused after a half-close) closes at once; while
    /// it is, the read finds out.
    @Test func aHangUpWhileInputIsNotWatchedCloses() {
        let harness = Harness()
        harness.send(Harness.get("/delay/100"))
        harness.closeInput()
        #expect(!harness.loop.watching.readable)
        harness.connection.handleEvents(readable: false, writable: false, hangup: true)
        #expect(harness.isClosed)
    }

    @Test func shutdownClosesAnIdleConnectionAtOnce() {
        let harness = Harness()
        harness.send(Harness.get("/a"))
        harness.connection.shutDown()
        #expect(harness.isClosed)
        #expect(harness.takeOutput() == Harness.ok("/a"))
    }

    @Test func shutdownLetsTheOutputInFlightBeWrittenThenLingers() {
        let harness = Harness()
        harness.transport.writeCapacity = 10
        harness.send(Harness.get("/bytes/1000"))
        harness.connection.shutDown()
        #expect(!harness.isClosed)
        harness.clientReads()
        #expect(harness.takeOutput() == Harness.ok(String(repeating: "x", count: 1000)))
        #expect(harness.state == .lingering)
        harness.closeInput()
        #expect(harness.isClosed)
    }

    @Test func shutdownDuringADelaySendsTheAnswerWithConnectionClose() {
        let harness = Harness()
        harness.send(Harness.get("/delay/500"))
        harness.connection.shutDown()
        #expect(!harness.isClosed)
        harness.loop.advance(by: .milliseconds(500))
        #expect(harness.takeOutput() == Harness.ok("/delay/500", closing: true))
        #expect(harness.isClosed)
    }

    @Test func abortClosesWhateverIsPending() {
        let harness = Harness()
        harness.transport.writeCapacity = 0
        harness.send(Harness.get("/bytes/100"))
        harness.connection.abort()
        #expect(harness.isClosed)
    }
}
