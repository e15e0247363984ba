import Dispatch
import Foundation
import MockHTTP
import TestSupport
import Testing

/// Streamed responses over real sockets, with MockHTTP on its own: bytes sent from another thread arrive
/// as chunks while the connection stays usable, a stopping server ends a stream at once, and a client that
/// leaves is reported. (The framing, the bound and each way a stream ends are tested without sockets in
/// MockHTTPTests' `ConnectionStreamTests`.)
@Suite(.onOwnThread) struct StreamedResponseTests {
    /// Answers `/stream` with a stream it hands to the test, anything else with `200 ok`.
    final class Streaming: HTTPResponder {
        let streams = Locked<[HTTPResponseStream]>([])
        let started = DispatchSemaphore(value: 0)
        let ended = DispatchSemaphore(value: 0)
        let terminations = Locked<[HTTPResponseStream.Termination]>([])

        func respond(to request: HTTPRequest) -> HTTPResponse {
            guard request.path == "/stream" else { return HTTPResponse(status: .ok, body: Array("ok".utf8)) }
            var response = HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/event-stream")]))
            response.stream = { [streams, terminations, started, ended] stream in
                stream.onTermination = { reason in
                    terminations.withLock { $0.append(reason) }
                    ended.signal()
                }
                streams.withLock { $0.append(stream) }
                started.signal()
            }
            return response
        }

        /// The stream of the first `/stream` request, once its producer has it.
        func stream() throws -> HTTPResponseStream {
            guard started.wait(timeout: .now() + 5) == .success, let stream = streams.withLock({ $0.first }) else {
                throw RawHTTPClient.Failure(description: "no stream after 5 s")
            }
            return stream
        }

        /// How the stream ended, once it has (within 5 s).
        func termination() -> [HTTPResponseStream.Termination] {
            _ = ended.wait(timeout: .now() + 5)
            return terminations.withLock { $0 }
        }
    }

    static func withServer(_ body: (HTTPServer, Streaming, UInt16) throws -> Void) throws {
        let responder = Streaming()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, eventLoops: 1), responder: responder, logger: quietLogger)
        try server.start()
        defer { server.stop() }
        try body(server, responder, try #require(server.address?.port))
    }

    @Test func bytesSentFromAnotherThreadArriveAsChunksThenTheConnectionGoesOn() throws {
        try Self.withServer { _, responder, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(bodyless: true)
            #expect(head.header("Transfer-Encoding") == "chunked")
            #expect(head.header("Content-Length") == nil)
            #expect(head.header("Content-Type") == "text/event-stream")
            let stream = try responder.stream()
            let producer = Thread {
                stream.send("data: 1\n\n")
                stream.send("data: 2\n\n")
                stream.finish()
            }
            producer.start()
            let chunks = "9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n0\r\n\r\n"
            #expect(String(decoding: try client.readBytes(chunks.utf8.count), as: UTF8.self) == chunks)
            #expect(responder.termination() == [.finished])
            try client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "ok")
        }
    }

    @Test func stoppingTheServerEndsAnOpenStreamAtOnce() throws {
        let responder = Streaming()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, eventLoops: 1), responder: responder, logger: quietLogger)
        try server.start()
        let client = try RawHTTPClient(port: try #require(server.address?.port))
        try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try client.readResponse(bodyless: true)
        let stream = try responder.stream()
        stream.send("a")
        #expect(String(decoding: try client.readBytes(6), as: UTF8.self) == "1\r\na\r\n")
        let started = Date()
        server.stop(gracePeriod: .seconds(60))
        // Generous bound: the stream is ended at once, never waited on for the grace period.
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(String(decoding: try client.readToEnd(), as: UTF8.self) == "0\r\n\r\n")
        #expect(responder.termination() == [.serverStopping])
        #expect(!stream.send("b"))
    }

    @Test func aClientThatLeavesIsReportedToTheProducer() throws {
        try Self.withServer { _, responder, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try client.readResponse(bodyless: true)
            let stream = try responder.stream()
            client.resetConnection()
            #expect(responder.termination() == [.clientGone])
            #expect(!stream.send("x"))
        }
    }
}
