import Testing

@testable import MockHTTP

/// The request line, header fields, `Host`, keep-alive, pipelining and `Expect` of `HTTPRequestParser`.
@Suite struct HTTPRequestParserTests {
    // MARK: - Whole requests

    @Test func simpleGetIsReadWithHeadersInOrderAndDuplicatesKept() throws {
        let input = Fixture.bytes(
            "GET /api/v1/workspaces?limit=5&offset=10 HTTP/1.1\r\n"
                + "Host: example.com\r\n"
                + "Accept: */*\r\n"
                + "X-Trace: a\r\n"
                + "x-trace: b\r\n"
                + "\r\n")
        let (request, consumed) = try parseComplete(input)
        #expect(request.method == "GET")
        #expect(request.target == "/api/v1/workspaces?limit=5&offset=10")
        #expect(request.path == "/api/v1/workspaces")
        #expect(request.rawQuery == "limit=5&offset=10")
        #expect(request.minorVersion == 1)
        #expect(
            request.headers
                == HTTPHeaders([
                    ("Host", "example.com"), ("Accept", "*/*"), ("X-Trace", "a"), ("x-trace", "b"),
                ]))
        #expect(request.headers.values(for: "X-TRACE") == ["a", "b"])
        #expect(request.body == [])
        #expect(consumed == input.count)
        #expect(input.count == 109)
    }

    /// Methods are case-sensitive tokens, kept exactly as sent, whether or not the mock serves them.
    @Test(arguments: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "GETS", "BREW", "M-SEARCH"])
    func theMethodIsKeptAsSent(method: String) throws {
        let (request, _) = try parseComplete(Fixture.request("\(method) /a HTTP/1.1"))
        #expect(request.method == method)
    }

    @Test func targetWithoutQueryHasEmptyRawQuery() throws {
        let (request, _) = try parseComplete(Fixture.request("GET /api/v1/workspaces HTTP/1.1"))
        #expect(request.path == "/api/v1/workspaces")
        #expect(request.rawQuery == "")
        #expect(request.query.isEmpty)
    }

    @Test func headerValueIsTrimmedOfOuterSpacesAndTabsButKeepsInnerOnes() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: a", "X-Value: \t a  \tb \t "]))
        #expect(request.headers["x-value"] == "a  \tb")
    }

    @Test func headerValueMayBeEmpty() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: a", "X-Empty:", "X-Blank:   "]))
        #expect(request.headers.values(for: "X-Empty") == [""])
        #expect(request.headers.values(for: "X-Blank") == [""])
    }

    @Test func headerValueWithUTF8BytesIsKept() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: a", "X-Name: Zoë €"]))
        #expect(request.headers["X-Name"] == "Zoë €")
    }

    @Test func twoPipelinedRequestsInOneBufferAreReadOneAfterTheOther() throws {
        let first = Fixture.request("POST /a HTTP/1.1", headers: ["Host: a", "Content-Length: 5"], body: "hello")
        let second = Fixture.request("GET /b?x=1 HTTP/1.1", headers: ["Host: b"])
        let buffer = first + second

        let (request1, consumed1) = try parseComplete(buffer)
        #expect(consumed1 == first.count)
        #expect(consumed1 == 53)
        #expect(request1.method == "POST")
        #expect(request1.target == "/a")
        #expect(request1.body == Fixture.bytes("hello"))

        let (request2, consumed2) = try parseComplete(Array(buffer[consumed1...]))
        #expect(consumed2 == second.count)
        #expect(request2.method == "GET")
        #expect(request2.target == "/b?x=1")
        #expect(request2.headers["Host"] == "b")
    }

    @Test func pipelinedRequestIsReadFromARebasedSliceOfTheBuffer() throws {
        let first = Fixture.request("GET /a HTTP/1.1")
        let second = Fixture.request("GET /b HTTP/1.1")
        let buffer = first + second
        let outcome = try buffer.withUnsafeBufferPointer { whole throws(HTTPParseError) in
            try HTTPRequestParser().parse(UnsafeBufferPointer(rebasing: whole[first.count...]))
        }
        let (request, consumed) = try #require(outcome.completed)
        #expect(request.target == "/b")
        #expect(consumed == second.count)
    }

    @Test func secondRequestThatIsOnlyPartlyThereNeedsMore() throws {
        let first = Fixture.request("GET /a HTTP/1.1")
        let buffer = first + Fixture.bytes("GET /b HTTP/1.1\r\nHo")
        let (_, consumed) = try parseComplete(buffer)
        #expect(consumed == first.count)
        #expect(try HTTPRequestParser().parse(Array(buffer[consumed...])).needMoreExpectingContinue == false)
    }

    @Test func requestFedOneByteAtATimeNeedsMoreForEveryPrefixAndCompletesAtTheEnd() throws {
        let input = Fixture.request(
            "POST /api/v1/items?x=1 HTTP/1.1", headers: ["Host: example.com", "Content-Length: 11", "X-A: 1"],
            body: "hello world")
        let request = try expectCompleteOnlyAtTheEnd(input)
        #expect(request.body == Fixture.bytes("hello world"))
        #expect(request.headers.count == 3)
    }

    @Test func emptyBufferNeedsMore() throws {
        #expect(try HTTPRequestParser().parse([]).needMoreExpectingContinue == false)
    }

    // MARK: - Line endings

    @Test func leadingEmptyLinesBeforeTheRequestLineAreSkippedAndCountedAsConsumed() throws {
        let input = Fixture.bytes("\r\n\r\n\n") + Fixture.request("GET /x HTTP/1.1")
        let (request, consumed) = try parseComplete(input)
        #expect(request.method == "GET")
        #expect(request.target == "/x")
        #expect(consumed == input.count)
    }

    @Test func onlyEmptyLinesNeedMore() throws {
        #expect(try HTTPRequestParser().parse(Fixture.bytes("\r\n\r\n\n")).needMoreExpectingContinue == false)
    }

    @Test func bareCRBeforeTheRequestLineIs400() {
        expectRejection(Fixture.bytes("\r") + Fixture.request(), .malformedHeader, status: 400)
        expectRejection(Fixture.bytes("\r\n\r") + Fixture.request(), .malformedHeader, status: 400)
    }

    @Test func bareLFLineEndingsAreAccepted() throws {
        let input = Fixture.bytes("POST /x HTTP/1.1\nHost: a\nContent-Length: 2\nX-A: 1\n\nhi")
        let (request, consumed) = try parseComplete(input)
        #expect(request.target == "/x")
        #expect(request.headers == HTTPHeaders([("Host", "a"), ("Content-Length", "2"), ("X-A", "1")]))
        #expect(request.body == Fixture.bytes("hi"))
        #expect(consumed == input.count)
    }

    @Test func mixedCRLFAndBareLFLineEndingsAreAccepted() throws {
        let input = Fixture.bytes("GET / HTTP/1.1\r\nHost: a\nX-A: 1\r\n\n")
        let (request, consumed) = try parseComplete(input)
        #expect(request.headers == HTTPHeaders([("Host", "a"), ("X-A", "1")]))
        #expect(consumed == input.count)
    }

    @Test func lineWhoseCRHasArrivedButNotItsLFNeedsMore() throws {
        #expect(try HTTPRequestParser().parse(Fixture.bytes("GET / HTTP/1.1\r")).needMoreExpectingContinue == false)
        #expect(
            try HTTPRequestParser().parse(Fixture.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r")).needMoreExpectingContinue
                == false)
    }

    @Test(arguments: [
        "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n",
    ])
    func bareCRInsideALineIs400(input: String) {
        expectRejection(Fixture.bytes(input), .malformedHeader, status: 400)
    }

    @Test func bareCRIsRejectedBeforeTheLineEnds() {
        expectRejection(Fixture.bytes("GET / HTTP/1.1\r\nHost: a\rX"), .malformedHeader, status: 400)
    }

    // MARK: - Header fields

    @Test(arguments: [" continued", "\tcontinued"])
    func obsFoldIs400(foldedLine: String) {
        expectRejection(Fixture.request(headers: ["Host: a", "X-A: 1", foldedLine]), .malformedHeader, status: 400)
    }

    @Test func whitespaceBeforeTheFirstHeaderFieldIs400() {
        expectRejection(Fixture.request(headers: [" Host: a"]), .malformedHeader, status: 400)
    }

    @Test(arguments: ["Host : a", "Host\t: a"])
    func whitespaceBetweenHeaderNameAndColonIs400(line: String) {
        expectRejection(Fixture.request(headers: [line]), .malformedHeader, status: 400)
    }

    @Test(arguments: ["\u{0}", "\u{1}", "\u{1B}", "\u{7F}", "\u{0B}", "\u{0C}"])
    func controlCharacterInHeaderValueIs400(control: String) {
        expectRejection(Fixture.request(headers: ["Host: a", "X-A: x\(control)y"]), .malformedHeader, status: 400)
    }

    @Test func tabInsideHeaderValueIsAccepted() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: a", "X-A: x\ty"]))
        #expect(request.headers["X-A"] == "x\ty")
    }

    @Test func headerLineWithoutColonIs400() {
        expectRejection(Fixture.request(headers: ["Host: a", "X-No-Colon value"]), .malformedHeader, status: 400)
    }

    @Test func emptyHeaderNameIs400() {
        expectRejection(Fixture.request(headers: ["Host: a", ": value"]), .malformedHeader, status: 400)
    }

    @Test(arguments: ["X(A): 1", "X@A: 1", "X/A: 1", "X\"A: 1", "Zoë: 1"])
    func headerNameWithANonTokenCharacterIs400(line: String) {
        expectRejection(Fixture.request(headers: ["Host: a", line]), .malformedHeader, status: 400)
    }

    /// The bit set behind `isTokenCharacter` holds exactly RFC 9110 §5.6.2's `tchar`, checked on all 256
    /// bytes against the rule's own list.
    @Test func tokenCharactersAreExactlyThoseOfRFC9110() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        let mismatched = (0...255).map(UInt8.init).filter { $0.isTokenCharacter != tchar.contains($0) }
        #expect(mismatched == [])
    }

    @Test func colonInsideHeaderValueIsKept() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: example.com:8080"]))
        #expect(request.headers["Host"] == "example.com:8080")
    }

    // MARK: - Host

    @Test func http11WithoutHostIs400() {
        expectRejection(Fixture.request(headers: ["Accept: */*"]), .missingHost, status: 400)
    }

    @Test func twoHostHeadersAre400() {
        expectRejection(Fixture.request(headers: ["Host: a", "Host: a"]), .missingHost, status: 400)
        expectRejection(Fixture.request("GET / HTTP/1.0", headers: ["Host: a", "host: b"]), .missingHost, status: 400)
    }

    @Test func http10WithoutHostIsAccepted() throws {
        let (request, _) = try parseComplete(Fixture.request("GET / HTTP/1.0", headers: []))
        #expect(request.minorVersion == 0)
        #expect(request.headers.count == 0)
    }

    @Test func hostIsFoundWhateverTheCaseOfItsName() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["hOsT: a"]))
        #expect(request.headers["Host"] == "a")
    }

    /// RFC 9112 §3.2: `Host` is RFC 3986's `uri-host [":" port]`. Quotes, `$`, parentheses and `;` are
    /// sub-delims, so a valid host may hold them: what is built from it must quote it.
    @Test(arguments: [
        "example.com", "EXAMPLE.com:8080", "example.com:", "127.0.0.1:65535", "localhost:0", "[::1]", "[::1]:8080",
        "[::1]:",
        "[2001:db8::1]", "[::ffff:192.0.2.1]:80", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6::]", "[::]", "[v1.fe80::a+en1]",
        "xn--bcher-kva.example", "%41%62", "_svc-1.local~", "h$(id)", "a'b", "x;y&z=1,!*+",
    ])
    func validHostIsAccepted(host: String) throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: \(host)"]))
        #expect(request.headers["Host"] == host)
        #expect(request.authority == host)
    }

    @Test func emptyHostIsAcceptedAndNamesNoAuthority() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host:"]))
        #expect(request.headers["Host"] == "")
        #expect(request.authority == nil)
    }

    @Test(arguments: [
        "a b", "h`id`", "x\"y", "a\\b", "a/b", "a?b", "a#b", "user@host", "host:port", "host:65536", "host:123456",
        ":80", "[::1", "[::1]x", "[]", "[::g]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[:::]",
        "[fe80::1%25eth0]", "[1.2.3.4]", "[::1.2.3.256]", "[v1.]", "[vx.a]", "zoë.example", "%zz", "%4", "a:1:2",
        "a<b>", "{a}", "a|b", "a^b",
    ])
    func invalidHostIs400(host: String) {
        expectRejection(Fixture.request(headers: ["Host: \(host)"]), .invalidHost, status: 400)
    }

    @Test func invalidHostIs400InHTTP10Too() {
        expectRejection(Fixture.request("GET / HTTP/1.0", headers: ["Host: a b"]), .invalidHost, status: 400)
    }

    // MARK: - Request line

    @Test(arguments: ["get", "M-SEARCH", "PROPFIND", "X!#$%&'*+.^_`|~1"])
    func unusualMethodTokensAreAcceptedAsSent(method: String) throws {
        let (request, _) = try parseComplete(Fixture.request("\(method) /x HTTP/1.1"))
        #expect(request.method == method)
    }

    @Test(arguments: ["GE(T", "GE/T", "GÉT", "GE:T"])
    func methodWithANonTokenCharacterIs400(method: String) {
        expectRejection(Fixture.request("\(method) / HTTP/1.1"), .malformedRequestLine, status: 400)
    }

    @Test(arguments: ["GET  / HTTP/1.1", "GET /  HTTP/1.1", " GET / HTTP/1.1", "GET / HTTP/1.1 ", "GET\t/ HTTP/1.1"])
    func requestLineWithExtraOrOtherWhitespaceIs400(line: String) {
        expectRejection(Fixture.request(line), .malformedRequestLine, status: 400)
    }

    @Test(arguments: ["GET /", "GET / ", "GET", ""])
    func requestLineWithoutVersionIs400(line: String) {
        expectRejection(Fixture.request(line), .malformedRequestLine, status: 400)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/1.9", "HTTP/0.9", "HTTP/3.0"])
    func wellFormedVersionOtherThan10Or11Is505(version: String) {
        expectRejection(Fixture.request("GET / \(version)"), .unsupportedVersion, status: 505)
    }

    @Test(arguments: ["FOO/1.1", "http/1.1", "HTTP/1.10", "HTTP/11", "HTTP/1", "HTTP/a.b", "HTTP/1,1", "HTTP 1.1"])
    func malformedVersionIs400(version: String) {
        expectRejection(Fixture.request("GET / \(version)"), .malformedRequestLine, status: 400)
    }

    @Test func http10RequestHasMinorVersion0() throws {
        let (request, _) = try parseComplete(Fixture.request("GET / HTTP/1.0", headers: []))
        #expect(request.minorVersion == 0)
    }

    /// The word-at-a-time check of a field value agrees with the byte-by-byte rule for every byte value at
    /// every place in the word (and in the bytes after the last whole word), among allowed bytes that
    /// come near the edges the word test computes with (a tab, a space, `~`, 0x80, 0xFF).
    @Test func fieldValueBytesAreCheckedAsEachByteWould() {
        let allowed: [UInt8] = [0x09, 0x20, 0x7E, 0x80, 0xFF, 0x21, 0x41]
        for byte in UInt8.min...UInt8.max {
            for place in 0..<19 {
                var value = (0..<19).map { allowed[$0 % allowed.count] }
                value[place] = byte
                let bytes = [UInt8(ascii: "x")] + value
                let agrees = bytes.withUnsafeBufferPointer { buffer in
                    HTTPRequestParser.areFieldValueBytes(buffer, 1..<buffer.count) == byte.isFieldValueByte
                }
                #expect(agrees, "byte \(byte) at \(place)")
            }
        }
    }

    @Test(arguments: [[0xC3, 0xA9] as [UInt8], [0x80], [0xFF], [0x01], [0x7F]])
    func nonASCIIOrControlByteInTheTargetIs400(bad: [UInt8]) {
        let input = Fixture.bytes("GET /caf") + bad + Fixture.bytes(" HTTP/1.1\r\nHost: a\r\n\r\n")
        expectRejection(input, .malformedRequestLine, status: 400)
    }

    @Test(arguments: [
        ("http://example.com/api/v1/workspaces?x=1", "/api/v1/workspaces?x=1"),
        ("HTTPS://example.com:8443/a/b", "/a/b"),
        ("http://example.com", "/"),
        ("http://example.com?x=1", "/?x=1"),
    ])
    func absoluteFormTargetIsReducedToOriginForm(sent: String, expected: String) throws {
        let (request, _) = try parseComplete(Fixture.request("GET \(sent) HTTP/1.1"))
        #expect(request.target == expected)
    }

    @Test func absoluteFormTargetGivesPathAndQueryOfItsOriginForm() throws {
        let (request, _) = try parseComplete(
            Fixture.request("GET http://example.com/api/v1/workspaces?x=1 HTTP/1.1"))
        #expect(request.path == "/api/v1/workspaces")
        #expect(request.rawQuery == "x=1")
    }

    @Test(arguments: ["ftp://example.com/", "api/v1", "example.com/x", "?x=1", "http:/x", "example.com:443"])
    func targetNeitherOriginNorHTTPAbsoluteFormIs400(target: String) {
        expectRejection(Fixture.request("GET \(target) HTTP/1.1"), .malformedRequestLine, status: 400)
    }

    /// RFC 9112 §3.2.2: the authority of an absolute-form target replaces `Host`.
    @Test(arguments: [
        ("http://example.com:8080/x?y=1", "example.com:8080"), ("HTTPS://[::1]:8443", "[::1]:8443"),
        ("http://a'b?x", "a'b"),
    ])
    func absoluteFormTargetKeepsItsAuthority(sent: String, authority: String) throws {
        let (request, _) = try parseComplete(Fixture.request("GET \(sent) HTTP/1.1", headers: ["Host: other:1"]))
        #expect(request.targetAuthority == authority)
        #expect(request.authority == authority)
    }

    @Test func originFormTargetHasNoTargetAuthorityAndTakesHost() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: [::1]:8080"]))
        #expect(request.targetAuthority == nil)
        #expect(request.authority == "[::1]:8080")
        #expect(!request.receivedOverTLS)
    }

    /// RFC 9110 §4.2.1 (an empty host is invalid) and §4.2.4 (userinfo is an error).
    @Test(arguments: [
        "http:///x", "http://", "http://?x=1", "http://user@example.com/", "http://[::1/x", "http://a:b/",
    ])
    func absoluteFormTargetWithoutAValidAuthorityIs400(target: String) {
        expectRejection(Fixture.request("GET \(target) HTTP/1.1"), .malformedRequestLine, status: 400)
    }

    /// RFC 9112 §3.2.3: authority-form is CONNECT's only form; this server is not a proxy, so a
    /// well-formed CONNECT gets 501.
    @Test func connectWithAnAuthorityFormTargetIs501() {
        expectRejection(
            Fixture.request("CONNECT example.com:443 HTTP/1.1", headers: ["Host: example.com:443"]),
            .methodNotImplemented, status: 501)
    }

    @Test(arguments: ["/", "*", "http://example.com:443/", "example.com", "example.com:", "a b:1"])
    func connectWithAnotherFormOfTargetIs400(target: String) {
        expectRejection(Fixture.request("CONNECT \(target) HTTP/1.1"), .malformedRequestLine, status: 400)
    }

    @Test func optionsAsteriskIsAccepted() throws {
        let (request, _) = try parseComplete(Fixture.request("OPTIONS * HTTP/1.1"))
        #expect(request.method == "OPTIONS")
        #expect(request.target == "*")
        #expect(request.path == "*")
    }

    @Test func asteriskWithAnotherMethodIs400() {
        expectRejection(Fixture.request("GET * HTTP/1.1"), .malformedRequestLine, status: 400)
    }

    // MARK: - Keep-alive

    @Test func http11KeepsAliveByDefault() throws {
        let (request, _) = try parseComplete(Fixture.request())
        #expect(request.keepAlive)
    }

    @Test(arguments: [["close"], ["Close"], ["keep-alive, close"], ["Keep-Alive ,  CLOSE"], ["keep-alive", "close"]])
    func http11WithCloseAmongConnectionTokensDoesNotKeepAlive(connection: [String]) throws {
        let headers = ["Host: a"] + connection.map { "Connection: \($0)" }
        let (request, _) = try parseComplete(Fixture.request(headers: headers))
        #expect(!request.keepAlive)
    }

    @Test func http11WithOtherConnectionTokensKeepsAlive() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: a", "Connection: upgrade, closed"]))
        #expect(request.keepAlive)
    }

    @Test func http10ClosesByDefault() throws {
        let (request, _) = try parseComplete(Fixture.request("GET / HTTP/1.0", headers: []))
        #expect(!request.keepAlive)
    }

    @Test(arguments: ["keep-alive", "Keep-Alive", "upgrade, KEEP-ALIVE"])
    func http10WithConnectionKeepAliveKeepsAlive(connection: String) throws {
        let (request, _) = try parseComplete(Fixture.request("GET / HTTP/1.0", headers: ["Connection: \(connection)"]))
        #expect(request.keepAlive)
    }

    @Test func http10WithKeepAliveTogetherWithCloseDoesNotKeepAlive() throws {
        let (request, _) = try parseComplete(
            Fixture.request("GET / HTTP/1.0", headers: ["Connection: keep-alive, close"]))
        #expect(!request.keepAlive)
    }

    // MARK: - Expect

    @Test func expect100ContinueWithTheBodyNotYetSentNeedsMoreExpectingContinue() throws {
        let head = Fixture.request(
            "POST /x HTTP/1.1", headers: ["Host: a", "Content-Length: 5", "Expect: 100-continue"])
        #expect(try HTTPRequestParser().parse(head).needMoreExpectingContinue == true)
        #expect(try HTTPRequestParser().parse(head + Fixture.bytes("he")).needMoreExpectingContinue == true)
    }

    @Test func expect100ContinueIsOnlyReportedOnceTheHeadIsComplete() throws {
        let input = Fixture.request(
            "POST /x HTTP/1.1", headers: ["Host: a", "Expect: 100-continue", "Content-Length: 5"], body: "hello")
        let request = try expectCompleteOnlyAtTheEnd(input, continueAfter: input.count - 5)
        #expect(request.body == Fixture.bytes("hello"))
    }

    @Test func expect100ContinueWithTheBodyCompleteIsComplete() throws {
        let input = Fixture.request(
            "POST /x HTTP/1.1", headers: ["Host: a", "Content-Length: 5", "Expect: 100-Continue"], body: "hello")
        let (request, consumed) = try parseComplete(input)
        #expect(request.body == Fixture.bytes("hello"))
        #expect(consumed == input.count)
    }

    @Test func expect100ContinueWithoutABodyIsComplete() throws {
        let (request, _) = try parseComplete(Fixture.request(headers: ["Host: a", "Expect: 100-continue"]))
        #expect(request.body == [])
    }

    @Test func expect100ContinueInHTTP10IsIgnored() throws {
        let head = Fixture.request("POST /x HTTP/1.0", headers: ["Content-Length: 5", "Expect: 100-continue"])
        #expect(try HTTPRequestParser().parse(head).needMoreExpectingContinue == false)
    }

    @Test(arguments: ["something", "100-continue, foo", "200-ok"])
    func otherExpectationIs417(expectation: String) {
        expectRejection(
            Fixture.request("POST /x HTTP/1.1", headers: ["Host: a", "Content-Length: 0", "Expect: \(expectation)"]),
            .unsupportedExpectation, status: 417)
    }
}
