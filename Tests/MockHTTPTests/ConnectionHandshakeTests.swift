import Testing

@testable import MockHTTP

/// A transport with a handshake (TLS), scripted: what the connection watches while it runs, the answer
/// in the clear to plain HTTP on the TLS port, and the handshake timeout.
@Suite struct ConnectionHandshakeTests {
    typealias Harness = ConnectionHarness

    @Test func theHandshakeRunsOnTheReadinessItAsksForThenRequestsAreServed() {
        let harness = Harness(handshake: [.wantsRead, .wantsWrite, .wantsRead, .done([:])])
        #expect(harness.state == .handshaking(wantsWrite: false))
        harness.transport.incoming = Array(Harness.get("/a").utf8)
        harness.connection.handleEvents(readable: true, writable: false, hangup: false)
        #expect(harness.loop.watching.writable)
        harness.connection.handleEvents(readable: false, writable: true, hangup: false)
        #expect(!harness.loop.watching.writable)
        #expect(harness.takeOutput() == "", "nothing is read as HTTP during the handshake")
        harness.connection.handleEvents(readable: true, writable: false, hangup: false)
        #expect(harness.transport.handshakeCalls == 4)
        #expect(harness.takeOutput() == Harness.ok("/a"))
        #expect(harness.state == .open(.ready))
    }

    @Test func plainHTTPToTheTLSPortGetsA400InTheClearThenLingers() {
        let error = HTTPServerError(code: .plainHTTPOnTLSPort)
        let harness = Harness(handshake: [.failed(reason: "plain HTTP", answer: error)])
        #expect(
            harness.takeOutput()
                == "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nDate: \(Harness.date)\r\n"
                + "Content-Length: 56\r\nConnection: close\r\n\r\n"
                + "Bad Request: this port speaks HTTPS (TLS); use https://\n")
        #expect(harness.state == .lingering)
    }

    @Test func aFailedHandshakeClosesWithoutAByte() {
        let harness = Harness(handshake: [.failed(reason: "bad record", answer: nil)])
        #expect(harness.isClosed)
        #expect(harness.takeOutput() == "")
    }

    @Test func aStalledHandshakeIsClosedAtTheRequestTimeoutWithoutA408() {
        let harness = Harness(handshake: [.wantsRead])
        harness.loop.advance(by: .milliseconds(9999))
        #expect(!harness.isClosed)
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.isClosed)
        #expect(harness.takeOutput() == "")
    }

    @Test func shutdownDuringTheHandshakeCloses() {
        let harness = Harness(handshake: [.wantsRead])
        harness.connection.shutDown()
        #expect(harness.isClosed)
    }
}
