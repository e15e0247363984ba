/// An answer the server composes itself, without a request reaching `respond(to:)`: bytes that are not
/// a valid request (or break a size limit, or do not arrive in time), a connection over the limit, plain
/// HTTP sent to a TLS port. The server asks its responder for the response
/// (`HTTPResponder.respond(to:)`), sends it, and closes the connection.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// Bytes that are not a valid request, a size limit, or the request timeout (408).
        case protocolError(HTTPParseError)
        /// More connections than `maxConnections`: 503.
        case tooManyConnections
        /// Plain HTTP sent to a port that speaks TLS: 400.
        case plainHTTPOnTLSPort
    }

    public let code: Code

    public init(code: Code) {
        self.code = code
    }

    /// The status to answer with: the parse error's, 503, or 400.
    public var status: HTTPStatus {
        switch code {
        case .protocolError(let error): error.code.status
        case .tooManyConnections: .serviceUnavailable
        case .plainHTTPOnTLSPort: .badRequest
        }
    }

    /// "Reason-Phrase: detail", e.g. `Bad Request: malformed request line: …` or
    /// `Service Unavailable: too many connections`.
    public var message: String {
        switch code {
        case .protocolError(let error): "\(status.reasonPhrase): \(error)"
        case .tooManyConnections: "\(status.reasonPhrase): too many connections"
        case .plainHTTPOnTLSPort: "\(status.reasonPhrase): this port speaks HTTPS (TLS); use https://"
        }
    }

    public var description: String { message }
}
