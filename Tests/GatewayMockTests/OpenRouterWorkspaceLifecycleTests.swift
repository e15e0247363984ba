import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// `POST /api/v1/workspaces`, `GET`/`PATCH`/`DELETE /api/v1/workspaces/{id}`: the exact bytes a client
/// sees, the rules of the vendor's document and `LIFECYCLE-NOTES.md`, and that a refused write changes
/// nothing.
@Suite struct OpenRouterWorkspaceLifecycleTests {
    /// `2026-11-30T07:15:41Z`: OpenRouter's timestamps, to the second.
    static func isTimestamp(_ text: String?) -> Bool {
        guard let text, text.utf8.count == 20 else { return false }
        return text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil
    }

    /// The first id the mock gives a created workspace: `uuid5(seed namespace, "gateway-mock-workspace:1")`,
    /// as Python's `uuid.uuid5` computes it.
    static let firstCreatedID = "91d36246-e459-5a84-be2a-b38341e8f3b3"

    @Test func createAnswers201WithTheDocumentedDefaultsInSeedKeyOrder() throws {
        let router = try TestRouter()
        let response = router.openRouter("POST", "/workspaces", body: #"{"name":"Launch Prep","slug":"launch-prep"}"#)
        #expect(response.code == 201)
        #expect(response.headerLines == ["Content-Type: application/json"])
        let record = try #require((try response.json() as? [String: Any])?["data"] as? [String: Any])
        let createdAt = try #require(record["created_at"] as? String)
        #expect(Self.isTimestamp(createdAt))
        #expect(
            response.text
                == #"{"data":{"id":"91d36246-e459-5a84-be2a-b38341e8f3b3","name":"Launch Prep","slug":"launch-prep","description":null,"default_text_model":null,"default_image_model":null,"default_provider_sort":null,"is_observability_io_logging_enabled":false,"is_observability_broadcast_enabled":false,"is_data_discount_logging_enabled":true,"io_logging_sampling_rate":1,"io_logging_api_key_ids":null,"created_at":"\#(createdAt)","updated_at":null,"created_by":null,"default_guardrail_id":"bbc8b734-c5bb-5c42-a7d5-ed2fa9d6a29e","include_byok_in_budgets":false}}"#
        )
    }

    @Test func createTakesEveryDocumentedFieldAndIgnoresUnknownOnes() throws {
        let router = try TestRouter()
        let body = #"""
            {"name":"Lab","slug":"lab-1","description":"Research","default_text_model":"openai/gpt-4o",
             "default_image_model":null,"default_provider_sort":"latency","io_logging_api_key_ids":[3,7],
             "io_logging_sampling_rate":0.25,"is_data_discount_logging_enabled":false,
             "is_observability_io_logging_enabled":true,"is_observability_broadcast_enabled":true,
             "disabled_server_tools":["web_search"],"id":"chosen-by-client","created_at":"1999-01-01T00:00:00Z",
             "color":"blue"}
            """#
        let response = router.openRouter("POST", "/workspaces", body: body)
        #expect(response.code == 201)
        let record = try #require((try response.json() as? [String: Any])?["data"] as? [String: Any])
        #expect(record["id"] as? String == Self.firstCreatedID)
        #expect(record["description"] as? String == "Research")
        #expect(record["default_provider_sort"] as? String == "latency")
        #expect(record["io_logging_api_key_ids"] as? [Int] == [3, 7])
        #expect(record["io_logging_sampling_rate"] as? Double == 0.25)
        #expect(record["is_data_discount_logging_enabled"] as? Bool == false)
        #expect(record["is_observability_io_logging_enabled"] as? Bool == true)
        #expect(record["disabled_server_tools"] as? [String] == ["web_search"])
        #expect(record["created_at"] as? String != "1999-01-01T00:00:00Z")
        #expect(record["color"] == nil)
        #expect(
            response.text.contains(
                #""default_guardrail_id":"bbc8b734-c5bb-5c42-a7d5-ed2fa9d6a29e","include_byok_in_budgets":false,"disabled_server_tools":["web_search"]}}"#
            ))
    }

    @Test func aCreatedWorkspaceIsServedByIDBySlugAndLastInTheList() throws {
        let router = try TestRouter()
        let created = router.openRouter("POST", "/workspaces", body: #"{"name":"New","slug":"new-one"}"#)
        let byID = router.openRouter("GET", "/workspaces/\(Self.firstCreatedID)")
        let bySlug = router.openRouter("GET", "/workspaces/new-one")
        #expect(byID.code == 200)
        #expect(byID.text == created.text)
        #expect(bySlug.text == created.text)
        let list = router.openRouter("GET", "/workspaces?offset=120")
        let record = String(created.text.dropFirst(#"{"data":"#.count).dropLast())
        #expect(list.text == #"{"data":[\#(record)],"total_count":121}"#)
    }

    @Test func theSameCallsInAFreshOrResetNamespaceGiveTheSameIDs() throws {
        let router = try TestRouter()
        func ids(_ namespace: String) throws -> [String] {
            try ["a", "b", "c"].map { slug in
                let response = router.openRouter(
                    "POST", "/workspaces", body: #"{"name":"\#(slug)","slug":"\#(slug)"}"#, namespace: namespace)
                return try #require(
                    ((try response.json() as? [String: Any])?["data"] as? [String: Any])?["id"] as? String)
            }
        }
        let first = try ids("one")
        #expect(first[0] == Self.firstCreatedID)
        #expect(Set(first).count == 3)
        #expect(try ids("two") == first)
        #expect(router.admin("POST", "/__admin/reset", namespace: "one").code == 200)
        #expect(try ids("one") == first)
    }

    @Test func aCreatedIDSkipsIDsAlreadyInUse() throws {
        let router = try TestRouter()
        // A seed record that holds the first id the mock would give.
        var record = try SeedFiles.openRouter[3]
        record["id"] = Self.firstCreatedID
        #expect(
            router.admin("PUT", "/__admin/seed/openrouter/workspaces", body: try SeedFiles.jsonArray([record])).code
                == 200)
        let response = router.openRouter("POST", "/workspaces", body: #"{"name":"N","slug":"n"}"#)
        let id = ((try response.json() as? [String: Any])?["data"] as? [String: Any])?["id"] as? String
        #expect(id == UUID5.make(namespace: UUID5.seedNamespace, name: "gateway-mock-workspace:2"))
    }

    @Test func updateIsPartialClearsWithNullMovesTheSlugAndStampsUpdatedAt() throws {
        let router = try TestRouter()
        let seed = try SeedFiles.openRouter[1]
        let response = router.openRouter(
            "PATCH", "/workspaces/\(seed["slug"] as! String)",
            body: #"{"description":null,"slug":"search-moved","io_logging_sampling_rate":0.5}"#)
        #expect(response.code == 200)
        let record = try #require((try response.json() as? [String: Any])?["data"] as? [String: Any])
        #expect(record["description"] is NSNull)
        #expect(record["slug"] as? String == "search-moved")
        #expect(record["io_logging_sampling_rate"] as? Double == 0.5)
        #expect(record["name"] as? String == seed["name"] as? String)
        #expect(record["created_at"] as? String == seed["created_at"] as? String)
        #expect(Self.isTimestamp(record["updated_at"] as? String))
        #expect(record["updated_at"] as? String != seed["updated_at"] as? String)
        // Every key stays where the seed had it.
        #expect(
            response.text.hasPrefix(
                #"{"data":{"id":"\#(seed["id"] as! String)","name":"\#(seed["name"] as! String)","slug":"search-moved","description":null,"#
            ))
        #expect(router.openRouter("GET", "/workspaces/search-moved").code == 200)
        #expect(router.openRouter("GET", "/workspaces/\(seed["slug"] as! String)").code == 404)
        #expect(router.openRouter("GET", "/workspaces?limit=2").text.contains(#""slug":"search-moved""#))
    }

    @Test func anEmptyUpdateOnlyStampsUpdatedAt() throws {
        let router = try TestRouter()
        let before = router.openRouter("GET", "/workspaces/production")
        let after = router.openRouter("PATCH", "/workspaces/production", body: "{}")
        #expect(after.code == 200)
        let old = try #require((try before.json() as? [String: Any])?["data"] as? [String: Any])
        var new = try #require((try after.json() as? [String: Any])?["data"] as? [String: Any])
        #expect(Self.isTimestamp(new["updated_at"] as? String))
        new["updated_at"] = old["updated_at"]
        #expect(NSDictionary(dictionary: new) == NSDictionary(dictionary: old))
    }

    @Test func deleteAnswersDeletedTrueAndTheWorkspaceIsGoneEverywhere() throws {
        let router = try TestRouter()
        let seed = try SeedFiles.openRouter[2]
        let id = seed["id"] as! String
        let response = router.openRouter("DELETE", "/workspaces/\(id)")
        #expect(response.code == 200)
        #expect(response.text == #"{"deleted":true}"#)
        #expect(router.openRouter("GET", "/workspaces/\(id)").code == 404)
        let list = try #require(try router.openRouter("GET", "/workspaces?limit=100").json() as? [String: Any])
        #expect(list["total_count"] as? Int == 119)
        #expect((list["data"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == false)
        #expect(router.openRouter("DELETE", "/workspaces/\(id)").code == 404)
    }

    @Test func theDefaultWorkspaceIsDeletedOnlyWithConfirmationInEitherSpelling() throws {
        let router = try TestRouter()
        let refused = router.openRouter("DELETE", "/workspaces/production")
        #expect(refused.code == 403)
        #expect(
            refused.text
                == #"{"error":{"code":403,"message":"The default workspace can only be deleted with confirm_default_workspace_deletion=true (or confirm_default_settings_deletion=true)"}}"#
        )
        #expect(router.openRouter("GET", "/workspaces/production").code == 200)
        #expect(
            router.openRouter("DELETE", "/workspaces/production?confirm_default_workspace_deletion=false").code == 403)
        let bad = router.openRouter("DELETE", "/workspaces/production?confirm_default_workspace_deletion=yes")
        #expect(bad.code == 400)
        #expect(
            router.openRouter("DELETE", "/workspaces/production?confirm_default_settings_deletion=true", namespace: "b")
                .text == #"{"deleted":true}"#)
        #expect(
            router.openRouter("DELETE", "/workspaces/production?confirm_default_workspace_deletion=true").text
                == #"{"deleted":true}"#)
        #expect(router.admin("GET", "/__admin/seed/openrouter/settings").text == #"{"default_workspace_id":null}"#)
    }

    @Test(arguments: [
        (#"{"slug":"x"}"#, "name is required"),
        (#"{"name":"x"}"#, "slug is required"),
        (#"{"name":"","slug":"x"}"#, "name must be 1 to 100 characters long, got 0"),
        (
            #"{"name":"\#(String(repeating: "n", count: 101))","slug":"x"}"#,
            "name must be 1 to 100 characters long, got 101"
        ),
        (#"{"name":7,"slug":"x"}"#, "name must be a string, got a number"),
        (#"{"name":null,"slug":"x"}"#, "name must be a string, got null"),
        (
            #"{"name":"x","slug":"Bad Slug"}"#,
            #"slug must be lowercase letters and digits in runs separated by single hyphens, with no leading or trailing hyphen (got \"Bad Slug\")"#
        ),
        (
            #"{"name":"x","slug":"a--b"}"#,
            #"slug must be lowercase letters and digits in runs separated by single hyphens, with no leading or trailing hyphen (got \"a--b\")"#
        ),
        (
            #"{"name":"x","slug":"\#(String(repeating: "a", count: 51))"}"#,
            "slug must be 1 to 50 characters long, got 51"
        ),
        (#"{"name":"x","slug":"production"}"#, #"slug \"production\" is already used by another workspace"#),
        (
            #"{"name":"x","slug":"x","description":"\#(String(repeating: "d", count: 501))"}"#,
            "description must be 0 to 500 characters long, got 501"
        ),
        (
            #"{"name":"x","slug":"x","io_logging_sampling_rate":0}"#,
            "io_logging_sampling_rate must be a number from 0.0001 to 1, got 0"
        ),
        (
            #"{"name":"x","slug":"x","io_logging_sampling_rate":1.5}"#,
            "io_logging_sampling_rate must be a number from 0.0001 to 1, got 1.5"
        ),
        (
            #"{"name":"x","slug":"x","is_data_discount_logging_enabled":"yes"}"#,
            "is_data_discount_logging_enabled must be a boolean, got a string"
        ),
        (
            #"{"name":"x","slug":"x","io_logging_api_key_ids":[1.5]}"#,
            "io_logging_api_key_ids must be an array of integers or null"
        ),
        (
            #"{"name":"x","slug":"x","io_logging_api_key_ids":[1e300]}"#,
            "io_logging_api_key_ids must be an array of integers or null"
        ),
        (
            #"{"name":"x","slug":"x","disabled_server_tools":"web"}"#,
            "disabled_server_tools must be an array of strings or null"
        ),
        ("[]", "Request body must be a JSON object, got an array"),
        ("", "Request body must be a JSON object, got nothing"),
    ])
    func aBadCreateGets400NamingTheFieldAndChangesNothing(body: String, message: String) throws {
        let router = try TestRouter()
        let response = router.openRouter("POST", "/workspaces", body: body)
        #expect(response.code == 400)
        #expect(response.text == #"{"error":{"code":400,"message":"\#(message)"}}"#)
        #expect(router.openRouter("GET", "/workspaces?limit=1").text.hasSuffix(#""total_count":120}"#))
        // The refused call used no id: the next create gets the first one.
        let next = router.openRouter("POST", "/workspaces", body: #"{"name":"ok","slug":"ok-1"}"#)
        #expect(next.text.hasPrefix(#"{"data":{"id":"\#(Self.firstCreatedID)""#))
    }

    /// Lengths count Unicode code points, as the document's `maxLength` does: 100 emoji are a valid name.
    @Test func lengthsCountCodePointsAndIntegralNumbersAreIntegers() throws {
        let router = try TestRouter()
        let name = String(repeating: "🚀", count: 100)
        let created = router.openRouter(
            "POST", "/workspaces", body: #"{"name":"\#(name)","slug":"rockets","io_logging_api_key_ids":[7.0]}"#)
        #expect(created.code == 201)
        #expect(created.text.contains(#""io_logging_api_key_ids":[7.0]"#))
        let long = router.openRouter("POST", "/workspaces", body: #"{"name":"\#(name)🚀","slug":"rockets-2"}"#)
        #expect(long.text == #"{"error":{"code":400,"message":"name must be 1 to 100 characters long, got 101"}}"#)
    }

    @Test func malformedJSONGets400WithTheParsersReason() throws {
        let response = try TestRouter().openRouter("POST", "/workspaces", body: #"{"name":"x","#)
        #expect(response.code == 400)
        let message = try #require(
            ((try response.json() as? [String: Any])?["error"] as? [String: Any])?["message"] as? String)
        #expect(message.hasPrefix("Request body is not valid JSON: "))
    }

    @Test func badUpdatesGet400AndChangeNothing() throws {
        let router = try TestRouter()
        let before = router.openRouter("GET", "/workspaces/production").text
        for body in [#"{"slug":"search-internal"}"#, #"{"name":null}"#, #"{"slug":"UP"}"#, "[1]", "nope"] {
            #expect(router.openRouter("PATCH", "/workspaces/production", body: body).code == 400, "\(body)")
        }
        #expect(router.openRouter("GET", "/workspaces/production").text == before)
        #expect(router.openRouter("PATCH", "/workspaces/production", body: #"{"slug":"production"}"#).code == 200)
    }

    @Test func unknownWorkspacesGet404OnEveryOperation() throws {
        let router = try TestRouter()
        let message =
            #"{"error":{"code":404,"message":"Workspace not found: no workspace has the id or slug \"nope\""}}"#
        for (method, path, body) in [
            ("GET", "/workspaces/nope", nil), ("PATCH", "/workspaces/nope", "{}"), ("DELETE", "/workspaces/nope", nil),
            ("GET", "/workspaces/nope/members", nil),
            ("POST", "/workspaces/nope/members/add", #"{"user_ids":["user_abc123"]}"#),
            ("POST", "/workspaces/nope/members/remove", #"{"user_ids":["user_abc123"]}"#),
            ("GET", "/workspaces/nope/budgets", nil), ("GET", "/workspaces/nope/budgets/daily", nil),
            ("PUT", "/workspaces/nope/budgets/daily", #"{"limit_usd":5}"#),
            ("DELETE", "/workspaces/nope/budgets/daily", nil),
        ] as [(String, String, String?)] {
            let response = router.openRouter(method, path, body: body)
            #expect(response.code == 404, "\(method) \(path)")
            #expect(response.text == message, "\(method) \(path)")
        }
    }

    @Test func everyOperationNeedsAManagementKey() throws {
        let router = try TestRouter()
        for (method, path) in [
            ("POST", "/api/v1/workspaces"), ("GET", "/api/v1/workspaces/production"),
            ("PATCH", "/api/v1/workspaces/production"), ("DELETE", "/api/v1/workspaces/production"),
            ("GET", "/api/v1/workspaces/production/members"), ("POST", "/api/v1/workspaces/production/members/add"),
            ("GET", "/api/v1/workspaces/production/budgets/daily"), ("GET", "/api/v1/organization/members"),
        ] {
            let none = router.request(path, method: method, body: "{}")
            #expect(none.code == 401, "\(method) \(path)")
            #expect(none.text == #"{"error":{"code":401,"message":"Missing Authentication header"}}"#)
            let inference = router.request(
                path, method: method, headers: [("Authorization", "Bearer \(DefaultKeys.openRouterInference)")],
                body: "{}")
            #expect(inference.code == 403, "\(method) \(path)")
            #expect(
                inference.text == #"{"error":{"code":403,"message":"Only management keys can perform this operation"}}"#
            )
        }
        #expect(router.openRouter("GET", "/workspaces/production").code == 200)
    }

    @Test func createsArePerNamespaceAndLimited() throws {
        let router = try TestRouter(maxCreatedWorkspaces: 2)
        #expect(router.openRouter("POST", "/workspaces", body: #"{"name":"a","slug":"a"}"#).code == 201)
        #expect(router.openRouter("POST", "/workspaces", body: #"{"name":"b","slug":"b"}"#).code == 201)
        let third = router.openRouter("POST", "/workspaces", body: #"{"name":"c","slug":"c"}"#)
        #expect(third.code == 400)
        #expect(
            third.text
                == #"{"error":{"code":400,"message":"this namespace has created 2 workspaces, the mock's limit (--max-created-workspaces); reset it (POST /__admin/reset) or raise the limit"}}"#
        )
        // Deleting does not give creates back; another namespace has its own count.
        #expect(router.openRouter("DELETE", "/workspaces/a").code == 200)
        #expect(router.openRouter("POST", "/workspaces", body: #"{"name":"c","slug":"c"}"#).code == 400)
        #expect(
            router.openRouter("POST", "/workspaces", body: #"{"name":"c","slug":"c"}"#, namespace: "other").code == 201)
        #expect(router.openRouter("GET", "/workspaces/a", namespace: "other").code == 404)
        #expect(router.admin("POST", "/__admin/reset").code == 200)
        #expect(router.openRouter("POST", "/workspaces", body: #"{"name":"c","slug":"c"}"#).code == 201)
    }
}
