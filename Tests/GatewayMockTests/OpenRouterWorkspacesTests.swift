import Foundation
import MockHTTP
import TestSupport
import Testing

/// `GET /api/v1/workspaces` in the handler tier: auth, pagination, forced errors, exact bodies.
@Suite struct OpenRouterWorkspacesTests {
    static let workspaceKeys: Set<String> = [
        "id", "name", "slug", "description", "default_text_model", "default_image_model", "default_provider_sort",
        "is_observability_io_logging_enabled", "is_observability_broadcast_enabled", "is_data_discount_logging_enabled",
        "io_logging_sampling_rate", "io_logging_api_key_ids", "created_at", "updated_at", "created_by",
        "default_guardrail_id", "include_byok_in_budgets",
    ]

    @Test func defaultPageIsFirstFiftyInSeedOrderWithTotalCount() throws {
        let response = try TestRouter().openRouter()
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.disposition == .send)
        #expect(response.delay == nil)
        let body = try #require(try response.json() as? [String: Any])
        #expect(Set(body.keys) == ["data", "total_count"])
        #expect(body["total_count"] as? Int == 120)
        let data = try #require(body["data"] as? [[String: Any]])
        let seed = try SeedFiles.openRouter
        #expect(data.map { $0["id"] as? String } == seed.prefix(50).map { $0["id"] as? String })
        for record in data { #expect(Set(record.keys) == Self.workspaceKeys) }
    }

    @Test func firstRecordIsServedByteExactInSeedKeyOrder() throws {
        let response = try TestRouter().openRouter("?limit=1")
        #expect(
            response.text
                == #"{"data":[{"id":"be8573d0-8601-5a67-8741-309f714d32b7","name":"Production","slug":"production","description":"Production environment workspace","default_text_model":"openai/gpt-4o","default_image_model":"openai/dall-e-3","default_provider_sort":"price","is_observability_io_logging_enabled":false,"is_observability_broadcast_enabled":false,"is_data_discount_logging_enabled":true,"io_logging_sampling_rate":1,"io_logging_api_key_ids":null,"created_at":"2025-01-06T09:00:00Z","updated_at":"2025-01-15T22:01:00Z","created_by":"user_abc123","default_guardrail_id":"01a38491-ca8f-58f9-8409-f23531b4504f","include_byok_in_budgets":false}],"total_count":120}"#
        )
    }

    @Test func walkingPagesYieldsTheWholeStoreInOrder() throws {
        let router = try TestRouter()
        var ids: [String] = []
        var offset = 0
        while true {
            let body = try #require(try router.openRouter("?offset=\(offset)&limit=7").json() as? [String: Any])
            let data = try #require(body["data"] as? [[String: Any]])
            if data.isEmpty { break }
            ids += data.compactMap { $0["id"] as? String }
            offset += data.count
        }
        #expect(ids == (try SeedFiles.openRouter).compactMap { $0["id"] as? String })
    }

    @Test(arguments: [
        ("?offset=118&limit=5", 2, 118),
        ("?offset=120", 0, 120),
        ("?offset=100000", 0, 120),
        ("?offset=&limit=", 50, 0),
        ("?offset=null", 50, 0),
        ("?limit=100", 100, 0),
        ("?limit=1&limit=1", 1, 0),
        ("?offset=007&limit=3", 3, 7),
        ("?offset=9223372036854775", 0, 120),
    ])
    func offsetAndLimitSelectTheSlice(query: String, count: Int, firstIndex: Int) throws {
        let response = try TestRouter().openRouter(query)
        #expect(response.code == 200)
        let body = try #require(try response.json() as? [String: Any])
        let data = try #require(body["data"] as? [[String: Any]])
        #expect(data.count == count)
        #expect(body["total_count"] as? Int == 120)
        if let first = data.first {
            #expect(first["id"] as? String == (try SeedFiles.openRouter)[firstIndex]["id"] as? String)
        }
    }

    @Test(arguments: [
        ("?limit=0", "limit", "0", "must be an integer from 1 to 100"),
        ("?limit=101", "limit", "101", "must be an integer from 1 to 100"),
        ("?limit=-1", "limit", "-1", "must be an integer from 1 to 100"),
        ("?limit=abc", "limit", "abc", "must be an integer from 1 to 100"),
        ("?limit=1.5", "limit", "1.5", "must be an integer from 1 to 100"),
        ("?limit=null", "limit", "null", "must be an integer from 1 to 100"),
        // The SDK leaves out a parameter set to None; the text `None` (a hand-built URL) is no integer.
        ("?limit=None", "limit", "None", "must be an integer from 1 to 100"),
        ("?offset=None", "offset", "None", "must be an integer of 0 or more"),
        ("?limit=+5", "limit", " 5", "must be an integer from 1 to 100"),
        ("?offset=-1", "offset", "-1", "must be an integer of 0 or more"),
        ("?offset=abc", "offset", "abc", "must be an integer of 0 or more"),
        ("?offset=1.5", "offset", "1.5", "must be an integer of 0 or more"),
        ("?offset=99999999999999999999", "offset", "99999999999999999999", "must be an integer of 0 or more"),
    ])
    func invalidParametersGet400NamingParameterAndReason(
        query: String, parameter: String, value: String, reason: String
    ) throws {
        let response = try TestRouter().openRouter(query)
        #expect(response.code == 400)
        #expect(response.headerLines == ["Content-Type: application/json"])
        let expected =
            #"{"error":{"code":400,"message":"Invalid request parameters","metadata":{"parameter":"\#(parameter)","value":"\#(value)","reason":"\#(reason)"}}}"#
        #expect(response.text == expected)
    }

    @Test(arguments: [
        nil, "", "Bearer", "Bearer ", " \tBearer \t ", "Basic c2stb3I=", "Token sk-or-v1-mock-management",
        "Bearer-sk-or-v1-mock-management", "Bearer\tsk-or-v1-mock-management",
    ])
    func missingOrEmptyKeyGets401WithDocumentedBody(authorization: String?) throws {
        let headers = authorization.map { [("Authorization", $0)] } ?? []
        let response = try TestRouter().openRouter(key: nil, headers: headers)
        #expect(response.code == 401)
        #expect(
            response.headerLines == ["Content-Type: application/json", #"WWW-Authenticate: Bearer realm="OpenRouter""#])
        #expect(response.text == #"{"error":{"code":401,"message":"Missing Authentication header"}}"#)
    }

    @Test func unknownKeyGets401InTheSameEnvelope() throws {
        let response = try TestRouter().openRouter(key: "sk-or-v1-not-a-real-key")
        #expect(response.code == 401)
        #expect(
            response.headerLines == [
                "Content-Type: application/json",
                #"WWW-Authenticate: Bearer realm="OpenRouter", error="invalid_token""#,
            ])
        #expect(response.text == #"{"error":{"code":401,"message":"Invalid credentials"}}"#)
    }

    @Test func inferenceKeyGets403() throws {
        let response = try TestRouter().openRouter(key: DefaultKeys.openRouterInference)
        #expect(response.code == 403)
        #expect(response.text == #"{"error":{"code":403,"message":"Only management keys can perform this operation"}}"#)
    }

    @Test(arguments: [
        "bEaReR \(DefaultKeys.openRouterManagement)", " \t Bearer \t \(DefaultKeys.openRouterManagement) \t",
    ])
    func bearerSchemeIsCaseInsensitiveAndBlanksAroundItAreSkipped(authorization: String) throws {
        let response = try TestRouter().openRouter(key: nil, headers: [("Authorization", authorization)])
        #expect(response.code == 200)
    }

    /// The token ends where the value does, not at the key's length: trimming takes blanks only.
    @Test func aKeyWithACharacterAppendedIsUnknown() throws {
        let response = try TestRouter().openRouter(key: DefaultKeys.openRouterManagement + "x")
        #expect(response.code == 401)
        #expect(response.text == #"{"error":{"code":401,"message":"Invalid credentials"}}"#)
    }

    @Test func authenticationIsCheckedBeforeParametersAndForcedErrors() throws {
        let router = try TestRouter()
        #expect(router.openRouter("?limit=0", key: nil).code == 401)
        #expect(router.openRouter("?limit=0", key: DefaultKeys.openRouterInference).code == 403)
        #expect(router.openRouter(key: nil, headers: [("Prefer", "code=500")]).code == 401)
    }

    @Test(arguments: [
        ("code=500", 500, #"{"error":{"code":500,"message":"Internal Server Error"}}"#),
        ("code=401", 401, #"{"error":{"code":401,"message":"Missing Authentication header"}}"#),
        ("code=403", 403, #"{"error":{"code":403,"message":"Only management keys can perform this operation"}}"#),
        ("code=429", 429, #"{"error":{"code":429,"message":"Rate limit exceeded"}}"#),
        ("code=400", 400, #"{"error":{"code":400,"message":"Invalid request parameters"}}"#),
        ("dynamic=true, code=\"500\"", 500, #"{"error":{"code":500,"message":"Internal Server Error"}}"#),
    ])
    func preferCodeForcesTheDocumentedErrorBody(prefer: String, status: Int, body: String) throws {
        let response = try TestRouter().openRouter("?limit=0", headers: [("Prefer", prefer)])
        #expect(response.code == status)
        let challenge = status == 401 ? [#"WWW-Authenticate: Bearer realm="OpenRouter""#] : []
        #expect(response.headerLines == ["Content-Type: application/json"] + challenge)
        #expect(response.text == body)
        #expect(response.disposition == .send)
        #expect(response.delay == nil)
    }

    @Test func unsupportedPreferCodeGets400ListingTheSupportedOnes() throws {
        let response = try TestRouter().openRouter(headers: [("Prefer", "code=418")])
        #expect(response.code == 400)
        #expect(
            response.text
                == #"{"error":{"code":400,"message":"Invalid request parameters","metadata":{"parameter":"Prefer","value":"code=418","reason":"code must be one of 400, 401, 403, 429, 500"}}}"#
        )
    }
}
