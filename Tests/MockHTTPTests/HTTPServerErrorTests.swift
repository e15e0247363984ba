import Testing

@testable import MockHTTP

/// The errors the server answers itself, and what a responder that does not answer them says: plain text,
/// no application's envelope.
@Suite struct HTTPServerErrorTests {
    /// A responder that implements only `respond(to:)` for requests.
    struct RequestsOnly: HTTPResponder {
        func respond(to request: HTTPRequest) -> HTTPResponse { HTTPResponse(status: .ok) }
    }

    static let malformed = HTTPParseError(.malformedRequestLine, "no spaces in \"GARBAGE\"")

    @Test(arguments: [
        (
            HTTPServerError.Code.protocolError(malformed), 400,
            #"Bad Request: malformed request line: no spaces in "GARBAGE""#
        ),
        (
            .protocolError(HTTPParseError(.headersTooLarge, "over 32768 bytes")), 431,
            "Request Header Fields Too Large: header section too large: over 32768 bytes"
        ),
        (
            .protocolError(HTTPParseError(.requestTimeout, "the request was not complete within 10 seconds")), 408,
            "Request Timeout: request timeout: the request was not complete within 10 seconds"
        ),
        (.tooManyConnections, 503, "Service Unavailable: too many connections"),
        (.plainHTTPOnTLSPort, 400, "Bad Request: this port speaks HTTPS (TLS); use https://"),
    ])
    func statusAndMessageNameTheReasonPhraseAndTheDetail(code: HTTPServerError.Code, status: Int, message: String) {
        let error = HTTPServerError(code: code)
        #expect(error.status.code == status)
        #expect(error.message == message)
        #expect(error.description == message)
    }

    @Test(arguments: [
        HTTPServerError.Code.protocolError(malformed), .tooManyConnections, .plainHTTPOnTLSPort,
    ])
    func theDefaultAnswerIsTheMessageAsPlainText(code: HTTPServerError.Code) {
        let error = HTTPServerError(code: code)
        let response = RequestsOnly().respond(to: error)
        #expect(response.status == error.status)
        #expect(Array(response.headers).map(\.name) == ["Content-Type"])
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(response.body.bytes == Array((error.message + "\n").utf8))
        #expect(response.disposition == .send && response.delay == nil)
    }

    /// A responder that answers errors itself is asked, not the default.
    @Test func aResponderCanAnswerErrorsInItsOwnFormat() {
        struct Custom: HTTPResponder {
            func respond(to request: HTTPRequest) -> HTTPResponse { HTTPResponse(status: .ok) }
            func respond(to error: HTTPServerError) -> HTTPResponse {
                .json(error.status, Array(#"{"problem":"\#(error.status.code)"}"#.utf8))
            }
        }
        let responder: any HTTPResponder = Custom()
        let response = responder.respond(to: HTTPServerError(code: .tooManyConnections))
        #expect(response.status == .serviceUnavailable)
        #expect(response.body.bytes == Array(#"{"problem":"503"}"#.utf8))
    }
}
