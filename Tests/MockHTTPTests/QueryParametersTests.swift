import Testing

@testable import MockHTTP

/// `application/x-www-form-urlencoded` decoding of the query: `+` and `%XX`, malformed escapes kept,
/// repeats kept in order.
@Suite struct QueryParametersTests {
    static func parse(_ query: Substring) -> [QueryParameters.Parameter] {
        Array(QueryParameters(parsing: query))
    }

    /// The single value of `name` in `query`.
    static func value(_ query: Substring, _ name: String = "q") -> [String] {
        QueryParameters(parsing: query).values(for: name)
    }

    @Test func plusIsASpace() {
        #expect(Self.value("q=a+b++c") == ["a b  c"])
    }

    @Test func percent20IsASpace() {
        #expect(Self.value("q=a%20b") == ["a b"])
    }

    @Test func percent2BIsAPlus() {
        #expect(Self.value("q=1%2B1") == ["1+1"])
        #expect(Self.value("q=1%2b1") == ["1+1"])
    }

    @Test func percentEscapesOfUTF8BytesDecodeToText() {
        #expect(Self.value("q=%E2%82%AC%20caf%c3%a9") == ["€ café"])
    }

    @Test(arguments: [
        ("q=%", "%"), ("q=%4", "%4"), ("q=a%4", "a%4"), ("q=%zz", "%zz"), ("q=%4g", "%4g"), ("q=%%41", "%A"),
        ("q=100%", "100%"), ("q=%+", "% "),
    ])
    func malformedPercentEscapeIsKeptLiterally(query: String, expected: String) {
        #expect(Self.value(Substring(query)) == [expected])
    }

    @Test func bytesThatAreNotUTF8BecomeReplacementCharacters() {
        #expect(Self.value("q=%FF") == ["\u{FFFD}"])
        #expect(Self.value("q=a%C3") == ["a\u{FFFD}"])
        #expect(Self.value("q=%C3%28") == ["\u{FFFD}("])
    }

    @Test func repeatedParametersAreKeptInOrder() {
        let query = QueryParameters(parsing: "tag=b&x=1&tag=a&tag=b")
        #expect(query.values(for: "tag") == ["b", "a", "b"])
        #expect(query.values(for: "x") == ["1"])
        #expect(query.values(for: "missing") == [])
    }

    @Test func parameterNamesAreCaseSensitive() {
        #expect(QueryParameters(parsing: "Limit=5").values(for: "limit") == [])
    }

    @Test func emptyPairsAreSkipped() {
        let parameters = Self.parse("&a=1&&b=2&")
        #expect(parameters.map(\.name) == ["a", "b"])
        #expect(parameters.map(\.value) == ["1", "2"])
    }

    @Test func nameWithoutEqualsHasAnEmptyValue() {
        let parameters = Self.parse("flag&a=1")
        #expect(parameters.map(\.name) == ["flag", "a"])
        #expect(parameters.map(\.value) == ["", "1"])
    }

    @Test func equalsWithoutNameHasAnEmptyName() {
        let parameters = Self.parse("=x")
        #expect(parameters.map(\.name) == [""])
        #expect(parameters.map(\.value) == ["x"])
    }

    @Test func onlyTheFirstEqualsSeparatesNameFromValue() {
        #expect(Self.value("q=a=b=c") == ["a=b=c"])
        #expect(Self.value("q=") == [""])
    }

    @Test func namesArePercentDecodedToo() {
        let parameters = Self.parse("a%20b+c=1&%3D=2")
        #expect(parameters.map(\.name) == ["a b c", "="])
        #expect(parameters.map(\.value) == ["1", "2"])
    }

    @Test func encodedAmpersandAndEqualsDoNotSplit() {
        let parameters = Self.parse("q=a%26b%3Dc")
        #expect(parameters.count == 1)
        #expect(parameters.first?.value == "a&b=c")
    }

    @Test func emptyQueryHasNoParameters() {
        #expect(QueryParameters(parsing: "").isEmpty)
        #expect(QueryParameters(parsing: "&&").isEmpty)
        #expect(!QueryParameters(parsing: "a").isEmpty)
    }

    @Test func parsedParametersEqualTheSameListBuiltByHand() {
        #expect(QueryParameters(parsing: "a=1&b=x+y") == QueryParameters([("a", "1"), ("b", "x y")]))
        #expect(QueryParameters(parsing: "b=2&a=1") != QueryParameters([("a", "1"), ("b", "2")]))
    }

    @Test func requestQueryDecodesTheRawQueryOfItsTarget() {
        let request = HTTPRequest(method: "GET", target: "/api/v1/workspaces?limit=5&name=a+b&name=%2B")
        #expect(request.rawQuery == "limit=5&name=a+b&name=%2B")
        #expect(request.query.values(for: "limit") == ["5"])
        #expect(request.query.values(for: "name") == ["a b", "+"])
    }

    @Test func onlyTheFirstQuestionMarkStartsTheQuery() {
        let request = HTTPRequest(method: "GET", target: "/p?a=1?b=2")
        #expect(request.path == "/p")
        #expect(request.rawQuery == "a=1?b=2")
        #expect(request.query.values(for: "a") == ["1?b=2"])
    }

    @Test func targetEndingInAQuestionMarkHasAnEmptyQuery() {
        let request = HTTPRequest(method: "GET", target: "/p?")
        #expect(request.path == "/p")
        #expect(request.rawQuery == "")
        #expect(request.query.isEmpty)
    }

    /// `mayContain(anyOf:)` looks at the decoded names' lengths only: false exactly when no name has the
    /// length of one asked about (names of 63 bytes or more share one length).
    @Test func mayContainTellsByTheDecodedNamesLengths() {
        let long = String(repeating: "n", count: 70)
        let query = QueryParameters(parsing: "page%5Fsize=5&\(long)=1"[...])
        #expect(query.mayContain(anyOf: ["page_size"]))
        #expect(query.mayContain(anyOf: ["pageSize", "size_page"]))  // nine bytes, as page_size is
        #expect(!query.mayContain(anyOf: ["pageSize"]))
        #expect(!query.mayContain(anyOf: []))
        #expect(query.mayContain(anyOf: [String(repeating: "m", count: 64)]))
        #expect(!QueryParameters(parsing: ""[...]).mayContain(anyOf: ["a"]))
        #expect(QueryParameters([("ab", "1")]).mayContain(anyOf: ["xy"]))
    }
}
