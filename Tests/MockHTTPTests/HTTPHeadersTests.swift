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

    @Test func trimmingRemovesOnlyOuterSpacesAndTabs() {
        #expect(" \t a b \t ".trimmingASCIIWhitespace() == "a b")
        #expect("\na\n".trimmingASCIIWhitespace() == "\na\n")
        #expect("   ".trimmingASCIIWhitespace() == "")
    }
}
