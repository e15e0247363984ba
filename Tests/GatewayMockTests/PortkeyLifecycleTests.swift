import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// Portkey's workspace lifecycle and workspace users: the bytes a client sees, the rules of
/// `LIFECYCLE-NOTES.md` and issue 14, and that a refused write changes nothing.
@Suite struct PortkeyLifecycleTests {
    static let owner = "9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7"
    static let member = "c4e3293a-9969-539d-a0d5-d4d84bfd89be"

    /// `2026-11-30T08:04:36.339Z`: RFC 3339 with milliseconds.
    static func isTimestamp(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil
    }

    static func object(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try response.json() as? [String: Any])
    }

    @Test func createAnswersTheWholeWorkspaceWithADeterministicID() throws {
        let router = try TestRouter()
        let response = router.portkey(
            "POST", "/admin/workspaces",
            body:
                #"{"name":"Launch Prep!! EU","description":"d","defaults":{"metadata":{"team":"growth"}},"users":["\#(Self.owner)"],"workspace_id":"ignored"}"#
        )
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: application/json"])
        let record = try Self.object(response)
        let created = try #require(record["created_at"] as? String)
        #expect(Self.isTimestamp(created))
        let id = PortkeyWorkspaceFields.id(name: "Launch Prep!! EU", number: 1)
        #expect(id.hasPrefix("ws-launch-prep-eu-") && id.count == "ws-launch-prep-eu-".count + 6)
        #expect(
            response.text
                == #"{"id":"\#(id)","slug":"\#(id)","name":"Launch Prep!! EU","description":"d","created_at":"\#(created)","last_updated_at":"\#(created)","defaults":{"metadata":{"team":"growth"},"is_default":0,"object":"workspace"},"usage_limits":[],"rate_limits":[],"object":"workspace","status":"active"}"#
        )
        // Listed last; the same call in a fresh namespace gives the same id.
        let list = try Self.object(router.portkey("?page_size=1&current_page=60"))
        #expect(list["total"] as? Int == 61)
        #expect((list["data"] as? [[String: Any]])?.first?["id"] as? String == id)
        let again = router.portkey("POST", "/admin/workspaces", body: #"{"name":"Launch Prep!! EU"}"#, namespace: "b")
        #expect(try Self.object(again)["id"] as? String == id)
    }

    @Test(arguments: [
        ("Launch Prep!! EU", "launch-prep-eu"), ("  Ünïcode — only  ", "n-code-only"), ("!!!", "workspace"),
        (
            String(repeating: "ab-", count: 30),
            String(String(repeating: "ab-", count: 30).prefix(40)).trimmingCharacters(in: ["-"])
        ),
    ])
    func idsAreTheNameAsASlug(name: String, slug: String) {
        let id = PortkeyWorkspaceFields.id(name: name, number: 7)
        #expect(id.hasPrefix("ws-\(slug)-"))
        #expect(id.dropFirst("ws-\(slug)-".count).allSatisfy { $0.isHexDigit })
    }

    @Test func retrieveAddsTheMembersAndAcceptsIDOrSlug() throws {
        let router = try TestRouter()
        let response = router.portkey("GET", "/admin/workspaces/ws-production-ab8e18")
        #expect(response.code == 200)
        let workspace = try Self.object(response)
        let users = try #require(workspace["users"] as? [[String: Any]])
        let seeded = try SeedFiles.records("portkey/members.json").filter {
            $0["workspace_id"] as? String == "ws-production-ab8e18"
        }
        #expect(users.map { $0["id"] as? String } == seeded.map { $0["user_id"] as? String })
        let roster = try SeedFiles.records("portkey/users.json")
        let owner = try #require(roster.first { $0["id"] as? String == Self.owner })
        let first = users[0]
        #expect(
            Set(first.keys)
                == [
                    "object", "id", "first_name", "last_name", "email", "org_role", "role", "status", "workspace_id",
                    "created_at", "last_updated_at",
                ])
        #expect(first["object"] as? String == "workspace-user")
        #expect(first["first_name"] as? String == owner["first_name"] as? String)
        #expect(first["org_role"] as? String == "owner")
        #expect(first["status"] as? String == "active")
        #expect(first["workspace_id"] as? String == "ws-production-ab8e18")
        // Every other key is the seeded record's, unchanged.
        var record = workspace
        record["users"] = nil
        let seed = try #require(try SeedFiles.portkey.first { $0["id"] as? String == "ws-production-ab8e18" })
        #expect(NSDictionary(dictionary: record) == NSDictionary(dictionary: seed))
    }

    @Test func updateIsPartialAnswersAnEmptyObjectAndKeepsTheID() throws {
        let router = try TestRouter()
        let update = router.portkey(
            "PUT", "/admin/workspaces/ws-onboarding-a4963c",
            body:
                #"{"name":"Renamed","defaults":{"metadata":{"k":"v"}},"rate_limits":[{"type":"requests","unit":"rpm","value":10}],"usage_limits":null}"#
        )
        #expect(update.code == 200)
        #expect(update.text == "{}")
        let workspace = try Self.object(router.portkey("GET", "/admin/workspaces/ws-onboarding-a4963c"))
        #expect(workspace["name"] as? String == "Renamed")
        #expect(workspace["id"] as? String == "ws-onboarding-a4963c")
        #expect((workspace["defaults"] as? [String: Any])?["metadata"] as? [String: String] == ["k": "v"])
        #expect((workspace["defaults"] as? [String: Any])?["is_default"] as? Int == 0)
        #expect((workspace["usage_limits"] as? [Any])?.isEmpty == true)
        #expect((workspace["rate_limits"] as? [[String: Any]])?.first?["value"] as? Int == 10)
        #expect(Self.isTimestamp(workspace["last_updated_at"] as? String))
        #expect(workspace["last_updated_at"] as? String != "2024-08-12T23:07:42.936Z")
    }

    @Test func deleteRefusesTheDefaultAndWorkspacesWithVirtualKeysUnlessForced() throws {
        let router = try TestRouter()
        let fixed = router.portkey("DELETE", "/admin/workspaces/ws-production-ab8e18")
        #expect(fixed.code == 403)
        #expect(
            fixed.text
                == #"{"success":false,"data":{"message":"The default workspace cannot be deleted","errorCode":"AB03"}}"#
        )
        let held = router.portkey(
            "DELETE", "/admin/workspaces/ws-staging-us-ce72e7",
            body: #"{"workspace_id":"ws-staging-us-ce72e7","name":"Staging US"}"#)
        #expect(held.code == 409)
        #expect(
            held.text
                == #"{"success":false,"data":{"message":"Unable to delete. Please ensure that all Virtual Keys are deleted","errorCode":"AB07"}}"#
        )
        #expect(router.portkey("GET", "/admin/workspaces/ws-staging-us-ce72e7").code == 200)
        let forced = router.portkey(
            "DELETE", "/admin/workspaces/ws-staging-us-ce72e7", body: #"{"name":"Staging US","force_delete":true}"#)
        #expect(forced.text == "{}")
        let gone = router.portkey("GET", "/admin/workspaces/ws-staging-us-ce72e7")
        #expect(gone.code == 404)
        #expect(
            gone.text
                == #"{"success":false,"data":{"message":"Workspace not found: no workspace has the id or slug \"ws-staging-us-ce72e7\"","errorCode":"AB08"}}"#
        )
        #expect(try Self.object(router.portkey("?page_size=1"))["total"] as? Int == 59)
        #expect(router.portkey("DELETE", "/admin/workspaces/ws-docs-assistant-ccd0fe").text == "{}")
        #expect(router.admin("GET", "/__admin/seed/portkey/dependents").text.contains("ws-staging-us-ce72e7") == false)
    }

    @Test(arguments: [
        ("POST", "/admin/workspaces", "{}", "name is required"),
        ("POST", "/admin/workspaces", #"{"name":""}"#, "name must be 1 to 255 characters long, got 0"),
        ("POST", "/admin/workspaces", #"{"name":5}"#, "name must be a string, got a number"),
        (
            "POST", "/admin/workspaces", #"{"name":"x","defaults":[]}"#,
            "defaults must be an object or null, got an array"
        ),
        (
            "POST", "/admin/workspaces", #"{"name":"x","defaults":{"metadata":{"a":1}}}"#,
            "defaults.metadata must be an object of strings"
        ),
        (
            "POST", "/admin/workspaces", #"{"name":"x","users":["nobody"]}"#,
            #"users[0] \"nobody\" is not a user of the organization"#
        ),
        (
            "POST", "/admin/workspaces", #"{"name":"x","rate_limits":[{"unit":"rps"}]}"#,
            #"rate_limits[0].unit: must be one of rpd, rph, rpm, got \"rps\""#
        ),
        ("POST", "/admin/workspaces", "[]", "Request body must be a JSON object, got an array"),
        (
            "PUT", "/admin/workspaces/ws-onboarding-a4963c", #"{"usage_limits":{}}"#,
            "usage_limits must be an array or null, got an object"
        ),
        (
            "DELETE", "/admin/workspaces/ws-onboarding-a4963c", #"{"force_delete":"yes"}"#,
            "force_delete must be a boolean, got a string"
        ),
        (
            "POST", "/admin/workspaces/ws-onboarding-a4963c/users", #"{"users":[{"id":"\#(owner)","role":"boss"}]}"#,
            "users[0].role must be admin, manager or member"
        ),
        (
            "POST", "/admin/workspaces/ws-onboarding-a4963c/users",
            #"{"users":[{"id":"\#(owner)","role":"admin"},{"id":"nobody","role":"admin"}]}"#,
            #"users[1].id \"nobody\" is not a user of the organization"#
        ),
        (
            "POST", "/admin/workspaces/ws-onboarding-a4963c/users", #"{"users":[]}"#,
            #"users must be a non-empty array of {\"id\", \"role\"} objects"#
        ),
        (
            "PUT", "/admin/workspaces/ws-production-ab8e18/users/\(owner)", #"{"role":"owner"}"#,
            "role must be admin, manager or member"
        ),
    ])
    func badWritesGet400AB01AndChangeNothing(method: String, path: String, body: String, message: String) throws {
        let router = try TestRouter()
        let snapshot = ["workspaces", "members", "users"].map {
            router.admin("GET", "/__admin/seed/portkey/\($0)").text
        }
        let response = router.portkey(method, path, body: body)
        #expect(response.code == 400)
        #expect(response.text == #"{"success":false,"data":{"message":"\#(message)","errorCode":"AB01"}}"#)
        #expect(
            ["workspaces", "members", "users"].map { router.admin("GET", "/__admin/seed/portkey/\($0)").text }
                == snapshot)
    }

    @Test func membersAreAddedUpdatedListedAndRemoved() throws {
        let router = try TestRouter()
        let path = "/admin/workspaces/ws-docs-assistant-ccd0fe/users"
        let add = router.portkey(
            "POST", path,
            body: #"{"workspace_id":"ws-docs-assistant-ccd0fe","users":[{"id":"\#(Self.member)","role":"manager"}]}"#)
        #expect(add.text == "{}")
        let member = try Self.object(router.portkey("GET", "\(path)/\(Self.member)"))
        #expect(member["role"] as? String == "manager")
        #expect(member["org_role"] as? String == "member")
        #expect(member["email"] as? String == "sam.lee@example.com")
        let created = member["created_at"] as? String
        #expect(Self.isTimestamp(created))
        // Adding again sets the role (an upsert); the membership keeps its created_at.
        #expect(
            router.portkey("POST", path, body: #"{"users":[{"id":"\#(Self.member)","role":"admin"}]}"#).text == "{}")
        #expect(
            router.portkey("PUT", "\(path)/\(Self.member)", body: #"{"user_id":"\#(Self.member)","role":"member"}"#)
                .text == "{}")
        let updated = try Self.object(router.portkey("GET", "\(path)/\(Self.member)"))
        #expect(updated["role"] as? String == "member")
        #expect(updated["created_at"] as? String == created)
        let list = try Self.object(router.portkey("GET", path))
        #expect(list["total"] as? Int == 1)
        #expect(list["object"] as? String == "list")
        #expect(router.portkey("DELETE", "\(path)/\(Self.member)").text == "{}")
        for method in ["GET", "PUT", "DELETE"] {
            let missing = router.portkey(
                method, "\(path)/\(Self.member)", body: method == "PUT" ? #"{"role":"admin"}"# : nil)
            #expect(missing.code == 404)
            #expect(
                missing.text
                    == #"{"success":false,"data":{"message":"User \"\#(Self.member)\" is not a member of this workspace","errorCode":"AB08"}}"#
            )
        }
    }

    @Test func memberListsPageAndFilter() throws {
        let router = try TestRouter()
        let path = "/admin/workspaces/ws-personal-sandbox-faf1c7/users"
        let seeded = try SeedFiles.records("portkey/members.json").filter {
            $0["workspace_id"] as? String == "ws-personal-sandbox-faf1c7"
        }
        var seen: [String] = []
        for page in 0..<5 {
            let body = try Self.object(router.portkey("GET", "\(path)?page_size=4&current_page=\(page)"))
            #expect(body["total"] as? Int == seeded.count)
            seen += (body["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(seen == seeded.map { $0["user_id"] as! String })
        let camel = router.portkey("GET", "\(path)?pageSize=4&currentPage=1")
        #expect(camel.text == router.portkey("GET", "\(path)?page_size=4&current_page=1").text)
        let managers = try Self.object(router.portkey("GET", "\(path)?role=manager"))
        #expect(managers["total"] as? Int == seeded.filter { $0["role"] as? String == "manager" }.count)
        #expect(router.portkey("GET", "\(path)?role=owner").code == 400)
        let byEmail = try Self.object(
            router.portkey("GET", "/admin/workspaces/ws-production-ab8e18/users?email=MINERVA.castellanos@example.com"))
        #expect(byEmail["total"] as? Int == 1)
    }

    @Test func organizationUsersPageAndFilter() throws {
        let router = try TestRouter()
        let roster = try SeedFiles.records("portkey/users.json")
        let first = try Self.object(router.portkey("GET", "/admin/users?pageSize=15&currentPage=0"))
        let second = try Self.object(router.portkey("GET", "/admin/users?pageSize=15&currentPage=1"))
        #expect(first["total"] as? Int == roster.count)
        let all = (first["data"] as? [[String: Any]] ?? []) + (second["data"] as? [[String: Any]] ?? [])
        #expect(NSArray(array: all) == NSArray(array: roster))
        let admins = try Self.object(router.portkey("GET", "/admin/users?role=admin"))
        #expect(admins["total"] as? Int == 3)
        #expect(router.portkey("GET", "/admin/users?role=manager").code == 400)
        #expect(try Self.object(router.portkey("GET", "/admin/users?email=sam.lee@example.com"))["total"] as? Int == 1)
    }

    @Test func everyOperationNeedsAnAdminKey() throws {
        let router = try TestRouter()
        for (method, path) in [
            ("POST", "/admin/workspaces"), ("GET", "/admin/workspaces/ws-production-ab8e18"),
            ("PUT", "/admin/workspaces/ws-production-ab8e18"), ("DELETE", "/admin/workspaces/ws-production-ab8e18"),
            ("GET", "/admin/workspaces/ws-production-ab8e18/users"), ("GET", "/admin/users"),
        ] {
            let scoped = router.portkey(method, path, body: "{}", key: DefaultKeys.portkeyWorkspace)
            #expect(scoped.code == 403, "\(method) \(path)")
            #expect(scoped.text.contains(#""errorCode":"AB03""#))
            let none = router.request("/v1" + path, method: method, body: "{}")
            #expect(none.code == 401)
            #expect(none.text.contains(#""errorCode":"AB05""#))
        }
    }

    @Test func createsAreLimitedPerNamespace() throws {
        let router = try TestRouter(maxCreatedWorkspaces: 1)
        #expect(router.portkey("POST", "/admin/workspaces", body: #"{"name":"a"}"#).code == 200)
        let refused = router.portkey("POST", "/admin/workspaces", body: #"{"name":"b"}"#)
        #expect(refused.code == 400)
        #expect(refused.text.contains(#"the mock's limit (--max-created-workspaces)"#))
        #expect(refused.text.contains(#""errorCode":"AB01""#))
    }

    @Test func seedCollectionsRoundTripAndValidateReferences() throws {
        let router = try TestRouter()
        let order = ["users", "workspaces", "members", "dependents"]
        let snapshot = order.map { router.admin("GET", "/__admin/seed/portkey/\($0)").text }
        #expect(router.portkey("POST", "/admin/workspaces", body: #"{"name":"T"}"#).code == 200)
        #expect(
            router.portkey("DELETE", "/admin/workspaces/ws-staging-us-ce72e7", body: #"{"force_delete":true}"#).code
                == 200)
        for (collection, text) in zip(order, snapshot) {
            #expect(router.admin("PUT", "/__admin/seed/portkey/\(collection)", body: text).code == 200, "\(collection)")
        }
        #expect(order.map { router.admin("GET", "/__admin/seed/portkey/\($0)").text } == snapshot)
        let bad = router.admin(
            "PUT", "/__admin/seed/portkey/members",
            body:
                #"[{"workspace_id":"ws-gone","user_id":"\#(Self.owner)","role":"admin","created_at":"x","last_updated_at":"x"}]"#
        )
        #expect(
            bad.text
                == #"{"error":{"code":400,"message":"request body (portkey/members.json): [0].workspace_id: no workspace has the id \"ws-gone\""}}"#
        )
        // Renaming a user shows in the memberships.
        var roster = try SeedFiles.records("portkey/users.json")
        roster[0]["first_name"] = "Min"
        #expect(router.admin("PUT", "/__admin/seed/portkey/users", body: try SeedFiles.jsonArray(roster)).code == 200)
        let owner = try Self.object(router.portkey("GET", "/admin/workspaces/ws-production-ab8e18/users/\(Self.owner)"))
        #expect(owner["first_name"] as? String == "Min")
    }
}
