import Testing

@testable import MockHTTP

/// Byte-string fixtures for the parser tests (FlyingFox's `HTTPRequest+Mock.swift` style).
enum Fixture {
    /// The UTF-8 bytes of `text`, exactly as written (line endings included).
    static func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    /// A request with CRLF line endings: the request line, each header line, an empty line, then `body`.
    static func request(
        _ requestLine: String = "GET / HTTP/1.1", headers: [String] = ["Host: example.com"], body: String = ""
    ) -> [UInt8] {
        bytes(([requestLine] + headers).map { $0 + "\r\n" }.joined() + "\r\n" + body)
    }

    /// A parser with the default limits changed by `configure`.
    static func parser(_ configure: (inout HTTPRequestParser.Limits) -> Void = { _ in }) -> HTTPRequestParser {
        var limits = HTTPRequestParser.Limits()
        configure(&limits)
        return HTTPRequestParser(limits: limits)
    }
}

extension HTTPRequestParser.Outcome {
    /// The request and byte count of `.complete`; nil for `.needMore`.
    var completed: (request: HTTPRequest, consumed: Int)? {
        if case .complete(let request, let consumed) = self { return (request, consumed) }
        return nil
    }

    /// `expectsContinue` of `.needMore`; nil for `.complete`.
    var needMoreExpectingContinue: Bool? {
        if case .needMore(let expectsContinue) = self { return expectsContinue }
        return nil
    }
}

/// Parses `bytes`, requiring a complete request.
func parseComplete(
    _ bytes: [UInt8], parser: HTTPRequestParser = HTTPRequestParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (request: HTTPRequest, consumed: Int) {
    let outcome = try parser.parse(bytes)
    return try #require(
        outcome.completed, "expected a complete request, got \(outcome)", sourceLocation: sourceLocation)
}

/// Expects parsing `bytes` to throw `code`, whose status must be `status`.
func expectRejection(
    _ bytes: [UInt8], _ code: HTTPParseError.Code, status: Int, parser: HTTPRequestParser = HTTPRequestParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: HTTPParseError.self, sourceLocation: sourceLocation) {
        try parser.parse(bytes)
    }
    #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "no error")", sourceLocation: sourceLocation)
    #expect(error?.code.status.code == status, sourceLocation: sourceLocation)
}

/// Expects every strict prefix of `bytes` to need more (with `expectsContinue` as given by `continueAfter`,
/// the prefix length from which the head asks for 100 Continue), and the whole to be one request of
/// exactly `bytes.count` bytes.
@discardableResult
func expectCompleteOnlyAtTheEnd(
    _ bytes: [UInt8], parser: HTTPRequestParser = HTTPRequestParser(), continueAfter: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> HTTPRequest {
    for length in 0..<bytes.count {
        let outcome = try parser.parse(Array(bytes[..<length]))
        let expectsContinue = continueAfter.map { length >= $0 } ?? false
        #expect(
            outcome.needMoreExpectingContinue == expectsContinue, "prefix of \(length) bytes gave \(outcome)",
            sourceLocation: sourceLocation)
    }
    let (request, consumed) = try parseComplete(bytes, parser: parser, sourceLocation: sourceLocation)
    #expect(consumed == bytes.count, sourceLocation: sourceLocation)
    return request
}
