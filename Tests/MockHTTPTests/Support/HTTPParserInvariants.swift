// The invariants of `HTTPRequestParser`, in one copy shared by the fuzz harness and the regression tests:
// `scripts/fuzz.sh` compiles this file into Tests/Fuzz/HTTPRequestParserFuzzer (which traps on a violation), and
// SwiftPM compiles it into MockHTTPTests (FuzzRegressionTests.swift expects none). It therefore imports
// only MockHTTP, not `@testable`, and uses only its public API, as the server does. See Tests/Fuzz/README.md.

import MockHTTP

/// The invariants `bytes` breaks when read as the bytes a client sent on one connection, by the default
/// parser and by one with small limits (so that every limit is reachable with short inputs); empty when
/// every one holds. At most one violation per parser: the first found.
///
/// - Parameter everySplit: check "the same bytes in two pieces" at every split point instead of a few (the
///   regression tests do; the fuzzer needs speed).
func httpParserInvariantViolations(_ bytes: [UInt8], everySplit: Bool = false) -> [String] {
    HTTPParserInvariants.parsers.compactMap { name, parser in
        HTTPParserInvariants(parser: parser, input: bytes, everySplit: everySplit).violation().map {
            "\(name) limits: \($0)"
        }
    }
}

/// The checks applied to one input read as a connection's bytes.
struct HTTPParserInvariants {
    let parser: HTTPRequestParser
    let input: [UInt8]
    /// Check every split point instead of a few (the regression tests do; the fuzzer needs speed).
    var everySplit = false

    /// An outcome that can be compared: a request with its length, needMore, or the status of an error.
    enum Reading: Equatable {
        case complete(method: String, target: String, minorVersion: Int, headers: HTTPHeaders, body: [UInt8], Int)
        case needMore(expectsContinue: Bool)
        case error(status: Int)
    }

    static let errorStatuses: Set<Int> = [400, 413, 414, 417, 431, 501, 505]

    /// The parsers every input goes through, with a name for messages.
    static let parsers: [(name: String, parser: HTTPRequestParser)] = {
        var small = HTTPRequestParser.Limits()
        small.maxRequestLineBytes = 64
        small.maxHeaderBytes = 256
        small.maxHeaderCount = 4
        small.maxBodyBytes = 64
        return [("default", HTTPRequestParser()), ("small", HTTPRequestParser(limits: small))]
    }()

    /// Parses `bytes` from an allocation of exactly their size, so that AddressSanitizer sees any read past
    /// the end of what the server hands the parser.
    func parse(_ bytes: ArraySlice<UInt8>) -> (Reading, HTTPRequest?) {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        defer { buffer.deallocate() }
        _ = buffer.initialize(from: bytes)
        do {
            switch try parser.parse(UnsafeBufferPointer(buffer)) {
            case .complete(let request, let consumed):
                let result = Reading.complete(
                    method: request.method, target: request.target, minorVersion: request.minorVersion,
                    headers: request.headers, body: request.body, consumed)
                return (result, request)
            case .needMore(let expectsContinue):
                return (.needMore(expectsContinue: expectsContinue), nil)
            }
        } catch {
            return (.error(status: error.code.status.code), nil)
        }
    }

    /// The first broken invariant, or nil. Consumes requests from the front as a connection does, until the
    /// parser needs more bytes or fails.
    func violation() -> String? {
        var offset = 0
        var seed = Self.fnv1a(input)
        while true {
            let rest = input[offset...]
            let (result, request) = parse(rest)
            // Split points for "the same bytes in two pieces": the edges and a pseudo-random one.
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var splits: Set<Int> = [0, 1, rest.count - 1, Int(truncatingIfNeeded: seed >> 33) % (rest.count + 1)]
            if everySplit { splits = Set(0..<rest.count) }
            if case .complete(_, _, _, _, _, let consumed) = result {
                splits.formUnion([consumed - 1, consumed])
            }
            for split in splits where split >= 0 && split < rest.count {
                if let broken = checkPrefix(rest.prefix(split), of: result) {
                    return "at offset \(offset): \(broken)"
                }
            }
            switch result {
            case .error(let status):
                return Self.errorStatuses.contains(status) ? nil : "at offset \(offset): unexpected status \(status)"
            case .needMore:
                return nil
            case .complete(_, _, _, _, _, let consumed):
                guard consumed > 0, consumed <= rest.count else {
                    return "at offset \(offset): consumed \(consumed) of \(rest.count) bytes"
                }
                if let broken = checkRequest(request!) { return "at offset \(offset): \(broken)" }
                offset += consumed
                if offset == input.count { return nil }
            }
        }
    }

    /// What a prefix of bytes whose whole gave `whole` may give: a prefix of a request (or of bytes that
    /// need more) needs more, one that holds the whole request gives the same request, and one of bytes
    /// that fail needs more or fails too.
    func checkPrefix(_ prefix: ArraySlice<UInt8>, of whole: Reading) -> String? {
        let (result, _) = parse(prefix)
        switch (whole, result) {
        case (.complete(_, _, _, _, _, let consumed), _) where prefix.count < consumed:
            guard case .needMore = result else {
                return "prefix of \(prefix.count) bytes of a \(consumed)-byte request gave \(result)"
            }
        case (.complete, _):
            guard result == whole else { return "prefix of \(prefix.count) bytes gave \(result), whole \(whole)" }
        case (.needMore(let wholeContinue), .needMore(let prefixContinue)):
            guard !prefixContinue || wholeContinue else {
                return "prefix of \(prefix.count) bytes expects 100-continue, the whole does not"
            }
        case (.error, .needMore), (.error, .error):
            break
        default:
            return "prefix of \(prefix.count) bytes gave \(result), whole \(whole)"
        }
        return nil
    }

    /// What every complete request satisfies, and a byte-level reading of the fields the server acts on.
    func checkRequest(_ request: HTTPRequest) -> String? {
        let limits = parser.limits
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(Self.isTokenByte) else {
            return "method \(request.method.debugDescription)"
        }
        guard request.target.hasPrefix("/") || (request.target == "*" && request.method == "OPTIONS"),
            request.target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return "target \(request.target.debugDescription)" }
        guard request.minorVersion == 0 || request.minorVersion == 1 else { return "version \(request.minorVersion)" }
        guard request.headers.count <= limits.maxHeaderCount, request.body.count <= limits.maxBodyBytes else {
            return "\(request.headers.count) headers, \(request.body.count) body bytes"
        }
        for field in request.headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(Self.isTokenByte),
                !field.value.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }),
                field.value.utf8.first.map(Self.isWhitespaceByte) != true,
                field.value.utf8.last.map(Self.isWhitespaceByte) != true
            else { return "header field \(field.name.debugDescription): \(field.value.debugDescription)" }
        }
        let hosts = request.headers.values(for: "host")
        guard hosts.count == 1 || (hosts.isEmpty && request.minorVersion == 0) else {
            return "\(hosts.count) Host fields"
        }

        // The authority, read again from the bytes, and the target's form for the method.
        let host = hosts.first.flatMap { $0.isEmpty ? nil : $0 }
        if let host, !Self.isPlausibleAuthority(host) { return "Host \(host.debugDescription)" }
        if let authority = request.targetAuthority, !Self.isPlausibleAuthority(authority) {
            return "target authority \(authority.debugDescription)"
        }
        guard request.authority == (request.targetAuthority ?? host) else {
            return "authority \(request.authority.debugDescription)"
        }
        guard request.method != "CONNECT" else { return "a CONNECT request was accepted" }

        // Framing, read again from the bytes.
        for name in ["Connection", "Transfer-Encoding", "Expect", "Content-Length", "Host", "Prefer"] {
            let tokens = request.headers.tokens(for: name)
            let reference = referenceTokens(request.headers, name)
            guard tokens.count == reference.count, zip(tokens, reference).allSatisfy({ $0.utf8.elementsEqual($1.utf8) })
            else { return "tokens(for: \(name)) gave \(tokens), bytes say \(reference)" }
        }
        let lengths = request.headers.values(for: "content-length")
        if request.headers.contains("transfer-encoding") {
            guard lengths.isEmpty, request.minorVersion == 1,
                referenceTokens(request.headers, "transfer-encoding") == ["chunked"]
            else { return "accepted Transfer-Encoding \(request.headers.values(for: "transfer-encoding"))" }
        } else {
            let declared = lengths.first.map { Int($0.split(separator: ",")[0].trimmingASCIIWhitespace()) } ?? 0
            guard declared == request.body.count else {
                return "Content-Length \(lengths) with a body of \(request.body.count) bytes"
            }
        }
        let connection = referenceTokens(request.headers, "connection")
        let keepAlive =
            request.minorVersion >= 1
            ? !connection.contains("close") : connection.contains("keep-alive") && !connection.contains("close")
        guard request.keepAlive == keepAlive else { return "keepAlive \(request.keepAlive), tokens \(connection)" }

        // The query, decoded again from the bytes.
        let query = request.query
        let reference = referenceQuery(request.rawQuery)
        guard Array(query).count == reference.count,
            zip(query, reference).allSatisfy({ $0.name.utf8.elementsEqual($1.0) && $0.value.utf8.elementsEqual($1.1) })
        else { return "query \(request.rawQuery.debugDescription) decoded as \(Array(query))" }
        for parameter in query where !query.values(for: parameter.name).contains(parameter.value) {
            return "values(for: \(parameter.name.debugDescription)) misses \(parameter.value.debugDescription)"
        }
        return nil
    }

    // MARK: - Byte-level references

    /// RFC 9110 §5.6.1 lists: split at commas, trim SP/HTAB, lowercase ASCII letters only (tokens are ASCII).
    func referenceTokens(_ headers: HTTPHeaders, _ name: String) -> [String] {
        headers.values(for: name).flatMap { value in
            value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).compactMap { item in
                let trimmed = item.drop(while: Self.isWhitespaceByte).reversed().drop(while: Self.isWhitespaceByte)
                    .reversed()
                let lowered = trimmed.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                return lowered.isEmpty ? nil : String(decoding: lowered, as: UTF8.self)
            }
        }
    }

    /// `application/x-www-form-urlencoded` on bytes: `&`-separated pairs, `+` is a space, `%XX` a byte.
    func referenceQuery(_ raw: Substring) -> [([UInt8], [UInt8])] {
        func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var output: [UInt8] = []
            var index = bytes.startIndex
            while index < bytes.endIndex {
                if bytes[index] == UInt8(ascii: "+") {
                    output.append(0x20)
                } else if bytes[index] == UInt8(ascii: "%"), bytes.endIndex - index >= 3,
                    let high = Self.hexDigit(bytes[index + 1]), let low = Self.hexDigit(bytes[index + 2])
                {
                    output.append(high << 4 | low)
                    index += 2
                } else {
                    output.append(bytes[index])
                }
                index += 1
            }
            return Array(String(decoding: output, as: UTF8.self).utf8)
        }
        return Array(raw.utf8).split(separator: UInt8(ascii: "&")).map { pair in
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { return (decode(pair), []) }
            return (decode(pair[..<equals]), decode(pair[(equals + 1)...]))
        }
    }

    /// RFC 3986's authority as bytes: only its characters (no space, quote, backslash, backtick or
    /// non-ASCII byte; no `@`: no userinfo), brackets only around the whole host, a host, and a port of at
    /// most five digits and 65535.
    static func isPlausibleAuthority(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let allowed = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%:[]".utf8)
        guard !bytes.isEmpty, bytes.allSatisfy(allowed.contains) else { return false }
        let bracketed = bytes[0] == UInt8(ascii: "[")
        let close = bytes.firstIndex(of: UInt8(ascii: "]"))
        let hostEnd = bracketed ? (close ?? 0) + 1 : bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
        guard hostEnd > (bracketed ? 2 : 0), !bytes[1...].contains(UInt8(ascii: "[")),
            !bytes[hostEnd...].contains(UInt8(ascii: "]")), bracketed || close == nil
        else { return false }
        guard hostEnd < bytes.count else { return true }
        let port = bytes[(hostEnd + 1)...]
        return bytes[hostEnd] == UInt8(ascii: ":") && port.count <= 5
            && port.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && port.reduce(0) { $0 * 10 + Int($1) - 0x30 } <= 65535
    }

    // MARK: - Bytes

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    static func isWhitespaceByte(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
