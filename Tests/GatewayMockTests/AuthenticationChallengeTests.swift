import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// RFC 9110 §11.6.1: every 401 carries `WWW-Authenticate` (JDK's `HttpClient` with an `Authenticator`
/// throws "WWW-Authenticate header missing" otherwise), with the documented bodies unchanged; no other
/// status carries one.
@Suite struct AuthenticationChallengeTests {
    static let openRouterChallenge = #"WWW-Authenticate: Bearer realm="OpenRouter""#
    static let openRouterInvalidToken = #"WWW-Authenticate: Bearer realm="OpenRouter", error="invalid_token""#
    static let portkeyChallenge = #"WWW-Authenticate: x-portkey-api-key realm="Portkey""#

    /// A concrete request for every row of a vendor's route table: its method and example path.
    static func targets(_ vendor: any VendorEmulation) -> [(method: String, path: String)] {
        vendor.routes.routes.map { route in
            (route.method, route.example?.path ?? String(route.name.drop { $0 != " " }.dropFirst()))
        }
    }

    @Test func everyOpenRouterEndpointChallengesAMissingOrUnknownBearerToken() throws {
        let router = try TestRouter()
        let targets = Self.targets(OpenRouterEmulation())
        #expect(targets.count == 13)
        for (method, path) in targets {
            for (headers, challenge, body) in [
                ([], Self.openRouterChallenge, #"{"error":{"code":401,"message":"Missing Authentication header"}}"#),
                (
                    [("Authorization", "Basic c2stb3I=")], Self.openRouterChallenge,
                    #"{"error":{"code":401,"message":"Missing Authentication header"}}"#
                ),
                (
                    [("Authorization", "Bearer sk-or-v1-unknown")], Self.openRouterInvalidToken,
                    #"{"error":{"code":401,"message":"Invalid credentials"}}"#
                ),
            ] {
                let response = router.request(path, method: method, headers: headers)
                #expect(response.code == 401, "\(method) \(path)")
                #expect(response.headerLines == ["Content-Type: application/json", challenge], "\(method) \(path)")
                #expect(response.text == body, "\(method) \(path)")
            }
        }
    }

    @Test func everyPortkeyEndpointChallengesAMissingOrUnknownKey() throws {
        let router = try TestRouter()
        let targets = Self.targets(PortkeyEmulation())
        #expect(targets.count == 11)
        for (method, path) in targets {
            for headers in [[], [("x-portkey-api-key", "")], [("x-portkey-api-key", "pk-unknown")]] {
                let response = router.request(path, method: method, headers: headers)
                #expect(response.code == 401, "\(method) \(path)")
                #expect(response.headerLines == ["Content-Type: application/json", Self.portkeyChallenge])
                #expect(
                    response.text == #"{"success":false,"data":{"message":"Unauthorised Request","errorCode":"AB05"}}"#)
            }
        }
    }

    @Test func aHEADAnsweredWith401CarriesTheChallengeToo() throws {
        let response = try TestRouter().request("/api/v1/workspaces", method: "HEAD")
        #expect(response.code == 401)
        #expect(response.header("WWW-Authenticate") == #"Bearer realm="OpenRouter""#)
    }

    @Test func aForced401CarriesTheChallenge() throws {
        let router = try TestRouter()
        let openRouter = router.openRouter(headers: [("Prefer", "code=401")])
        #expect(openRouter.code == 401)
        #expect(openRouter.headerLines == ["Content-Type: application/json", Self.openRouterChallenge])
        #expect(openRouter.text == #"{"error":{"code":401,"message":"Missing Authentication header"}}"#)
        let portkey = router.portkey(headers: [("Prefer", "code=401")])
        #expect(portkey.code == 401)
        #expect(portkey.headerLines == ["Content-Type: application/json", Self.portkeyChallenge])
    }

    @Test func aFaultRuleForcing401CarriesTheChallenge() throws {
        let router = try TestRouter()
        #expect(router.admin("POST", "/__admin/faults", body: #"{"status":401,"times":2}"#).code == 201)
        let openRouter = router.openRouter("DELETE", "/workspaces/staging")
        #expect(openRouter.code == 401)
        #expect(openRouter.headerLines == ["Content-Type: application/json", Self.openRouterChallenge])
        let portkey = router.portkey("GET", "/admin/users")
        #expect(portkey.code == 401)
        #expect(portkey.headerLines == ["Content-Type: application/json", Self.portkeyChallenge])
        #expect(router.openRouter("DELETE", "/workspaces/staging").code == 200, "the rule is used up")
    }

    /// 403, 404, 405, 400, 429, 500 and the control plane's errors (which never answer 401) carry none.
    @Test func noOtherStatusCarriesAChallenge() throws {
        let router = try TestRouter()
        let responses = [
            router.openRouter(key: DefaultKeys.openRouterInference),
            router.portkey(key: DefaultKeys.portkeyWorkspace),
            router.openRouter("?limit=0"),
            router.openRouter("GET", "/workspaces/nope"),
            router.openRouter(method: "PUT"),
            router.request("/api/v1/nope"),
            router.portkey(headers: [("Prefer", "code=429")]),
            router.portkey(headers: [("Prefer", "code=500")]),
            router.request("/nope"),
            router.admin("POST", "/__admin/faults", body: "{"),
            router.admin("DELETE", "/__admin/health"),
        ]
        #expect(responses.map(\.code) == [403, 403, 400, 404, 405, 404, 429, 500, 404, 400, 405])
        for response in responses {
            #expect(response.header("WWW-Authenticate") == nil, "\(response.code) \(response.text)")
        }
    }
}
