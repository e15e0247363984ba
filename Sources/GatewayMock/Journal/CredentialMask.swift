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
///   in IANA's registry (`Bearer` with an empty token), which is shown as sent; so is a value whose first
///   word is neither a registered scheme nor letters only (a key sent without a scheme, then more).
/// - `Cookie` and `Set-Cookie`: each `;`-separated `name=value` keeps its name and shows its value as
///   a credential; a part without `=` is a credential as a whole.
/// - Any other field whose name contains `api-key`, `apikey` or `api_key` (`x-portkey-api-key`),
///   `virtual-key` (`x-portkey-virtual-key`), `token`, `secret`, `password` or `credential`, and Portkey's
///   `x-portkey-config` (a config's id, or its JSON, which may hold a provider's key): the value as a whole.
///   Portkey's OpenAPI document declares `x-portkey-api-key`, `x-portkey-virtual-key` and
///   `x-portkey-config` as security schemes (with `x-portkey-provider` and `x-portkey-custom-host`, which
///   name a provider and a URL and are shown as sent).
///
/// An entry keeps the keys its request was checked against, so a key list replaced later
/// (`PUT /__admin/seed/keys`) does not change what it says. Recording costs nothing more: the mask is
/// applied when the journal is read.
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

    /// `headers` in order, every credential shown as described above.
    func apply(to headers: HTTPHeaders) -> [HTTPHeaders.Field] {
        headers.map { field in
            switch Self.kind(of: field.name) {
            case nil:
                return field
            case .authorization?:
                let (scheme, credentials) = shownAuthorization(field.value)
                return (
                    field.name, scheme.map { credentials.isEmpty ? String($0) : "\($0) \(credentials)" } ?? credentials
                )
            case .cookies?:
                return (field.name, shownCookies(field.value))
            case .whole?:
                return (field.name, shown(field.value))
            }
        }
    }

    /// The vendor's key as shown, without a scheme, for the access log: that of the first field named
    /// `Vendor.keyHeader`; nil when there is none or it carries no credentials. (Read on the header's bytes
    /// in place: the access log shows every request's key.)
    func shownKey(in headers: HTTPHeaders) -> String? {
        let isAuthorization = vendor.keyHeader.equalsIgnoringASCIICase("Authorization")
        let key = headers.withFirstValue(for: vendor.keyHeader) { (value: UnsafeBufferPointer<UInt8>) -> String in
            isAuthorization ? shownAuthorization(value).credentials : shown(value)
        }
        return key?.isEmpty == false ? key : nil
    }

    /// An `Authorization` value's scheme as sent, and its credentials as shown (`Basic` ones masked whole).
    private func shownAuthorization(_ value: String) -> (scheme: Substring?, credentials: String) {
        var value = value
        let (scheme, credentials) = value.withUTF8 { shownAuthorization($0) }
        return (scheme.map { Self.cut(value, $0) }, credentials)
    }

    /// `shownAuthorization(_:)` on the value's bytes: where its scheme is, and its credentials as shown.
    private func shownAuthorization(_ value: UnsafeBufferPointer<UInt8>) -> (scheme: Range<Int>?, credentials: String) {
        let (scheme, credentials) = Self.authorizationParts(value)
        let isBasic = scheme.map { $0.count == 5 && value.matchesIgnoringASCIICase("basic", at: $0.lowerBound) } == true
        return (
            scheme,
            isBasic && !credentials.isEmpty ? Self.mask : shown(UnsafeBufferPointer(rebasing: value[credentials]))
        )
    }

    /// One credential as shown: its label when it is a key in force, else the mask (after a kept prefix);
    /// empty when empty.
    func shown(_ credential: some StringProtocol) -> String {
        credential.withUTF8Bytes(shown)
    }

    /// `shown(_:)` of a credential's UTF-8 bytes.
    private func shown(_ credential: UnsafeBufferPointer<UInt8>) -> String {
        if credential.isEmpty { return "" }
        if let (list, index) = keys.place(of: credential, preferring: vendor) {
            return index < Self.labelsMade ? Self.labels[list.rawValue][index] : Self.label(list, index)
        }
        for prefix in Self.keptPrefixes
        where credential.count > prefix.utf8.count && credential.starts(with: prefix.utf8) {
            return prefix + Self.mask
        }
        return Self.mask
    }

    /// The label of the key at `index` in `list`, e.g. `[openrouter management key 1]`.
    static func label(_ list: APIKeys.List, _ index: Int) -> String {
        "[\(list.vendor.rawValue) \(list.role) key \(index + 1)]"
    }

    /// `labels[list.rawValue][index]`: the labels of the first `labelsMade` places of each list, made
    /// once, so that showing a known key (in the access log, for every request) allocates nothing.
    static let labels = APIKeys.List.allCases.map { list in (0..<labelsMade).map { label(list, $0) } }
    static let labelsMade = 16

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

    /// How a field named `name` holds credentials; nil when it holds none. It compares bytes, with no
    /// allocation: it runs for the vendor's key header of every request the access log shows.
    static func kind(of name: String) -> Kind? {
        var name = name
        return name.withUTF8 { name in
            switch name.count {
            case 6 where name.matchesIgnoringASCIICase("cookie", at: 0),
                10 where name.matchesIgnoringASCIICase("set-cookie", at: 0):
                return .cookies
            case 13 where name.matchesIgnoringASCIICase("authorization", at: 0),
                19 where name.matchesIgnoringASCIICase("proxy-authorization", at: 0):
                return .authorization
            case 16 where name.matchesIgnoringASCIICase("x-portkey-config", at: 0):
                return .whole
            default:
                let contains = { (part: StaticString) in
                    (0..<max(0, name.count - part.utf8CodeUnitCount + 1)).contains {
                        name.matchesIgnoringASCIICase(part, at: $0)
                    }
                }
                return wholeValueNameParts.contains(where: contains) ? .whole : nil
            }
        }
    }

    /// What a field name holding a credential as its whole value contains (lowercase).
    private static let wholeValueNameParts: [StaticString] = [
        "api-key", "apikey", "api_key", "virtual-key", "token", "secret", "password", "credential",
    ]

    /// The scheme (nil when the value is all credentials) and the credentials of an `Authorization` value.
    /// A first word is a scheme when it is a registered scheme's name or letters only (`Token`); anything
    /// else (`sk-or-v1-… x`: a key sent without a scheme) makes the whole value credentials, so that no
    /// part of a key is shown as a scheme.
    static func authorizationParts(_ value: String) -> (scheme: Substring?, credentials: Substring) {
        var value = value
        let (scheme, credentials) = value.withUTF8 { authorizationParts($0) }
        return (scheme.map { cut(value, $0) }, cut(value, credentials))
    }

    /// `authorizationParts(_:)` on the value's bytes: where the scheme and the credentials are.
    static func authorizationParts(_ value: UnsafeBufferPointer<UInt8>) -> (
        scheme: Range<Int>?, credentials: Range<Int>
    ) {
        let isRegistered = { (word: Range<Int>) in
            let word = String(decoding: UnsafeBufferPointer(rebasing: value[word]), as: UTF8.self)
            return registeredSchemes.contains { $0.equalsIgnoringASCIICase(word) }
        }
        guard let space = value.firstIndex(of: UInt8(ascii: " ")) else {
            return isRegistered(value.indices) ? (value.indices, value.count..<value.count) : (nil, value.indices)
        }
        let isLetters = value[..<space].allSatisfy {
            ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z")
        }
        guard isLetters || isRegistered(0..<space) else { return (nil, value.indices) }
        return (0..<space, value.trimmingASCIIWhitespace(space..<value.count))
    }

    /// The part of `text` at the UTF-8 offsets `range`.
    private static func cut(_ text: String, _ range: Range<Int>) -> Substring {
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        return Substring(utf8[start..<utf8.index(start, offsetBy: range.count)])
    }
}
