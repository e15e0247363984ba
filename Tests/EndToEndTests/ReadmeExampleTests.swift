// The README's in-process example, kept here verbatim (but for the suite name) so that it is known to
// compile and pass. Change both together.
import Foundation
import GatewayMock
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct ReadmeExampleTests {
    @Test func retryAfterA500SeesTheWorkspaces() async throws {
        let mock = try GatewayMock.start(.init(port: 0, accessLog: false))  // a free port
        defer { mock.stop() }
        try mock.addFault(FaultRule(vendor: .openrouter, status: 500, times: 1))

        var request = URLRequest(url: URL(string: "\(mock.baseURL)/api/v1/workspaces?limit=5")!)
        request.setValue("Bearer sk-or-v1-mock-management", forHTTPHeaderField: "Authorization")
        let (_, failed) = try await URLSession.shared.data(for: request)
        #expect((failed as? HTTPURLResponse)?.statusCode == 500)
        let (data, succeeded) = try await URLSession.shared.data(for: request)
        #expect((succeeded as? HTTPURLResponse)?.statusCode == 200)
        let page = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(page?["total_count"] as? Int == 120)

        #expect(try mock.requests(vendor: .openrouter).map(\.status) == [500, 200])
    }

    @Test func emptyListing() async throws {
        let mock = try GatewayMock.start(.init(port: 0, accessLog: false))
        defer { mock.stop() }
        try mock.replaceWorkspaces(.portkey, json: "[]")  // validated like the seed files

        var request = URLRequest(url: URL(string: "\(mock.baseURL)/v1/admin/workspaces")!)
        request.setValue("pk-mock-admin", forHTTPHeaderField: "x-portkey-api-key")
        let (data, _) = try await URLSession.shared.data(for: request)
        #expect(String(decoding: data, as: UTF8.self) == #"{"total":0,"object":"list","data":[]}"#)

        try mock.reset()  // back to the loaded store
        #expect(try mock.store().portkeyWorkspaces.count == 60)
    }
}
