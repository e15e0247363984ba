/// A response as a responder builds it. The connection adds the framing fields (`Date`,
/// `Content-Length`, `Connection`) when it writes it, so a responder never gets them wrong.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Close the connection after this response even if the client would keep it open.
    public var closeConnection: Bool
    /// Send the response only after this long (the connection answers nothing else meanwhile,
    /// so pipelined responses stay in order).
    public var delay: Duration?
    /// How the connection delivers it: normally, or as a simulated network failure.
    public var disposition = Disposition.send

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
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// A JSON response: `body` must already be encoded JSON.
    public static func json(_ status: HTTPStatus, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse
    {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// The bytes on the wire: status line, the responder's headers, then `Date`, `Content-Length` (not for 204) and
    /// (when closing, or keeping an HTTP/1.0 connection open) `Connection`; the body unless `includeBody`
    /// is false (answers to `HEAD`).
    public func serialized(date: String, keepAlive: Bool, requestMinorVersion: Int = 1, includeBody: Bool = true)
        -> [UInt8]
    {
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for (name, value) in headers {
            head += "\(name): \(value)\r\n"
        }
        head += "Date: \(date)\r\n"
        // RFC 9110 §8.6: no Content-Length on 1xx and 204 responses.
        if status.code >= 200, status.code != 204 { head += "Content-Length: \(body.count)\r\n" }
        if !keepAlive {
            head += "Connection: close\r\n"
        } else if requestMinorVersion == 0 {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if includeBody {
            bytes.reserveCapacity(bytes.count + body.count)
            bytes.append(contentsOf: body)
        }
        return bytes
    }
}
