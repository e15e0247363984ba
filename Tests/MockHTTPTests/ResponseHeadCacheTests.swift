import Testing

@testable import MockHTTP

/// `ResponseHeadCache`: one per loop, so that every connection on it (a new one per request included)
/// sends the head last written again for the same answer, and a new head when anything in it changes.
@Suite struct ResponseHeadCacheTests {
    static let date = "Sun, 06 Nov 1994 08:49:37 GMT"
    static let response = HTTPResponse.json(.ok, Array("{}".utf8))

    static func inputs(
        _ response: HTTPResponse = response, date: String = date,
        connection: HTTPResponse.Persistence = .keepAlive(idleTimeout: 60)
    ) -> ResponseHeadCache.Inputs {
        ResponseHeadCache.Inputs(response, date: date, connection: connection, minorVersion: 1)
    }

    /// The same storage handed out again, not an equal head built again.
    @Test func theSameInputsGetTheHeadAlreadyMade() {
        let cache = ResponseHeadCache()
        let first = cache.head(of: Self.response, Self.inputs())
        let again = cache.head(of: HTTPResponse.json(.ok, Array("{}".utf8)), Self.inputs())
        #expect(again == first)
        #expect(first.withUnsafeBufferPointer(\.baseAddress) == again.withUnsafeBufferPointer(\.baseAddress))
    }

    @Test func aChangeInTheDateTheLengthOrThePersistenceMakesANewHead() {
        let cache = ResponseHeadCache()
        let head = { (date: String, length: Int, closing: Bool) in
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: \(date)\r\nContent-Length: \(length)\r\n"
                + (closing ? "Connection: close\r\n" : "Keep-Alive: timeout=60\r\n") + "\r\n"
        }
        let text = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self) }
        #expect(text(cache.head(of: Self.response, Self.inputs())) == head(Self.date, 2, false))
        let next = "Sun, 06 Nov 1994 08:49:38 GMT"
        #expect(text(cache.head(of: Self.response, Self.inputs(date: next))) == head(next, 2, false))
        let longer = HTTPResponse.json(.ok, Array("{ }".utf8))
        #expect(text(cache.head(of: longer, Self.inputs(longer, date: next))) == head(next, 3, false))
        #expect(
            text(cache.head(of: longer, Self.inputs(longer, date: next, connection: .close))) == head(next, 3, true))
    }
}
