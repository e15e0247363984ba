import Foundation
import Logging
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// The live request feed (`GET /__admin/requests/stream`) over real sockets, for what only they show: a
/// subscriber that never reads, subscribers that leave in the middle of an event, a thousand idle ones,
/// and SIGTERM with streams open. (What the feed sends, its filters and its bookkeeping are tested without
/// sockets in GatewayMockTests' `RequestFeedTests`.)
@Suite(.onOwnThread) struct RequestFeedOnTheWireTests {
    /// A client subscribed to the feed, its head read; each event (or heartbeat) is one chunk.
    final class Subscriber {
        let client: RawHTTPClient

        init(port: UInt16, query: String = "?namespace=*", receiveBufferBytes: Int32? = nil) throws {
            client = try RawHTTPClient(port: port, receiveBufferBytes: receiveBufferBytes)
            try client.send("GET /__admin/requests/stream\(query) HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(bodyless: true)
            guard head.status == 200, head.header("Content-Type") == "text/event-stream",
                head.header("Transfer-Encoding") == "chunked"
            else { throw RawHTTPClient.Failure(description: "not a feed: \(head.statusLine) \(head.headers)") }
        }

        /// The next event, as text, past any heartbeat (one comes every 15 s; a slow run meets some).
        func next() throws -> String {
            while true {
                let chunk = String(decoding: try client.readChunk(), as: UTF8.self)
                if chunk != ": heartbeat\n\n" { return chunk }
            }
        }
    }

    /// A create refused for its too long name: journaled with its body, so its event is about as long.
    static func sendPost(_ client: RawHTTPClient, nameBytes: Int) throws -> Int {
        let body = #"{"name":""# + String(repeating: "a", count: nameBytes) + #""}"#
        try client.send(
            "POST /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try client.readResponse().status
    }

    /// Polls `condition` until it holds, for at most 10 s: for what the server does on its own time (it
    /// learns that a client left on its next read or write).
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    @Test func aSubscriberThatNeverReadsIsClosedByTheBoundAndTheOthersGoOn() async throws {
        let lines = CapturingLogHandler.Lines()
        let mock = try GatewayMock.start(
            .init(port: 0, accessLog: false, threads: 1),
            logger: Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) })
        defer { mock.stop() }
        try await withOwnThread {
            let stalled = try Subscriber(port: mock.port, receiveBufferBytes: 4096)
            let reader = try Subscriber(port: mock.port)
            let producer = try RawHTTPClient(port: mock.port)
            let fellBehind = {
                lines.all.contains { $0.contains("closing a client that fell behind a streamed response") }
            }
            // 8 KiB events until the stalled one has more than 64 KiB waiting beyond what the kernel holds
            // for it; the reader reads each before the next is made.
            var sent = 0
            var eventBytes = 0
            while !fellBehind(), sent < 5000 {
                #expect(try Self.sendPost(producer, nameBytes: 8192) == 400)
                sent += 1
                let event = try reader.next()
                #expect(event.hasPrefix("id: \(sent)\ndata: {\"time\":"))
                eventBytes += event.utf8.count
            }
            #expect(fellBehind())
            // What the kernel held for it (its head and chunk framing included), then the end.
            let (code, received) = stalled.client.readUntilConnectionEnds()
            #expect(code == 0 || code == ECONNRESET, "closed by the server, not a read timeout")
            #expect(received.count < eventBytes)

            for _ in 0..<3 {
                #expect(try Self.sendPost(producer, nameBytes: 8192) == 400)
                sent += 1
                #expect(try reader.next().hasPrefix("id: \(sent)\ndata: {\"time\":"))
            }
            #expect(try mock.request("/__admin/health").status == 200)
            #expect(mock.state.requestFeed.subscriberCount == 1)
        }
    }

    @Test func subscribersThatLeaveInTheMiddleOfAnEventDisturbNoOne() async throws {
        try await withTestServer(.init(accessLog: false)) { mock in
            let leavers = try (0..<4).map { _ in try Subscriber(port: mock.port) }
            let stayers = try (0..<2).map { _ in try Subscriber(port: mock.port) }
            let producer = try RawHTTPClient(port: mock.port)
            #expect(try Self.sendPost(producer, nameBytes: 1024) == 400)
            for (index, leaver) in leavers.enumerated() {
                _ = try leaver.client.readBytes(100)  // the chunk's size line and the event's first bytes
                if index % 2 == 0 { leaver.client.resetConnection() } else { leaver.client.shutdownWrite() }
            }
            for _ in 2...20 { #expect(try Self.sendPost(producer, nameBytes: 1024) == 400) }

            for stayer in stayers {
                for id in 1...20 {
                    let event = try stayer.next()
                    #expect(event.hasPrefix("id: \(id)\ndata: {\"time\":"))
                    #expect(event.hasSuffix("\"forced\":false}\n\n"))
                }
            }
            #expect(Self.eventually { mock.state.requestFeed.subscriberCount == 2 })
            #expect(try mock.request("/__admin/health").status == 200)
        }
    }

    @Test func aThousandIdleSubscribersAndEveryoneIsStillServed() async throws {
        try await withTestServer(.init(accessLog: false)) { mock in
            var subscribers = try (0..<1000).map { _ in try Subscriber(port: mock.port, query: "?namespace=idle") }
            #expect(mock.state.requestFeed.subscriberCount == 1000)
            #expect(try mock.openRouter("?limit=1").status == 200)
            #expect(try mock.request("/__admin/health").status == 200)
            #expect(try mock.openRouter("?limit=1", headers: ["X-Mock-Namespace": "idle"]).status == 200)
            for subscriber in subscribers {
                #expect(try subscriber.next().hasPrefix(#"id: 2"# + "\n" + #"data: {"time":"#))
            }
            subscribers.removeAll()
            #expect(Self.eventually { mock.state.requestFeed.isEmpty })
        }
    }

    /// SIGTERM ends every stream at once with its last chunk, so the server exits without waiting out its
    /// grace period (it logs a warning when it has to).
    @Test func sigtermWithStreamsOpenEndsThemAndExitsWithoutWaiting() async throws {
        let run = try CommandLineTests.launch(["--port", "0"])
        let line = CommandLineTests.firstLine(of: run.stdout)
        let match = try #require(line.firstMatch(of: /^gateway-mock listening on http:\/\/127\.0\.0\.1:(\d+)$/))
        let port = try #require(UInt16(match.1))
        let readers = try (0..<3).map { _ in try Subscriber(port: port) }
        let idle = try Subscriber(port: port, query: "?namespace=nobody")  // sent nothing, reads nothing
        let producer = try RawHTTPClient(port: port)
        #expect(try Self.sendPost(producer, nameBytes: 10) == 400)
        for reader in readers { #expect(try reader.next().hasPrefix("id: 1\n")) }

        run.process.terminate()
        run.process.waitUntilExit()
        #expect(run.process.terminationReason == .exit)
        #expect(run.process.terminationStatus == 0)
        for subscriber in readers + [idle] {
            #expect(try subscriber.client.readChunk().isEmpty, "the last chunk")
            #expect(try subscriber.client.serverClosed())
        }
        #expect(!run.stderr.contains("after the grace period"))
    }
}
