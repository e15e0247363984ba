/// What the server calls for every request: the application side of the HTTP server.
///
/// `respond(to:)` is called on the connection's queue and must not block; it should be fast and
/// in-memory. Requests on one connection are answered strictly in order (pipelining included).
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// The answer to bytes that are not a valid request. The connection closes after it is sent.
    func respond(to error: HTTPParseError) -> HTTPResponse
}

extension HTTPResponder {
    /// A small JSON body naming the protocol error: `{"error":{"code":400,"message":"…"}}`.
    public func respond(to error: HTTPParseError) -> HTTPResponse {
        .json(error.code.status, Array(protocolErrorBody(error).utf8))
    }
}

/// `{"error":{"code":N,"message":"Reason: detail"}}` for a protocol error; the message JSON-escaped.
public func protocolErrorBody(_ error: HTTPParseError) -> String {
    let message = JSONString.quoted("\(error.code.status.reasonPhrase): \(error)")
    return #"{"error":{"code":\#(error.code.status.code),"message":\#(message)}}"#
}
