import Dispatch
import Logging
import Synchronization
import Testing

@testable import MockHTTP

/// One `HTTPConnection` over a `FakeTransport` and a `ManualLoop`, with a responder that answers by path:
/// the connection's whole behaviour, tested without a socket, a thread or a sleep.
///
/// The responder answers `200` with the request target as the body, except:
/// - `/delay/MS`: the same, after MS milliseconds;
/// - `/close`: the same, closing the connection (`closeConnection`);
/// - `/bytes/N`: N bytes of `x`;
/// - `/reset`: a TCP reset (`resetConnection`); `/drop`: a close without a response;
/// - `/stream` (and `/stream/delay/MS`): a streamed body, whose stream the responder keeps
///   (`responder.streams`) and whose end it records (`responder.terminations`).
final class ConnectionHarness {
    let transport = FakeTransport()
    let loop = ManualLoop()
    let responder = PathResponder()
    private(set) var connection: HTTPConnection<FakeTransport, ManualLoop>!
    /// How often the connection told the server it closed.
    private let closes = Locked(0)
    /// How much of `transport.written` `takeOutput()` has returned.
    private var taken = 0

    static let date = ManualLoop.date

    init(
        timeouts: HTTPServerConfiguration.Timeouts = .init(), limits: HTTPRequestParser.Limits = .init(),
        handshake: [TransportHandshake] = []
    ) {
        transport.needsHandshake = !handshake.isEmpty
        transport.handshakeSteps = handshake
        connection = HTTPConnection(
            transport: transport, loop: loop, responder: responder, parser: HTTPRequestParser(limits: limits),
            timeouts: timeouts, logger: Logger(label: "connection-tests") { _ in SwiftLogNoOpLogHandler() }
        ) { [closes] in closes.withLock { $0 += 1 } }
        loop.sweep = { [unowned self] now in connection.checkDeadline(now: now) }
        connection.start {}
    }

    var state: ConnectionStateMachine.State { connection.state }

    /// The connection has closed (once, and told the server).
    var isClosed: Bool {
        closes.withLock { $0 } == 1 && transport.closedWithReset != nil && loop.deregistered
    }

    /// The client sends `text`; the loop reports the socket readable.
    func send(_ text: String) {
        transport.incoming += Array(text.utf8)
        readable()
    }

    /// The stream of the last `/stream` request.
    var stream: HTTPResponseStream {
        responder.streams.withLock { $0.last! }
    }

    /// The producer sends `text` on the last stream (from "another thread"), then the loop comes round.
    @discardableResult
    func produce(_ text: String) -> Bool {
        defer { loop.runPosted() }
        return stream.send(text)
    }

    /// The producer finishes the last stream, then the loop comes round.
    func finishStream() {
        stream.finish()
        loop.runPosted()
    }

    /// The client half-closes (after what it sent); the loop reports it.
    func closeInput() {
        transport.inputClosed = true
        readable()
    }

    /// The loop reports the socket readable, as epoll (level-triggered) does: again and again while the
    /// transport has something to read and the connection watches input.
    func readable() {
        var reports = 0
        while loop.watching.readable, transport.isReadable, transport.closedWithReset == nil {
            connection.handleEvents(readable: true, writable: false, hangup: false)
            reports += 1
            if reports == 100 {
                Issue.record("the connection reads on and on")
                return
            }
        }
    }

    /// The client reads: the transport takes `bytes` more (nil: everything from now on), and the loop
    /// reports the socket writable if the connection waits for that.
    func clientReads(_ bytes: Int? = nil) {
        transport.writeCapacity = bytes.map { (transport.writeCapacity ?? 0) + $0 }
        if loop.watching.writable { connection.handleEvents(readable: false, writable: true, hangup: false) }
    }

    /// Everything written since the last call, as text.
    func takeOutput() -> String {
        defer { taken = transport.written.count }
        return String(decoding: transport.written[taken...], as: UTF8.self)
    }

    /// `GET target HTTP/1.1`, with `headers` lines.
    static func get(_ target: String, _ headers: String...) -> String {
        "GET \(target) HTTP/1.1\r\nHost: x\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
    }

    /// The bytes of the harness responder's 200 with `body`, as the connection frames it (the idle timeout
    /// announced is the default 60 s).
    static func ok(_ body: String, closing: Bool = false) -> String {
        "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Length: \(body.utf8.count)\r\n"
            + (closing ? "Connection: close\r\n" : "Keep-Alive: timeout=60\r\n") + "\r\n" + body
    }
}

/// The harness's responder (see `ConnectionHarness`); counts what it answers.
final class PathResponder: HTTPResponder {
    let answered = Atomic<Int>(0)
    /// The streams handed to `/stream` producers, in order.
    let streams = Locked<[HTTPResponseStream]>([])
    /// How they ended, in order.
    let terminations = Locked<[HTTPResponseStream.Termination]>([])

    func respond(to request: HTTPRequest) -> HTTPResponse {
        answered.add(1, ordering: .relaxed)
        let path = String(request.path)
        var response = HTTPResponse(status: .ok, body: Array(request.target.utf8))
        if path.hasPrefix("/stream") {
            response.body = HTTPBody()
            response.stream = { [streams, terminations] stream in
                stream.onTermination = { reason in terminations.withLock { $0.append(reason) } }
                streams.withLock { $0.append(stream) }
            }
            if path.hasPrefix("/stream/delay/"), let milliseconds = Int(path.dropFirst(14)) {
                response.delay = .milliseconds(milliseconds)
            }
        } else if path.hasPrefix("/delay/"), let milliseconds = Int(path.dropFirst(7)) {
            response.delay = .milliseconds(milliseconds)
        } else if path.hasPrefix("/bytes/"), let count = Int(path.dropFirst(7)) {
            response.body = HTTPBody(Array(repeating: UInt8(ascii: "x"), count: count))
        } else if path == "/close" {
            response.closeConnection = true
        } else if path == "/reset" {
            response.disposition = .resetConnection
        } else if path == "/drop" {
            response.disposition = .closeWithoutResponse
        }
        return response
    }
}
