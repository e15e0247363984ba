import Foundation
import GatewayMock
import MockHTTP
import TestSupport
import Testing

/// Replays the request-body fuzzer's inputs: every file in Tests/Fuzz/regressions/bodies/ (if any; see
/// Tests/Fuzz/README.md) and the seed corpus Tests/Fuzz/corpus/bodies/, with the fuzz harness's own checks
/// (`requestBodyInvariantViolations`, in Support/RequestBodyInvariants.swift), each on a fresh namespace of
/// Tests/Fuzz/bodies-store.
@Suite struct RequestBodyFuzzRegressionTests {
    static let fixture = Result { () throws(SeedError) in
        try RequestBodyFuzzFixture(
            directory: JSONParserFuzzRegressionTests.root.appendingPathComponent("Tests/Fuzz/bodies-store").path)
    }

    static let inputs =
        JSONParserFuzzRegressionTests.files(in: "Tests/Fuzz/regressions/bodies")
        + JSONParserFuzzRegressionTests.files(in: "Tests/Fuzz/corpus/bodies")

    static func bytes(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: JSONParserFuzzRegressionTests.root.appendingPathComponent(path)))
    }

    /// Every operation has a seed (its first byte chooses it), so each run starts from a body it accepts.
    @Test func theSeedCorpusHasEveryOperation() throws {
        let seeds = try JSONParserFuzzRegressionTests.files(in: "Tests/Fuzz/corpus/bodies").map(Self.bytes)
        let chosen = Set(seeds.compactMap(\.first).map { Int($0) % WriteOperation.all.count })
        #expect(chosen == Set(WriteOperation.all.indices))
    }

    @Test(arguments: inputs) func inputKeepsEveryInvariant(_ path: String) throws {
        let violations = requestBodyInvariantViolations(try Self.bytes(path), fixture: try Self.fixture.get())
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    /// The check that a refused write changed nothing compares what the control plane shows, which does
    /// show a write.
    @Test func theSnapshotShowsAnAcceptedWrite() throws {
        let fixture = try Self.fixture.get()
        let router = fixture.makeRouter()
        let response = router.respond(
            to: .make(
                method: "PATCH", target: "/api/v1/workspaces/support-apac",
                headers: [("Authorization", "Bearer \(DefaultKeys.openRouterManagement)")],
                body: #"{"description":"moved"}"#))
        #expect(response.status.code == 200)
        #expect(
            NamespaceSnapshot(router).differences(from: fixture.snapshot) == ["/__admin/seed/openrouter/workspaces"])
    }
    // MARK: - Found by the invariants

    /// `regressions/bodies/openrouter-roster-role-change.json`: a roster put back with a member's
    /// organization role changed left that user's workspace memberships with the old role, which no seed
    /// file may hold, so the members' own snapshot could no longer be put back (400). The membership now
    /// takes the role that goes with the new organization role, as `members/add` gives it.
    @Test func aChangedOrganizationRoleChangesTheWorkspaceRole() throws {
        let router = try TestRouter()
        let roster = router.admin("GET", "/__admin/seed/openrouter/organization-members").text
        let demoted = #""last_name":"Morgan","role":"org:member""#
        let body = roster.replacingOccurrences(of: #""last_name":"Morgan","role":"org:admin""#, with: demoted)
        #expect(body.contains(demoted))
        let replaced = router.admin("PUT", "/__admin/seed/openrouter/organization-members", body: body)
        #expect(
            replaced.text
                == #"{"vendor":"openrouter","collection":"organization-members","count":25,"dropped":{"members":0,"budgets":0}}"#
        )

        let members = router.openRouter("GET", "/workspaces/support-apac/members?limit=100")
        #expect(members.code == 200)
        #expect(members.text.contains(#""user_id":"user_abc123","role":"member","created_at":"2025-03-03T06:57:00Z"}"#))
        let snapshot = router.admin("GET", "/__admin/seed/openrouter/members").text
        #expect(router.admin("PUT", "/__admin/seed/openrouter/members", body: snapshot).code == 200)
    }
}
