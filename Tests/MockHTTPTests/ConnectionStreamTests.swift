import Testing

@testable import MockHTTP

/// Streamed responses (`HTTPResponse.stream`) on a connection without a socket: the framing, what waits
/// behind a stream, the bound on what may wait to be written, and every way a stream ends.
@Suite struct ConnectionStreamTests {
    typealias Harness = ConnectionHarness

    static let chunkedHead =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nDate: \(Harness.date)\r\nKeep-Alive: timeout=60\r\n\r\n"

    @Test func eachSendIsOneChunkAndFinishWritesTheLastChunk() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        #expect(harness.takeOutput() == Self.chunkedHead)
        #expect(harness.state == .open(.streaming(keepAlive: true)))
        #expect(harness.produce("hello"))
        #expect(harness.takeOutput() == "5\r\nhello\r\n")
        #expect(harness.produce(String(repeating: "z", count: 26)))
        #expect(harness.produce(""), "an empty send writes nothing (a zero-size chunk would end the body)")
        #expect(harness.takeOutput() == "1a\r\n\(String(repeating: "z", count: 26))\r\n")
        harness.finishStream()
        #expect(harness.takeOutput() == "0\r\n\r\n")
        #expect(harness.responder.terminations.withLock { $0 } == [.finished])
        #expect(!harness.produce("late"), "nothing is sent after the end")
        #expect(harness.state == .open(.ready))
    }

    /// Sends from the producer between two turns of the loop go out together, each its own chunk.
    @Test func sendsBetweenTwoTurnsOfTheLoopAreWrittenTogether() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        _ = harness.takeOutput()
        harness.stream.send("a")
        harness.stream.send("bc")
        harness.stream.finish()
        harness.loop.runPosted()
        #expect(harness.takeOutput() == "1\r\na\r\n2\r\nbc\r\n0\r\n\r\n")
    }

    @Test func requestsPipelinedBehindAStreamWaitForItsEnd() {
        let harness = Harness()
        harness.send(Harness.get("/stream") + Harness.get("/a"))
        harness.send(Harness.get("/b"))
        #expect(harness.responder.answered.load(ordering: .relaxed) == 1)
        harness.produce("x")
        harness.finishStream()
        #expect(
            harness.takeOutput() == Self.chunkedHead + "1\r\nx\r\n0\r\n\r\n" + Harness.ok("/a") + Harness.ok("/b"))
    }

    @Test func anHTTP10StreamIsDelimitedByTheClose() {
        let harness = Harness()
        harness.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(harness.takeOutput() == "HTTP/1.1 200 OK\r\nDate: \(Harness.date)\r\nConnection: close\r\n\r\n")
        harness.produce("data: 1\n\n")
        #expect(harness.takeOutput() == "data: 1\n\n")
        harness.finishStream()
        #expect(harness.isClosed)
        #expect(harness.transport.closedWithReset == false)
        #expect(harness.responder.terminations.withLock { $0 } == [.finished])
    }

    @Test func aHeadRequestGetsTheHeadAloneAndNoStream() {
        let harness = Harness()
        harness.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n" + Harness.get("/a"))
        #expect(harness.takeOutput() == Self.chunkedHead + Harness.ok("/a"))
        #expect(harness.responder.streams.withLock { $0.isEmpty })
    }

    /// Neither the idle timeout (60 s) nor the write timeout (30 s) applies to a healthy stream, even one
    /// whose client reads nothing for a while.
    @Test func noTimeoutRunsWhileAStreamIsHealthy() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        harness.loop.advance(by: .seconds(600))
        harness.transport.writeCapacity = 0
        harness.produce(String(repeating: "x", count: 1000))
        harness.loop.advance(by: .seconds(600))
        #expect(!harness.isClosed)
        harness.clientReads()
        #expect(harness.takeOutput() == Self.chunkedHead + "3e8\r\n\(String(repeating: "x", count: 1000))\r\n")
    }

    /// The client reads nothing: a send that would take what waits to be written (head and chunk framing
    /// included) past 64 KiB is refused, and the connection is closed.
    @Test func aClientThatFallsBehindIsClosedAndTheProducerTold() {
        let harness = Harness()
        harness.transport.writeCapacity = 0
        harness.send(Harness.get("/stream"))
        #expect(harness.produce(String(repeating: "x", count: 60 * 1024)))
        #expect(!harness.isClosed)
        #expect(!harness.produce(String(repeating: "x", count: 5 * 1024)))
        #expect(harness.isClosed)
        #expect(harness.responder.terminations.withLock { $0 } == [.overflow])
        #expect(!harness.produce("x"))
    }

    /// The bound counts what was sent before the loop took it, too.
    @Test func sendsTheLoopHasNotTakenYetCountTowardTheBound() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        #expect(harness.stream.send(String(repeating: "x", count: 40 * 1024)))
        #expect(!harness.stream.send(String(repeating: "x", count: 30 * 1024)))
        harness.loop.runPosted()
        #expect(harness.isClosed)
        #expect(harness.responder.terminations.withLock { $0 } == [.overflow])
    }

    /// One event larger than the bound still goes out when nothing waits before it; what follows it
    /// while it waits overflows.
    @Test func aSendLargerThanTheBoundGoesThroughOnlyWhenNothingWaits() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        harness.transport.writeCapacity = 0
        #expect(harness.produce(String(repeating: "x", count: 100 * 1024)))
        #expect(!harness.isClosed)
        #expect(!harness.produce("y"))
        #expect(harness.isClosed)
        #expect(harness.responder.terminations.withLock { $0 } == [.overflow])
    }

    @Test func shutdownEndsAStreamAtOnceWithItsLastChunk() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        harness.produce("a")
        harness.connection.shutDown()
        #expect(harness.takeOutput() == Self.chunkedHead + "1\r\na\r\n0\r\n\r\n")
        #expect(harness.isClosed)
        #expect(harness.responder.terminations.withLock { $0 } == [.serverStopping])
        #expect(!harness.produce("b"))
    }

    @Test func shutdownDuringADelayedStreamSendsItsHeadAndEndsIt() {
        let harness = Harness()
        harness.send(Harness.get("/stream/delay/100"))
        harness.connection.shutDown()
        harness.loop.advance(by: .milliseconds(100))
        #expect(
            harness.takeOutput()
                == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nDate: \(Harness.date)\r\nConnection: close\r\n\r\n"
                + "0\r\n\r\n")
        #expect(harness.isClosed)
        #expect(harness.responder.terminations.withLock { $0 } == [.serverStopping])
    }

    @Test func aClientThatClosesEndsTheStream() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        harness.closeInput()
        #expect(harness.isClosed)
        #expect(harness.responder.terminations.withLock { $0 } == [.clientGone])
        #expect(!harness.produce("x"))
    }

    @Test func aClientThatResetsEndsTheStreamAtTheNextWrite() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        harness.transport.peerReset = true
        harness.produce("x")
        #expect(harness.isClosed)
        #expect(harness.responder.terminations.withLock { $0 } == [.clientGone])
    }

    @Test func abortEndsTheStreamAsTheServerStopping() {
        let harness = Harness()
        harness.send(Harness.get("/stream"))
        harness.connection.abort()
        #expect(harness.responder.terminations.withLock { $0 } == [.serverStopping])
    }
}

/// `HTTPResponseStream` without a connection, as a responder's tests use it.
@Suite struct ResponseStreamSinkTests {
    @Test func aSinkGetsEachSendThenTheEndAndTheProducerIsToldOnce() {
        let events = Locked<[HTTPResponseStream.Event]>([])
        let ends = Locked<[HTTPResponseStream.Termination]>([])
        let stream = HTTPResponseStream { event in events.withLock { $0.append(event) } }
        stream.onTermination = { reason in ends.withLock { $0.append(reason) } }
        #expect(stream.send("a"))
        #expect(stream.send([0x62]))
        stream.terminate(.clientGone)
        stream.finish()
        #expect(!stream.send("c"))
        #expect(events.withLock { $0 } == [.bytes([0x61]), .bytes([0x62]), .end(.clientGone)])
        #expect(ends.withLock { $0 } == [.clientGone])
    }

    @Test func anOnTerminationSetAfterTheEndIsCalledAtOnce() {
        let stream = HTTPResponseStream { _ in }
        stream.finish()
        let ends = Locked<[HTTPResponseStream.Termination]>([])
        stream.onTermination = { reason in ends.withLock { $0.append(reason) } }
        #expect(ends.withLock { $0 } == [.finished])
    }
}
