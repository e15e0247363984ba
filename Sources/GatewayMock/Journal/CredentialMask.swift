import MockHTTP

/// How credentials are shown wherever the mock shows a request (the journal, the access log): which key
/// it was when the mock knows it, and never a character of a secret otherwise.
///
/// - A credential that is one of the keys in force (the namespace's `APIKeys` that the request was checked
///   against) is shown by vendor, role (as `keys.json` names it) and 1-based place in that role's list:
///   `[openrouter management key 1]`, `[openrouter inference key 1]`, `[portkey admin key 1]`,
///   `[portkey workspace key 2]`.
/// - Any other credential is `********`, whatever its length, or `sk-or-v1-********` when it is longer
///   than and starts with OpenRouter's key prefix `sk-or-v1-` (Portkey's keys have no prefix: neither its
///   SDK nor its API documents one).
/// - An empty value stays empty.
///
/// Which header fields hold credentials (names compared case-insensitively):
/// - `Authorization` and `Proxy-Authorization`: `<scheme> <credentials>`, the scheme kept as sent
///   (`Bearer`, `bearer`, `Basic`…). `Basic` credentials (a user and password in base64) are `********`
///   whatever they hold. A value without a space is all credentials, unless it is only a scheme's name
///   in IANA's registry (`Bearer` with an empty token), which is shown as sent.
/// - `Cookie` and `Set-Cookie`: each `;`-separated `name=value` keeps its name and shows its value as
///   a credential; a part without `=` is a credential as a whole.
/// - Any other field whose name contains `api-key` (`x-portkey-api-key`), `token` or `secret`: the value
///   as a whole.
///
/// The mask is computed when a request is recorded, with the keys it was checked against, so a key list
/// replaced later (`PUT /__admin/seed/keys`) does not change what an entry says.
struct CredentialMask {
    /// The keys in force for the request.
    let keys: APIKeys
    /// The request's vendor: its key lists are searched first (a key listed for both vendors is shown as
    /// the request's vendor's), and its key header (`Vendor.keyHeader`) is the one the access log shows.
    let vendor: Vendor

    /// What an unknown credential is shown as, whatever its length.
    static let mask = "********"
    /// Vendor key prefixes that an unknown credential keeps before the mask.
    static let keptPrefixes = ["sk-or-v1-"]
    /// HTTP authentication schemes registered with IANA (RFC 9110 §16.4.1): a value that is only one of
    /// these names holds no credentials.
    static let registeredSchemes = [
        "Basic", "Bearer", "Concealed", "Digest", "DPoP", "GNAP", "HOBA", "Mutual", "Negotiate", "OAuth",
        "PrivateToken", "SCRAM-SHA-1", "SCRAM-SHA-256", "vapid",
    ]

    /// `headers` with every credential shown as described above (`headers` itself, not copied, when it
    /// holds none), and the credentials of the vendor's key header as shown (without the scheme), for
    /// the access log: nil when the request carries none.
    func apply(to headers: HTTPHeaders) -> (headers: HTTPHeaders, key: String?) {
        var fields: [HTTPHeaders.Field]?
        var key: String?
        for (index, field) in headers.enumerated() {
            guard let kind = Self.kind(of: field.name) else { continue }
            let credentials: String
            let value: String
            switch kind {
            case .authorization:
                let (scheme, sent) = Self.authorizationParts(field.value)
                credentials =
                    scheme?.equalsIgnoringASCIICase("Basic") == true && !sent.isEmpty ? Self.mask : shown(sent)
                value = scheme.map { credentials.isEmpty ? String($0) : "\($0) \(credentials)" } ?? credentials
            case .cookies:
                credentials = shownCookies(field.value)
                value = credentials
            case .whole:
                credentials = shown(field.value)
                value = credentials
            }
            if key == nil, !credentials.isEmpty, field.name.equalsIgnoringASCIICase(vendor.keyHeader) {
                key = credentials
            }
            if fields == nil { fields = Array(headers) }
            fields?[index].value = value
        }
        return (fields.map { HTTPHeaders($0) } ?? headers, key)
    }

    /// One credential as shown: its label when it is a key in force, else the mask (after a kept prefix);
    /// empty when empty.
    func shown(_ credential: some StringProtocol) -> String {
        if credential.isEmpty { return "" }
        if let label = keys.label(of: String(credential), preferring: vendor) { return "[\(label)]" }
        for prefix in Self.keptPrefixes where credential.utf8.count > prefix.utf8.count && credential.hasPrefix(prefix)
        {
            return prefix + Self.mask
        }
        return Self.mask
    }

    /// `a=1; b=2` as `a=<shown 1>; b=<shown 2>`.
    private func shownCookies(_ value: String) -> String {
        value.split(separator: ";", omittingEmptySubsequences: false).map { part in
            let pair = part.trimmingASCIIWhitespace()
            guard let equals = pair.firstIndex(of: "=") else { return shown(pair) }
            return "\(pair[..<equals])=\(shown(pair[pair.index(after: equals)...]))"
        }.joined(separator: "; ")
    }

    // MARK: - Which fields

    enum Kind {
        /// `<scheme> <credentials>`.
        case authorization
        /// `name=value; …`.
        case cookies
        /// The value as a whole.
        case whole
    }

    /// How a field named `name` holds credentials; nil when it holds none. Runs for every header field of
    /// every vendor request: no allocation.
    static func kind(of name: String) -> Kind? {
        if name.equalsIgnoringASCIICase("Authorization") || name.equalsIgnoringASCIICase("Proxy-Authorization") {
            return .authorization
        }
        if name.equalsIgnoringASCIICase("Cookie") || name.equalsIgnoringASCIICase("Set-Cookie") { return .cookies }
        for part in ["api-key", "token", "secret"] where name.utf8.containsIgnoringASCIICase(part.utf8) {
            return .whole
        }
        return nil
    }

    /// The scheme (nil when the value is all credentials) and the credentials of an `Authorization` value.
    static func authorizationParts(_ value: String) -> (scheme: Substring?, credentials: Substring) {
        guard let space = value.firstIndex(of: " ") else {
            let isScheme = registeredSchemes.contains { $0.equalsIgnoringASCIICase(value) }
            return isScheme ? (value[...], value[value.endIndex...]) : (nil, value[...])
        }
        return (value[..<space], value[space...].trimmingASCIIWhitespace())
    }
}

extension Collection where Element == UInt8 {
    /// Whether `needle` occurs in these bytes, ASCII letters compared case-insensitively.
    fileprivate func containsIgnoringASCIICase(_ needle: some Collection<UInt8>) -> Bool {
        let isLetter = { (byte: UInt8) in byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z") }
        var start = startIndex
        while start != endIndex {
            if self[start...].starts(with: needle, by: { $0 == $1 || ($0 ^ 0x20 == $1 && isLetter($1)) }) {
                return true
            }
            formIndex(after: &start)
        }
        return needle.isEmpty
    }
}
