import Testing

@testable import MockHTTP

/// The parser's shortcut for common header names (`CommonFieldName`): every name is kept exactly as sent.
@Suite struct CommonFieldNameTests {
    @Test(arguments: [
        "Host", "host", "Accept", "accept", "User-Agent", "user-agent", "Connection", "connection", "Content-Type",
        "content-type", "Authorization", "authorization", "Content-Length", "content-length", "Accept-Encoding",
        "accept-encoding", "x-portkey-api-key",
    ])
    func aCommonNameIsItsLiteral(name: String) {
        #expect(Array(name.utf8).withUnsafeBufferPointer { CommonFieldName.literal(for: $0) } == name)
    }

    @Test(arguments: ["HOST", "Hosts", "Hos", "hosT", "X-Portkey-Api-Key", "Accept-Encodinf", "Content-Typ"])
    func anyOtherSpellingIsNoCommonName(name: String) {
        #expect(Array(name.utf8).withUnsafeBufferPointer { CommonFieldName.literal(for: $0) } == nil)
    }

    @Test func namesReachTheRequestAsSent() throws {
        let input = Fixture.bytes(
            "GET / HTTP/1.1\r\nhost: a\r\nX-Portkey-Api-Key: k\r\nx-portkey-api-key: l\r\nACCEPT: */*\r\n\r\n")
        let (request, _) = try parseComplete(input)
        #expect(
            request.headers
                == HTTPHeaders([
                    ("host", "a"), ("X-Portkey-Api-Key", "k"), ("x-portkey-api-key", "l"), ("ACCEPT", "*/*"),
                ]))
    }
}
