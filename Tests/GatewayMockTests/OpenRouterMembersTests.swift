import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// `GET /workspaces/{id}/members`, `POST …/members/add` and `…/members/remove`, and
/// `GET /organization/members`, checked against the seed files read with Foundation.
@Suite struct OpenRouterMembersTests {
    static func seedMembers(of workspaceID: String) throws -> [[String: Any]] {
        try SeedFiles.records("openrouter/members.json").filter { $0["workspace_id"] as? String == workspaceID }
    }

    static func workspace(_ slug: String) throws -> [String: Any] {
        try #require(try SeedFiles.openRouter.first { $0["slug"] as? String == slug })
    }

    static func page(_ response: HTTPResponse) throws -> (data: [[String: Any]], total: Int) {
        let body = try #require(try response.json() as? [String: Any])
        return (try #require(body["data"] as? [[String: Any]]), try #require(body["total_count"] as? Int))
    }

    @Test func membersArePagedLikeTheListToTheEnd() throws {
        let router = try TestRouter()
        let workspace = try Self.workspace("growth-canary")
        let expected = try Self.seedMembers(of: workspace["id"] as! String)
        #expect(expected.count == 17)
        var seen: [[String: Any]] = []
        var offset = 0
        while true {
            let (data, total) = try Self.page(
                router.openRouter("GET", "/workspaces/growth-canary/members?offset=\(offset)&limit=5"))
            #expect(total == 17)
            if data.isEmpty { break }
            seen += data
            offset += data.count
        }
        #expect(seen.count == 17)
        for (served, seeded) in zip(seen, expected) {
            #expect(NSDictionary(dictionary: served) == NSDictionary(dictionary: seeded))
        }
        let byID = router.openRouter("GET", "/workspaces/\(workspace["id"] as! String)/members?limit=100")
        #expect(byID.text == router.openRouter("GET", "/workspaces/growth-canary/members?limit=100").text)
        #expect(router.openRouter("GET", "/workspaces/growth-canary/members?limit=101").code == 400)
        #expect(router.openRouter("GET", "/workspaces/growth-canary/members?offset=-1").code == 400)
    }

    @Test func theDefaultWorkspaceHoldsEveryOrganizationMemberImplicitly() throws {
        let router = try TestRouter()
        let roster = try SeedFiles.records("openrouter/organization-members.json")
        let production = try Self.workspace("production")
        let (data, total) = try Self.page(router.openRouter("GET", "/workspaces/production/members?limit=100"))
        #expect(total == roster.count)
        #expect(data.map { $0["user_id"] as? String } == roster.map { $0["id"] as? String })
        for (member, user) in zip(data, roster) {
            #expect(
                member["id"] as? String
                    == UUID5.make(
                        namespace: UUID5.seedNamespace,
                        name: "openrouter-member:\(production["id"] as! String):\(user["id"] as! String)"))
            #expect(member["workspace_id"] as? String == production["id"] as? String)
            #expect(member["role"] as? String == (user["role"] as? String == "org:admin" ? "admin" : "member"))
            #expect(member["created_at"] as? String == production["created_at"] as? String)
            #expect(Set(member.keys) == ["id", "workspace_id", "user_id", "role", "created_at"])
        }
        // Adding changes nothing there; removing is refused.
        let add = router.openRouter(
            "POST", "/workspaces/production/members/add", body: #"{"user_ids":["user_abc123"]}"#)
        #expect(add.text == #"{"added_count":0,"data":[]}"#)
        let remove = router.openRouter(
            "POST", "/workspaces/production/members/remove", body: #"{"user_ids":["user_abc123"]}"#)
        #expect(remove.code == 400)
        #expect(
            remove.text
                == #"{"error":{"code":400,"message":"Members cannot be removed from the default workspace: it holds every organization member"}}"#
        )
    }

    @Test func addGivesMembersTheirOrganizationRoleAndCountsOnlyNewOnes() throws {
        let router = try TestRouter()
        let workspace = try Self.workspace("search-internal")
        let id = workspace["id"] as! String
        #expect(try Self.seedMembers(of: id).isEmpty)
        let response = router.openRouter(
            "POST", "/workspaces/search-internal/members/add",
            body: #"{"user_ids":["user_abc123","user_2dHFtVWx2n56w6HkM0000000000","user_abc123"]}"#)
        #expect(response.code == 200)
        let body = try #require(try response.json() as? [String: Any])
        #expect(body["added_count"] as? Int == 2)
        let data = try #require(body["data"] as? [[String: Any]])
        #expect(data.map { $0["user_id"] as? String } == ["user_abc123", "user_2dHFtVWx2n56w6HkM0000000000"])
        #expect(data.map { $0["role"] as? String } == ["admin", "member"])
        #expect(
            data[0]["id"] as? String
                == UUID5.make(namespace: UUID5.seedNamespace, name: "openrouter-member:\(id):user_abc123"))
        #expect(OpenRouterWorkspaceLifecycleTests.isTimestamp(data[0]["created_at"] as? String))
        #expect(response.text.hasPrefix(#"{"added_count":2,"data":[{"id":""#))
        // Listed in the order added; adding again adds nothing.
        let (listed, total) = try Self.page(router.openRouter("GET", "/workspaces/search-internal/members"))
        #expect(total == 2)
        #expect(NSArray(array: listed) == NSArray(array: data))
        let again = router.openRouter(
            "POST", "/workspaces/search-internal/members/add", body: #"{"user_ids":["user_abc123"]}"#)
        #expect(again.text == #"{"added_count":0,"data":[]}"#)
    }

    @Test func removeTakesMembersOutAndCountsThem() throws {
        let router = try TestRouter()
        let workspace = try Self.workspace("production-internal")
        let members = try Self.seedMembers(of: workspace["id"] as! String)
        let ids = members.prefix(3).map { $0["user_id"] as! String }
        let body = #"{"user_ids":["\#(ids[0])","\#(ids[1])","\#(ids[2])","\#(ids[0])"]}"#
        let response = router.openRouter("POST", "/workspaces/production-internal/members/remove", body: body)
        #expect(response.text == #"{"removed_count":3}"#)
        let (data, total) = try Self.page(router.openRouter("GET", "/workspaces/production-internal/members?limit=100"))
        #expect(total == members.count - 3)
        #expect(data.map { $0["user_id"] as? String } == members.dropFirst(3).map { $0["user_id"] as? String })
    }

    @Test(arguments: [
        ("add", #"{"user_ids":["user_nobody"]}"#, #"user_ids[0] \"user_nobody\" is not a member of the organization"#),
        ("add", #"{"user_ids":[]}"#, "user_ids must hold 1 to 100 ids, got 0"),
        ("add", #"{"user_ids":"user_abc123"}"#, "user_ids must be an array of strings, got a string"),
        ("add", #"{"user_ids":[7]}"#, "user_ids[0] must be a string, got a number"),
        ("add", #"{"user_ids":[""]}"#, "user_ids[0] must not be empty"),
        ("add", "{}", "user_ids is required"),
        ("add", "[]", "Request body must be a JSON object, got an array"),
        (
            "add", #"{"user_ids":[\#(Array(repeating: #""user_abc123""#, count: 101).joined(separator: ","))]}"#,
            "user_ids must hold 1 to 100 ids, got 101"
        ),
        (
            "remove", #"{"user_ids":["user_abc123"]}"#,
            #"user_ids[0] \"user_abc123\" is not a member of this workspace"#
        ),
    ])
    func badMemberChangesGet400AndChangeNothing(operation: String, body: String, message: String) throws {
        let router = try TestRouter()
        let before = router.openRouter("GET", "/workspaces/search-internal/members").text
        // A valid id first: the whole call is refused, the valid part too.
        let response = router.openRouter("POST", "/workspaces/search-internal/members/\(operation)", body: body)
        #expect(response.code == 400)
        #expect(response.text == #"{"error":{"code":400,"message":"\#(message)"}}"#)
        #expect(router.openRouter("GET", "/workspaces/search-internal/members").text == before)
    }

    @Test func aBulkAddIsAllOrNothing() throws {
        let router = try TestRouter()
        let response = router.openRouter(
            "POST", "/workspaces/search-internal/members/add", body: #"{"user_ids":["user_abc123","user_nobody"]}"#)
        #expect(response.code == 400)
        #expect(router.openRouter("GET", "/workspaces/search-internal/members").text == #"{"data":[],"total_count":0}"#)
    }

    @Test func deletingAWorkspaceDropsItsMembers() throws {
        let router = try TestRouter()
        let workspace = try Self.workspace("growth-canary")
        #expect(router.openRouter("DELETE", "/workspaces/growth-canary").code == 200)
        let members = try #require(
            try router.admin("GET", "/__admin/seed/openrouter/members").json() as? [[String: Any]])
        #expect(members.count == (try SeedFiles.records("openrouter/members.json")).count - 17)
        #expect(!members.contains { $0["workspace_id"] as? String == workspace["id"] as? String })
    }

    @Test func theOrganizationRosterIsPagedLikeTheList() throws {
        let router = try TestRouter()
        let roster = try SeedFiles.records("openrouter/organization-members.json")
        let (first, total) = try Self.page(router.openRouter("GET", "/organization/members?limit=10"))
        #expect(total == roster.count)
        let (rest, _) = try Self.page(router.openRouter("GET", "/organization/members?offset=10&limit=100"))
        #expect(NSArray(array: first + rest) == NSArray(array: roster))
        #expect(router.openRouter("GET", "/organization/members?limit=0").code == 400)
    }
}
