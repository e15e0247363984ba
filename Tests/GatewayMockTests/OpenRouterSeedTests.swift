import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// OpenRouter's seed collections beyond the workspaces (organization members, members, budgets, the
/// mock's settings): validated at start with file, index and field, references included; and the
/// control plane's `GET`/`PUT /__admin/seed/openrouter/<collection>`.
@Suite struct OpenRouterSeedTests {
    /// Calls `body` with a seed directory made of the package's files with `replacements` (file → text;
    /// nil removes the file), and removes the directory when `body` returns.
    static func withDirectory<R>(_ replacements: [String: String?], _ body: (String) throws -> R) throws -> R {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: SeedFiles.directory, to: target)
        defer { try? FileManager.default.removeItem(at: target) }
        for (file, text) in replacements {
            let url = target.appendingPathComponent(file)
            if let text {
                try text.write(to: url, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.removeItem(at: url)
            }
        }
        return try body(target.path)
    }

    static let production = "be8573d0-8601-5a67-8741-309f714d32b7"
    static let search = "43c03c47-9898-507e-9cb8-e8f592425857"

    @Test func theEmbeddedStoreHoldsEveryCollection() throws {
        let store = try SeedStore.load(from: .embedded).openRouter
        #expect(
            store.organizationMembers.count == (try SeedFiles.records("openrouter/organization-members.json")).count)
        #expect(store.allMembers.count == (try SeedFiles.records("openrouter/members.json")).count)
        #expect(store.allBudgets.count == (try SeedFiles.records("openrouter/budgets.json")).count)
        #expect(store.defaultWorkspaceID == Self.production)
    }

    @Test func theNewFilesAreOptional() throws {
        let store = try Self.withDirectory([
            "openrouter/organization-members.json": nil, "openrouter/members.json": nil, "openrouter/budgets.json": nil,
            "openrouter/settings.json": nil,
        ]) { try SeedStore.load(from: .directory($0)).openRouter }
        #expect(store.organizationMembers.count == 0)
        #expect(store.allMembers.isEmpty)
        #expect(store.defaultWorkspaceID == nil)
        #expect(store.workspaces.count == 120)
    }

    static let member =
        #"{"id":"m1","workspace_id":"\#(search)","user_id":"user_abc123","role":"admin","created_at":"2025-02-01T00:00:00Z"}"#
    static let budget =
        #"{"id":"b1","workspace_id":"\#(search)","limit_usd":50,"reset_interval":"weekly","created_at":"2025-02-01T00:00:00Z","updated_at":"2025-02-01T00:00:00Z"}"#

    @Test(arguments: [
        (
            "openrouter/members.json", "{}",
            "openrouter/members.json: expected a JSON array of workspace members, got an object"
        ),
        (
            "openrouter/members.json", "[\(member.replacingOccurrences(of: #""role":"admin","#, with: ""))]",
            "openrouter/members.json: [0].role: missing"
        ),
        (
            "openrouter/members.json", "[\(member.replacingOccurrences(of: search, with: "nope"))]",
            #"openrouter/members.json: [0].workspace_id: no workspace has the id "nope""#
        ),
        (
            "openrouter/members.json", "[\(member.replacingOccurrences(of: search, with: production))]",
            "openrouter/members.json: [0].workspace_id: the default workspace holds every organization member implicitly; list no members of it"
        ),
        (
            "openrouter/members.json", "[\(member.replacingOccurrences(of: "user_abc123", with: "user_x"))]",
            #"openrouter/members.json: [0].user_id: "user_x" is not an organization member"#
        ),
        (
            "openrouter/members.json", "[\(member.replacingOccurrences(of: #""admin""#, with: #""member""#))]",
            #"openrouter/members.json: [0].role: must be "admin", the role of a org:admin member"#
        ),
        (
            "openrouter/members.json", "[\(member),\(member.replacingOccurrences(of: "m1", with: "m2"))]",
            "openrouter/members.json: [1].user_id: duplicate of [0]: the same user in the same workspace"
        ),
        (
            "openrouter/budgets.json",
            "[\(budget.replacingOccurrences(of: #""limit_usd":50"#, with: #""limit_usd":0"#))]",
            "openrouter/budgets.json: [0].limit_usd: must be greater than 0"
        ),
        (
            "openrouter/budgets.json", "[\(budget.replacingOccurrences(of: #""weekly""#, with: #""yearly""#))]",
            #"openrouter/budgets.json: [0].reset_interval: must be one of daily, weekly, monthly, got "yearly""#
        ),
        (
            "openrouter/budgets.json",
            "[\(budget),\(budget.replacingOccurrences(of: "b1", with: "b2").replacingOccurrences(of: #""weekly""#, with: #""daily""#).replacingOccurrences(of: #""limit_usd":50"#, with: #""limit_usd":60"#))]",
            "openrouter/budgets.json: [1].limit_usd: the daily budget's limit_usd (60) must be less than the weekly budget's (50): limits must strictly decrease as the interval narrows (lifetime > monthly > weekly > daily)"
        ),
        (
            "openrouter/budgets.json", "[\(budget),\(budget.replacingOccurrences(of: "b1", with: "b2"))]",
            "openrouter/budgets.json: [1].reset_interval: duplicate of [0]: one weekly budget per workspace"
        ),
        (
            "openrouter/organization-members.json",
            #"[{"id":"u1","email":"a@x","first_name":null,"last_name":null,"role":"org:owner"}]"#,
            #"openrouter/organization-members.json: [0].role: must be one of org:admin, org:member, got "org:owner""#
        ),
        (
            "openrouter/settings.json", #"{"default_workspace_id":"nope"}"#,
            #"openrouter/settings.json: default_workspace_id: no workspace has the id "nope""#
        ),
        (
            "openrouter/settings.json", #"{"default":"x"}"#,
            "openrouter/settings.json: default: unknown setting (expected default_workspace_id)"
        ),
    ])
    func badCollectionsAreRefusedWithFileIndexAndField(file: String, text: String, message: String) throws {
        var replacements: [String: String?] = [file: text]
        // A roster without the seeded members' users would fail first; budgets and members are checked alone.
        if file == "openrouter/budgets.json" { replacements["openrouter/members.json"] = "[]" }
        if file == "openrouter/members.json" { replacements["openrouter/budgets.json"] = "[]" }
        if file == "openrouter/organization-members.json" { replacements["openrouter/members.json"] = "[]" }
        let error = try Self.withDirectory(replacements) { path in
            #expect(throws: SeedError.self) { try SeedStore.load(from: .directory(path)) }
        }
        #expect(error?.description == message)
    }

    @Test func everyCollectionCanBeReadAndPutBackAsItWas() throws {
        let router = try TestRouter()
        let order = ["organization-members", "workspaces", "settings", "members", "budgets"]
        let snapshot = order.map { router.admin("GET", "/__admin/seed/openrouter/\($0)").text }
        // Writes through the API, then the snapshot restored in order.
        #expect(router.openRouter("POST", "/workspaces", body: #"{"name":"T","slug":"t"}"#).code == 201)
        #expect(router.openRouter("DELETE", "/workspaces/growth-canary").code == 200)
        #expect(router.openRouter("PUT", "/workspaces/production/budgets/daily", body: #"{"limit_usd":1}"#).code == 200)
        #expect(
            router.openRouter("DELETE", "/workspaces/production?confirm_default_workspace_deletion=true").code == 200)
        for (collection, text) in zip(order, snapshot) {
            let put = router.admin("PUT", "/__admin/seed/openrouter/\(collection)", body: text)
            #expect(put.code == 200, "\(collection): \(put.text)")
        }
        #expect(order.map { router.admin("GET", "/__admin/seed/openrouter/\($0)").text } == snapshot)
        #expect(router.openRouter("GET", "/workspaces/growth-canary/members").text.contains(#""total_count":17"#))
    }

    @Test func aReplacementIsValidatedAgainstTheOthersAndIsAllOrNothing() throws {
        let router = try TestRouter()
        let members = router.admin("GET", "/__admin/seed/openrouter/members").text
        let bad = router.admin(
            "PUT", "/__admin/seed/openrouter/members",
            body: "[\(Self.member.replacingOccurrences(of: Self.search, with: "gone"))]")
        #expect(bad.code == 400)
        #expect(
            bad.text
                == #"{"error":{"code":400,"message":"request body (openrouter/members.json): [0].workspace_id: no workspace has the id \"gone\""}}"#
        )
        #expect(router.admin("GET", "/__admin/seed/openrouter/members").text == members)
        let settings = router.admin(
            "PUT", "/__admin/seed/openrouter/settings", body: #"{"default_workspace_id":"\#(Self.search)"}"#)
        #expect(
            settings.text == #"{"vendor":"openrouter","collection":"settings","dropped":{"members":0,"budgets":0}}"#)
        #expect(router.openRouter("GET", "/workspaces/search-internal/members").text.contains(#""total_count":25"#))
        #expect(router.openRouter("DELETE", "/workspaces/production").text == #"{"deleted":true}"#)
        let unknown = router.admin("GET", "/__admin/seed/openrouter/teams")
        #expect(unknown.code == 404)
        #expect(
            unknown.text
                == #"{"error":{"code":404,"message":"no OpenRouter collection \"teams\" (expected workspaces, organization-members, members, budgets, settings)"}}"#
        )
    }

    @Test func replacingTheRosterDropsTheMembershipsOfUsersNoLongerInIt() throws {
        let router = try TestRouter()
        let roster =
            #"[{"id":"user_abc123","email":"a@example.com","first_name":null,"last_name":null,"role":"org:admin"}]"#
        let put = router.admin("PUT", "/__admin/seed/openrouter/organization-members", body: roster)
        let kept = try SeedFiles.records("openrouter/members.json").filter { $0["user_id"] as? String == "user_abc123" }
            .count
        let total = try SeedFiles.records("openrouter/members.json").count
        #expect(
            put.text
                == #"{"vendor":"openrouter","collection":"organization-members","count":1,"dropped":{"members":\#(total - kept),"budgets":0}}"#
        )
        #expect(router.openRouter("GET", "/workspaces/production/members").text.hasSuffix(#""total_count":1}"#))
    }
}
