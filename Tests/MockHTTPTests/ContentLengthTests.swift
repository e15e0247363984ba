import Testing

@testable import MockHTTP

/// Bodies framed by `Content-Length` (RFC 9112 §6.3): one plain decimal value, read exactly.
@Suite struct ContentLengthTests {
    static func post(contentLength: [String], body: String = "") -> [UInt8] {
        Fixture.request(
            "POST /x HTTP/1.1", headers: ["Host: a"] + contentLength.map { "Content-Length: \($0)" }, body: body)
    }

    @Test func bodyIsExactlyContentLengthBytesAndTheRestIsLeftForTheNextRequest() throws {
        let first = Self.post(contentLength: ["5"], body: "hello")
        let (request, consumed) = try parseComplete(first + Fixture.bytes("GET / HTTP/1.1\r\n"))
        #expect(request.body == Fixture.bytes("hello"))
        #expect(consumed == first.count)
    }

    @Test func bodyBytesAreKeptAsSentIncludingCRLFAndNonUTF8() throws {
        let head = Self.post(contentLength: ["6"])
        let body: [UInt8] = [0x0D, 0x0A, 0x00, 0xFF, 0xC3, 0x28]
        let (request, consumed) = try parseComplete(head + body)
        #expect(request.body == body)
        #expect(consumed == head.count + 6)
    }

    @Test func requestWithoutContentLengthHasAnEmptyBody() throws {
        let head = Fixture.request("POST /x HTTP/1.1", headers: ["Host: a"])
        let (request, consumed) = try parseComplete(head + Fixture.bytes("hello"))
        #expect(request.body == [])
        #expect(consumed == head.count)
    }

    @Test func contentLengthZeroIsAnEmptyBody() throws {
        let input = Self.post(contentLength: ["0"])
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == [])
        #expect(consumed == input.count)
    }

    @Test func contentLengthWithLeadingZerosIsDecimal() throws {
        let (request, _) = try parseComplete(Self.post(contentLength: ["010"], body: "0123456789"))
        #expect(request.body.count == 10)
    }

    @Test func incompleteBodyNeedsMoreForEveryPrefix() throws {
        let request = try expectCompleteOnlyAtTheEnd(Self.post(contentLength: ["11"], body: "hello world"))
        #expect(request.body == Fixture.bytes("hello world"))
    }

    @Test(arguments: ["+5", "-1", "0x10", "1.0", "", "5 5", "1e3", "5,", ",5", "five", "\u{0663}", "\u{FF15}"])
    func contentLengthThatIsNotAPlainDecimalIs400(value: String) {
        expectRejection(Self.post(contentLength: [value], body: "hello"), .invalidContentLength, status: 400)
    }

    @Test func twoContentLengthFieldsWithDifferentValuesAre400() {
        expectRejection(Self.post(contentLength: ["5", "6"], body: "hello!"), .invalidContentLength, status: 400)
    }

    @Test func oneContentLengthFieldWithTwoDifferentValuesIs400() {
        expectRejection(Self.post(contentLength: ["5, 6"], body: "hello!"), .invalidContentLength, status: 400)
    }

    @Test func identicalContentLengthValuesInOneFieldAreOneLength() throws {
        let input = Self.post(contentLength: ["5, 5"], body: "hello")
        let (request, consumed) = try parseComplete(input + Fixture.bytes("GET"))
        #expect(request.body == Fixture.bytes("hello"))
        #expect(consumed == input.count)
    }

    @Test func identicalContentLengthFieldsAreOneLength() throws {
        let input = Self.post(contentLength: ["5", "5"], body: "hello")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == Fixture.bytes("hello"))
        #expect(consumed == input.count)
    }

    @Test func contentLengthIsFoundWhateverTheCaseOfItsName() throws {
        let input = Fixture.request("POST /x HTTP/1.1", headers: ["Host: a", "content-LENGTH: 2"], body: "hi")
        let (request, _) = try parseComplete(input)
        #expect(request.body == Fixture.bytes("hi"))
    }

    @Test func contentLengthInHTTP10IsRead() throws {
        let input = Fixture.request("POST /x HTTP/1.0", headers: ["Content-Length: 2"], body: "hi")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == Fixture.bytes("hi"))
        #expect(consumed == input.count)
    }
}
