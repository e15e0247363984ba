import Testing

@testable import MockHTTP

/// Answers in order, without a socket: pipelined requests, a delayed answer holding what follows it,
/// `100 Continue`, and the two kinds of backpressure (answering stops while 64 KiB or more wait to be
/// written; reading stops while more than two maximum bodies wait to be parsed).
@Suite struct ConnectionPipeliningTests {
    typealias Harness = ConnectionHarness

    @Test func pipelinedRequestsInOneReadAreAnsweredInOrderInOneWrite() {
        let harness = Harness()
        harness.send(Harness.get("/a") + Harness.get("/b?x=1") + Harness.get("/c"))
        #expect(harness.takeOutput() == Harness.ok("/a") + Harness.ok("/b?x=1") + Harness.ok("/c"))
        #expect(harness.transport.writeCalls == 1)
        #expect(harness.state == .open(.ready))
    }

    /// A connection sends the head its loop wrote last again when the answer is made of the same things (status,
    /// fields, length, `Date`, keep-alive or not), and writes a new one when any of them changes.
    @Test func aRepeatedAnswerGetsTheSameHeadUntilTheDateTheLengthOrTheConnectionChanges() {
        let harness = Harness()
        let head = { (date: String, length: Int, closing: Bool) in
            "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Length: \(length)\r\n"
                + (closing ? "Connection: close\r\n" : "Keep-Alive: timeout=60\r\n") + "\r\n"
        }
        harness.send(Harness.get("/a") + Harness.get("/b") + Harness.get("/cc"))
        #expect(harness.takeOutput() == Harness.ok("/a") + Harness.ok("/b") + Harness.ok("/cc"))
        let next = "Sun, 06 Nov 1994 08:49:38 GMT"
        harness.loop.currentDate = next
        harness.send(Harness.get("/d") + Harness.get("/e", "Connection: close"))
        #expect(harness.takeOutput() == head(next, 2, false) + "/d" + head(next, 2, true) + "/e")
    }

    @Test func aRequestArrivingInPiecesIsAnsweredOnceItsHeadIsComplete() {
        let harness = Harness()
        for byte in Harness.get("/a").utf8.dropLast() {
            harness.send(String(decoding: [byte], as: UTF8.self))
        }
        #expect(harness.takeOutput() == "")
        harness.send("\n")
        #expect(harness.takeOutput() == Harness.ok("/a"))
        #expect(harness.responder.answered.load(ordering: .relaxed) == 1)
    }

    @Test func aDelayedAnswerHoldsWhatIsPipelinedBehindIt() {
        let harness = Harness()
        harness.send(Harness.get("/delay/300") + Harness.get("/b"))
        #expect(harness.state == .open(.awaitingDelayedResponse(.send(keepAlive: true))))
        #expect(harness.responder.answered.load(ordering: .relaxed) == 1, "/b waits to be answered")
        harness.send(Harness.get("/c"))
        harness.loop.advance(by: .milliseconds(299))
        #expect(harness.takeOutput() == "")
        harness.loop.advance(by: .milliseconds(1))
        #expect(harness.takeOutput() == Harness.ok("/delay/300") + Harness.ok("/b") + Harness.ok("/c"))
        #expect(harness.state == .open(.ready))
    }

    @Test func expectContinueGets100ContinueOnceThenTheAnswer() {
        let harness = Harness()
        harness.send("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(harness.takeOutput() == "HTTP/1.1 100 Continue\r\n\r\n")
        harness.send("he")
        #expect(harness.takeOutput() == "", "no second 100 Continue for the same request")
        harness.send("llo" + Harness.get("/b"))
        #expect(harness.takeOutput() == Harness.ok("/a") + Harness.ok("/b"))
    }

    /// Answers of 40 KiB to a client that reads nothing: two are made (the second takes the queue past
    /// 64 KiB), then answering waits; once the client reads, the other eight follow, in order.
    @Test func answeringStopsWhile64KiBWaitAndResumesWhenTheClientReads() {
        let harness = Harness()
        harness.transport.writeCapacity = 0
        harness.send(String(repeating: Harness.get("/bytes/40960"), count: 10))
        #expect(harness.responder.answered.load(ordering: .relaxed) == 2)
        #expect(harness.state == .open(.pausedForOutput))
        #expect(harness.loop.watching.writable)
        harness.clientReads()
        #expect(harness.responder.answered.load(ordering: .relaxed) == 10)
        let answer = Harness.ok(String(repeating: "x", count: 40960))
        #expect(harness.takeOutput() == String(repeating: answer, count: 10))
        #expect(!harness.loop.watching.writable)
        #expect(harness.state == .open(.ready))
    }

    /// With a 100-byte body limit, more than 200 unparsed bytes behind a delayed answer stop the reading;
    /// once the delay is over and they are answered, reading resumes.
    @Test func readingStopsWhileMoreThanTwoMaximumBodiesWaitToBeParsed() {
        var limits = HTTPRequestParser.Limits()
        limits.maxBodyBytes = 100
        let harness = Harness(limits: limits)
        let targets = (0..<10).map { "/\($0)" }
        harness.send(Harness.get("/delay/100"))
        harness.send(targets.map { Harness.get($0) }.joined())  // 280 bytes
        #expect(!harness.loop.watching.readable)
        harness.loop.advance(by: .milliseconds(100))
        #expect(harness.loop.watching.readable)
        #expect(harness.takeOutput() == Harness.ok("/delay/100") + targets.map { Harness.ok($0) }.joined())
    }

    /// The transport hears of each flush that has bytes to write (a socket turns Nagle's algorithm off
    /// before all but the first), and of no other.
    @Test func onlyFlushesWithBytesToWritePrepareTheTransport() {
        let harness = Harness()
        harness.send("GET /a HTTP/1.1\r\n")
        harness.send("Host: x\r\n\r\n")
        harness.send(Harness.get("/b"))
        #expect(harness.transport.preparedWrites == 2)
    }
}
