import Foundation
import GatewayMock
import Testing

/// The control plane from Swift, without HTTP: what the README's in-process example relies on.
@Suite struct InProcessControlTests {
    @Test func faultsRecordsJournalAndResetWorkFromSwift() async throws {
        try await withTestServer { mock throws in
            let rule = try mock.addFault(FaultRule(vendor: .openrouter, status: 500, times: 1))
            #expect(rule.id == 1)
            #expect(try mock.faults() == [rule])
            #expect(try mock.openRouter().status == 500)
            #expect(try mock.openRouter().status == 200)
            #expect(try mock.faults().isEmpty)

            try mock.replaceWorkspaces(.portkey, json: "[]", namespace: "swift")
            let empty = try #require(try mock.portkey(headers: ["X-Mock-Namespace": "swift"]).json() as? [String: Any])
            #expect(empty["total"] as? Int == 0)
            #expect(throws: SeedError.self) { try mock.replaceWorkspaces(.openrouter, json: #"[{"id":1}]"#) }

            let journal = try mock.requests(vendor: .openrouter)
            #expect(journal.map(\.status) == [500, 200])
            #expect(
                journal.allSatisfy {
                    $0.headers.contains {
                        $0.name == "Authorization" && $0.value == "Bearer [openrouter management key 1]"
                    }
                })
            try mock.clearRequests()
            #expect(try mock.requests().isEmpty)

            try mock.replaceKeys(APIKeys(openRouterManagement: ["sk-swift"]))
            #expect(try mock.openRouter(key: "sk-swift").status == 200)
            try mock.reset()
            #expect(try mock.openRouter().status == 200)
            #expect(try mock.openRouter(key: "sk-swift").status == 401)
        }
    }

    @Test func invalidRulesAreRefusedFromSwift() async throws {
        try await withTestServer { mock throws in
            #expect(throws: FaultRule.Invalid.self) { try mock.addFault(FaultRule(status: 418)) }
            #expect(throws: FaultRule.Invalid.self) { try mock.addFault(FaultRule()) }
        }
    }

    @Test func faultRulesMatchMethodAndPathFromSwift() async throws {
        try await withTestServer { mock throws in
            let rule = try mock.addFault(
                FaultRule(method: "get", path: try PathGlob("/v1/admin/**"), status: 500, times: 1))
            #expect(rule.method == "GET")
            #expect(rule.path?.description == "/v1/admin/**")
            #expect(try mock.openRouter().status == 200)
            #expect(try mock.portkey().status == 500)
            #expect(try mock.faults().isEmpty)
            let invalid = #expect(throws: PathGlob.Invalid.self) { try PathGlob("/v1/**/workspaces") }
            #expect(invalid?.description == "path may have ** only as its last segment")
            #expect(throws: FaultRule.Invalid.self) { try mock.addFault(FaultRule(method: "GET POST", status: 500)) }
        }
    }

    @Test func aJournalByteBudgetOfZeroKeepsNothing() async throws {
        try await withTestServer(.init(journalBytes: 0)) { mock throws in
            #expect(try mock.openRouter().status == 200)
            #expect(try mock.requests().isEmpty)
        }
    }
}
