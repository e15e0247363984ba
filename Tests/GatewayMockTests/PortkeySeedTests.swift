import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// Portkey's seed collections beyond the workspaces (the organization's users, memberships, the mock's
/// dependents): validated at start with file, index and field, references included.
@Suite struct PortkeySeedTests {
    static let owner = "9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7"
    static let membership =
        #"{"workspace_id":"ws-onboarding-a4963c","user_id":"\#(owner)","role":"admin","created_at":"2025-01-01T00:00:00.000Z","last_updated_at":"2025-01-01T00:00:00.000Z"}"#

    @Test func theEmbeddedStoreHoldsEveryCollection() throws {
        let store = try SeedStore.load(from: .embedded).portkey
        #expect(store.users.count == (try SeedFiles.records("portkey/users.json")).count)
        #expect(store.allMembers.count == (try SeedFiles.records("portkey/members.json")).count)
        #expect(store.virtualKeys.count == 5)
        #expect(store.workspaces.all.filter(\.isPortkeyDefault).map(\.id) == ["ws-production-ab8e18"])
    }

    @Test(arguments: [
        ("portkey/users.json", #"[{"object":"user","id":"u"}]"#, "portkey/users.json: [0].first_name: missing"),
        (
            "portkey/users.json",
            #"[{"object":"user","id":"u","first_name":"a","last_name":"b","role":"boss","email":"e","created_at":"t","last_updated_at":"t"}]"#,
            #"portkey/users.json: [0].role: must be one of owner, admin, member, got "boss""#
        ),
        (
            "portkey/members.json", "[\(membership.replacingOccurrences(of: "ws-onboarding-a4963c", with: "ws-gone"))]",
            #"portkey/members.json: [0].workspace_id: no workspace has the id "ws-gone""#
        ),
        (
            "portkey/members.json", "[\(membership.replacingOccurrences(of: owner, with: "nobody"))]",
            #"portkey/members.json: [0].user_id: "nobody" is not a user of the organization"#
        ),
        (
            "portkey/members.json", "[\(membership.replacingOccurrences(of: #""admin""#, with: #""owner""#))]",
            #"portkey/members.json: [0].role: must be one of admin, manager, member, got "owner""#
        ),
        (
            "portkey/members.json", "[\(membership),\(membership)]",
            "portkey/members.json: [1].user_id: duplicate of [0]: the same user in the same workspace"
        ),
        (
            "portkey/dependents.json", #"{"virtual_keys":{"ws-gone":2}}"#,
            "portkey/dependents.json: virtual_keys.ws-gone: no workspace has this id"
        ),
        (
            "portkey/dependents.json", #"{"virtual_keys":{"ws-onboarding-a4963c":0}}"#,
            "portkey/dependents.json: virtual_keys.ws-onboarding-a4963c: expected an integer of 1 or more"
        ),
        (
            "portkey/dependents.json", #"{"prompts":{}}"#,
            "portkey/dependents.json: prompts: unknown dependent (expected virtual_keys)"
        ),
    ])
    func badCollectionsAreRefusedWithFileIndexAndField(file: String, text: String, message: String) throws {
        var replacements: [String: String?] = [file: text]
        if file == "portkey/users.json" { replacements["portkey/members.json"] = "[]" }
        let error = try OpenRouterSeedTests.withDirectory(replacements) { path in
            #expect(throws: SeedError.self) { try SeedStore.load(from: .directory(path)) }
        }
        #expect(error?.description == message)
    }

    @Test func aSecondDefaultWorkspaceIsRefused() throws {
        var records = try SeedFiles.portkey
        var defaults = try #require(records[4]["defaults"] as? [String: Any])
        defaults["is_default"] = 1
        records[4]["defaults"] = defaults
        let replacements = ["portkey/workspaces.json": try SeedFiles.jsonArray(records)]
        let error = try OpenRouterSeedTests.withDirectory(replacements) { path in
            #expect(throws: SeedError.self) { try SeedStore.load(from: .directory(path)) }
        }
        #expect(
            error?.description
                == "portkey/workspaces.json: [4].defaults.is_default: a second default workspace (the first is [0])")
    }
}
