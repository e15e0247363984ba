/// Why a request's bytes could not be read as HTTP/1.1. Each code maps to the status the server answers
/// with before closing the connection (RFC 9112; 413/414/431 for the size limits).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of protocol error.
    public struct Code: Sendable, Hashable {
        fileprivate let name: String
        /// The status answered for it.
        public let status: HTTPStatus

        public static let malformedRequestLine = Code(name: "malformed request line", status: .badRequest)
        public static let malformedHeader = Code(name: "malformed header field", status: .badRequest)
        public static let missingHost = Code(name: "missing or repeated Host header", status: .badRequest)
        public static let invalidHost = Code(name: "invalid Host header", status: .badRequest)
        public static let invalidContentLength = Code(name: "invalid Content-Length", status: .badRequest)
        public static let conflictingFraming = Code(
            name: "Content-Length together with Transfer-Encoding", status: .badRequest)
        public static let invalidChunk = Code(name: "malformed chunked body", status: .badRequest)
        public static let unsupportedTransferEncoding = Code(
            name: "unsupported Transfer-Encoding", status: .notImplemented)
        /// A method the server does not implement for any resource (`CONNECT`: it is not a proxy).
        public static let methodNotImplemented = Code(name: "method not implemented", status: .notImplemented)
        public static let unsupportedVersion = Code(
            name: "unsupported HTTP version", status: .httpVersionNotSupported)
        public static let uriTooLong = Code(name: "request line too long", status: .uriTooLong)
        public static let headersTooLarge = Code(
            name: "header section too large", status: .requestHeaderFieldsTooLarge)
        public static let unsupportedExpectation = Code(
            name: "unsupported expectation", status: HTTPStatus(417))
        public static let requestTimeout = Code(name: "request timeout", status: .requestTimeout)
        public static let bodyTooLarge = Code(name: "body too large", status: .contentTooLarge)
    }

    public let code: Code
    /// What exactly was wrong, for the log and the error body.
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.name): \(detail)" }
}
