import Logging
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// How credentials are shown in the journal and the access log (`CredentialMask`): a known key by its
/// vendor, role and place; anything else by a mask that does not depend on its length.
@Suite struct CredentialMaskTests {
    /// Two keys in some roles, so that places other than 1 are seen.
    static let keys = APIKeys(
        openRouterManagement: ["sk-or-v1-m1", "sk-or-v1-m2"], openRouterInference: ["sk-or-v1-i1"],
        portkeyAdmin: ["pk-a1"], portkeyWorkspace: ["pk-w1", "pk-w2"])
    static let openRouter = CredentialMask(keys: keys, vendor: .openrouter)
    static let portkey = CredentialMask(keys: keys, vendor: .portkey)

    /// The fields as shown, and the access log's key.
    static func shown(_ fields: [(String, String)], vendor: Vendor = .openrouter) -> ([String], String?) {
        let mask = CredentialMask(keys: keys, vendor: vendor)
        let headers = HTTPHeaders(fields)
        return (mask.apply(to: headers).map { "\($0.name): \($0.value)" }, mask.shownKey(in: headers))
    }

    // MARK: - One credential

    @Test func unknownKeysOfEveryLengthGetTheSameMask() {
        #expect(Self.openRouter.shown("abcdefghi") == "********")
        #expect(Self.openRouter.shown("abcdefgh") == "********")
        #expect(Self.openRouter.shown(String(repeating: "k", count: 40)) == "********")
        #expect(Self.openRouter.shown("k") == "********")
    }

    @Test func anUnknownOpenRouterKeyKeepsOnlyItsPrefix() {
        #expect(Self.openRouter.shown("sk-or-v1-" + String(repeating: "0", count: 64)) == "sk-or-v1-********")
        #expect(Self.openRouter.shown("sk-or-v1-x") == "sk-or-v1-********")
        #expect(Self.portkey.shown("sk-or-v1-x") == "sk-or-v1-********")
    }

    @Test(arguments: ["sk-or-v1-", "sk-or-v1", "sk-or-", "SK-OR-V1-abc"])
    func aValueNoLongerThanThePrefixOrNotStartingWithItIsMaskedWhole(value: String) {
        #expect(Self.openRouter.shown(value) == "********")
    }

    @Test(arguments: [
        ("sk-or-v1-m1", "[openrouter management key 1]"), ("sk-or-v1-m2", "[openrouter management key 2]"),
        ("sk-or-v1-i1", "[openrouter inference key 1]"), ("pk-a1", "[portkey admin key 1]"),
        ("pk-w1", "[portkey workspace key 1]"), ("pk-w2", "[portkey workspace key 2]"),
    ])
    func aKnownKeyIsShownByVendorRoleAndPlace(key: String, label: String) {
        #expect(Self.openRouter.shown(key) == label)
        #expect(Self.portkey.shown(key) == label)
    }

    @Test func aKeyListedForBothVendorsIsShownAsTheRequestsVendors() {
        let shared = APIKeys(openRouterManagement: ["both"], portkeyAdmin: ["x", "both"])
        #expect(CredentialMask(keys: shared, vendor: .openrouter).shown("both") == "[openrouter management key 1]")
        #expect(CredentialMask(keys: shared, vendor: .portkey).shown("both") == "[portkey admin key 2]")
    }

    @Test func anEmptyValueStaysEmpty() {
        #expect(Self.openRouter.shown("") == "")
    }

    // MARK: - Header fields

    @Test(arguments: ["Bearer", "bearer", "BEARER", "Token"])
    func authorizationKeepsItsSchemeAsSent(scheme: String) {
        let (fields, key) = Self.shown([("Authorization", "\(scheme) sk-or-v1-m2")])
        #expect(fields == ["Authorization: \(scheme) [openrouter management key 2]"])
        #expect(key == "[openrouter management key 2]")
        #expect(
            Self.shown([("Authorization", "\(scheme) sk-or-v1-zzz")]) == (
                ["Authorization: \(scheme) sk-or-v1-********"], "sk-or-v1-********"
            ))
    }

    @Test func basicCredentialsAreMaskedWholeWhateverTheyHold() {
        #expect(Self.shown([("Authorization", "Basic dXNlcjpwYXNzd29yZA==")]).0 == ["Authorization: Basic ********"])
        #expect(Self.shown([("Authorization", "basic sk-or-v1-m1")]).0 == ["Authorization: basic ********"])
        #expect(Self.shown([("Proxy-Authorization", "Basic YTpi")]).0 == ["Proxy-Authorization: Basic ********"])
    }

    @Test func proxyAuthorizationIsMaskedLikeAuthorizationButIsNotTheVendorsKey() {
        let (fields, key) = Self.shown([("proxy-authorization", "Bearer sk-or-v1-m1")])
        #expect(fields == ["proxy-authorization: Bearer [openrouter management key 1]"])
        #expect(key == nil)
    }

    @Test func anAuthorizationWithoutASchemeIsAllCredentialsAndASchemeAloneIsKept() {
        #expect(Self.shown([("Authorization", "sk-or-v1-m1")]).0 == ["Authorization: [openrouter management key 1]"])
        #expect(Self.shown([("Authorization", "secret")]).0 == ["Authorization: ********"])
        #expect(Self.shown([("Authorization", "Bearer")]) == (["Authorization: Bearer"], nil))
        // A first word that is no scheme (not registered, not letters only) is not shown as one.
        #expect(
            Self.shown([("Authorization", "sk-or-v1-AAAAZq7Xw9Kp3Vt x")]) == (
                ["Authorization: sk-or-v1-********"], "sk-or-v1-********"
            ))
        #expect(Self.shown([("Proxy-Authorization", "k3y-2024 extra")]).0 == ["Proxy-Authorization: ********"])
        #expect(
            Self.shown([("Authorization", "Digest username=\"a\", response=\"b\"")]).0 == [
                "Authorization: Digest ********"
            ])
    }

    @Test func cookiesKeepTheirNamesAndLoseTheirValues() {
        let (fields, key) = Self.shown([
            ("Cookie", "session=abc123; theme=dark;flag; empty=; k=pk-a1"),
            ("Set-Cookie", "id=a3fWa; Path=/; HttpOnly"),
        ])
        #expect(
            fields == [
                "Cookie: session=********; theme=********; ********; empty=; k=[portkey admin key 1]",
                "Set-Cookie: id=********; Path=********; ********",
            ])
        #expect(key == nil)
    }

    @Test func portkeysHeaderShowsAKnownKeyByLabelAndAnUnknownOneMasked() {
        #expect(
            Self.shown([("x-portkey-api-key", "pk-a1")], vendor: .portkey) == (
                ["x-portkey-api-key: [portkey admin key 1]"], "[portkey admin key 1]"
            ))
        #expect(
            Self.shown([("X-Portkey-Api-Key", "pk-w2")], vendor: .portkey) == (
                ["X-Portkey-Api-Key: [portkey workspace key 2]"], "[portkey workspace key 2]"
            ))
        #expect(
            Self.shown([("x-portkey-api-key", "pk-wrong-but-long-enough")], vendor: .portkey) == (
                ["x-portkey-api-key: ********"], "********"
            ))
        #expect(Self.shown([("x-portkey-api-key", "")], vendor: .portkey) == (["x-portkey-api-key: "], nil))
    }

    @Test func namesWithApiKeyTokenOrSecretAreMaskedOthersAreKept() {
        let (fields, key) = Self.shown([
            ("X-API-KEY", "k1"), ("x-auth-token", "t"), ("X-Client-Secret", "s"), ("Host", "localhost"),
            ("X-Trace", "sk-or-v1-m1"), ("AUTHORIZATION", "bearer sk-or-v1-i1"),
        ])
        #expect(
            fields == [
                "X-API-KEY: ********", "x-auth-token: ********", "X-Client-Secret: ********", "Host: localhost",
                "X-Trace: sk-or-v1-m1", "AUTHORIZATION: bearer [openrouter inference key 1]",
            ])
        #expect(key == "[openrouter inference key 1]")
    }

    /// Portkey's OpenAPI document declares these header fields as security schemes: the virtual key and
    /// the config (whose JSON may hold a provider's key) are masked, the provider's name and the custom
    /// host are not secrets.
    @Test func portkeysOtherCredentialFieldsAreMaskedItsProviderAndHostAreKept() {
        let (fields, key) = Self.shown(
            [
                ("x-portkey-api-key", "pk-a1"), ("X-Portkey-Virtual-Key", "openai-virtual-key-1"),
                ("x-portkey-config", #"{"provider":"openai","api_key":"sk-provider"}"#),
                ("x-portkey-provider", "openai"), ("x-portkey-custom-host", "http://localhost:11434"),
                ("apikey", "a"), ("X-Api_Key", "b"), ("x-password", "c"), ("Client-Credential", "d"),
                ("x-portkey-configuration", "kept: the rule names x-portkey-config exactly"),
            ], vendor: .portkey)
        #expect(
            fields == [
                "x-portkey-api-key: [portkey admin key 1]", "X-Portkey-Virtual-Key: ********",
                "x-portkey-config: ********", "x-portkey-provider: openai",
                "x-portkey-custom-host: http://localhost:11434", "apikey: ********", "X-Api_Key: ********",
                "x-password: ********", "Client-Credential: ********",
                "x-portkey-configuration: kept: the rule names x-portkey-config exactly",
            ])
        #expect(key == "[portkey admin key 1]")
    }

    @Test func fieldsWithoutCredentialsComeBackAsTheyWere() {
        let headers = HTTPHeaders([("Host", "localhost"), ("Accept", "*/*")])
        #expect(HTTPHeaders(Self.openRouter.apply(to: headers)) == headers)
        #expect(Self.openRouter.shownKey(in: headers) == nil)
    }

    // MARK: - Through the router: the journal and the access log

    /// A router whose access log is captured.
    static func capturingRouter() throws -> (TestRouter, CapturingLogHandler.Lines) {
        let lines = CapturingLogHandler.Lines()
        let router = try TestRouter(accessLogger: Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) })
        return (router, lines)
    }

    /// The access-log lines with the microseconds replaced by `N`.
    static func accessLog(_ lines: CapturingLogHandler.Lines) -> [String] {
        lines.all.map { $0.replacing(#/ \d+µs/#, with: " Nµs") }
    }

    @Test func theAccessLogNamesTheVendorKeyOnlyWhenTheRequestCarriesOne() throws {
        let (router, lines) = try Self.capturingRouter()
        _ = router.openRouter()
        _ = router.openRouter(key: DefaultKeys.openRouterInference)
        _ = router.openRouter(key: "sk-or-v1-0123456789abcdef")
        _ = router.openRouter(key: nil)
        _ = router.portkey()
        _ = router.portkey(key: "nope")
        _ = router.request(
            "/api/v1/nothing", headers: [("Authorization", "Bearer \(DefaultKeys.openRouterManagement)")])
        _ = router.admin("GET", "/__admin/health")
        #expect(
            Self.accessLog(lines) == [
                "info default GET /api/v1/workspaces 200 Nµs key=[openrouter management key 1] ",
                "info default GET /api/v1/workspaces 403 Nµs key=[openrouter inference key 1] error=key not allowed here",
                "info default GET /api/v1/workspaces 401 Nµs key=sk-or-v1-******** error=unknown key",
                "info default GET /api/v1/workspaces 401 Nµs error=missing key",
                "info default GET /v1/admin/workspaces 200 Nµs key=[portkey admin key 1] ",
                "info default GET /v1/admin/workspaces 401 Nµs key=******** error=unknown key",
                "info default GET /api/v1/nothing 404 Nµs key=[openrouter management key 1] error=no such endpoint",
                "info default GET /__admin/health 200 Nµs ",
            ])
    }

    /// The label is computed when the request is recorded: replacing the keys later does not change it.
    @Test func aJournaledLabelStaysAfterTheKeysAreReplaced() throws {
        let (router, lines) = try Self.capturingRouter()
        _ = router.openRouter()
        let replaced = router.admin(
            "PUT", "/__admin/seed/keys",
            body: #"{"openrouter":{"management":["sk-new","\#(DefaultKeys.openRouterManagement)"]}}"#)
        #expect(replaced.code == 200)
        _ = router.openRouter()
        _ = router.openRouter(key: "sk-new")
        let entries = try JournalTests.entries(router.admin("GET", "/__admin/requests"))
        let authorizations = entries.map { entry in
            (entry["headers"] as? [[String: String]])?.first { $0["name"] == "Authorization" }?["value"]
        }
        #expect(
            authorizations == [
                "Bearer [openrouter management key 1]", "Bearer [openrouter management key 2]",
                "Bearer [openrouter management key 1]",
            ])
        #expect(
            Self.accessLog(lines).filter { $0.contains("/api/") }.map { $0.split(separator: " ").last } == [
                "1]", "2]", "1]",
            ])
        #expect(!router.admin("GET", "/__admin/requests").text.contains("sk-new"))
    }
}
