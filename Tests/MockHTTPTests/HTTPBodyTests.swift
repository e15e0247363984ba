import Testing

@testable import MockHTTP

/// `HTTPBody`: a body made of pieces is the same bytes, length and prefix as the joined bytes.
@Suite struct HTTPBodyTests {
    static let shared = Fixture.bytes(#"{"a":1},{"b":2},{"c":3}"#)
    /// `[` + the middle record + `]`, the middle being a slice of `shared`.
    static let page = HTTPBody(parts: [Fixture.bytes("[")[...], shared[8..<15], Fixture.bytes("]")[...]])

    @Test func partsJoinToTheBytesInOrder() {
        #expect(Self.page.bytes == Fixture.bytes(#"[{"b":2}]"#))
        #expect(Self.page.count == 9)
        #expect(Self.page.parts.count == 3)
    }

    @Test func emptyPartsAreDropped() {
        let body = HTTPBody(parts: [[][...], Fixture.bytes("x")[...], [][...]])
        #expect(body.parts == [Fixture.bytes("x")[...]])
        #expect(body.count == 1)
        #expect(HTTPBody().isEmpty && HTTPBody().parts.isEmpty)
    }

    @Test func equalityComparesBytesNotHowTheyAreSplit() {
        #expect(Self.page == HTTPBody(Fixture.bytes(#"[{"b":2}]"#)))
        #expect(Self.page != HTTPBody(Fixture.bytes(#"[{"b":3}]"#)))
        #expect(Self.page != HTTPBody(Fixture.bytes(#"[{"b":2}"#)))
    }

    @Test(arguments: [0, 1, 4, 8, 9, 50])
    func prefixCutsAcrossParts(length: Int) {
        let expected = Array(Fixture.bytes(#"[{"b":2}]"#).prefix(length))
        #expect(Self.page.prefix(length).bytes == expected)
        #expect(Self.page.prefix(length).count == expected.count)
    }

    @Test func aResponseWithABodyInPiecesIsSerializedWhole() {
        let bytes = HTTPResponse.json(.ok, Self.page).serialized(
            date: HTTPResponseTests.date, connection: .keepAlive(idleTimeout: 60))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Length: 9\r\nKeep-Alive: timeout=60\r\n\r\n[{\"b\":2}]")
    }
}
