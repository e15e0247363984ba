/// A response as a responder builds it. The connection adds the framing fields (`Date`,
/// `Content-Length`, `Connection`, `Keep-Alive`) when it writes it, so a responder never gets them wrong.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: HTTPBody
    /// Close the connection after this response even if the client would keep it open.
    public var closeConnection: Bool
    /// Send the response only after this long (the connection answers nothing else meanwhile,
    /// so pipelined responses stay in order).
    public var delay: Duration?
    /// How the connection delivers it: normally, or as a simulated network failure.
    public var disposition = Disposition.send
    /// A body produced over time instead of `body` (which is then not sent): called once, on the
    /// connection's event-loop thread, as soon as the head is queued, with the stream to send the body
    /// through (see `HTTPResponseStream` for the framing, the bound and how a stream ends). It must not
    /// block: keep the stream and return. The head has no `Content-Length`: `Transfer-Encoding: chunked`
    /// for an HTTP/1.1 request, `Connection: close` for HTTP/1.0. Not called for `HEAD` (the head alone is
    /// sent, with the same framing fields), for a status without a body (1xx, 204), nor for a disposition
    /// other than `send`.
    public var stream: (@Sendable (HTTPResponseStream) -> Void)?

    /// What the connection does with a response.
    public enum Disposition: Sendable, Equatable {
        /// Write it.
        case send
        /// Write nothing and reset the connection (TCP RST).
        case resetConnection
        /// Write nothing and close the connection in order (FIN): the client sees an empty response.
        case closeWithoutResponse
    }

    public init(
        status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], closeConnection: Bool = false
    ) {
        self.init(status: status, headers: headers, body: HTTPBody(body), closeConnection: closeConnection)
    }

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody, closeConnection: Bool = false)
    {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// A JSON response: `body` must already be encoded JSON.
    public static func json(_ status: HTTPStatus, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse
    {
        json(status, HTTPBody(body), headers: headers)
    }

    /// A JSON response whose encoded body is made of pieces (see `HTTPBody`).
    public static func json(_ status: HTTPStatus, _ body: HTTPBody, headers: HTTPHeaders = HTTPHeaders())
        -> HTTPResponse
    {
        var headers = headers
        if headers.count == 0 {
            headers = jsonContentType  // shared, not a new array per response
        } else {
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private static let jsonContentType = HTTPHeaders([("Content-Type", "application/json")])

    /// What a response's head says about the connection after it.
    enum Persistence: Sendable, Equatable {
        /// The connection closes after this response: `Connection: close` (RFC 9112 §9.6).
        case close
        /// The connection stays open for the next request and closes after `idleTimeout` whole seconds
        /// without one: `Keep-Alive: timeout=N` (the field of RFC 9112 Appendix C.2.2 with the `timeout`
        /// parameter of draft-thomson-hybi-http-timeout; nginx and Node's server send it too), so that a
        /// client's pool drops the connection before the server closes it, rather than send a request into
        /// that close. An HTTP/1.0 client also needs `Connection: keep-alive` (RFC 9112 Appendix C.2.2).
        case keepAlive(idleTimeout: Int)
    }

    /// The bytes on the wire: `head` followed by the body unless `includeBody` is false (answers to `HEAD`).
    func serialized(
        date: String, connection: Persistence, requestMinorVersion: Int = 1, includeBody: Bool = true
    ) -> [UInt8] {
        head(date: date, connection: connection, requestMinorVersion: requestMinorVersion)
            + (includeBody ? body.bytes : [])
    }

    /// The status line and header section: the responder's headers, then `Date`, `Content-Length` (not on
    /// 1xx and 204, RFC 9110 §8.6), then what `connection` says: `Connection: close`, or `Keep-Alive`
    /// (after `Connection: keep-alive` for an HTTP/1.0 request).
    func head(date: String, connection: Persistence, requestMinorVersion: Int = 1) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(180 + headers.count * 40)
        bytes.append("HTTP/1.1 ")
        bytes.appendDecimal(status.code)
        bytes.append(" ")
        bytes.appendUTF8(status.reasonPhrase)
        bytes.append("\r\n")
        headers.appendFieldLines(to: &bytes)
        if streamsBody, requestMinorVersion >= 1 {
            bytes.append("Transfer-Encoding: chunked\r\n")
        }
        bytes.append("Date: ")
        bytes.appendUTF8(date)
        if status.code >= 200, status.code != 204, stream == nil {
            bytes.append("\r\nContent-Length: ")
            bytes.appendDecimal(body.count)
        }
        switch connection {
        case .close:
            bytes.append("\r\nConnection: close")
        case .keepAlive(let idleTimeout):
            if requestMinorVersion == 0 { bytes.append("\r\nConnection: keep-alive") }
            bytes.append("\r\nKeep-Alive: timeout=")
            bytes.appendDecimal(idleTimeout)
        }
        bytes.append("\r\n\r\n")
        return bytes
    }
}

extension HTTPResponse {
    /// The body is `stream`'s: there is one and the status allows a body.
    var streamsBody: Bool {
        stream != nil && status.code >= 200 && status.code != 204
    }
}
