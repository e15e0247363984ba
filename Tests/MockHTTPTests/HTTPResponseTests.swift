import Testing

@testable import MockHTTP

/// `HTTPResponse.serialized`: the exact bytes written, with the framing fields the connection adds.
@Suite struct HTTPResponseTests {
    static let date = "Sun, 06 Nov 1994 08:49:37 GMT"
    static let body = Fixture.bytes(#"{"data":[]}"#)

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    @Test func json200KeptAliveOverHTTP11AnnouncesTheIdleTimeoutWithoutAConnectionHeader() {
        let bytes = HTTPResponse.json(.ok, Self.body).serialized(
            date: Self.date, connection: .keepAlive(idleTimeout: 60))
        #expect(
            bytes
                == Fixture.bytes(
                    "HTTP/1.1 200 OK\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                        + "Content-Length: 11\r\n"
                        + "Keep-Alive: timeout=60\r\n"
                        + "\r\n"
                        + #"{"data":[]}"#))
    }

    @Test(arguments: [
        (Duration.seconds(60), 60), (.milliseconds(2_999), 2), (.seconds(2), 2), (.milliseconds(999), 0),
        (.milliseconds(500), 0),
    ])
    func announcedIdleSecondsIsTheIdleTimeoutRoundedDown(idle: Duration, announced: Int) {
        var timeouts = HTTPServerConfiguration.Timeouts()
        timeouts.idle = idle
        #expect(timeouts.announcedIdleSeconds == announced)
    }

    /// A sub-second idle timeout is announced as 0 (`announcedIdleSeconds` rounds down).
    @Test func idleTimeoutOfZeroWholeSecondsIsAnnouncedAsZero() {
        let bytes = HTTPResponse(status: .noContent).serialized(date: Self.date, connection: .keepAlive(idleTimeout: 0))
        #expect(
            Self.text(bytes)
                == "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nKeep-Alive: timeout=0\r\n\r\n")
    }

    @Test func closingResponseSaysConnectionClose() {
        let bytes = HTTPResponse.json(.notFound, Self.body).serialized(date: Self.date, connection: .close)
        #expect(
            Self.text(bytes)
                == "HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: application/json\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Length: 11\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + #"{"data":[]}"#)
    }

    @Test func http10KeptAliveSaysConnectionKeepAliveThenTheIdleTimeout() {
        let bytes = HTTPResponse.json(.ok, Self.body).serialized(
            date: Self.date, connection: .keepAlive(idleTimeout: 60), requestMinorVersion: 0)
        #expect(
            Self.text(bytes)
                == "HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Length: 11\r\n"
                + "Connection: keep-alive\r\n"
                + "Keep-Alive: timeout=60\r\n"
                + "\r\n"
                + #"{"data":[]}"#)
    }

    @Test func http10ClosingSaysConnectionCloseOnly() {
        let text = Self.text(
            HTTPResponse.json(.ok, Self.body).serialized(date: Self.date, connection: .close, requestMinorVersion: 0))
        #expect(text.hasSuffix("Content-Length: 11\r\nConnection: close\r\n\r\n" + #"{"data":[]}"#))
        #expect(!text.lowercased().contains("keep-alive"))
    }

    @Test func headResponseKeepsTheBodysContentLengthButSendsNoBody() {
        let bytes = HTTPResponse.json(.ok, Self.body).serialized(
            date: Self.date, connection: .keepAlive(idleTimeout: 60), includeBody: false)
        #expect(
            Self.text(bytes)
                == "HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Length: 11\r\n"
                + "Keep-Alive: timeout=60\r\n"
                + "\r\n")
    }

    @Test func responderHeadersComeFirstInTheirOrderWithDuplicatesKept() {
        var headers = HTTPHeaders()
        headers.add(name: "X-Request-Id", value: "r1")
        headers.add(name: "Vary", value: "Origin")
        headers.add(name: "Vary", value: "Accept")
        let bytes = HTTPResponse(status: .unauthorized, headers: headers, body: Fixture.bytes("no"))
            .serialized(date: Self.date, connection: .keepAlive(idleTimeout: 60))
        #expect(
            Self.text(bytes)
                == "HTTP/1.1 401 Unauthorized\r\n"
                + "X-Request-Id: r1\r\n"
                + "Vary: Origin\r\n"
                + "Vary: Accept\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Length: 2\r\n"
                + "Keep-Alive: timeout=60\r\n"
                + "\r\n"
                + "no")
    }

    @Test func jsonReplacesAnyContentTypeTheCallerGave() {
        let response = HTTPResponse.json(
            .ok, Self.body, headers: HTTPHeaders([("content-type", "text/plain"), ("X-A", "1")]))
        #expect(response.headers == HTTPHeaders([("X-A", "1"), ("Content-Type", "application/json")]))
        #expect(response.status == .ok)
        #expect(response.body.bytes == Self.body)
        #expect(!response.closeConnection)
    }

    @Test func emptyBodyHasContentLengthZero() {
        let bytes = HTTPResponse(status: .ok).serialized(date: Self.date, connection: .keepAlive(idleTimeout: 60))
        #expect(
            Self.text(bytes)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\nKeep-Alive: timeout=60\r\n\r\n"
        )
    }

    @Test func nonUTF8BodyIsWrittenByteForByte() {
        let body: [UInt8] = [0x00, 0xFF, 0xC3]
        let bytes = HTTPResponse(status: .ok, body: body).serialized(
            date: Self.date, connection: .keepAlive(idleTimeout: 60))
        #expect(Array(bytes.suffix(3)) == body)
        #expect(Self.text(Array(bytes.dropLast(3))).hasSuffix("Content-Length: 3\r\nKeep-Alive: timeout=60\r\n\r\n"))
    }

    @Test func statusWithoutAKnownReasonIsUnknown() {
        let bytes = HTTPResponse(status: HTTPStatus(299)).serialized(
            date: Self.date, connection: .keepAlive(idleTimeout: 60))
        #expect(Self.text(bytes).hasPrefix("HTTP/1.1 299 Unknown\r\n"))
    }
}
