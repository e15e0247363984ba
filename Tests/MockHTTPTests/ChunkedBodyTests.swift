import Testing

@testable import MockHTTP

/// `Transfer-Encoding` (RFC 9112 §6.1) and chunked bodies (§7.1): decoded exactly, extensions and
/// trailers read and dropped, anything ambiguous rejected.
@Suite struct ChunkedBodyTests {
    static let head = Fixture.request("POST /x HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked"])

    static func post(transferEncoding: [String], extraHeaders: [String] = [], version: String = "HTTP/1.1") -> [UInt8] {
        Fixture.request(
            "POST /x \(version)",
            headers: ["Host: a"] + transferEncoding.map { "Transfer-Encoding: \($0)" } + extraHeaders,
            body: "5\r\nhello\r\n0\r\n\r\n")
    }

    // MARK: - Transfer-Encoding

    @Test func contentLengthTogetherWithTransferEncodingIs400() {
        expectRejection(
            Self.post(transferEncoding: ["chunked"], extraHeaders: ["Content-Length: 5"]), .conflictingFraming,
            status: 400)
        expectRejection(
            Fixture.request(
                "POST /x HTTP/1.1", headers: ["Host: a", "Content-Length: 5", "Transfer-Encoding: chunked"],
                body: "5\r\nhello\r\n0\r\n\r\n"),
            .conflictingFraming, status: 400)
    }

    @Test func transferEncodingOtherThanChunkedIs501() {
        expectRejection(Self.post(transferEncoding: ["gzip"]), .unsupportedTransferEncoding, status: 501)
        expectRejection(Self.post(transferEncoding: ["identity"]), .unsupportedTransferEncoding, status: 501)
    }

    @Test func chunkedAfterAnotherCodingIs501() {
        expectRejection(Self.post(transferEncoding: ["gzip, chunked"]), .unsupportedTransferEncoding, status: 501)
        expectRejection(Self.post(transferEncoding: ["gzip", "chunked"]), .unsupportedTransferEncoding, status: 501)
    }

    @Test func chunkedThatIsNotTheFinalCodingIs400() {
        expectRejection(Self.post(transferEncoding: ["chunked, gzip"]), .invalidChunk, status: 400)
        expectRejection(Self.post(transferEncoding: ["chunked", "gzip"]), .invalidChunk, status: 400)
    }

    @Test func chunkedAppliedTwiceIs501() {
        expectRejection(Self.post(transferEncoding: ["chunked, chunked"]), .unsupportedTransferEncoding, status: 501)
    }

    @Test func emptyTransferEncodingIs501() {
        expectRejection(Self.post(transferEncoding: [""]), .unsupportedTransferEncoding, status: 501)
    }

    @Test func transferEncodingInHTTP10Is501() {
        expectRejection(
            Self.post(transferEncoding: ["chunked"], version: "HTTP/1.0"), .unsupportedTransferEncoding, status: 501)
    }

    @Test(arguments: ["Chunked", "CHUNKED", " chunked ", "chunked,"])
    func chunkedIsRecognisedWhateverItsCaseAndSurroundingSpaces(coding: String) throws {
        let input = Self.post(transferEncoding: [coding])
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == Fixture.bytes("hello"))
        #expect(consumed == input.count)
    }

    // MARK: - Decoding

    @Test func severalChunksAreDecodedIntoOneBodyAndConsumedExactly() throws {
        let input = Self.head + Fixture.bytes("5\r\nhello\r\n6\r\n world\r\n1\r\n!\r\n0\r\n\r\n")
        let next = Fixture.request("GET /next HTTP/1.1")
        let (request, consumed) = try parseComplete(input + next)
        #expect(request.body == Fixture.bytes("hello world!"))
        #expect(consumed == input.count)
        #expect(consumed == Self.head.count + 32)
        #expect(request.headers["Transfer-Encoding"] == "chunked")
        let (second, _) = try parseComplete(Array((input + next)[consumed...]))
        #expect(second.target == "/next")
    }

    @Test func chunkWithCRLFAndBinaryBytesInItsDataIsReadByItsSize() throws {
        let data: [UInt8] = [0x0D, 0x0A, 0x30, 0x0D, 0x0A, 0x00, 0xFF]
        let input = Self.head + Fixture.bytes("7\r\n") + data + Fixture.bytes("\r\n0\r\n\r\n")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == data)
        #expect(consumed == input.count)
    }

    @Test func chunkExtensionsAreIgnored() throws {
        let input = Self.head + Fixture.bytes("5;name=value\r\nhello\r\n6 ; a=\"b;c\" ;d\r\n world\r\n0;last\r\n\r\n")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == Fixture.bytes("hello world"))
        #expect(consumed == input.count)
    }

    @Test func trailerFieldsAreReadAndDropped() throws {
        let input = Self.head + Fixture.bytes("5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
        let (request, consumed) = try parseComplete(input + Fixture.bytes("GET"))
        #expect(request.body == Fixture.bytes("hello"))
        #expect(consumed == input.count)
        #expect(!request.headers.contains("X-Checksum"))
        #expect(request.headers.count == 2)
    }

    @Test func emptyChunkedBodyIsJustTheLastChunk() throws {
        let input = Self.head + Fixture.bytes("0\r\n\r\n")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == [])
        #expect(consumed == input.count)
    }

    @Test(arguments: [("a", 10), ("A", 10), ("0005", 5), ("00000010", 16), ("1F", 31)])
    func chunkSizeIsHexadecimal(size: String, length: Int) throws {
        let data = String(repeating: "d", count: length)
        let (request, _) = try parseComplete(Self.head + Fixture.bytes("\(size)\r\n\(data)\r\n0\r\n\r\n"))
        #expect(request.body.count == length)
    }

    @Test func chunkedFramingWithBareLFIsAccepted() throws {
        let input = Self.head + Fixture.bytes("5\nhello\n0\nX-T: 1\n\n")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == Fixture.bytes("hello"))
        #expect(consumed == input.count)
    }

    @Test func chunkedRequestSplitAtEveryByteNeedsMoreUntilComplete() throws {
        let input = Self.head + Fixture.bytes("5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n")
        let request = try expectCompleteOnlyAtTheEnd(input)
        #expect(request.body == Fixture.bytes("hello world"))
    }

    @Test func chunkedBodyWithExpect100ContinueNeedsMoreExpectingContinue() throws {
        let head = Fixture.request(
            "POST /x HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chunked", "Expect: 100-continue"])
        #expect(try HTTPRequestParser().parse(head).needMoreExpectingContinue == true)
        #expect(try HTTPRequestParser().parse(head + Fixture.bytes("5\r\nhel")).needMoreExpectingContinue == true)
    }

    // MARK: - Malformed chunks

    @Test(arguments: ["zz", "", "123456789", "-5", " 5", "0x5", ";ext", "5 5", "+5"])
    func badChunkSizeIs400(size: String) {
        expectRejection(Self.head + Fixture.bytes("\(size)\r\nhello\r\n0\r\n\r\n"), .invalidChunk, status: 400)
    }

    @Test func chunkDataLongerThanDeclaredIs400() {
        expectRejection(Self.head + Fixture.bytes("3\r\nhello\r\n0\r\n\r\n"), .invalidChunk, status: 400)
    }

    @Test func chunkDataLongerThanDeclaredIs400BeforeAnyLFArrives() {
        expectRejection(Self.head + Fixture.bytes("3\r\nhello"), .invalidChunk, status: 400)
    }

    @Test func chunkDataFollowedByItsCROnlyNeedsMore() throws {
        let outcome = try HTTPRequestParser().parse(Self.head + Fixture.bytes("3\r\nabc\r"))
        #expect(outcome.needMoreExpectingContinue == false)
    }

    @Test func missingLastChunkNeedsMore() throws {
        #expect(
            try HTTPRequestParser().parse(Self.head + Fixture.bytes("5\r\nhello\r\n")).needMoreExpectingContinue
                == false)
    }

    @Test func missingEmptyLineAfterTheLastChunkNeedsMore() throws {
        #expect(
            try HTTPRequestParser().parse(Self.head + Fixture.bytes("0\r\nX-T: 1\r\n")).needMoreExpectingContinue
                == false)
    }

    @Test(arguments: ["X-No-Colon", " folded", "X-A : 1", "X-A: \u{1}"])
    func malformedTrailerFieldIs400(line: String) {
        expectRejection(Self.head + Fixture.bytes("0\r\n\(line)\r\n\r\n"), .malformedHeader, status: 400)
    }

    @Test func bareCRInChunkFramingIs400() {
        expectRejection(Self.head + Fixture.bytes("5\rhello\r\n0\r\n\r\n"), .malformedHeader, status: 400)
    }
}
