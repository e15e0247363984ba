/// One parsed HTTP/1.x request, as the request parser hands it to a responder.
public struct HTTPRequest: Sendable {
    /// The request method, case-sensitive as RFC 9110 defines it (e.g. `GET`).
    public var method: String
    /// The request target in origin-form (e.g. `/api/v1/workspaces?limit=5`): as sent, except that an
    /// absolute-form target (`http://host/path?query`) is reduced to its path and query.
    public let target: String
    /// The path part of the target, not percent-decoded (`/api/v1/workspaces`).
    public var path: Substring { target[..<queryMark] }
    /// The raw query after `?`, empty when there is none.
    public var rawQuery: Substring { target[queryStart...] }
    /// Where the target's `?` is, else its end; and where the query after it starts, else the end.
    /// (Indices rather than two more substrings: a request is copied several times on its way, and each
    /// substring would be one more reference to count.)
    private let queryMark: String.Index
    private let queryStart: String.Index
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    public var headers: HTTPHeaders
    /// The body, de-chunked when it came chunked.
    public var body: [UInt8]
    /// The authority of an absolute-form target (`example.com:8080` of `http://example.com:8080/x`); nil
    /// for an origin-form or asterisk-form target. See `authority`.
    public var targetAuthority: String?
    /// Whether the request came over a TLS connection (set by the connection), so that the URI the
    /// client used has the scheme `https` (RFC 9112 §3.3).
    public var receivedOverTLS = false

    public init(
        method: String, target: String, minorVersion: Int = 1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) {
        self.method = method
        var target = target
        // The bytes in place (a generic scan of `String.UTF8View` costs ~20 instructions a byte).
        let queryOffset = target.withUTF8 { $0.firstIndex(of: UInt8(ascii: "?")) }
        self.target = target
        self.queryMark = queryOffset.map { Self.index(atUTF8Offset: $0, in: target) } ?? target.endIndex
        self.queryStart = queryOffset.map { Self.index(atUTF8Offset: $0 + 1, in: target) } ?? target.endIndex
        self.minorVersion = minorVersion
        self.headers = headers
        self.body = body
    }

    /// The index `offset` UTF-8 bytes into `text`, at the start of a Unicode scalar. For an ASCII text (as
    /// every parsed target is) the UTF-16 view makes it in O(1) and marks it scalar-aligned, so that
    /// `path` and `rawQuery` slice without checking it again each time (~100 instructions each); a UTF-8
    /// view's index would not be marked.
    private static func index(atUTF8Offset offset: Int, in text: String) -> String.Index {
        guard text.utf16.count == text.utf8.count else { return text.utf8.index(text.startIndex, offsetBy: offset) }
        return text.utf16.index(text.startIndex, offsetBy: offset)
    }

    /// The authority (`host[:port]`) of the URI the client used: that of an absolute-form target, as
    /// RFC 9112 §3.2.2 says (`Host` is then ignored), else the `Host` field's value; nil when there is
    /// neither or `Host` is empty (an HTTP/1.0 client may send none). The parser admits only valid ones
    /// (`URIAuthority`).
    public var authority: String? {
        if let targetAuthority { return targetAuthority }
        guard let host = headers["Host"], !host.isEmpty else { return nil }
        return host
    }

    /// The decoded query parameters.
    public var query: QueryParameters { QueryParameters(parsing: rawQuery) }

    /// Whether the client lets the connection stay open after this exchange: HTTP/1.1 unless it sent
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        let tokens = headers.tokens(for: "Connection")
        if minorVersion >= 1 { return !tokens.contains("close") }
        return tokens.contains("keep-alive") && !tokens.contains("close")
    }
}
