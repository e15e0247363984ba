import Testing

@testable import MockHTTP

/// Status codes, their reason phrases, and the status each parse error is answered with.
@Suite struct HTTPStatusTests {
    @Test(arguments: [
        (HTTPStatus.ok, "200 OK"), (.noContent, "204 No Content"), (.badRequest, "400 Bad Request"),
        (.forbidden, "403 Forbidden"), (.methodNotAllowed, "405 Method Not Allowed"),
        (.contentTooLarge, "413 Content Too Large"), (.uriTooLong, "414 URI Too Long"),
        (HTTPStatus(417), "417 Expectation Failed"), (.tooManyRequests, "429 Too Many Requests"),
        (.requestHeaderFieldsTooLarge, "431 Request Header Fields Too Large"),
        (.internalServerError, "500 Internal Server Error"), (.notImplemented, "501 Not Implemented"),
        (.serviceUnavailable, "503 Service Unavailable"),
        (.httpVersionNotSupported, "505 HTTP Version Not Supported"),
    ])
    func statusDescribesItselfWithItsRFCReasonPhrase(status: HTTPStatus, description: String) {
        #expect(status.description == description)
    }

    @Test(arguments: [
        (HTTPParseError.Code.malformedRequestLine, 400), (.malformedHeader, 400), (.missingHost, 400),
        (.invalidContentLength, 400), (.conflictingFraming, 400), (.invalidChunk, 400),
        (.unsupportedTransferEncoding, 501), (.unsupportedVersion, 505), (.uriTooLong, 414),
        (.headersTooLarge, 431), (.unsupportedExpectation, 417), (.bodyTooLarge, 413),
    ])
    func everyParseErrorCodeMapsToItsStatus(code: HTTPParseError.Code, status: Int) {
        #expect(code.status.code == status)
    }

    @Test func parseErrorDescriptionNamesTheCodeAndTheDetail() {
        #expect(
            HTTPParseError(.missingHost, "no Host").description == "missing or repeated Host header: no Host")
    }
}
