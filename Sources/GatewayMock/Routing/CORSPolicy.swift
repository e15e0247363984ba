import MockHTTP

/// Which web pages may call the mock from a browser (the Fetch standard's CORS protocol), for the vendor
/// endpoints and for the control plane separately.
///
/// - Vendor endpoints (`/api/…`, `/v1/…`, and the 404 for any path no API owns) need a key, so by default
///   every origin may call them, as Prism and json-server allow: `.allOrigins`.
/// - The control plane (`/`, `/__admin/…`) has no key, so no other origin may use it unless it is named:
///   `CORSPolicy(allowing:)` names origins that may use both, and no others may use the vendor endpoints
///   either. Whatever the policy, a state-changing control-plane request from another site is refused
///   (`CrossSiteProtection`).
/// - `.disabled` adds no CORS header anywhere (the control plane stays same-origin only).
///
/// The CLI maps `--cors-origin ORIGIN` (repeatable) to `CORSPolicy(allowing:)` and `--no-cors` to
/// `.disabled`.
public struct CORSPolicy: Sendable, Equatable {
    /// Whether the vendor endpoints answer any origin at all (false: `.disabled`).
    let isEnabled: Bool
    /// The origins named, as a browser serializes them in `Origin`; empty: every origin may call the
    /// vendor endpoints and none the control plane.
    let namedOrigins: [String]

    /// Every origin may call the vendor endpoints; no other origin may use the control plane. The default.
    public static let allOrigins = CORSPolicy(isEnabled: true, namedOrigins: [])

    /// No CORS header on any response; the control plane is usable from its own origin only.
    public static let disabled = CORSPolicy(isEnabled: false, namedOrigins: [])

    private init(isEnabled: Bool, namedOrigins: [String]) {
        self.isEnabled = isEnabled
        self.namedOrigins = namedOrigins
    }

    /// Only these origins may call the vendor endpoints and use the control plane (`--cors-origin`).
    /// Each must be a serialized origin exactly as a browser sends it in `Origin`: `scheme://host[:port]`,
    /// lowercase, no default port, no path; `InvalidOrigin` says what is wrong with the first that is not.
    /// An empty list allows no origin anywhere.
    public init(allowing origins: [String]) throws(InvalidOrigin) {
        for origin in origins { try Self.validate(origin) }
        self.init(isEnabled: !origins.isEmpty, namedOrigins: origins)
    }

    /// Whether `origin` (an `Origin` value) may call the vendor endpoints.
    func allowsVendorCall(from origin: String) -> Bool {
        isEnabled && (namedOrigins.isEmpty || namedOrigins.contains(origin))
    }

    /// Whether `origin` may use the control plane from another origin.
    func allowsControlPlaneCall(from origin: String) -> Bool {
        namedOrigins.contains(origin)
    }

    // MARK: - Origins

    /// A `--cors-origin` value that no browser would send as `Origin`, so that it could never match.
    public struct InvalidOrigin: Error, Sendable, Equatable, CustomStringConvertible {
        /// The value as given.
        public let origin: String
        /// What is wrong and what to write instead.
        public let reason: String

        public var description: String { "\(JSONString.quoted(origin)) is not an origin: \(reason)" }
    }

    /// Checks that `origin` is a serialized origin (WHATWG URL: scheme, `://`, host, and the port unless it
    /// is the scheme's default), as browsers send it in `Origin` and as `CORSPolicy` compares it: exactly.
    static func validate(_ origin: String) throws(InvalidOrigin) {
        func invalid(_ reason: String) -> InvalidOrigin { InvalidOrigin(origin: origin, reason: reason) }
        if origin == "*" {
            throw invalid("every origin may call the vendor endpoints unless origins are named; name each one")
        }
        if origin == "null" {
            throw invalid(
                "Origin null is what every file:// page and sandboxed frame sends, so it cannot be allowed; serve the page over http(s)"
            )
        }
        guard let separator = origin.firstRange(of: "://") else {
            throw invalid("write it as scheme://host[:port], e.g. http://localhost:5173")
        }
        let scheme = origin[..<separator.lowerBound]
        var authority = origin[separator.upperBound...]
        if origin.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            throw invalid("browsers send it in lowercase: \(origin.lowercased())")
        }
        guard let first = scheme.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"),
            scheme.utf8.allSatisfy({ $0.isASCIIAlphanumeric || "+-.".utf8.contains($0) })
        else { throw invalid("the scheme must be letters, digits, '+', '-' or '.', starting with a letter") }
        if let end = authority.firstIndex(where: { "/?#".contains($0) }) {
            throw invalid("an origin has no path, query or fragment: \(origin[..<end])")
        }
        if authority.contains("@") { throw invalid("an origin has no user name or password") }
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("the IPv6 address lacks its ']'") }
            let address = authority[authority.index(after: authority.startIndex)..<close]
            guard !address.isEmpty, address.utf8.allSatisfy({ $0.isASCIIHexDigit || ".:".utf8.contains($0) }) else {
                throw invalid("the IPv6 address may hold only hexadecimal digits, ':' and '.'")
            }
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw invalid("only :port may follow the host") }
                port = rest.dropFirst()
            }
            authority = authority[...close]
        } else {
            if let colon = authority.firstIndex(of: ":") {
                port = authority[authority.index(after: colon)...]
                authority = authority[..<colon]
            }
            guard !authority.isEmpty, authority.utf8.allSatisfy({ $0.isASCIIAlphanumeric || ".-_".utf8.contains($0) })
            else {
                throw invalid("the host must be letters, digits, '.', '-' or '_' (an IDN in its xn-- form)")
            }
        }
        guard let port else { return }
        guard let number = Int(port), port.utf8.allSatisfy(\.isDigit), (1...65535).contains(number) else {
            throw invalid("the port must be a number from 1 to 65535")
        }
        if port.hasPrefix("0") { throw invalid("browsers write the port without leading zeros") }
        if (scheme == "http" && number == 80) || (scheme == "https" && number == 443) {
            throw invalid("browsers leave out the scheme's default port: \(scheme)://\(authority)")
        }
    }
}

extension UInt8 {
    fileprivate var isASCIIHexDigit: Bool {
        isDigit || ((self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "f"))
    }
}
