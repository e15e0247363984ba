/// The grammar of an authority as HTTP uses it: RFC 3986's `uri-host [":" port]` (RFC 9110 §4.2, which
/// leaves out userinfo). It is the value of a `Host` field (RFC 9112 §3.2), the authority of an
/// absolute-form target and, with the port required, an authority-form target (§3.2.3).
///
/// How strict, and why: exactly RFC 3986's characters, so that what a server builds from an authority
/// (a URL, a command) never meets a space, a quote other than `'`, a backslash, a backtick or a non-ASCII
/// byte; plus the two checks RFC 3986 leaves to the scheme: the host must not be empty (RFC 9110 §4.2.1
/// says to reject an `http` URI with an empty host), and a port is at most 65535.
public enum URIAuthority {
    /// Whether `text` is `host [":" port]`, where host is one of
    /// - a reg-name: letters, digits, `-._~`, the sub-delims `!$&'()*+,;=` and `%` followed by two hex
    ///   digits (an IPv4 address is one too); not empty;
    /// - an IP-literal: `[` an IPv6 address (RFC 3986 §3.2.2, e.g. `::1`, `::ffff:1.2.3.4`; no zone) or
    ///   an IPvFuture (`v1.x`) `]`;
    ///
    /// and port is 0 to 65535 in at most five digits, or empty (`example.com:`, which RFC 3986 allows and
    /// RFC 9110 §4.2.3 reads as the scheme's default port).
    /// - Parameter requiringPort: the port must be there and not empty (authority-form, for `CONNECT`).
    public static func isValid(_ text: some StringProtocol, requiringPort: Bool = false) -> Bool {
        // On the bytes in place (every request's Host comes through here), copied only if not contiguous.
        text.withUTF8Bytes { isValid($0, requiringPort: requiringPort) }
    }

    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, requiringPort: Bool = false) -> Bool {
        guard let first = bytes.first else { return false }
        let hostEnd: Int
        if first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")),
                isIPLiteral(bytes[bytes.index(after: bytes.startIndex)..<close])
            else { return false }
            hostEnd = bytes.index(after: close)
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            let host = bytes[..<hostEnd]
            guard !host.isEmpty, isRegName(host) else { return false }
        }
        guard hostEnd != bytes.endIndex else { return !requiringPort }
        guard bytes[hostEnd] == UInt8(ascii: ":") else { return false }
        let port = bytes[bytes.index(after: hostEnd)...]
        guard !port.isEmpty else { return !requiringPort }
        guard port.count <= 5, port.allSatisfy(\.isDigit) else { return false }
        return port.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 65535
    }

    /// `*( unreserved / pct-encoded / sub-delims )`.
    static func isRegName(_ bytes: some Collection<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let high = bytes.index(after: index)
                guard high != bytes.endIndex, hexValue(bytes[high]) != nil else { return false }
                let low = bytes.index(after: high)
                guard low != bytes.endIndex, hexValue(bytes[low]) != nil else { return false }
                index = low
            } else if !isUnreserved(byte), !isSubDelimiter(byte) {
                return false
            }
            index = bytes.index(after: index)
        }
        return true
    }

    /// What is between the brackets of an IP-literal: `IPv6address / IPvFuture`.
    static func isIPLiteral(_ bytes: some Collection<UInt8>) -> Bool {
        if let first = bytes.first, first | 0x20 == UInt8(ascii: "v") {
            // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
            let rest = bytes.dropFirst()
            guard let dot = rest.firstIndex(of: UInt8(ascii: ".")) else { return false }
            let version = rest[..<dot]
            let address = rest[rest.index(after: dot)...]
            return !version.isEmpty && version.allSatisfy { hexValue($0) != nil } && !address.isEmpty
                && address.allSatisfy { isUnreserved($0) || isSubDelimiter($0) || $0 == UInt8(ascii: ":") }
        }
        return isIPv6Address(Array(bytes))
    }

    /// RFC 3986's `IPv6address`: eight groups of 1 to 4 hex digits separated by `:`, the last two of which
    /// may be an IPv4 address; one `::` may stand for one or more groups of zeros.
    static func isIPv6Address(_ bytes: [UInt8]) -> Bool {
        var halves = [ArraySlice(bytes)]
        if let gap = bytes.indices.first(where: {
            bytes[$0] == UInt8(ascii: ":") && $0 + 1 < bytes.count && bytes[$0 + 1] == UInt8(ascii: ":")
        }) {
            halves = [bytes[..<gap], bytes[(gap + 2)...]]
        }
        var groups = 0
        for (number, half) in halves.enumerated() where !(halves.count == 2 && half.isEmpty) {
            let parts = half.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                let isLastOfAll = number == halves.count - 1 && index == parts.count - 1
                if isLastOfAll, part.contains(UInt8(ascii: ".")) {
                    guard isIPv4Address(part) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(part.count), part.allSatisfy({ hexValue($0) != nil }) else { return false }
                    groups += 1
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    /// Four decimal octets 0 to 255 without leading zeros, separated by dots.
    static func isIPv4Address(_ bytes: some Collection<UInt8>) -> Bool {
        let octets = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return octets.count == 4
            && octets.allSatisfy { octet in
                (1...3).contains(octet.count) && octet.allSatisfy(\.isDigit)
                    && (octet.count == 1 || octet.first != UInt8(ascii: "0"))
                    && octet.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 255
            }
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// `!$&'()*+,;=`.
    static func isSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="):
            true
        default: false
        }
    }
}
