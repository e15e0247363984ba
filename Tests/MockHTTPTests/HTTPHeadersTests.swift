import Testing

@testable import MockHTTP

/// `HTTPHeaders`: an ordered field list with case-insensitive lookup.
@Suite struct HTTPHeadersTests {
    static let sample = HTTPHeaders([
        ("Content-Type", "application/json"), ("X-Trace", "a"), ("Connection", " Keep-Alive , Upgrade"),
        ("x-trace", "b"), ("CONNECTION", "CLOSE,, "),
    ])

    @Test func lookupIgnoresTheCaseOfTheName() {
        #expect(Self.sample["content-type"] == "application/json")
        #expect(Self.sample["CONTENT-TYPE"] == "application/json")
        #expect(Self.sample["Content-Length"] == nil)
    }

    @Test func subscriptGivesTheFirstOfRepeatedFields() {
        #expect(Self.sample["X-TRACE"] == "a")
    }

    @Test func valuesGivesEveryRepeatedFieldInOrder() {
        #expect(Self.sample.values(for: "x-trace") == ["a", "b"])
        #expect(Self.sample.values(for: "Missing") == [])
    }

    @Test func containsIgnoresTheCaseOfTheName() {
        #expect(Self.sample.contains("x-TRACE"))
        #expect(!Self.sample.contains("X-Trac"))
        #expect(!Self.sample.contains("X-Trace2"))
    }

    @Test func tokensAreSplitOnCommasTrimmedLowercasedAndEmptyOnesDropped() {
        #expect(Self.sample.tokens(for: "connection") == ["keep-alive", "upgrade", "close"])
        #expect(Self.sample.tokens(for: "Missing") == [])
        #expect(HTTPHeaders([("TE", "\t,  ,\t")]).tokens(for: "te") == [])
    }

    @Test func iterationKeepsArrivalOrderAndNameSpelling() {
        #expect(Self.sample.map(\.name) == ["Content-Type", "X-Trace", "Connection", "x-trace", "CONNECTION"])
        #expect(Self.sample.count == 5)
    }

    @Test func addAppendsEvenWhenTheNameIsPresent() {
        var headers = HTTPHeaders([("A", "1")])
        headers.add(name: "a", value: "2")
        #expect(headers == HTTPHeaders([("A", "1"), ("a", "2")]))
    }

    @Test func replaceOrAddRemovesEveryFieldOfThatNameAndAppendsOne() {
        var headers = Self.sample
        headers.replaceOrAdd(name: "X-TRACE", value: "c")
        #expect(
            headers
                == HTTPHeaders([
                    ("Content-Type", "application/json"), ("Connection", " Keep-Alive , Upgrade"),
                    ("CONNECTION", "CLOSE,, "), ("X-TRACE", "c"),
                ]))
    }

    @Test func replaceOrAddAddsAFieldThatIsMissing() {
        var headers = HTTPHeaders([("A", "1")])
        headers.replaceOrAdd(name: "B", value: "2")
        #expect(headers == HTTPHeaders([("A", "1"), ("B", "2")]))
    }

    @Test func equalityComparesOrderNamesAndValuesExactly() {
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) == HTTPHeaders([("A", "1"), ("B", "2")]))
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) != HTTPHeaders([("B", "2"), ("A", "1")]))
        #expect(HTTPHeaders([("A", "1")]) != HTTPHeaders([("a", "1")]))
        #expect(HTTPHeaders([("A", "1")]) != HTTPHeaders([("A", "1"), ("A", "1")]))
    }

    @Test func asciiCaseInsensitiveComparisonFoldsOnlyLetters() {
        #expect("Content-Length".equalsIgnoringASCIICase("cONTENT-lENGTH"))
        #expect(!"Content-Length".equalsIgnoringASCIICase("Content-Lengt"))
        #expect(!"@".equalsIgnoringASCIICase("`"))
        #expect(!"[".equalsIgnoringASCIICase("{"))
        #expect(!"Ä".equalsIgnoringASCIICase("ä"))
        #expect("".equalsIgnoringASCIICase(""))
    }

    /// Lookups skip names of a length no field has; names of 63 bytes or more share one length bit, so
    /// they are told apart by comparing, as are names of one length.
    @Test func lookupsFindEveryNameWhateverTheLengthsAdded() {
        let long = String(repeating: "x", count: 70)
        var headers = HTTPHeaders([("Host", "a"), (long, "l")])
        headers.add(name: "Expect", value: "100-continue")
        headers.replaceOrAdd(name: "host", value: "b")
        #expect(headers["HOST"] == "b")
        #expect(headers["Expect"] == "100-continue")
        #expect(headers[long.uppercased()] == "l")
        #expect(headers[String(repeating: "x", count: 64)] == nil)
        #expect(headers["Hosts"] == nil)
        #expect(headers["Prefer"] == nil)  // six bytes, as Expect is
        #expect(!headers.contains("Transfer-Encoding"))
        #expect(headers.values(for: "expect") == ["100-continue"])
        #expect(HTTPHeaders()["Host"] == nil)
    }

    @Test func countOfCountsEveryFieldOfTheNameWhateverItsCase() {
        #expect(Self.sample.count(of: "X-TRACE") == 2)
        #expect(Self.sample.count(of: "content-type") == 1)
        #expect(Self.sample.count(of: "Content-Length") == 0)
    }

    @Test func withFirstValueHandsOutTheFirstValuesBytes() {
        #expect(Self.sample.withFirstValue(for: "x-trace") { Array($0) } == Array("a".utf8))
        #expect(Self.sample.withFirstValue(for: "Connection") { Array($0) } == Array(" Keep-Alive , Upgrade".utf8))
        #expect(Self.sample.withFirstValue(for: "Missing") { Array($0) } == nil)
    }

    /// A parsed head's fields are spans of its header section, with the bytes between them (`: `, CRLF)
    /// in the same storage: they compare, iterate and write out as the same fields built one by one.
    @Test func fieldsOfAParsedSectionEqualTheSameFieldsAdded() {
        let section = Array("Host: a\r\nX-Trace:  b c \r\n".utf8)
        let parsed = HTTPHeaders(
            section: section, spans: [.init(name: 0..<4, value: 6..<7), .init(name: 9..<16, value: 19..<22)])
        let built = HTTPHeaders([("Host", "a"), ("X-Trace", "b c")])
        #expect(parsed == built)
        #expect(parsed.map(\.value) == ["a", "b c"])
        #expect(parsed.storedByteCount == section.count)
        #expect(built.storedByteCount == "Hosta".utf8.count + "X-Traceb c".utf8.count)
        var head: [UInt8] = []
        parsed.appendFieldLines(to: &head)
        #expect(String(decoding: head, as: UTF8.self) == "Host: a\r\nX-Trace: b c\r\n")
        #expect(parsed != HTTPHeaders([("Host", "a"), ("X-Trace", "b")]))
    }

    /// Values are kept as sent; one that is not UTF-8 (obs-text) reads with U+FFFD for its bad bytes.
    @Test func aValueThatIsNotUTF8ReadsWithReplacementCharacters() {
        let parsed = HTTPHeaders(
            section: [UInt8(ascii: "A"), 0xFF, UInt8(ascii: "b")], spans: [.init(name: 0..<1, value: 1..<3)])
        #expect(parsed["a"] == "\u{FFFD}b")
        #expect(parsed.withFirstValue(for: "A") { Array($0) } == [0xFF, UInt8(ascii: "b")])
    }

    @Test func trimmingRemovesOnlyOuterSpacesAndTabs() {
        #expect(" \t a b \t ".trimmingASCIIWhitespace() == "a b")
        #expect("\na\n".trimmingASCIIWhitespace() == "\na\n")
        #expect("   ".trimmingASCIIWhitespace() == "")
    }
}
