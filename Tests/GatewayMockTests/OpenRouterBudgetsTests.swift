import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// `GET /workspaces/{id}/budgets` and `GET`/`PUT`/`DELETE …/budgets/{interval}`.
@Suite struct OpenRouterBudgetsTests {
    static func seedBudgets(of slug: String) throws -> (workspace: [String: Any], budgets: [[String: Any]]) {
        let workspace = try OpenRouterMembersTests.workspace(slug)
        let budgets = try SeedFiles.records("openrouter/budgets.json").filter {
            $0["workspace_id"] as? String == workspace["id"] as? String
        }
        return (workspace, budgets)
    }

    @Test func budgetsAreListedNarrowestFirstWithTheWorkspacesFlag() throws {
        let router = try TestRouter()
        let (workspace, budgets) = try Self.seedBudgets(of: "support-internal")
        #expect(budgets.count == 4)
        let body = try #require(
            try router.openRouter("GET", "/workspaces/support-internal/budgets").json() as? [String: Any])
        #expect(NSArray(array: body["data"] as? [[String: Any]] ?? []) == NSArray(array: budgets))
        #expect(body["include_byok_in_budgets"] as? Bool == workspace["include_byok_in_budgets"] as? Bool)
        let monthly = try #require(
            try router.openRouter("GET", "/workspaces/support-internal/budgets/monthly").json() as? [String: Any])
        #expect(
            NSDictionary(dictionary: monthly["data"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: budgets[2]))
        #expect(
            router.openRouter("GET", "/workspaces/search-internal/budgets").text
                == #"{"data":[],"include_byok_in_budgets":false}"#)
    }

    @Test func putCreatesThenUpdatesKeepingIDAndCreatedAt() throws {
        let router = try TestRouter()
        let workspace = try OpenRouterMembersTests.workspace("search-internal")
        let id = workspace["id"] as! String
        let created = router.openRouter(
            "PUT", "/workspaces/search-internal/budgets/monthly", body: #"{"limit_usd":100}"#)
        #expect(created.code == 200)
        let budget = try #require((try created.json() as? [String: Any])?["data"] as? [String: Any])
        let budgetID = UUID5.make(namespace: UUID5.seedNamespace, name: "openrouter-budget:\(id):monthly")
        let createdAt = try #require(budget["created_at"] as? String)
        #expect(OpenRouterWorkspaceLifecycleTests.isTimestamp(createdAt))
        #expect(
            created.text
                == #"{"data":{"id":"\#(budgetID)","workspace_id":"\#(id)","limit_usd":100,"reset_interval":"monthly","created_at":"\#(createdAt)","updated_at":"\#(createdAt)"},"include_byok_in_budgets":false}"#
        )
        let updated = router.openRouter(
            "PUT", "/workspaces/search-internal/budgets/monthly",
            body: #"{"limit_usd":250.5,"include_byok_in_budgets":true}"#)
        let again = try #require((try updated.json() as? [String: Any])?["data"] as? [String: Any])
        #expect(again["id"] as? String == budgetID)
        #expect(again["created_at"] as? String == createdAt)
        #expect(again["limit_usd"] as? Double == 250.5)
        #expect(updated.text.hasSuffix(#"},"include_byok_in_budgets":true}"#))
        // The flag is the workspace's: its record and every budget answer show it.
        #expect(
            router.openRouter("GET", "/workspaces/search-internal").text.contains(#""include_byok_in_budgets":true"#))
        let lifetime = router.openRouter(
            "PUT", "/workspaces/search-internal/budgets/lifetime", body: #"{"limit_usd":1000}"#)
        #expect(lifetime.text.contains(#""reset_interval":null"#))
        #expect(lifetime.text.hasSuffix(#""include_byok_in_budgets":true}"#))
    }

    @Test(arguments: [
        (
            "daily", #"{"limit_usd":5000}"#,
            "the daily budget's limit_usd (5000) must be less than the weekly budget's (100): limits must strictly decrease as the interval narrows (lifetime > monthly > weekly > daily)"
        ),
        (
            "lifetime", #"{"limit_usd":5000}"#,
            "the monthly budget's limit_usd (5000) must be less than the lifetime budget's (5000): limits must strictly decrease as the interval narrows (lifetime > monthly > weekly > daily)"
        ),
        ("weekly", #"{"limit_usd":0}"#, "limit_usd must be a number greater than 0, got 0"),
        ("weekly", #"{"limit_usd":-3}"#, "limit_usd must be a number greater than 0, got -3"),
        ("weekly", #"{"limit_usd":"10"}"#, #"limit_usd must be a number greater than 0, got \"10\""#),
        ("weekly", "{}", "limit_usd is required"),
        (
            "weekly", #"{"limit_usd":10,"include_byok_in_budgets":1}"#,
            "include_byok_in_budgets must be a boolean, got a number"
        ),
        ("yearly", #"{"limit_usd":10}"#, #"interval must be one of daily, weekly, monthly, lifetime (got \"yearly\")"#),
    ])
    func badBudgetsGet400AndChangeNothing(interval: String, body: String, message: String) throws {
        let router = try TestRouter()
        let before = router.openRouter("GET", "/workspaces/support-internal/budgets").text
        let response = router.openRouter("PUT", "/workspaces/support-internal/budgets/\(interval)", body: body)
        #expect(response.code == 400)
        #expect(response.text == #"{"error":{"code":400,"message":"\#(message)"}}"#)
        #expect(router.openRouter("GET", "/workspaces/support-internal/budgets").text == before)
    }

    @Test func deleteIsIdempotentAndAMissingBudgetIs404() throws {
        let router = try TestRouter()
        #expect(router.openRouter("DELETE", "/workspaces/support-internal/budgets/daily").text == #"{"deleted":true}"#)
        #expect(router.openRouter("DELETE", "/workspaces/support-internal/budgets/daily").text == #"{"deleted":true}"#)
        let missing = router.openRouter("GET", "/workspaces/support-internal/budgets/daily")
        #expect(missing.code == 404)
        #expect(
            missing.text == #"{"error":{"code":404,"message":"Budget not found: the workspace has no daily budget"}}"#)
        let body = try #require(
            try router.openRouter("GET", "/workspaces/support-internal/budgets").json() as? [String: Any])
        #expect(
            (body["data"] as? [[String: Any]])?.map { $0["reset_interval"] as? String } == ["weekly", "monthly", nil])
        #expect(router.openRouter("DELETE", "/workspaces/support-internal/budgets/hourly").code == 400)
    }

    @Test func deletingAWorkspaceDeletesItsBudgets() throws {
        let router = try TestRouter()
        let total = try SeedFiles.records("openrouter/budgets.json").count
        #expect(router.openRouter("DELETE", "/workspaces/support-internal").code == 200)
        let budgets = try #require(
            try router.admin("GET", "/__admin/seed/openrouter/budgets").json() as? [[String: Any]])
        #expect(budgets.count == total - 4)
    }
}
