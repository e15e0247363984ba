import Testing

@testable import MockHTTP

/// The size limits of `HTTPRequestParser`: each boundary is accepted, one byte (or field) more is the
/// matching status, whether or not the offending part has fully arrived.
@Suite struct HTTPRequestParserLimitsTests {
    /// A `GET` request line of exactly `length` bytes (CRLF not counted).
    static func requestLine(length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1"
    }

    /// A request whose head (request line through the final empty line) is exactly `length` bytes.
    static func request(headLength length: Int) -> [UInt8] {
        // "GET / HTTP/1.1\r\n" + "Host: a\r\n" + "X-Fill: …\r\n" + "\r\n" is 37 bytes plus the filling.
        let fill = String(repeating: "f", count: length - 37)
        let input = Fixture.request(headers: ["Host: a", "X-Fill: \(fill)"])
        precondition(input.count == length)
        return input
    }

    // MARK: - Request line (8 KiB)

    @Test func requestLineOfExactly8KiBIsAccepted() throws {
        let line = Self.requestLine(length: 8 * 1024)
        let (request, consumed) = try parseComplete(Fixture.request(line))
        #expect(request.target.utf8.count == 8 * 1024 - 13)
        #expect(consumed == 8 * 1024 + 2 + 19 + 2)
    }

    @Test func requestLineOver8KiBIs414() {
        expectRejection(Fixture.request(Self.requestLine(length: 8 * 1024 + 1)), .uriTooLong, status: 414)
    }

    @Test func requestLineOver8KiBIs414BeforeItsLFArrives() {
        let partial = Fixture.bytes("GET /" + String(repeating: "a", count: 8 * 1024 - 4))
        #expect(partial.count == 8 * 1024 + 1)
        expectRejection(partial, .uriTooLong, status: 414)
    }

    @Test func requestLineOf8KiBWithoutItsLFYetNeedsMore() throws {
        let line = Fixture.bytes(Self.requestLine(length: 8 * 1024))
        #expect(try HTTPRequestParser().parse(line).needMoreExpectingContinue == false)
        #expect(try HTTPRequestParser().parse(line + Fixture.bytes("\r")).needMoreExpectingContinue == false)
    }

    @Test func requestLineOverTheLimitIs414EvenWhenTheHeadIsIncomplete() {
        let input = Fixture.bytes(Self.requestLine(length: 8 * 1024 + 1) + "\r\nHost: a\r\n")
        expectRejection(input, .uriTooLong, status: 414)
    }

    @Test func requestLineLimitDoesNotCountLeadingEmptyLines() throws {
        let input = Fixture.bytes("\r\n\r\n") + Fixture.request(Self.requestLine(length: 8 * 1024))
        let (_, consumed) = try parseComplete(input)
        #expect(consumed == input.count)
    }

    @Test func emptyLinesBeforeTheRequestLineBeyondTheRequestLineLimitAre400() throws {
        let newlines = Fixture.bytes(String(repeating: "\r\n", count: 4 * 1024))
        #expect(try HTTPRequestParser().parse(newlines).needMoreExpectingContinue == false)
        expectRejection(newlines + Fixture.bytes("\n"), .malformedRequestLine, status: 400)
        expectRejection(newlines + Fixture.bytes("\n") + Fixture.request(), .malformedRequestLine, status: 400)
    }

    // MARK: - Header section (32 KiB, 100 fields)

    @Test func headOfExactly32KiBIsAccepted() throws {
        let input = Self.request(headLength: 32 * 1024)
        let (_, consumed) = try parseComplete(input)
        #expect(consumed == 32 * 1024)
    }

    @Test func headOver32KiBIs431() {
        expectRejection(Self.request(headLength: 32 * 1024 + 1), .headersTooLarge, status: 431)
    }

    @Test func headOver32KiBIs431BeforeItsEndArrives() {
        let partial = Array(Self.request(headLength: 40 * 1024).prefix(32 * 1024 + 1))
        expectRejection(partial, .headersTooLarge, status: 431)
        // Without a single LF after the request line: one endless header line.
        let endless = Fixture.bytes("GET / HTTP/1.1\r\nX-A: " + String(repeating: "x", count: 32 * 1024))
        expectRejection(endless, .headersTooLarge, status: 431)
    }

    @Test func prefixOfAHeadWithinTheLimitNeedsMore() throws {
        let input = Self.request(headLength: 32 * 1024)
        #expect(try HTTPRequestParser().parse(Array(input.dropLast())).needMoreExpectingContinue == false)
    }

    @Test func oneHundredHeaderFieldsAreAccepted() throws {
        let headers = ["Host: a"] + (1..<100).map { "X-\($0): \($0)" }
        let (request, _) = try parseComplete(Fixture.request(headers: headers))
        #expect(request.headers.count == 100)
        #expect(request.headers["X-99"] == "99")
    }

    @Test func oneHundredAndOneHeaderFieldsAre431() {
        let headers = ["Host: a"] + (1...100).map { "X-\($0): \($0)" }
        expectRejection(Fixture.request(headers: headers), .headersTooLarge, status: 431)
    }

    // MARK: - Body (1 MiB)

    @Test func contentLengthOf1MiBIsAccepted() throws {
        let body = String(repeating: "b", count: 1024 * 1024)
        let input = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Content-Length: 1048576"], body: body)
        let (request, consumed) = try parseComplete(input)
        #expect(request.body.count == 1024 * 1024)
        #expect(consumed == input.count)
    }

    @Test func contentLengthOver1MiBIs413BeforeTheBodyArrives() {
        let head = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Content-Length: 1048577"])
        expectRejection(head, .bodyTooLarge, status: 413)
    }

    @Test func contentLengthOf18DigitsIs413AndOf19DigitsIs400() {
        let eighteen = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Content-Length: 999999999999999999"])
        expectRejection(eighteen, .bodyTooLarge, status: 413)
        let nineteen = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Content-Length: 9999999999999999999"])
        expectRejection(nineteen, .invalidContentLength, status: 400)
    }

    @Test func chunkedBodyOf1MiBIsAccepted() throws {
        let half = String(repeating: "c", count: 512 * 1024)
        let input = Fixture.request(
            "POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"],
            body: "80000\r\n\(half)\r\n80000\r\n\(half)\r\n0\r\n\r\n")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body.count == 1024 * 1024)
        #expect(consumed == input.count)
    }

    @Test func chunkedBodyOver1MiBIs413() {
        let half = String(repeating: "c", count: 512 * 1024)
        let input = Fixture.request(
            "POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"],
            body: "80000\r\n\(half)\r\n80000\r\n\(half)\r\n1\r\n")
        expectRejection(input, .bodyTooLarge, status: 413)
    }

    @Test func singleChunkOver1MiBIs413AsSoonAsItsSizeIsRead() {
        let input = Fixture.request(
            "POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"], body: "100001\r\n")
        expectRejection(input, .bodyTooLarge, status: 413)
    }

    // MARK: - Custom limits

    @Test func customRequestLineLimitIsApplied() throws {
        let parser = Fixture.parser { $0.maxRequestLineBytes = 20 }
        _ = try parseComplete(Fixture.request(Self.requestLine(length: 20)), parser: parser)
        expectRejection(Fixture.request(Self.requestLine(length: 21)), .uriTooLong, status: 414, parser: parser)
        expectRejection(Fixture.bytes("GET /aaaaaaaaaaaaaaaa"), .uriTooLong, status: 414, parser: parser)
    }

    @Test func customHeaderSizeLimitIsApplied() throws {
        let parser = Fixture.parser { $0.maxHeaderBytes = 64 }
        _ = try parseComplete(Self.request(headLength: 64), parser: parser)
        expectRejection(Self.request(headLength: 65), .headersTooLarge, status: 431, parser: parser)
    }

    @Test func customHeaderCountLimitIsApplied() throws {
        let parser = Fixture.parser { $0.maxHeaderCount = 2 }
        _ = try parseComplete(Fixture.request(headers: ["Host: a", "X-A: 1"]), parser: parser)
        expectRejection(
            Fixture.request(headers: ["Host: a", "X-A: 1", "X-B: 2"]), .headersTooLarge, status: 431, parser: parser)
    }

    @Test func customBodyLimitIsAppliedToContentLength() throws {
        let parser = Fixture.parser { $0.maxBodyBytes = 10 }
        let (request, _) = try parseComplete(
            Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Content-Length: 10"], body: "0123456789"),
            parser: parser)
        #expect(request.body.count == 10)
        expectRejection(
            Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Content-Length: 11"]), .bodyTooLarge,
            status: 413, parser: parser)
    }

    @Test func customBodyLimitIsAppliedToTheSumOfTheChunks() throws {
        let parser = Fixture.parser { $0.maxBodyBytes = 10 }
        let head = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"])
        let (request, _) = try parseComplete(
            head + Fixture.bytes("6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n"), parser: parser)
        #expect(request.body == Fixture.bytes("0123456789"))
        expectRejection(
            head + Fixture.bytes("6\r\n012345\r\n5\r\n"), .bodyTooLarge, status: 413, parser: parser)
    }

    @Test func trailerSectionOverTheHeaderLimitIs431() throws {
        let parser = Fixture.parser { $0.maxHeaderBytes = 80 }
        let head = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"])
        // Three 20-byte trailer lines and the final CRLF make 62 bytes; four make 82.
        let line = "X-T: " + String(repeating: "t", count: 13) + "\r\n"
        #expect(line.utf8.count == 20)
        let (request, _) = try parseComplete(
            head + Fixture.bytes("1\r\nx\r\n0\r\n" + String(repeating: line, count: 3) + "\r\n"), parser: parser)
        #expect(request.body == Fixture.bytes("x"))
        expectRejection(
            head + Fixture.bytes("1\r\nx\r\n0\r\n" + String(repeating: line, count: 4) + "\r\n"),
            .headersTooLarge, status: 431, parser: parser)
    }

    @Test func incompleteTrailerLineOverTheHeaderLimitIs431() {
        let parser = Fixture.parser { $0.maxHeaderBytes = 80 }
        let head = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"])
        expectRejection(
            head + Fixture.bytes("0\r\nX-T: " + String(repeating: "t", count: 80)), .headersTooLarge, status: 431,
            parser: parser)
    }

    @Test func chunkSizeLineLongerThanTheHeaderLimitIs400EvenBeforeItsLF() {
        let parser = Fixture.parser { $0.maxHeaderBytes = 64 }
        let head = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"])
        let longExtension = "5;ext=" + String(repeating: "e", count: 64)
        expectRejection(head + Fixture.bytes(longExtension), .invalidChunk, status: 400, parser: parser)
        expectRejection(
            head + Fixture.bytes(longExtension + "\r\nhello\r\n0\r\n\r\n"), .invalidChunk, status: 400, parser: parser)
    }

    @Test func chunkExtensionsOutweighingTheirDataAre400() throws {
        let head = Fixture.request("POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"])
        // Each 1-byte chunk carries a 1000-byte extension: the framing grows far faster than the data.
        let chunk = "1;e=" + String(repeating: "e", count: 1000) + "\r\nx\r\n"
        expectRejection(
            head + Fixture.bytes(String(repeating: chunk, count: 40) + "0\r\n\r\n"), .invalidChunk, status: 400)
        // Short extensions on 1-byte chunks are fine.
        let (request, _) = try parseComplete(
            head + Fixture.bytes(String(repeating: "1;a=b\r\nx\r\n", count: 5000) + "0\r\n\r\n"))
        #expect(request.body.count == 5000)
    }
}
