/// What the server calls for every request: the application side of the HTTP server.
///
/// One responder serves every connection, and every event-loop thread calls it directly (no hand-off,
/// no lock taken by the server): `respond(to:)` runs concurrently on as many threads as there are event
/// loops, so any state it keeps must be safe to use from all of them at once. It must not block: while it
/// runs, every other connection of its loop waits; keep it fast and in memory (ask for a delay with
/// `HTTPResponse.delay` rather than sleeping). Requests on one connection are answered strictly in order
/// (pipelining included).
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// The answer to a server error (see `HTTPServerError`); the connection closes after it is sent. Called
    /// like `respond(to:)` for a request, on the event loop's thread.
    func respond(to error: HTTPServerError) -> HTTPResponse
}

extension HTTPResponder {
    /// Neutral default: `text/plain; charset=utf-8`, body `message` + "\n" (e.g. `Bad Request: malformed
    /// request line: …`). A responder whose clients expect errors in their own format answers them itself.
    public func respond(to error: HTTPServerError) -> HTTPResponse {
        HTTPResponse(
            status: error.status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
            body: Array((error.message + "\n").utf8))
    }
}
