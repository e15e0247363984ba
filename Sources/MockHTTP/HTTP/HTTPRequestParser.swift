import Glibc

/// Reads one HTTP/1.x request from the front of a byte buffer: a pure function of the bytes, with no
/// socket in sight, so that every protocol case can be tested on byte strings.
///
/// It applies RFC 9112's rules strictly (a request must never be read two ways): conflicting or
/// non-decimal `Content-Length`, `Content-Length` beside `Transfer-Encoding`, obs-fold (§5.2 allows 400 or
/// replacing it with spaces: this is a 400), whitespace before a header colon, control characters and
/// bare CRs are errors; so are an HTTP/1.1 request without `Host`, a second `Host`, a `Host` that is not
/// empty nor a valid `host[:port]` (`URIAuthority`), and a request target in a form its method may not use
/// (§3.2). A bare LF ending a line is accepted as RFC 9112 §2.2 allows.
public struct HTTPRequestParser: Sendable {
    /// Size limits; exceeding one is a parse error with the matching status (414, 431, 413).
    /// `maxHeaderBytes` also bounds a chunked body's trailer section, each chunk-size line and the bytes
    /// its chunk extensions add (400).
    public struct Limits: Sendable {
        public var maxRequestLineBytes = 8 * 1024
        public var maxHeaderBytes = 32 * 1024
        public var maxHeaderCount = 100
        public var maxBodyBytes = 1024 * 1024

        public init() {}
    }

    /// What the front of the buffer holds.
    public enum Outcome: Sendable {
        /// A whole request, taking up the first `consumed` bytes.
        case complete(HTTPRequest, consumed: Int)
        /// Not a whole request yet. `expectsContinue` is true once the head is complete and asks for
        /// `100 Continue` before its body is sent.
        case needMore(expectsContinue: Bool)
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    func parse(_ bytes: [UInt8]) throws(HTTPParseError) -> Outcome {
        try bytes.withUnsafeBufferPointer { buffer throws(HTTPParseError) in try parse(buffer) }
    }

    public func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Outcome {
        var cursor = Cursor(buffer: buffer)
        // RFC 9112 §2.2: ignore empty lines (CRLF or bare LF, not a bare CR) before the request line,
        // but not without bound.
        while true {
            if cursor.remaining >= 1, buffer[cursor.position] == .lf {
                cursor.position += 1
            } else if cursor.remaining >= 2, buffer[cursor.position] == .cr, buffer[cursor.position + 1] == .lf {
                cursor.position += 2
            } else {
                break
            }
        }
        if cursor.position > limits.maxRequestLineBytes {
            throw HTTPParseError(
                .malformedRequestLine,
                "more than \(limits.maxRequestLineBytes) bytes of empty lines before the request line")
        }
        let headStart = cursor.position
        guard let requestLine = try cursor.nextLine() else {
            // A final CR may be the start of the line's CRLF, which does not count towards its length.
            let pending = buffer.count - headStart - (buffer.last == .cr ? 1 : 0)
            if pending > limits.maxRequestLineBytes {
                throw HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes")
            }
            try checkHeadSize(buffer.count - headStart)
            return .needMore(expectsContinue: false)
        }
        if requestLine.count > limits.maxRequestLineBytes {
            throw HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes")
        }
        // The fields as spans of the header section, which becomes their storage in one copy.
        let sectionStart = cursor.position
        var sectionEnd = sectionStart
        var spans: [HTTPHeaders.Span] = []
        spans.reserveCapacity(16)
        while true {
            guard let line = try cursor.nextLine() else {
                try checkHeadSize(buffer.count - headStart)
                return .needMore(expectsContinue: false)
            }
            try checkHeadSize(cursor.position - headStart)
            if line.isEmpty { break }
            if spans.count == limits.maxHeaderCount {
                throw HTTPParseError(.headersTooLarge, "more than \(limits.maxHeaderCount) header fields")
            }
            let (name, value) = try Self.parseHeaderField(line)
            spans.append(
                HTTPHeaders.Span(
                    name: name.lowerBound - sectionStart..<name.upperBound - sectionStart,
                    value: value.lowerBound - sectionStart..<value.upperBound - sectionStart))
            sectionEnd = line.endIndex
        }
        let headers = HTTPHeaders(section: Array(buffer[sectionStart..<sectionEnd]), spans: spans)

        let (method, target, minorVersion) = try Self.parseRequestLine(requestLine)
        let hosts = headers.count(of: "Host")
        if hosts > 1 || (minorVersion == 1 && hosts == 0) {
            throw HTTPParseError(.missingHost, "an HTTP/1.1 request needs exactly one Host header")
        }
        // RFC 9112 §3.2: empty when the target URI has no authority, else RFC 3986's uri-host [":" port].
        if headers.withFirstValue(for: "Host", { $0.isEmpty || URIAuthority.isValid($0) }) == false {
            throw HTTPParseError(
                .invalidHost,
                "expected empty or host[:port]: a name, an IPv4 or [IPv6] address, then :port up to 65535 or nothing")
        }
        let expectsContinue = try Self.expectsContinue(headers, minorVersion: minorVersion)

        var body: [UInt8] = []
        switch try framing(of: headers, minorVersion: minorVersion) {
        case .length(let length):
            guard buffer.count - cursor.position >= length else {
                return .needMore(expectsContinue: expectsContinue)
            }
            body = Array(buffer[cursor.position..<cursor.position + length])
            cursor.position += length
        case .chunked:
            guard let decoded = try decodeChunkedBody(&cursor) else {
                return .needMore(expectsContinue: expectsContinue)
            }
            body = decoded
        }
        var request = HTTPRequest(
            method: method, target: target.originForm, minorVersion: minorVersion, headers: headers, body: body)
        request.targetAuthority = target.authority
        return .complete(request, consumed: cursor.position)
    }

    private func checkHeadSize(_ size: Int) throws(HTTPParseError) {
        if size > limits.maxHeaderBytes {
            throw HTTPParseError(.headersTooLarge, "request head larger than \(limits.maxHeaderBytes) bytes")
        }
    }

    // MARK: - Request line

    private static func parseRequestLine(
        _ line: UnsafeBufferPointer<UInt8>.SubSequence
    ) throws(HTTPParseError) -> (method: String, target: RequestTarget, minorVersion: Int) {
        // METHOD SP TARGET SP VERSION, split at the first two spaces (the version may not have one).
        // (On the bytes in place, each looked at once: every request comes through here.)
        let line = UnsafeBufferPointer(rebasing: line)
        var firstSpace = 0
        while firstSpace < line.count, line[firstSpace].isTokenCharacter { firstSpace += 1 }
        var secondSpace = firstSpace + 1
        while secondSpace < line.count, line[secondSpace] != .space { secondSpace += 1 }
        guard firstSpace > 0, secondSpace < line.count, line[firstSpace] == .space, secondSpace > firstSpace + 1
        else {
            throw HTTPParseError(.malformedRequestLine, "expected METHOD SP TARGET SP HTTP-VERSION")
        }
        let targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        let method = methodName(UnsafeBufferPointer(rebasing: line[..<firstSpace]))
        let minorVersion = try parseVersion(line[(secondSpace + 1)...])
        for byte in targetBytes where byte <= .space || byte >= 0x7F {
            throw HTTPParseError(.malformedRequestLine, "the request target has a character outside visible ASCII")
        }
        let rawTarget = String(decoding: targetBytes, as: UTF8.self)
        return (method, try requestTarget(rawTarget, method: method), minorVersion)
    }

    /// The method's name: the literal when it is one the mock serves (no `String` made of the bytes and
    /// checked as UTF-8, ~150 instructions: every request has one), else the bytes as sent (a token).
    private static func methodName(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        func spells(_ name: StaticString) -> Bool {
            name.utf8CodeUnitCount == bytes.count && memcmp(name.utf8Start, bytes.baseAddress!, bytes.count) == 0
        }
        if spells("GET") { return "GET" }
        if spells("POST") { return "POST" }
        if spells("PATCH") { return "PATCH" }
        if spells("DELETE") { return "DELETE" }
        if spells("PUT") { return "PUT" }
        if spells("HEAD") { return "HEAD" }
        if spells("OPTIONS") { return "OPTIONS" }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence) throws(HTTPParseError) -> Int {
        let version = UnsafeBufferPointer(rebasing: bytes)
        // (Byte by byte: a generic `starts(with: "HTTP/".utf8)` costs ~240 instructions per request.)
        guard version.count == 8,
            (version[0], version[1], version[2], version[3], version[4])
                == (UInt8(ascii: "H"), UInt8(ascii: "T"), UInt8(ascii: "T"), UInt8(ascii: "P"), UInt8(ascii: "/")),
            version[5].isDigit,
            version[6] == UInt8(ascii: "."), version[7].isDigit
        else {
            throw HTTPParseError(.malformedRequestLine, "the version must look like HTTP/1.1")
        }
        guard version[5] == UInt8(ascii: "1"), version[7] <= UInt8(ascii: "1") else {
            throw HTTPParseError(.unsupportedVersion, "only HTTP/1.0 and HTTP/1.1 are served")
        }
        return Int(version[7] - UInt8(ascii: "0"))
    }

    /// A request target as the responder sees it: its origin-form, and the authority an absolute-form
    /// target named.
    private struct RequestTarget {
        var originForm: String
        var authority: String?
    }

    /// The request target in the form its method allows (RFC 9112 §3.2): origin-form (`/path?query`) for
    /// any method but `CONNECT`; absolute-form (`http://host/path?query`, which clients send to proxies
    /// and servers must accept, §3.2.2) reduced to its origin-form, keeping its authority, which must be a
    /// valid `host[:port]` (so no userinfo, no empty host); asterisk-form (`*`) only for `OPTIONS`;
    /// authority-form (`host:port`) only for `CONNECT`, which this server, not a proxy, answers 501.
    private static func requestTarget(_ target: String, method: String) throws(HTTPParseError) -> RequestTarget {
        if method == "CONNECT" {
            guard URIAuthority.isValid(target, requiringPort: true) else {
                throw HTTPParseError(.malformedRequestLine, "the target of CONNECT must be host:port (authority-form)")
            }
            throw HTTPParseError(.methodNotImplemented, "CONNECT is for proxies, and this server is not one")
        }
        if target.utf8.first == UInt8(ascii: "/") { return RequestTarget(originForm: target) }
        if target == "*" {
            guard method == "OPTIONS" else {
                throw HTTPParseError(.malformedRequestLine, "only OPTIONS may have the target * (asterisk-form)")
            }
            return RequestTarget(originForm: target)
        }
        for scheme in ["http://", "https://"] where target.prefix(scheme.count).equalsIgnoringASCIICase(scheme) {
            let afterScheme = target.dropFirst(scheme.count)
            let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            let authority = afterScheme[..<pathStart]
            guard URIAuthority.isValid(authority) else {
                throw HTTPParseError(
                    .malformedRequestLine, "an absolute-form target needs a valid host[:port] after its scheme")
            }
            let rest = afterScheme[pathStart...]
            let originForm = rest.hasPrefix("/") ? String(rest) : "/" + rest
            return RequestTarget(originForm: originForm, authority: String(authority))
        }
        throw HTTPParseError(.malformedRequestLine, "the request target must start with / (origin-form)")
    }

    // MARK: - Header fields

    /// One `field-name: field-value` line (RFC 9112 §5): where its name and its value without the blanks
    /// around it are in the buffer. It reads the bytes in place, once each (every request's every field
    /// comes through here).
    private static func parseHeaderField(
        _ line: UnsafeBufferPointer<UInt8>.SubSequence
    ) throws(HTTPParseError) -> (name: Range<Int>, value: Range<Int>) {
        let base = line.startIndex
        let line = UnsafeBufferPointer(rebasing: line)
        if let first = line.first, first == .space || first == .tab {
            throw HTTPParseError(.malformedHeader, "obsolete line folding is not accepted")
        }
        var colon = 0
        while colon < line.count, line[colon].isTokenCharacter { colon += 1 }
        guard colon < line.count, line[colon] == UInt8(ascii: ":"), colon > 0 else {
            guard line.contains(UInt8(ascii: ":")) else {
                throw HTTPParseError(.malformedHeader, "a header line has no colon")
            }
            throw HTTPParseError(.malformedHeader, "a header name is empty or has a character not allowed in a token")
        }
        let value = line.trimmingASCIIWhitespace(colon + 1..<line.count)
        guard Self.areFieldValueBytes(line, value) else {
            throw HTTPParseError(.malformedHeader, "a header value has a control character")
        }
        return (base..<base + colon, base + value.lowerBound..<base + value.upperBound)
    }

    /// Whether every byte of `bytes[range]` may be in a field value (`isFieldValueByte`), looked at eight at
    /// a time: a word with no byte below 0x20 and none equal to 0x7F (the "has a byte less than n" and
    /// "has a zero byte" tests of a 64-bit word) holds none that is not, and only a word that may hold one
    /// (a tab is below 0x20 too) is looked at byte by byte. A key's value costs a third of what it did.
    static func areFieldValueBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits = ones &* 0x80
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
            let deletes = word ^ (ones &* 0x7F)
            let suspect = ((word &- ones &* 0x20) & ~word | (deletes &- ones) & ~deletes) & highBits
            if suspect != 0, !bytes[index..<index + 8].allSatisfy(\.isFieldValueByte) { return false }
            index += 8
        }
        return bytes[index..<range.upperBound].allSatisfy(\.isFieldValueByte)
    }

    private static func expectsContinue(_ headers: HTTPHeaders, minorVersion: Int) throws(HTTPParseError) -> Bool {
        let expectations = headers.tokens(for: "Expect")
        if expectations.isEmpty { return false }
        guard expectations == ["100-continue"] else {
            throw HTTPParseError(.unsupportedExpectation, "only Expect: 100-continue is supported")
        }
        return minorVersion >= 1
    }

    // MARK: - Body framing (RFC 9112 §6)

    private enum Framing {
        case length(Int)
        case chunked
    }

    private func framing(of headers: HTTPHeaders, minorVersion: Int) throws(HTTPParseError) -> Framing {
        let lengths = headers.values(for: "Content-Length")
        if headers.contains("Transfer-Encoding") {
            let codings = headers.tokens(for: "Transfer-Encoding")
            guard lengths.isEmpty else {
                throw HTTPParseError(.conflictingFraming, "a request may not carry both")
            }
            guard minorVersion == 1 else {
                throw HTTPParseError(.unsupportedTransferEncoding, "Transfer-Encoding in an HTTP/1.0 request")
            }
            guard codings.last == "chunked" else {
                if codings.contains("chunked") {
                    throw HTTPParseError(.invalidChunk, "chunked must be the final transfer coding")
                }
                throw HTTPParseError(.unsupportedTransferEncoding, "only chunked is supported")
            }
            guard codings.count == 1 else {
                throw HTTPParseError(.unsupportedTransferEncoding, "only chunked is supported")
            }
            return .chunked
        }
        var length: Int?
        for field in lengths {
            for item in field.split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingASCIIWhitespace()
                guard !text.isEmpty, text.utf8.allSatisfy(\.isDigit), text.count <= 18, let value = Int(text) else {
                    throw HTTPParseError(.invalidContentLength, "Content-Length must be a plain decimal number")
                }
                if let earlier = length, earlier != value {
                    throw HTTPParseError(.invalidContentLength, "Content-Length has two different values")
                }
                length = value
            }
        }
        let bodyLength = length ?? 0
        if bodyLength > limits.maxBodyBytes {
            throw HTTPParseError(.bodyTooLarge, "a body of \(bodyLength) bytes exceeds \(limits.maxBodyBytes)")
        }
        return .length(bodyLength)
    }

    /// Decodes a chunked body at the cursor; nil when it is not all there yet.
    private func decodeChunkedBody(_ cursor: inout Cursor) throws(HTTPParseError) -> [UInt8]? {
        var body: [UInt8] = []
        // Framing bytes beyond an allowance of 16 per chunk plus twice its data (Go's net/http rule), so that
        // chunk extensions cannot make the buffer grow without bound while the body stays small.
        var excess = 0
        while true {
            let lineStart = cursor.position
            guard let sizeLine = try cursor.nextLine() else {
                if cursor.remaining > limits.maxHeaderBytes {
                    throw HTTPParseError(
                        .invalidChunk, "a chunk size line is longer than \(limits.maxHeaderBytes) bytes")
                }
                return nil
            }
            let lineBytes = cursor.position - lineStart
            if lineBytes > limits.maxHeaderBytes {
                throw HTTPParseError(.invalidChunk, "a chunk size line is longer than \(limits.maxHeaderBytes) bytes")
            }
            let sizeDigits = sizeLine.prefix { $0 != UInt8(ascii: ";") }
                .reversed().drop { $0 == .space || $0 == .tab }.reversed()
            guard !sizeDigits.isEmpty, sizeDigits.count <= 8 else {
                throw HTTPParseError(.invalidChunk, "a chunk size must be 1 to 8 hexadecimal digits")
            }
            var size = 0
            for digit in sizeDigits {
                guard let value = hexValue(digit) else {
                    throw HTTPParseError(.invalidChunk, "a chunk size must be hexadecimal")
                }
                size = size << 4 | Int(value)
            }
            excess = max(0, excess + lineBytes + 2 - 16 - 2 * size)
            if excess > limits.maxHeaderBytes {
                throw HTTPParseError(.invalidChunk, "chunk extensions outweigh the chunk data")
            }
            if size == 0 { break }
            if body.count + size > limits.maxBodyBytes {
                throw HTTPParseError(.bodyTooLarge, "the chunked body exceeds \(limits.maxBodyBytes) bytes")
            }
            guard cursor.remaining >= size else { return nil }
            body.append(contentsOf: cursor.buffer[cursor.position..<cursor.position + size])
            cursor.position += size
            guard let end = try cursor.nextLine() else {
                // Only the CR of the CRLF ending the data may have arrived.
                if cursor.remaining > 1 {
                    throw HTTPParseError(.invalidChunk, "chunk data is longer than its size")
                }
                return nil
            }
            guard end.isEmpty else {
                throw HTTPParseError(.invalidChunk, "chunk data is longer than its size")
            }
        }
        // Trailer fields, read and dropped, up to the empty line.
        var trailerBytes = 0
        while true {
            let start = cursor.position
            guard let line = try cursor.nextLine() else {
                if trailerBytes + cursor.remaining > limits.maxHeaderBytes {
                    throw HTTPParseError(.headersTooLarge, "chunked trailer section too large")
                }
                return nil
            }
            trailerBytes += cursor.position - start
            if trailerBytes > limits.maxHeaderBytes {
                throw HTTPParseError(.headersTooLarge, "chunked trailer section too large")
            }
            if line.isEmpty { return body }
            _ = try Self.parseHeaderField(line)
        }
    }
}

/// A read position in the buffer that hands out lines without their CRLF (or bare LF).
private struct Cursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var position = 0

    var remaining: Int { buffer.count - position }

    /// The next line, or nil when its end has not arrived. A CR anywhere but before the LF is an error.
    /// (The scans are `memchr`'s: they run over every byte of every request head.)
    mutating func nextLine() throws(HTTPParseError) -> UnsafeBufferPointer<UInt8>.SubSequence? {
        guard let lf = Self.index(of: .lf, in: position..<buffer.count, of: buffer) else {
            if Self.index(of: .cr, in: position..<max(position, buffer.count - 1), of: buffer) != nil {
                throw HTTPParseError(.malformedHeader, "a bare CR is not a line ending")
            }
            return nil
        }
        var end = lf
        if end > position, buffer[end - 1] == .cr { end -= 1 }
        if Self.index(of: .cr, in: position..<end, of: buffer) != nil {
            throw HTTPParseError(.malformedHeader, "a bare CR is not a line ending")
        }
        defer { position = lf + 1 }
        return buffer[position..<end]
    }

    /// The first index of `byte` in `range` of `buffer`, or nil.
    private static func index(of byte: UInt8, in range: Range<Int>, of buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !range.isEmpty, let base = buffer.baseAddress,
            let found = memchr(base + range.lowerBound, Int32(byte), range.count)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

extension UInt8 {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// An ASCII digit, `0` to `9`.
    @inlinable
    public var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    /// A byte a field value may hold (RFC 9110 §5.5): a tab, visible ASCII, a space or obs-text (0x80 and
    /// up), not another control character nor DEL.
    var isFieldValueByte: Bool { self == .tab || (self >= .space && self != 0x7F) }

    /// `tchar` of RFC 9110 §5.6.2 (public for the fault rules' `method` matcher, a token too): ALPHA,
    /// DIGIT and ``!#$%&'*+-.^_`|~``, looked up in a 128-bit set (one bit per ASCII byte), as every byte of
    /// every method and header name is.
    @inlinable
    public var isTokenCharacter: Bool {
        // Bits 0–63 and 64–127 of the set, computed from the list above.
        let (low, high): (UInt64, UInt64) = (0x03FF_6CFA_0000_0000, 0x57FF_FFFF_C7FF_FFFE)
        return self < 64 ? low >> self & 1 == 1 : self < 128 && high >> (self - 64) & 1 == 1
    }
}
